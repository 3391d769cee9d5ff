import { describe, expect, it } from '@jest/globals'
import { editKustomize, readKustomize } from '../../../src/edit/kustomize-images.js'
import type { EditResult, ImageUpdate, ReadResult } from '../../../src/edit/types.js'

const DIGEST_A = `sha256:${'a'.repeat(64)}`
const DIGEST_B = `sha256:${'b'.repeat(64)}`

/** Lines joined with LF and a final newline. */
const yaml = (...lines: string[]): string => `${lines.join('\n')}\n`

const HEAD = [
  'apiVersion: kustomize.config.k8s.io/v1beta1',
  'kind: Kustomization',
  'resources:',
  '- ../base'
]

/** The whole observable result: new text and edits, or the error's code, message and position. */
function outcome(result: EditResult | ReadResult) {
  if (!result.ok) {
    const { code, message, line, column } = result.error
    return { error: { code, message, line, column } }
  }
  return 'text' in result ? { text: result.text, edits: result.edits } : { current: result.current }
}

interface EditCase {
  name: string
  text: string
  updates: ImageUpdate[]
  createMissing?: boolean
  expected: unknown
}

const API = 'ghcr.io/acme/api'

const editCases: EditCase[] = [
  {
    name: 'a new tag replaces newTag; the Flux marker on the line stays',
    text: yaml(
      ...HEAD,
      'images:',
      `- name: ${API}`,
      '  newTag: 1.0.0 # {"$imagepolicy": "flux-system:api:tag"}'
    ),
    updates: [{ image: API, tag: '1.1.0' }],
    expected: {
      text: yaml(
        ...HEAD,
        'images:',
        `- name: ${API}`,
        '  newTag: 1.1.0 # {"$imagepolicy": "flux-system:api:tag"}'
      ),
      edits: [
        {
          image: API,
          path: 'images[0].newTag',
          line: 7,
          column: 11,
          before: '1.0.0',
          after: '1.1.0',
          previous: '1.0.0'
        }
      ]
    }
  },
  {
    name: 'quoting is kept; newName and tagSuffix are left alone',
    text: yaml(
      'images:',
      '  - name: postgres',
      '    newName: postgres',
      '    newTag: "16-alpine"',
      '    tagSuffix: -x'
    ),
    updates: [{ image: 'postgres', tag: '17-alpine' }],
    expected: {
      text: yaml(
        'images:',
        '  - name: postgres',
        '    newName: postgres',
        '    newTag: "17-alpine"',
        '    tagSuffix: -x'
      ),
      edits: [expect.objectContaining({ path: 'images[0].newTag', line: 4, column: 13 })]
    }
  },
  {
    name: 'a new tag drops the digest line, its line break included',
    text: yaml(
      'images:',
      '- name: app',
      `  digest: ${DIGEST_A}`,
      '  newTag: v1',
      '- name: other',
      '  newTag: v9'
    ),
    updates: [{ image: 'app', tag: 'v2' }],
    expected: {
      text: yaml('images:', '- name: app', '  newTag: v2', '- name: other', '  newTag: v9'),
      edits: [
        expect.objectContaining({
          path: 'images[0].digest',
          line: 3,
          before: DIGEST_A,
          after: '',
          previous: 'v1'
        }),
        expect.objectContaining({ path: 'images[0].newTag', line: 3, column: 11, after: 'v2' })
      ]
    }
  },
  {
    name: 'a digest on the `- ` line goes; the next key moves up to the dash',
    text: yaml('images:', `- digest: ${DIGEST_A}`, '  name: app', '  newTag: v1'),
    updates: [{ image: 'app', tag: 'v2' }],
    expected: {
      text: yaml('images:', '- name: app', '  newTag: v2'),
      edits: [
        expect.objectContaining({ path: 'images[0].digest' }),
        expect.objectContaining({ path: 'images[0].newTag' })
      ]
    }
  },
  {
    name: 'a digest on the last line of a file without final newline goes with the break before it',
    text: `images:\r\n- name: app\r\n  newTag: v1\r\n  digest: ${DIGEST_A}`,
    updates: [{ image: 'app', tag: 'v2' }],
    expected: {
      text: 'images:\r\n- name: app\r\n  newTag: v2',
      edits: [
        expect.objectContaining({ path: 'images[0].digest' }),
        expect.objectContaining({ path: 'images[0].newTag' })
      ]
    }
  },
  {
    name: 'a digest alone sets digest (first, as kustomize orders keys) and drops newTag',
    text: yaml('images:', '- name: app', '  newName: registry.local/app', '  newTag: v1'),
    updates: [{ image: 'app', digest: DIGEST_B }],
    expected: {
      text: yaml(
        'images:',
        `- digest: ${DIGEST_B}`,
        '  name: app',
        '  newName: registry.local/app'
      ),
      edits: [
        expect.objectContaining({
          path: 'images[0].digest',
          line: 2,
          column: 11,
          before: '',
          after: DIGEST_B,
          previous: 'v1'
        }),
        expect.objectContaining({ path: 'images[0].newTag', before: 'v1', after: '' })
      ]
    }
  },
  {
    name: 'tag and digest set both',
    text: yaml('images:', '- name: app', `  digest: ${DIGEST_A}`, '  newTag: v1'),
    updates: [{ image: 'app', tag: 'v2', digest: DIGEST_B }],
    expected: {
      text: yaml('images:', '- name: app', `  digest: ${DIGEST_B}`, '  newTag: v2'),
      edits: [
        expect.objectContaining({ path: 'images[0].digest' }),
        expect.objectContaining({ path: 'images[0].newTag' })
      ]
    }
  },
  {
    name: 'an entry without newTag gets one in alphabetical place, indented as its keys',
    text: yaml(
      'images:',
      '  - name: redis',
      '    newName: public.ecr.aws/docker/library/redis',
      'other: 1'
    ),
    updates: [{ image: 'redis', tag: '7.4' }],
    expected: {
      text: yaml(
        'images:',
        '  - name: redis',
        '    newName: public.ecr.aws/docker/library/redis',
        '    newTag: "7.4"',
        'other: 1'
      ),
      edits: [
        expect.objectContaining({ path: 'images[0].newTag', line: 4, column: 13, after: '7.4' })
      ]
    }
  },
  ...['1.20', '0755', '1e3', 'true', 'yes', 'on', 'null', '~', '1234'].map(tag => ({
    name: `the tag ${tag} is quoted, since YAML would not read it as a string`,
    text: yaml('images:', '- name: app', '  newTag: v1'),
    updates: [{ image: 'app', tag }],
    expected: {
      text: yaml('images:', '- name: app', `  newTag: "${tag}"`),
      edits: [expect.anything()]
    }
  })),
  {
    name: 'a quoted 1.20 in place of a plain 1.2 (YAML would read both as numbers)',
    text: yaml('images:', '- name: app', '  newTag: 1.2'),
    updates: [{ image: 'app', tag: '1.20' }],
    expected: {
      text: yaml('images:', '- name: app', '  newTag: "1.20"'),
      edits: [expect.objectContaining({ before: '1.2', after: '1.20', previous: '1.2' })]
    }
  },
  {
    name: 'names match after docker.io normalisation',
    text: yaml('images:', '- name: docker.io/library/nginx', '  newTag: "1.25"'),
    updates: [{ image: 'nginx', tag: '1.27' }],
    expected: {
      text: yaml('images:', '- name: docker.io/library/nginx', '  newTag: "1.27"'),
      edits: [expect.anything()]
    }
  },
  {
    name: 'a missing entry is appended in the list style (indented dash)',
    text: yaml(
      'images:',
      '  - name: zed',
      '    newTag: v1',
      '  - name: api',
      '    newTag: v1',
      'patches: []'
    ),
    updates: [{ image: 'ghcr.io/acme/web', tag: '1234' }],
    createMissing: true,
    expected: {
      text: yaml(
        'images:',
        '  - name: zed',
        '    newTag: v1',
        '  - name: api',
        '    newTag: v1',
        '  - name: ghcr.io/acme/web',
        '    newTag: "1234"',
        'patches: []'
      ),
      edits: [
        {
          image: 'ghcr.io/acme/web',
          path: 'images[2].newTag',
          line: 7,
          column: 13,
          before: '',
          after: '1234',
          previous: ''
        }
      ]
    }
  },
  {
    name: 'a missing entry goes to its sorted place in a sorted list, keys alphabetical',
    text: yaml('images:', '- name: alpha', '  newTag: v1', '- name: zulu', '  newTag: v1'),
    updates: [{ image: 'mike', tag: 'v2', digest: DIGEST_B }],
    createMissing: true,
    expected: {
      text: yaml(
        'images:',
        '- name: alpha',
        '  newTag: v1',
        `- digest: ${DIGEST_B}`,
        '  name: mike',
        '  newTag: v2',
        '- name: zulu',
        '  newTag: v1'
      ),
      edits: [
        expect.objectContaining({ path: 'images[1].digest', line: 4, column: 11 }),
        expect.objectContaining({ path: 'images[1].newTag', line: 6, column: 11 })
      ]
    }
  },
  {
    name: 'no images key: created at the end of the root map, CRLF and no final newline kept',
    text: 'resources:\r\n- a.yaml\r\n# trailing comment',
    updates: [{ image: 'app', tag: 'v2' }],
    createMissing: true,
    expected: {
      text: 'resources:\r\n- a.yaml\r\nimages:\r\n- name: app\r\n  newTag: v2\r\n# trailing comment',
      edits: [expect.objectContaining({ path: 'images[0].newTag', line: 5, column: 11 })]
    }
  },
  {
    name: 'no images key in a file ending without newline',
    text: 'resources:\n- a.yaml',
    updates: [{ image: 'app', tag: 'v2' }],
    createMissing: true,
    expected: {
      text: 'resources:\n- a.yaml\nimages:\n- name: app\n  newTag: v2',
      edits: [expect.anything()]
    }
  },
  {
    name: 'an empty file gets an images list',
    text: '',
    updates: [{ image: 'app', tag: 'v2' }],
    createMissing: true,
    expected: { text: 'images:\n- name: app\n  newTag: v2\n', edits: [expect.anything()] }
  },
  {
    name: '`images:` with no value gets entries under it',
    text: yaml('images: # none yet', 'resources: []'),
    updates: [{ image: 'app', tag: 'v2' }],
    createMissing: true,
    expected: {
      text: yaml('images: # none yet', '- name: app', '  newTag: v2', 'resources: []'),
      edits: [expect.anything()]
    }
  },
  {
    name: '`images: []` becomes a block list',
    text: yaml('images: []', 'resources: []'),
    updates: [{ image: 'app', tag: 'v2' }],
    createMissing: true,
    expected: {
      text: yaml('images:', '- name: app', '  newTag: v2', 'resources: []'),
      edits: [expect.anything()]
    }
  },
  {
    name: 'tabs and non-ASCII in comments, CRLF lines, a key added after them',
    text: '# Größe ✓\tnote\r\nimages:\r\n- name: app # 日本\t\r\n  newName: reg/app\r\n',
    updates: [{ image: 'app', tag: 'v2' }],
    expected: {
      text: '# Größe ✓\tnote\r\nimages:\r\n- name: app # 日本\t\r\n  newName: reg/app\r\n  newTag: v2\r\n',
      edits: [expect.objectContaining({ path: 'images[0].newTag', line: 5, column: 11 })]
    }
  },
  {
    name: 'a BOM stays in front',
    text: `\uFEFF${yaml('images:', '- name: app', '  newTag: v1')}`,
    updates: [{ image: 'app', tag: 'v2' }],
    expected: {
      text: `\uFEFF${yaml('images:', '- name: app', '  newTag: v2')}`,
      edits: [expect.anything()]
    }
  },
  {
    name: 'a flow entry: values are replaced in place',
    text: yaml('images:', '- {name: app, newTag: v1}'),
    updates: [{ image: 'app', tag: 'v2' }],
    expected: { text: yaml('images:', '- {name: app, newTag: v2}'), edits: [expect.anything()] }
  },
  {
    name: 'the desired state already there: same text, no edits',
    text: yaml('images:', '- name: app', '  newTag: v2'),
    updates: [{ image: 'app', tag: 'v2' }],
    expected: { text: yaml('images:', '- name: app', '  newTag: v2'), edits: [] }
  },
  {
    name: 'several updates: a missing one is ignored when another matches',
    text: yaml('images:', '- name: app', '  newTag: v1'),
    updates: [
      { image: 'other', tag: 'v9' },
      { image: 'app', tag: 'v2' }
    ],
    expected: { text: yaml('images:', '- name: app', '  newTag: v2'), edits: [expect.anything()] }
  },
  {
    name: 'not found without create-missing: the error lists the entries',
    text: yaml('images:', '- name: app', '  newTag: v1', '- name: web'),
    updates: [{ image: 'api', tag: 'v2' }],
    expected: {
      error: {
        code: 'IMAGE_NOT_FOUND',
        message:
          'No images entry is named "api"; the kustomization has images entries "app", "web"',
        line: undefined,
        column: undefined
      }
    }
  },
  {
    name: 'a flow entry cannot lose its digest key in place',
    text: yaml('images:', `- {name: app, newTag: v1, digest: "${DIGEST_A}"}`),
    updates: [{ image: 'app', tag: 'v2' }],
    expected: { error: expect.objectContaining({ code: 'UNSUPPORTED_FILE', line: 2, column: 3 }) }
  },
  {
    name: 'images that is not a list',
    text: yaml('images:', '  app: v1'),
    updates: [{ image: 'app', tag: 'v2' }],
    expected: {
      error: {
        code: 'UNSUPPORTED_FILE',
        message: '`images:` at line 2 is not a list',
        line: 2,
        column: 3
      }
    }
  },
  {
    name: 'a parse error gives line and column',
    text: yaml('images:', '- name: app', '  newTag: v1', '  newTag: v2'),
    updates: [{ image: 'app', tag: 'v3' }],
    expected: {
      error: {
        code: 'PARSE_ERROR',
        message: 'YAML syntax error at line 4, column 3: Map keys must be unique',
        line: 4,
        column: 3
      }
    }
  }
]

describe('editKustomize', () => {
  it.each(editCases)('$name', ({ text, updates, createMissing, expected }) => {
    const result = editKustomize(text, updates, { createMissing: createMissing ?? false })
    expect(outcome(result)).toEqual(expected)
  })
})

interface ReadCase {
  name: string
  text: string
  image: string
  expected: unknown
}

const readCases: ReadCase[] = [
  {
    name: 'newTag',
    text: yaml('images:', '- name: app', '  newName: reg/app', '  newTag: "1.20"'),
    image: 'app',
    expected: { current: { image: 'app', tag: '1.20' } }
  },
  {
    name: 'newTag and digest',
    text: yaml('images:', '- name: app', `  digest: ${DIGEST_A}`, '  newTag: v1'),
    image: 'app',
    expected: { current: { image: 'app', tag: 'v1', digest: DIGEST_A } }
  },
  {
    name: 'an entry with neither',
    text: yaml('images:', '- name: app', '  newName: reg/app'),
    image: 'app',
    expected: {
      error: {
        code: 'KEY_NOT_FOUND',
        message:
          'The images entry "app" sets neither newTag nor digest, so it holds no version of "app" to copy',
        line: undefined,
        column: undefined
      }
    }
  },
  {
    name: 'no entry',
    text: yaml('resources: []'),
    image: 'app',
    expected: {
      error: {
        code: 'IMAGE_NOT_FOUND',
        message: 'No images entry is named "app"; the kustomization has no images entries',
        line: undefined,
        column: undefined
      }
    }
  }
]

describe('readKustomize', () => {
  it.each(readCases)('$name', ({ text, image, expected }) => {
    expect(outcome(readKustomize(text, image, { createMissing: false }))).toEqual(expected)
  })
})
