import { describe, expect, it } from '@jest/globals'
import { detectFormat } from '../../../src/edit/detect-format.js'
import { planEdits, readCurrent, type Plan, type PlanInput } from '../../../src/edit/plan.js'
import type { FormatInput, ReadResult } from '../../../src/edit/types.js'

const yaml = (...lines: string[]): string => `${lines.join('\n')}\n`
const API = 'ghcr.io/acme/api'

const POD = yaml('apiVersion: v1', 'kind: Pod', 'spec:', '  containers:', `  - image: ${API}:1.0.0`)
const KUSTOMIZATION = yaml(
  'resources:',
  '- pod.yaml',
  'images:',
  `- name: ${API}`,
  '  newTag: 1.0.0'
)
const VALUES = yaml('image:', `  repository: ${API}`, '  tag: "1.0.0"')
const HELM_RELEASE = yaml(
  'apiVersion: helm.toolkit.fluxcd.io/v2',
  'kind: HelmRelease',
  'spec:',
  '  values:',
  '    image:',
  `      repository: ${API}`,
  '      tag: 1.0.0'
)
const ARGOCD_SOURCE = yaml('kustomize:', '  images:', `  - ${API}:1.0.0`)

interface DetectCase {
  name: string
  path: string
  text: string
  expected: string
}

const detectCases: DetectCase[] = [
  {
    name: 'kustomization.yaml',
    path: 'apps/dev/kustomization.yaml',
    text: KUSTOMIZATION,
    expected: 'kustomize'
  },
  { name: 'kustomization.yml', path: 'kustomization.yml', text: '', expected: 'kustomize' },
  { name: 'Kustomization', path: 'base/Kustomization', text: KUSTOMIZATION, expected: 'kustomize' },
  {
    name: 'a kustomize Component under another name',
    path: 'components/images.yaml',
    text: yaml('apiVersion: kustomize.config.k8s.io/v1alpha1', 'kind: Component', 'images: []'),
    expected: 'kustomize'
  },
  {
    name: '.argocd-source.yaml',
    path: 'apps/api/.argocd-source.yaml',
    text: ARGOCD_SOURCE,
    expected: 'argocd-source'
  },
  {
    name: '.argocd-source-<app>.yml',
    path: '.argocd-source-api.yml',
    text: ARGOCD_SOURCE,
    expected: 'argocd-source'
  },
  { name: 'a Pod', path: 'pod.yaml', text: POD, expected: 'workload' },
  {
    name: 'several documents, one with a comment after kind',
    path: 'all.yaml',
    text: yaml(
      '---',
      'apiVersion: v1 # core',
      "kind: 'Service'",
      '---',
      '"apiVersion": apps/v1',
      'kind: Deployment'
    ),
    expected: 'workload'
  },
  {
    name: 'a JSON manifest',
    path: 'pod.json',
    text: '{"apiVersion": "v1", "kind": "Pod", "spec": {}}',
    expected: 'workload'
  },
  {
    name: 'a Flux HelmRelease (images live in spec.values)',
    path: 'release.yaml',
    text: HELM_RELEASE,
    expected: 'helm'
  },
  { name: 'a values file', path: 'values.yaml', text: VALUES, expected: 'helm' },
  {
    name: 'nested kind/apiVersion are not top-level',
    path: 'values.yaml',
    text: yaml('controller:', '  kind: Deployment', '  apiVersion: x'),
    expected: 'helm'
  },
  { name: 'one bare scalar line', path: 'VERSION', text: '1.4.0\n', expected: 'tag-file' },
  {
    name: 'a bare tag with CRLF and a BOM',
    path: 'deploy/tag',
    text: '\uFEFFabc123\r\n',
    expected: 'tag-file'
  },
  {
    name: 'dotenv lines',
    path: 'deploy.env',
    text: '# tags\nIMAGE_TAG=abc123\nexport OTHER="x"\n',
    expected: 'tag-file'
  },
  { name: 'a one-line mapping is YAML', path: 'x.yaml', text: 'image: a/b:1\n', expected: 'helm' },
  { name: 'a lone comment is not a tag', path: 'x.yaml', text: '# nothing\n', expected: 'helm' }
]

describe('detectFormat', () => {
  it.each(detectCases)('$name → $expected', ({ path, text, expected }) => {
    expect(detectFormat(path, text)).toBe(expected)
  })
})

/** The whole plan, with texts instead of buffers. */
function summary(plan: Plan) {
  return {
    changes: plan.changes.map(c => ({
      path: c.path,
      format: c.format,
      before: c.before.toString('utf8'),
      after: c.after.toString('utf8'),
      edits: c.edits.map(e => `${e.path} ${e.before} → ${e.after} @${e.line}:${e.column}`)
    })),
    unchanged: plan.unchanged,
    errors: plan.errors.map(e => ({ code: e.code, file: e.file, message: e.message, line: e.line }))
  }
}

const file = (path: string, text: string | Buffer) => ({
  path,
  content: Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8')
})

type Summary = ReturnType<typeof summary>

/** A summary whose changes may also be matched partly (`expect.objectContaining`). */
interface PlanCase {
  name: string
  input: PlanInput
  expected: Omit<Summary, 'changes'> & { changes: readonly unknown[] }
}

const UPDATE = [{ image: API, tag: '1.1.0' }]

const planCases: PlanCase[] = [
  {
    name: 'each file goes to the editor of its detected format',
    input: {
      files: [
        file('pod.yaml', POD),
        file('overlays/dev/kustomization.yaml', KUSTOMIZATION),
        file('release.yaml', HELM_RELEASE),
        file('VERSION', '1.0.0\n'),
        file('.argocd-source-api.yaml', ARGOCD_SOURCE)
      ],
      updates: UPDATE,
      format: 'auto',
      options: {}
    },
    expected: {
      changes: [
        {
          path: 'pod.yaml',
          format: 'workload',
          before: POD,
          after: POD.replace(':1.0.0', ':1.1.0'),
          edits: [`spec.containers[0].image ${API}:1.0.0 → ${API}:1.1.0 @5:12`]
        },
        {
          path: 'overlays/dev/kustomization.yaml',
          format: 'kustomize',
          before: KUSTOMIZATION,
          after: KUSTOMIZATION.replace('1.0.0', '1.1.0'),
          edits: ['images[0].newTag 1.0.0 → 1.1.0 @5:11']
        },
        {
          path: 'release.yaml',
          format: 'helm',
          before: HELM_RELEASE,
          after: HELM_RELEASE.replace('1.0.0', '1.1.0'),
          edits: ['spec.values.image.tag 1.0.0 → 1.1.0 @7:12']
        },
        {
          path: 'VERSION',
          format: 'tag-file',
          before: '1.0.0\n',
          after: '1.1.0\n',
          edits: [' 1.0.0 → 1.1.0 @1:1']
        },
        {
          path: '.argocd-source-api.yaml',
          format: 'argocd-source',
          before: ARGOCD_SOURCE,
          after: ARGOCD_SOURCE.replace('1.0.0', '1.1.0'),
          edits: [expect.stringContaining(`${API}:1.0.0 → ${API}:1.1.0 @3:5`) as unknown as string]
        }
      ],
      unchanged: [],
      errors: []
    }
  },
  {
    name: 'a file already at the desired state is unchanged, not an error',
    input: {
      files: [file('pod.yaml', POD)],
      updates: [{ image: API, tag: '1.0.0' }],
      format: 'auto',
      options: {}
    },
    expected: { changes: [], unchanged: ['pod.yaml'], errors: [] }
  },
  {
    name: 'the format input overrides detection',
    input: {
      files: [file('kustomization.yaml', POD)],
      updates: UPDATE,
      format: 'workload',
      options: {}
    },
    expected: {
      changes: [
        expect.objectContaining({
          path: 'kustomization.yaml',
          format: 'workload',
          after: POD.replace(':1.0.0', ':1.1.0')
        })
      ],
      unchanged: [],
      errors: []
    }
  },
  {
    name: 'create-missing defaults to on for kustomize',
    input: {
      files: [file('kustomization.yaml', 'resources: []\n')],
      updates: UPDATE,
      format: 'auto',
      options: {}
    },
    expected: {
      changes: [
        expect.objectContaining({
          after: `resources: []\nimages:\n- name: ${API}\n  newTag: 1.1.0\n`
        })
      ],
      unchanged: [],
      errors: []
    }
  },
  {
    name: 'create-missing set to false is honoured for kustomize',
    input: {
      files: [file('kustomization.yaml', 'resources: []\n')],
      updates: UPDATE,
      format: 'auto',
      options: { createMissing: false }
    },
    expected: {
      changes: [],
      unchanged: [],
      errors: [
        {
          code: 'IMAGE_NOT_FOUND',
          file: 'kustomization.yaml',
          message: `No images entry is named "${API}"; the kustomization has no images entries`,
          line: undefined
        }
      ]
    }
  },
  {
    name: 'every failing file is reported, each with its path; good files are still planned',
    input: {
      files: [
        file(
          'a/pod.yaml',
          yaml('apiVersion: v1', 'kind: Pod', 'spec:', '  containers:', '  - image: nginx:1')
        ),
        file('b/pod.yaml', POD),
        file('c/broken.yaml', yaml('kind: Pod', 'spec:', '  a: 1', '  a: 2'))
      ],
      updates: UPDATE,
      format: 'auto',
      options: {}
    },
    expected: {
      changes: [expect.objectContaining({ path: 'b/pod.yaml' })],
      unchanged: [],
      errors: [
        {
          code: 'IMAGE_NOT_FOUND',
          file: 'a/pod.yaml',
          message: `No container image of "${API}" found; the file references "nginx:1"`,
          line: undefined
        },
        {
          code: 'PARSE_ERROR',
          file: 'c/broken.yaml',
          message: 'YAML syntax error at line 4, column 3: Map keys must be unique',
          line: 4
        }
      ]
    }
  },
  {
    name: 'a binary file is refused',
    input: {
      files: [file('image.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]))],
      updates: UPDATE,
      format: 'auto',
      options: {}
    },
    expected: {
      changes: [],
      unchanged: [],
      errors: [
        {
          code: 'UNSUPPORTED_FILE',
          file: 'image.png',
          message: '"image.png" is a binary file (it contains NUL bytes)',
          line: undefined
        }
      ]
    }
  },
  {
    name: 'invalid UTF-8 is refused, naming the file',
    input: {
      files: [file('latin1.yaml', Buffer.from('kind: Pod # caf\xe9\n', 'latin1'))],
      updates: UPDATE,
      format: 'auto',
      options: {}
    },
    expected: {
      changes: [],
      unchanged: [],
      errors: [
        {
          code: 'UNSUPPORTED_FILE',
          file: 'latin1.yaml',
          message: '"latin1.yaml" is not valid UTF-8 text',
          line: undefined
        }
      ]
    }
  }
]

describe('planEdits', () => {
  it.each(planCases)('$name', ({ input, expected }) => {
    expect(summary(planEdits(input))).toEqual(expected)
  })

  it('keeps a BOM, CRLF and non-ASCII bytes exactly', () => {
    const before = Buffer.from(
      `\uFEFF${POD.replace('kind: Pod', 'kind: Pod # größe ✓')}`.replace(/\n/g, '\r\n'),
      'utf8'
    )
    const plan = planEdits({
      files: [{ path: 'pod.yaml', content: before }],
      updates: UPDATE,
      format: 'auto',
      options: {}
    })
    const expected = Buffer.from(before.toString('utf8').replace(':1.0.0', ':1.1.0'), 'utf8')
    expect(
      plan.changes.map(c => ({
        bom: c.after.subarray(0, 3).toString('hex'),
        same: c.after.equals(expected)
      }))
    ).toEqual([{ bom: 'efbbbf', same: true }])
  })
})

interface ReadCase {
  name: string
  path: string
  text: string | Buffer
  format: FormatInput
  expected: unknown
}

const readCases: ReadCase[] = [
  {
    name: 'a workload',
    path: 'pod.yaml',
    text: POD,
    format: 'auto',
    expected: { ok: true, current: { image: API, tag: '1.0.0' } }
  },
  {
    name: 'a kustomization',
    path: 'kustomization.yaml',
    text: KUSTOMIZATION,
    format: 'auto',
    expected: { ok: true, current: { image: API, tag: '1.0.0' } }
  },
  {
    name: 'a tag file',
    path: 'VERSION',
    text: '1.0.0\n',
    format: 'auto',
    expected: { ok: true, current: { image: API, tag: '1.0.0' } }
  },
  {
    name: 'an error names the file',
    path: 'svc.yaml',
    text: yaml('apiVersion: v1', 'kind: Service'),
    format: 'auto',
    expected: { ok: false, code: 'IMAGE_NOT_FOUND', file: 'svc.yaml' }
  },
  {
    name: 'a binary file',
    path: 'blob',
    text: Buffer.from([0, 1, 2]),
    format: 'workload',
    expected: { ok: false, code: 'UNSUPPORTED_FILE', file: 'blob' }
  }
]

function readOutcome(result: ReadResult) {
  return result.ok ? result : { ok: false, code: result.error.code, file: result.error.file }
}

describe('readCurrent', () => {
  it.each(readCases)('$name', ({ path, text, format, expected }) => {
    expect(readOutcome(readCurrent(file(path, text), API, format, {}))).toEqual(expected)
  })
})
