import { describe, expect, it } from '@jest/globals'
import {
  editWorkload,
  readWorkload,
  type WorkloadUpdate
} from '../../../src/edit/workload-images.js'
import type { EditResult, ReadResult } from '../../../src/edit/types.js'

const OPTIONS = { createMissing: false }
const DIGEST_A = `sha256:${'a'.repeat(64)}`
const DIGEST_B = `sha256:${'b'.repeat(64)}`

/** Lines joined with LF and a final newline. */
const yaml = (...lines: string[]): string => `${lines.join('\n')}\n`

const deployment = (image: string, extra = ''): string =>
  yaml(
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: api',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '        - name: api',
    `          image: ${image}${extra}`,
    '        - name: sidecar',
    '          image: envoyproxy/envoy:v1.30'
  )

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
  updates: WorkloadUpdate[]
  expected: unknown
}

const API = 'ghcr.io/acme/api'

const editCases: EditCase[] = [
  {
    name: 'replaces the tag of the matching container only',
    text: deployment(`${API}:1.0.0`),
    updates: [{ image: API, tag: '1.1.0' }],
    expected: {
      text: deployment(`${API}:1.1.0`),
      edits: [
        {
          image: API,
          path: 'spec.template.spec.containers[0].image',
          line: 10,
          column: 18,
          before: `${API}:1.0.0`,
          after: `${API}:1.1.0`,
          previous: '1.0.0'
        }
      ]
    }
  },
  {
    name: 'a new tag drops an old digest',
    text: deployment(`${API}:1.0.0@${DIGEST_A}`),
    updates: [{ image: API, tag: '1.1.0' }],
    expected: {
      text: deployment(`${API}:1.1.0`),
      edits: [expect.objectContaining({ after: `${API}:1.1.0`, previous: '1.0.0' })]
    }
  },
  {
    name: 'tag and digest give name:tag@digest',
    text: deployment(`${API}:1.0.0@${DIGEST_A}`),
    updates: [{ image: API, tag: '1.1.0', digest: DIGEST_B }],
    expected: {
      text: deployment(`${API}:1.1.0@${DIGEST_B}`),
      edits: [expect.objectContaining({ after: `${API}:1.1.0@${DIGEST_B}` })]
    }
  },
  {
    name: 'a digest alone removes the tag',
    text: deployment(`${API}:1.0.0`),
    updates: [{ image: API, digest: DIGEST_B }],
    expected: {
      text: deployment(`${API}@${DIGEST_B}`),
      edits: [expect.objectContaining({ after: `${API}@${DIGEST_B}`, previous: '1.0.0' })]
    }
  },
  {
    name: 'previous is the digest when the reference had no tag',
    text: deployment(`${API}@${DIGEST_A}`),
    updates: [{ image: API, tag: '2' }],
    expected: {
      text: deployment(`${API}:2`),
      edits: [expect.objectContaining({ previous: DIGEST_A })]
    }
  },
  {
    name: 'a reference without a tag gets :tag appended as written (no registry added)',
    text: deployment('nginx'),
    updates: [{ image: 'docker.io/library/nginx', tag: '1.27' }],
    expected: {
      text: deployment('nginx:1.27'),
      edits: [
        expect.objectContaining({ image: 'docker.io/library/nginx', before: 'nginx', previous: '' })
      ]
    }
  },
  {
    name: 'docker.io spellings match each other; the written name is kept',
    text: deployment('docker.io/library/nginx:1.25'),
    updates: [{ image: 'nginx', tag: '1.27' }],
    expected: { text: deployment('docker.io/library/nginx:1.27'), edits: [expect.anything()] }
  },
  {
    name: 'a registry port is not a tag',
    text: deployment('localhost:5000/api'),
    updates: [{ image: 'localhost:5000/api', tag: 'v2' }],
    expected: { text: deployment('localhost:5000/api:v2'), edits: [expect.anything()] }
  },
  {
    name: 'double quotes are kept',
    text: deployment(`"${API}:1.0.0"`),
    updates: [{ image: API, tag: '1.1.0' }],
    expected: {
      text: deployment(`"${API}:1.1.0"`),
      edits: [expect.objectContaining({ column: 18 })]
    }
  },
  {
    name: 'single quotes are kept',
    text: deployment(`'${API}:1.0.0'`),
    updates: [{ image: API, tag: '1.1.0' }],
    expected: { text: deployment(`'${API}:1.1.0'`), edits: [expect.anything()] }
  },
  {
    name: 'a Flux setter comment on the same line is kept',
    text: deployment(`${API}:1.0.0`, ' # {"$imagepolicy": "flux-system:api"}'),
    updates: [{ image: API, tag: '1.1.0' }],
    expected: {
      text: deployment(`${API}:1.1.0`, ' # {"$imagepolicy": "flux-system:api"}'),
      edits: [expect.anything()]
    }
  },
  {
    name: 'CRLF line endings stay',
    text: deployment(`${API}:1.0.0`).replace(/\n/g, '\r\n'),
    updates: [{ image: API, tag: '1.1.0' }],
    expected: {
      text: deployment(`${API}:1.1.0`).replace(/\n/g, '\r\n'),
      edits: [expect.objectContaining({ line: 10, column: 18 })]
    }
  },
  {
    name: 'a BOM stays',
    text: `\uFEFF${deployment(`${API}:1.0.0`)}`,
    updates: [{ image: API, tag: '1.1.0' }],
    expected: { text: `\uFEFF${deployment(`${API}:1.1.0`)}`, edits: [expect.anything()] }
  },
  {
    name: 'a missing final newline stays missing',
    text: deployment(`${API}:1.0.0`).trimEnd(),
    updates: [{ image: API, tag: '1.1.0' }],
    expected: { text: deployment(`${API}:1.1.0`).trimEnd(), edits: [expect.anything()] }
  },
  {
    name: 'tabs and non-ASCII in comments do not shift the edit',
    text: yaml(
      '# Größe:\tÄnderung ✓ 日本',
      'kind: Pod',
      'spec:',
      '  containers:',
      `  - image: ${API}:1 # ünïcode\t`
    ),
    updates: [{ image: API, tag: '2' }],
    expected: {
      text: yaml(
        '# Größe:\tÄnderung ✓ 日本',
        'kind: Pod',
        'spec:',
        '  containers:',
        `  - image: ${API}:2 # ünïcode\t`
      ),
      edits: [expect.objectContaining({ path: 'spec.containers[0].image', line: 5, column: 12 })]
    }
  },
  {
    name: 'an anchored image reached through aliases is edited once, at the anchor',
    text: yaml(
      'kind: Pod',
      'spec:',
      '  containers:',
      `  - {name: a, image: &img ${API}:1}`,
      '  - {name: b, image: *img}',
      '  initContainers:',
      '  - {name: c, image: *img}'
    ),
    updates: [{ image: API, tag: '2' }],
    expected: {
      text: yaml(
        'kind: Pod',
        'spec:',
        '  containers:',
        `  - {name: a, image: &img ${API}:2}`,
        '  - {name: b, image: *img}',
        '  initContainers:',
        '  - {name: c, image: *img}'
      ),
      edits: [expect.objectContaining({ path: 'spec.containers[0].image', line: 4, column: 27 })]
    }
  },
  {
    name: 'an anchor that aliases also use outside images is not edited behind their back',
    text: yaml(
      'kind: Pod',
      'metadata:',
      '  name: &app nginx',
      'spec:',
      '  containers:',
      '  - name: *app',
      '    image: *app'
    ),
    updates: [{ image: 'nginx', tag: '1.27' }],
    expected: {
      error: {
        code: 'UNSUPPORTED_FILE',
        message:
          'spec.containers[0].image is an alias of &app (line 3), which aliases elsewhere in the file also use for values that are not images; changing it would change those too',
        line: 3,
        column: 14
      }
    }
  },
  {
    name: 'an aliased container list and a << merge key are followed',
    text: yaml(
      'x-base: &base',
      `  image: ${API}:1`,
      'x-list: &list',
      '- name: a',
      '  image: redis:7',
      'kind: Pod',
      'spec:',
      '  containers: *list',
      '  initContainers:',
      '  - <<: *base',
      '    name: init'
    ),
    updates: [
      { image: API, tag: '2' },
      { image: 'redis', tag: '7.2' }
    ],
    expected: {
      text: yaml(
        'x-base: &base',
        `  image: ${API}:2`,
        'x-list: &list',
        '- name: a',
        '  image: redis:7.2',
        'kind: Pod',
        'spec:',
        '  containers: *list',
        '  initContainers:',
        '  - <<: *base',
        '    name: init'
      ),
      edits: [
        expect.objectContaining({ path: 'spec.containers[0].image', after: 'redis:7.2' }),
        expect.objectContaining({ path: 'spec.initContainers[0].image', after: `${API}:2` })
      ]
    }
  },
  {
    name: 'every document and every container list at any depth (CronJob, ephemeral, CRD)',
    text: yaml(
      '---',
      'kind: CronJob',
      'spec:',
      '  jobTemplate:',
      '    spec:',
      '      template:',
      '        spec:',
      '          initContainers:',
      `          - image: ${API}:1`,
      '---',
      'kind: Pod',
      'spec:',
      '  ephemeralContainers:',
      `  - image: ${API}:1`,
      '---',
      'kind: Widget',
      'spec:',
      '  workers:',
      '    containers:',
      `    - image: ${API}:1`,
      '  image: not-a-container/image:1'
    ),
    updates: [{ image: API, tag: '2' }],
    expected: {
      text: yaml(
        '---',
        'kind: CronJob',
        'spec:',
        '  jobTemplate:',
        '    spec:',
        '      template:',
        '        spec:',
        '          initContainers:',
        `          - image: ${API}:2`,
        '---',
        'kind: Pod',
        'spec:',
        '  ephemeralContainers:',
        `  - image: ${API}:2`,
        '---',
        'kind: Widget',
        'spec:',
        '  workers:',
        '    containers:',
        `    - image: ${API}:2`,
        '  image: not-a-container/image:1'
      ),
      edits: [
        expect.objectContaining({
          path: 'spec.jobTemplate.spec.template.spec.initContainers[0].image',
          line: 9
        }),
        expect.objectContaining({ path: 'spec.ephemeralContainers[0].image', line: 14 }),
        expect.objectContaining({ path: 'spec.workers.containers[0].image', line: 20 })
      ]
    }
  },
  {
    name: 'two images on one flow line are both located in the new text',
    text: yaml('kind: Pod', 'spec: {containers: [{image: a/x:1}, {image: a/x:1-b}]}'),
    updates: [{ image: 'a/x', tag: '22' }],
    expected: {
      text: yaml('kind: Pod', 'spec: {containers: [{image: a/x:22}, {image: a/x:22}]}'),
      edits: [expect.objectContaining({ column: 29 }), expect.objectContaining({ column: 46 })]
    }
  },
  {
    name: 'several updates: each applies to its own image; an update with no match is fine',
    text: deployment(`${API}:1`),
    updates: [
      { image: 'envoyproxy/envoy', tag: 'v1.31' },
      { image: 'ghcr.io/acme/web', tag: '9' }
    ],
    expected: {
      text: deployment(`${API}:1`).replace('envoy:v1.30', 'envoy:v1.31'),
      edits: [
        expect.objectContaining({
          image: 'envoyproxy/envoy',
          path: 'spec.template.spec.containers[1].image'
        })
      ]
    }
  },
  {
    name: 'the desired state already there: same text, no edits',
    text: deployment(`${API}:1.1.0`),
    updates: [{ image: API, tag: '1.1.0' }],
    expected: { text: deployment(`${API}:1.1.0`), edits: [] }
  },
  {
    name: 'newName (kustomize rules) renames and keeps tag and digest when none is given',
    text: deployment(`nginx:1.2@${DIGEST_A}`),
    updates: [{ image: 'nginx', newName: 'registry.local/nginx' }],
    expected: {
      text: deployment(`registry.local/nginx:1.2@${DIGEST_A}`),
      edits: [expect.anything()]
    }
  },
  {
    name: 'image not found: the error lists the images the file references',
    text: deployment(`${API}:1`),
    updates: [{ image: 'ghcr.io/acme/web', tag: '2' }],
    expected: {
      error: {
        code: 'IMAGE_NOT_FOUND',
        message: `No container image of "ghcr.io/acme/web" found; the file references "${API}:1", "envoyproxy/envoy:v1.30"`,
        line: undefined,
        column: undefined
      }
    }
  },
  {
    name: 'a file without container images says so',
    text: yaml('apiVersion: v1', 'kind: Service', 'spec:', '  image: a/b:1'),
    updates: [{ image: 'a/b', tag: '2' }],
    expected: {
      error: {
        code: 'IMAGE_NOT_FOUND',
        message:
          'No container image of "a/b" found: the file has no `image` under containers, initContainers or ephemeralContainers',
        line: undefined,
        column: undefined
      }
    }
  },
  {
    name: 'a parse error gives line and column',
    text: yaml('kind: Pod', 'spec:', '  containers:', '  - image: a/b:1', '    image: a/b:2'),
    updates: [{ image: 'a/b', tag: '2' }],
    expected: {
      error: {
        code: 'PARSE_ERROR',
        message: 'YAML syntax error at line 5, column 5: Map keys must be unique',
        line: 5,
        column: 5
      }
    }
  },
  {
    name: 'a block scalar image is refused with its position',
    text: yaml('kind: Pod', 'spec:', '  containers:', '  - image: |', '      a/b:1'),
    updates: [{ image: 'a/b', tag: '2' }],
    expected: {
      error: expect.objectContaining({ code: 'UNSUPPORTED_FILE', line: 4, column: 12 })
    }
  }
]

describe('editWorkload', () => {
  it.each(editCases)('$name', ({ text, updates, expected }) => {
    expect(outcome(editWorkload(text, updates, OPTIONS))).toEqual(expected)
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
    name: 'the tag of the first reference',
    text: deployment(`${API}:1.0.0`),
    image: API,
    expected: { current: { image: API, tag: '1.0.0' } }
  },
  {
    name: 'tag and digest',
    text: deployment(`${API}:1.0.0@${DIGEST_A}`),
    image: API,
    expected: { current: { image: API, tag: '1.0.0', digest: DIGEST_A } }
  },
  {
    name: 'a digest alone',
    text: deployment(`${API}@${DIGEST_A}`),
    image: API,
    expected: { current: { image: API, digest: DIGEST_A } }
  },
  {
    name: 'when references disagree, the first one',
    text: yaml(
      'kind: Pod',
      'spec:',
      '  initContainers:',
      `  - image: ${API}:3`,
      '  containers:',
      `  - image: ${API}:4`
    ),
    image: API,
    expected: { current: { image: API, tag: '3' } }
  },
  {
    name: 'not found',
    text: deployment('nginx:1'),
    image: API,
    expected: {
      error: {
        code: 'IMAGE_NOT_FOUND',
        message: `No container image of "${API}" found; the file references "nginx:1", "envoyproxy/envoy:v1.30"`,
        line: undefined,
        column: undefined
      }
    }
  }
]

describe('readWorkload', () => {
  it.each(readCases)('$name', ({ text, image, expected }) => {
    expect(outcome(readWorkload(text, image, OPTIONS))).toEqual(expected)
  })
})
