/**
 * Argo CD parameter-override files (.argocd-source-<app>.yaml) as argocd-image-updater writes
 * them: kustomize.images strings and helm.parameters. Each case asserts the whole new text and
 * the edits, or the error.
 */
import { describe, expect, it } from '@jest/globals'
import { editArgocdSource, readArgocdSource } from '../../../src/edit/argocd-source.js'
import type { EditOptions, EditResult, ImageUpdate } from '../../../src/edit/types.js'
import { readSummary, type ReadCase } from '../../support/read-cases.js'

const APP = 'ghcr.io/acme/app'
const DIGEST = `sha256:${'a'.repeat(64)}`
const OLD_DIGEST = `sha256:${'b'.repeat(64)}`
const AUTO: EditOptions = { createMissing: false }
const CREATE: EditOptions = { createMissing: true }
const keyed = (key: string, createMissing = false): EditOptions => ({ key, createMissing })

function summary(result: EditResult): unknown {
  if (!result.ok) return { error: result.error.code, message: result.error.message }
  return {
    text: result.text,
    edits: result.edits.map(e => ({
      at: `${e.path}@${e.line}:${e.column}`,
      before: e.before,
      after: e.after,
      previous: e.previous,
      image: e.image
    }))
  }
}

const helmFile = (tag: string, extra = ''): string =>
  `helm:\n  parameters:\n  - name: image.name\n    value: ghcr.io/acme/app\n    forcestring: true\n  - name: image.tag\n    value: ${tag}\n    forcestring: true\n${extra}`

interface Case {
  readonly name: string
  readonly text: string
  readonly updates?: ImageUpdate[]
  readonly options?: EditOptions
  readonly expected: unknown
}

const cases: Case[] = [
  {
    name: 'kustomize.images: the entry named like the image gets the tag',
    text: 'kustomize:\n  images:\n  - nginx:1.27\n  - ghcr.io/acme/app:1.0.0\n',
    expected: {
      text: 'kustomize:\n  images:\n  - nginx:1.27\n  - ghcr.io/acme/app:1.1.0\n',
      edits: [
        {
          at: 'kustomize.images[1]@4:5',
          before: `${APP}:1.0.0`,
          after: `${APP}:1.1.0`,
          previous: '1.0.0',
          image: APP
        }
      ]
    }
  },
  {
    name: 'kustomize.images: `name=newName:tag` is found by newName; the name part stays',
    text: 'kustomize:\n  images:\n  - "acme/app=ghcr.io/acme/app:1.0.0"\n',
    expected: {
      text: 'kustomize:\n  images:\n  - "acme/app=ghcr.io/acme/app:1.1.0"\n',
      edits: [
        {
          at: 'kustomize.images[0]@3:5',
          before: `acme/app=${APP}:1.0.0`,
          after: `acme/app=${APP}:1.1.0`,
          previous: '1.0.0',
          image: APP
        }
      ]
    }
  },
  {
    name: 'kustomize.images: found by name, the newName keeps its own tag slot',
    text:
      'kustomize:\n  images:\n  - ghcr.io/acme/app=registry.local/app@sha256:' +
      'b'.repeat(64) +
      '\n',
    expected: {
      text: 'kustomize:\n  images:\n  - ghcr.io/acme/app=registry.local/app:1.1.0\n',
      edits: [
        {
          at: 'kustomize.images[0]@3:5',
          before: `${APP}=registry.local/app@${OLD_DIGEST}`,
          after: `${APP}=registry.local/app:1.1.0`,
          previous: OLD_DIGEST,
          image: APP
        }
      ]
    }
  },
  {
    name: 'kustomize.images: a digest alone removes the tag; an entry without tag gets one',
    text: "kustomize:\n  images: ['ghcr.io/acme/app:1.0.0', ghcr.io/acme/web]\n",
    updates: [
      { image: APP, digest: DIGEST },
      { image: 'ghcr.io/acme/web', tag: '2' }
    ],
    expected: {
      text: `kustomize:\n  images: ['ghcr.io/acme/app@${DIGEST}', ghcr.io/acme/web:2]\n`,
      edits: [
        {
          at: 'kustomize.images[0]@2:12',
          before: `${APP}:1.0.0`,
          after: `${APP}@${DIGEST}`,
          previous: '1.0.0',
          image: APP
        },
        {
          at: 'kustomize.images[1]@2:104',
          before: 'ghcr.io/acme/web',
          after: 'ghcr.io/acme/web:2',
          previous: '',
          image: 'ghcr.io/acme/web'
        }
      ]
    }
  },
  {
    name: 'a leading --- stays',
    text: '---\nkustomize:\n  images:\n  - ghcr.io/acme/app:1.0.0\n',
    expected: {
      text: '---\nkustomize:\n  images:\n  - ghcr.io/acme/app:1.1.0\n',
      edits: [
        {
          at: 'kustomize.images[0]@4:5',
          before: `${APP}:1.0.0`,
          after: `${APP}:1.1.0`,
          previous: '1.0.0',
          image: APP
        }
      ]
    }
  },
  {
    name: 'create-missing appends an entry where the list has its dashes',
    text: 'kustomize:\n  images:\n    - nginx:1.27 # pinned\n',
    options: CREATE,
    expected: {
      text: 'kustomize:\n  images:\n    - nginx:1.27 # pinned\n    - ghcr.io/acme/app:1.1.0\n',
      edits: [
        {
          at: 'kustomize.images[1]@4:7',
          before: '',
          after: `${APP}:1.1.0`,
          previous: '',
          image: APP
        }
      ]
    }
  },
  {
    name: 'create-missing creates kustomize.images in an empty file, one entry per image',
    text: '',
    updates: [
      { image: APP, tag: '1.1.0' },
      { image: 'ghcr.io/acme/web', tag: '2', digest: DIGEST }
    ],
    options: CREATE,
    expected: {
      text: `kustomize:\n  images:\n  - ghcr.io/acme/app:1.1.0\n  - ghcr.io/acme/web:2@${DIGEST}\n`,
      edits: [
        {
          at: 'kustomize.images[0]@3:5',
          before: '',
          after: `${APP}:1.1.0`,
          previous: '',
          image: APP
        },
        {
          at: 'kustomize.images[1]@4:5',
          before: '',
          after: `ghcr.io/acme/web:2@${DIGEST}`,
          previous: '',
          image: 'ghcr.io/acme/web'
        }
      ]
    }
  },
  {
    name: 'without create-missing an unknown image is IMAGE_NOT_FOUND naming the file`s images',
    text: 'kustomize:\n  images:\n  - nginx:1.27\n  - acme/x=ghcr.io/acme/x:1\n',
    expected: {
      error: 'IMAGE_NOT_FOUND',
      message:
        'No kustomize image or Helm image parameter for "ghcr.io/acme/app" found; the file sets "nginx", "acme/x"'
    }
  },
  {
    name: 'helm.parameters: image.tag of the image named by image.name; quotes kept',
    text: helmFile('"1.0"'),
    updates: [{ image: APP, tag: '1.1' }],
    expected: {
      text: helmFile('"1.1"'),
      edits: [
        {
          at: 'helm.parameters[1].value@7:12',
          before: '1.0',
          after: '1.1',
          previous: '1.0',
          image: APP
        }
      ]
    }
  },
  {
    name: 'helm.parameters: a plain value that would read as a number is quoted',
    text: helmFile('v1'),
    updates: [{ image: APP, tag: '1.20' }],
    expected: {
      text: helmFile('"1.20"'),
      edits: [
        {
          at: 'helm.parameters[1].value@7:12',
          before: 'v1',
          after: '1.20',
          previous: 'v1',
          image: APP
        }
      ]
    }
  },
  {
    name: 'helm.parameters: tag and digest without a digest parameter give tag@digest, as the updater writes',
    text: helmFile('1.0.0'),
    updates: [{ image: APP, tag: '1.1.0', digest: DIGEST }],
    expected: {
      text: helmFile(`1.1.0@${DIGEST}`),
      edits: [
        {
          at: 'helm.parameters[1].value@7:12',
          before: '1.0.0',
          after: `1.1.0@${DIGEST}`,
          previous: '1.0.0',
          image: APP
        }
      ]
    }
  },
  {
    name: 'helm.parameters: a digest parameter gets the digest; a new tag alone empties it',
    text: helmFile('1.0.0', `  - name: image.digest\n    value: ${OLD_DIGEST}\n`),
    expected: {
      text: helmFile('1.1.0', '  - name: image.digest\n    value: ""\n'),
      edits: [
        {
          at: 'helm.parameters[1].value@7:12',
          before: '1.0.0',
          after: '1.1.0',
          previous: '1.0.0',
          image: APP
        },
        {
          at: 'helm.parameters[2].value@10:12',
          before: OLD_DIGEST,
          after: '',
          previous: '1.0.0',
          image: APP
        }
      ]
    }
  },
  {
    name: 'helm.parameters: a digest alone without a digest parameter is refused',
    text: helmFile('1.0.0'),
    updates: [{ image: APP, digest: DIGEST }],
    expected: {
      error: 'UNSUPPORTED_FILE',
      message:
        'The Helm parameters of "ghcr.io/acme/app" have no "image.digest" parameter for a digest-only update (line 7)'
    }
  },
  {
    name: 'helm.parameters: a whole reference in one parameter (image-spec) is rewritten',
    text: 'helm:\n  parameters:\n  - {name: worker.imageSpec, value: "ghcr.io/acme/app:1.0.0", forcestring: true}\n',
    expected: {
      text: 'helm:\n  parameters:\n  - {name: worker.imageSpec, value: "ghcr.io/acme/app:1.1.0", forcestring: true}\n',
      edits: [
        {
          at: 'helm.parameters[0].value@3:37',
          before: `${APP}:1.0.0`,
          after: `${APP}:1.1.0`,
          previous: '1.0.0',
          image: APP
        }
      ]
    }
  },
  {
    name: 'helm.parameters: create-missing appends the tag parameter of a named image',
    text: 'helm:\n  parameters:\n  - name: image.name\n    value: ghcr.io/acme/app\n',
    options: CREATE,
    expected: {
      text: 'helm:\n  parameters:\n  - name: image.name\n    value: ghcr.io/acme/app\n  - name: image.tag\n    value: 1.1.0\n    forcestring: true\n',
      edits: [
        {
          at: 'helm.parameters[1].value@6:12',
          before: '',
          after: '1.1.0',
          previous: '',
          image: APP
        }
      ]
    }
  },
  {
    name: 'key: a Helm parameter by name',
    text: helmFile('1.0.0'),
    options: keyed('image.tag'),
    expected: {
      text: helmFile('1.1.0'),
      edits: [
        {
          at: 'helm.parameters[1].value@7:12',
          before: '1.0.0',
          after: '1.1.0',
          previous: '1.0.0',
          image: APP
        }
      ]
    }
  },
  {
    name: 'key: a kustomize entry by its name',
    text: 'kustomize:\n  images:\n  - acme/app=registry.local/app:1.0.0\n',
    options: keyed('acme/app'),
    expected: {
      text: 'kustomize:\n  images:\n  - acme/app=registry.local/app:1.1.0\n',
      edits: [
        {
          at: 'kustomize.images[0]@3:5',
          before: 'acme/app=registry.local/app:1.0.0',
          after: 'acme/app=registry.local/app:1.1.0',
          previous: '1.0.0',
          image: APP
        }
      ]
    }
  },
  {
    name: 'key: create-missing in a kustomize file adds `key=image:tag`',
    text: 'kustomize:\n  images:\n  - nginx:1.27\n',
    options: keyed('acme/app', true),
    expected: {
      text: 'kustomize:\n  images:\n  - nginx:1.27\n  - acme/app=ghcr.io/acme/app:1.1.0\n',
      edits: [
        {
          at: 'kustomize.images[1]@4:5',
          before: '',
          after: `acme/app=${APP}:1.1.0`,
          previous: '',
          image: APP
        }
      ]
    }
  },
  {
    name: 'key: create-missing in a Helm file adds the parameter',
    text: 'helm:\n  parameters: []\n',
    options: keyed('server.image.tag', true),
    expected: {
      text: 'helm:\n  parameters: [{name: server.image.tag, value: 1.1.0, forcestring: true}]\n',
      edits: [
        {
          at: 'helm.parameters[0].value@2:48',
          before: '',
          after: '1.1.0',
          previous: '',
          image: APP
        }
      ]
    }
  },
  {
    name: 'key: missing without create-missing names what the file has',
    text: helmFile('1.0.0'),
    options: keyed('server.image.tag'),
    expected: {
      error: 'KEY_NOT_FOUND',
      message:
        'No Helm parameter or kustomize image named "server.image.tag" found (parameters "image.name", "image.tag")'
    }
  },
  {
    name: 'key: a tag parameter of another image is refused',
    text: helmFile('1.0.0').replace('ghcr.io/acme/app', 'nginx'),
    options: keyed('image.tag'),
    expected: {
      error: 'IMAGE_NOT_FOUND',
      message: 'The Helm parameter "image.tag" (line 7) is for "nginx", not for "ghcr.io/acme/app"'
    }
  },
  {
    name: 'a file that is not a map is refused',
    text: '- a\n',
    expected: {
      error: 'UNSUPPORTED_FILE',
      message: 'The Argo CD source file is not a map with `kustomize` or `helm`'
    }
  }
]

describe('editArgocdSource', () => {
  it.each(cases)('$name', ({ text, updates, options, expected }) => {
    expect(
      summary(editArgocdSource(text, updates ?? [{ image: APP, tag: '1.1.0' }], options ?? AUTO))
    ).toEqual(expected)
  })
})

const readCases: ReadCase[] = [
  {
    name: 'a kustomize entry',
    text: `kustomize:\n  images:\n  - acme/app=ghcr.io/acme/app:1.0.0@${DIGEST}\n`,
    expected: { image: APP, tag: '1.0.0', digest: DIGEST }
  },
  {
    name: 'helm parameters with tag@digest',
    text: helmFile(`1.0.0@${DIGEST}`),
    expected: { image: APP, tag: '1.0.0', digest: DIGEST }
  },
  {
    name: 'a helm parameter by key',
    text: helmFile('"2.0"'),
    options: keyed('image.tag'),
    expected: { image: APP, tag: '2.0' }
  },
  {
    name: 'an absent image',
    text: 'kustomize:\n  images: [nginx]\n',
    expected: { error: 'IMAGE_NOT_FOUND' }
  }
]

describe('readArgocdSource', () => {
  it.each(readCases)('$name', ({ text, options, expected }) => {
    expect(readSummary(readArgocdSource(text, APP, options ?? AUTO))).toEqual(expected)
  })
})
