/**
 * Tag files: the whole content is the tag, or (with `key`) a dotenv `KEY=value` line holds it.
 * Each case asserts the whole new text and the edits, or the error.
 */
import { describe, expect, it } from '@jest/globals'
import { editTagFile, readTagFile } from '../../../src/edit/tag-file.js'
import type { EditOptions, EditResult, ImageUpdate } from '../../../src/edit/types.js'
import { readSummary, type ReadCase } from '../../support/read-cases.js'

const APP = 'ghcr.io/acme/app'
const DIGEST = `sha256:${'a'.repeat(64)}`
const OLD_DIGEST = `sha256:${'b'.repeat(64)}`
const WHOLE: EditOptions = { createMissing: false }
const keyed = (key: string, createMissing = false): EditOptions => ({ key, createMissing })

function summary(result: EditResult): unknown {
  if (!result.ok) return { error: result.error.code, message: result.error.message }
  return {
    text: result.text,
    edits: result.edits.map(e => ({
      at: `${e.path}@${e.line}:${e.column}`,
      before: e.before,
      after: e.after,
      previous: e.previous
    }))
  }
}

interface Case {
  readonly name: string
  readonly text: string
  readonly updates?: ImageUpdate[]
  readonly options?: EditOptions
  readonly expected: unknown
}

const cases: Case[] = [
  {
    name: 'the whole content is the tag; the final newline stays',
    text: '1.0.0\n',
    expected: {
      text: '1.1.0\n',
      edits: [{ at: '@1:1', before: '1.0.0', after: '1.1.0', previous: '1.0.0' }]
    }
  },
  {
    name: 'no final newline stays none',
    text: '1.0.0',
    expected: {
      text: '1.1.0',
      edits: [{ at: '@1:1', before: '1.0.0', after: '1.1.0', previous: '1.0.0' }]
    }
  },
  {
    name: 'surrounding whitespace, CRLF and a BOM stay',
    text: '\uFEFF\r\n  1.0.0  \r\n',
    expected: {
      text: '\uFEFF\r\n  1.1.0  \r\n',
      edits: [{ at: '@2:3', before: '1.0.0', after: '1.1.0', previous: '1.0.0' }]
    }
  },
  {
    name: 'an empty file gets the tag',
    text: '\n',
    expected: { text: '1.1.0\n', edits: [{ at: '@1:1', before: '', after: '1.1.0', previous: '' }] }
  },
  {
    name: 'the desired tag already: no edit',
    text: '1.1.0\n',
    expected: { text: '1.1.0\n', edits: [] }
  },
  {
    name: 'a tag file gets the tag, not tag@digest',
    text: '1.0.0\n',
    updates: [{ image: APP, tag: '1.1.0', digest: DIGEST }],
    expected: {
      text: '1.1.0\n',
      edits: [{ at: '@1:1', before: '1.0.0', after: '1.1.0', previous: '1.0.0' }]
    }
  },
  {
    name: 'a digest alone is written when no tag is given',
    text: '1.0.0\n',
    updates: [{ image: APP, digest: DIGEST }],
    expected: {
      text: `${DIGEST}\n`,
      edits: [{ at: '@1:1', before: '1.0.0', after: DIGEST, previous: '1.0.0' }]
    }
  },
  {
    name: 'a file holding a digest gets the digest',
    text: `${OLD_DIGEST}\n`,
    updates: [{ image: APP, tag: '1.1.0', digest: DIGEST }],
    expected: {
      text: `${DIGEST}\n`,
      edits: [{ at: '@1:1', before: OLD_DIGEST, after: DIGEST, previous: OLD_DIGEST }]
    }
  },
  {
    name: 'a file holding the whole reference is rewritten by the reference rules',
    text: `${APP}:1.0.0\n`,
    updates: [{ image: APP, tag: '1.1.0', digest: DIGEST }],
    expected: {
      text: `${APP}:1.1.0@${DIGEST}\n`,
      edits: [
        { at: '@1:1', before: `${APP}:1.0.0`, after: `${APP}:1.1.0@${DIGEST}`, previous: '1.0.0' }
      ]
    }
  },
  {
    name: 'a reference to another image is IMAGE_NOT_FOUND',
    text: 'nginx:1.27\n',
    expected: {
      error: 'IMAGE_NOT_FOUND',
      message:
        'The file holds "nginx:1.27" (line 1), a reference to "nginx", not to "ghcr.io/acme/app"'
    }
  },
  {
    name: 'several lines without key are refused with a hint to set key',
    text: 'IMAGE_TAG=1.0.0\nOTHER=x\n',
    expected: {
      error: 'UNSUPPORTED_FILE',
      message: 'The tag file has 2 lines of content (lines 1-2), not one tag'
    }
  },
  {
    name: 'a bare tag with several images is ambiguous',
    text: '1.0.0\n',
    updates: [
      { image: APP, tag: '1.1.0' },
      { image: 'ghcr.io/acme/web', tag: '2' }
    ],
    expected: {
      error: 'INVALID_INPUT',
      message: 'A tag file holds one tag, and 2 images were given'
    }
  },
  {
    name: 'key: a dotenv line; other lines, comments and CRLF stay',
    text: '# tags\r\nOTHER=1.0.0\r\nIMAGE_TAG=1.0.0 # current\r\n',
    options: keyed('IMAGE_TAG'),
    expected: {
      text: '# tags\r\nOTHER=1.0.0\r\nIMAGE_TAG=1.1.0 # current\r\n',
      edits: [{ at: 'IMAGE_TAG@3:11', before: '1.0.0', after: '1.1.0', previous: '1.0.0' }]
    }
  },
  {
    name: 'key: `export KEY="value"` keeps export and the quotes',
    text: 'export IMAGE_TAG="1.0.0"\nexport B=\'x\'\n',
    options: keyed('IMAGE_TAG'),
    expected: {
      text: 'export IMAGE_TAG="1.1.0"\nexport B=\'x\'\n',
      edits: [{ at: 'IMAGE_TAG@1:19', before: '1.0.0', after: '1.1.0', previous: '1.0.0' }]
    }
  },
  {
    name: 'key: single quotes and spaces around = are kept',
    text: "IMAGE_TAG = '1.0.0'\n",
    options: keyed('IMAGE_TAG'),
    expected: {
      text: "IMAGE_TAG = '1.1.0'\n",
      edits: [{ at: 'IMAGE_TAG@1:14', before: '1.0.0', after: '1.1.0', previous: '1.0.0' }]
    }
  },
  {
    name: 'key: a full reference value is rewritten',
    text: `IMAGE=${APP}:1.0.0\n`,
    options: keyed('IMAGE'),
    expected: {
      text: `IMAGE=${APP}:1.1.0\n`,
      edits: [{ at: 'IMAGE@1:7', before: `${APP}:1.0.0`, after: `${APP}:1.1.0`, previous: '1.0.0' }]
    }
  },
  {
    name: 'key: an empty value is set',
    text: 'IMAGE_TAG=\n',
    options: keyed('IMAGE_TAG'),
    expected: {
      text: 'IMAGE_TAG=1.1.0\n',
      edits: [{ at: 'IMAGE_TAG@1:11', before: '', after: '1.1.0', previous: '' }]
    }
  },
  {
    name: 'key: a missing key is KEY_NOT_FOUND naming the keys the file has',
    text: 'A=1\nB=2\n',
    options: keyed('IMAGE_TAG'),
    expected: {
      error: 'KEY_NOT_FOUND',
      message: 'No line IMAGE_TAG=… found; the file sets "A", "B"'
    }
  },
  {
    name: 'key: create-missing appends the line',
    text: 'A=1\r\n',
    options: keyed('IMAGE_TAG', true),
    expected: {
      text: 'A=1\r\nIMAGE_TAG=1.1.0\r\n',
      edits: [{ at: 'IMAGE_TAG@2:11', before: '', after: '1.1.0', previous: '' }]
    }
  },
  {
    name: 'key: create-missing in a file without a final newline keeps it without',
    text: 'A=1',
    options: keyed('IMAGE_TAG', true),
    expected: {
      text: 'A=1\nIMAGE_TAG=1.1.0',
      edits: [{ at: 'IMAGE_TAG@2:11', before: '', after: '1.1.0', previous: '' }]
    }
  },
  {
    name: 'key: a dotted YAML path is not a variable name',
    text: 'A=1\n',
    options: keyed('image.tag value'),
    expected: {
      error: 'INVALID_INPUT',
      message: 'The key "image.tag value" is not a variable name'
    }
  }
]

describe('editTagFile', () => {
  it.each(cases)('$name', ({ text, updates, options, expected }) => {
    expect(
      summary(editTagFile(text, updates ?? [{ image: APP, tag: '1.1.0' }], options ?? WHOLE))
    ).toEqual(expected)
  })
})

const readCases: ReadCase[] = [
  { name: 'a tag', text: ' 1.0.0\n', expected: { image: APP, tag: '1.0.0' } },
  { name: 'a digest', text: `${DIGEST}\n`, expected: { image: APP, digest: DIGEST } },
  {
    name: 'a reference',
    text: `${APP}:1.0.0@${DIGEST}`,
    expected: { image: APP, tag: '1.0.0', digest: DIGEST }
  },
  { name: 'an empty file', text: '', expected: { image: APP } },
  {
    name: 'a dotenv key',
    text: 'X=1\nIMAGE_TAG="2.0"\n',
    options: keyed('IMAGE_TAG'),
    expected: { image: APP, tag: '2.0' }
  },
  {
    name: 'a missing dotenv key',
    text: 'X=1\n',
    options: keyed('IMAGE_TAG'),
    expected: { error: 'KEY_NOT_FOUND' }
  },
  { name: 'another image', text: 'nginx:1.27\n', expected: { error: 'IMAGE_NOT_FOUND' } }
]

describe('readTagFile', () => {
  it.each(readCases)('$name', ({ text, options, expected }) => {
    expect(readSummary(readTagFile(text, APP, options ?? WHOLE))).toEqual(expected)
  })
})
