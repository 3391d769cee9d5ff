/**
 * Commit mode end to end: dist/index.js as the runner runs it, against the GitHub API double.
 * Each scenario is compared as one value: exit code, annotations, outputs (SHAs by name), the
 * bytes of every fixture file on the branch afterwards, the commits made, the request log and
 * the job summary's table.
 */
import { describe, expect, it } from '@jest/globals'
import type { GitHubDouble } from '../support/github-double.mjs'
import { DEFAULT_SHA, type RunActionResult } from '../support/run-action.js'
import {
  DEPLOY,
  TOKEN,
  annotations,
  commitsSince,
  corpusFile,
  handoff,
  identityFields,
  mark,
  modes,
  named,
  requestsSince,
  secretSightings,
  texts,
  withDouble,
  writesSince,
  type CommitView,
  type HandoffOptions
} from './helpers.js'

const TAG_FILE = '1.3.0\n'
const DOTENV = '# written by CI\nIMAGE_TAG=1.3.0\nREPLICAS=2\n'
const OVERLAY = (env: string) => `# ${env} overlay of the api service
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../../base
images:
  - name: ghcr.io/acme/api
    newTag: "1.3.0" # bumped by CI
  - name: ghcr.io/acme/web
    newTag: 2.0.0
`
const VALUES_STAGING = `# staging values
replicaCount: 2
image:
  repository: ghcr.io/acme/api
  tag: 1.3.0 # staging
  pullPolicy: IfNotPresent
worker:
  image:
    repository: ghcr.io/acme/api
    tag: 1.3.0
`
const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      initContainers:
        - name: migrate
          image: ghcr.io/acme/migrate:1.3.0
      containers:
        - name: api
          image: ghcr.io/acme/api:1.3.0 # the service
          ports: [{ containerPort: 8080 }]
        - name: proxy
          image: envoyproxy/envoy:v1.30.1
        - name: metrics
          image: ghcr.io/acme/api-metrics:1.3.0
`
const DIGEST = 'sha256:8f3a2b1c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8'

const FILES: Record<string, string> = {
  'apps/api/IMAGE_TAG': TAG_FILE,
  'apps/api/release.env': DOTENV,
  'apps/api/overlays/dev/kustomization.yaml': OVERLAY('dev'),
  'apps/api/overlays/staging/kustomization.yaml': OVERLAY('staging'),
  'apps/api/overlays/prod/kustomization.yaml': OVERLAY('prod'),
  'charts/api/values-staging.yaml': VALUES_STAGING,
  'apps/api/base/deployment.yaml': DEPLOYMENT,
  'README.md': '# deploy\n'
}
const PATHS = Object.keys(FILES)

const BODY = `\n\nSource: acme/app@${DEFAULT_SHA}\nRun: https://github.com/acme/app/actions/runs/4242`
const C = (p: string) => `/repos/acme/deploy/contents/${p}`

/** One byte-level replacement a scenario expects in a file: `from` must occur exactly once. */
type Edit = readonly [path: string, from: string, to: string]

function expectedFiles(
  files: Record<string, string>,
  edits: readonly Edit[]
): Record<string, string> {
  const out = { ...files }
  for (const [file, from, to] of edits) {
    const at = out[file].indexOf(from)
    if (at < 0 || out[file].indexOf(from, at + 1) >= 0)
      throw new Error(`${JSON.stringify(from)} is not once in ${file}`)
    out[file] = out[file].slice(0, at) + to + out[file].slice(at + from.length)
  }
  return out
}

interface Observation {
  code: number | null
  errors: string[]
  notices: string[]
  outputs: Record<string, string>
  files: Record<string, string | undefined>
  commits: CommitView[]
  requests: string[]
  table: string[]
  identity: string[]
  leaks: string[]
}

function observe(
  double: GitHubDouble,
  run: RunActionResult,
  repo: string,
  from: number,
  base: string,
  paths: readonly string[]
): Observation {
  const head = double.state.branchHead(repo, 'main') as string
  const o = run.outputs
  return {
    code: run.code,
    errors: annotations(run, 'error'),
    notices: annotations(run, 'notice'),
    outputs: {
      'commit-sha': named(o['commit-sha'], { base, head: head === base ? undefined : head }),
      changed: o.changed,
      'previous-tag': o['previous-tag'],
      files: o.files,
      branch: o.branch,
      'pr-number': o['pr-number'],
      'pr-operation': o['pr-operation']
    },
    files: texts(double, repo, 'main', paths),
    commits: commitsSince(double, repo, 'main', base),
    requests: requestsSince(double, from),
    table: run.summary.split('\n').filter(line => line.startsWith('| `')),
    identity: identityFields(writesSince(double, from)),
    leaks: secretSightings(run, TOKEN)
  }
}

interface Scenario {
  readonly name: string
  readonly inputs: Record<string, string>
  readonly edits: readonly Edit[]
  readonly message: string
  readonly previous: string
  readonly changedFiles: string
  readonly requests: readonly string[]
  readonly table: readonly string[]
  readonly options?: (double: GitHubDouble) => HandoffOptions
}

const API = { image: 'ghcr.io/acme/api', tag: '1.4.0' }
const DEV = 'apps/api/overlays/dev/kustomization.yaml'
const row = (file: string, line: number, image: string, before: string, after: string) =>
  `| \`${file}\` | ${line} | \`${image}\` | \`${before}\` → \`${after}\` |`

const SCENARIOS: Scenario[] = [
  {
    name: 'an IMAGE_TAG tag file: 2 requests (contents GET + PUT) with branch given',
    inputs: { ...API, path: 'apps/api/IMAGE_TAG', branch: 'main' },
    edits: [['apps/api/IMAGE_TAG', '1.3.0', '1.4.0']],
    message: `chore(deploy): bump api to 1.4.0${BODY}`,
    previous: '1.3.0',
    changedFiles: 'apps/api/IMAGE_TAG',
    requests: [`GET ${C('apps/api/IMAGE_TAG')}`, `PUT ${C('apps/api/IMAGE_TAG')}`],
    table: [row('apps/api/IMAGE_TAG', 1, 'ghcr.io/acme/api', '1.3.0', '1.4.0')]
  },
  {
    name: 'a dotenv IMAGE_TAG line (format tag-file, key IMAGE_TAG)',
    inputs: {
      ...API,
      path: 'apps/api/release.env',
      format: 'tag-file',
      key: 'IMAGE_TAG',
      branch: 'main'
    },
    edits: [['apps/api/release.env', 'IMAGE_TAG=1.3.0', 'IMAGE_TAG=1.4.0']],
    message: `chore(deploy): bump api to 1.4.0${BODY}`,
    previous: '1.3.0',
    changedFiles: 'apps/api/release.env',
    requests: [`GET ${C('apps/api/release.env')}`, `PUT ${C('apps/api/release.env')}`],
    table: [row('apps/api/release.env', 2, 'ghcr.io/acme/api', '1.3.0', '1.4.0')]
  },
  {
    name: 'a kustomize overlay, branch not given: the default branch costs one repository GET',
    inputs: { ...API, path: DEV },
    edits: [[DEV, 'newTag: "1.3.0"', 'newTag: "1.4.0"']],
    message: `chore(deploy): bump api to 1.4.0${BODY}`,
    previous: '1.3.0',
    changedFiles: DEV,
    requests: ['GET /repos/acme/deploy', `GET ${C(DEV)}`, `PUT ${C(DEV)}`],
    table: [row(DEV, 8, 'ghcr.io/acme/api', '1.3.0', '1.4.0')]
  },
  {
    name: 'Helm values-staging.yaml with key image.tag: only that key changes',
    inputs: { ...API, path: 'charts/api/values-staging.yaml', key: 'image.tag', branch: 'main' },
    edits: [['charts/api/values-staging.yaml', 'tag: 1.3.0 # staging', 'tag: 1.4.0 # staging']],
    message: `chore(deploy): bump api to 1.4.0${BODY}`,
    previous: '1.3.0',
    changedFiles: 'charts/api/values-staging.yaml',
    requests: [
      `GET ${C('charts/api/values-staging.yaml')}`,
      `PUT ${C('charts/api/values-staging.yaml')}`
    ],
    table: [row('charts/api/values-staging.yaml', 5, 'ghcr.io/acme/api', '1.3.0', '1.4.0')]
  },
  {
    name: 'a Deployment with several containers: only the matching container changes',
    inputs: { ...API, path: 'apps/api/base/deployment.yaml', branch: 'main' },
    edits: [
      [
        'apps/api/base/deployment.yaml',
        'image: ghcr.io/acme/api:1.3.0',
        'image: ghcr.io/acme/api:1.4.0'
      ]
    ],
    message: `chore(deploy): bump api to 1.4.0${BODY}`,
    previous: '1.3.0',
    changedFiles: 'apps/api/base/deployment.yaml',
    requests: [
      `GET ${C('apps/api/base/deployment.yaml')}`,
      `PUT ${C('apps/api/base/deployment.yaml')}`
    ],
    table: [
      row(
        'apps/api/base/deployment.yaml',
        13,
        'ghcr.io/acme/api',
        'ghcr.io/acme/api:1.3.0',
        'ghcr.io/acme/api:1.4.0'
      )
    ]
  },
  {
    name: 'tag + digest → name:tag@digest',
    inputs: { ...API, digest: DIGEST, path: 'apps/api/base/deployment.yaml', branch: 'main' },
    edits: [
      [
        'apps/api/base/deployment.yaml',
        'image: ghcr.io/acme/api:1.3.0',
        `image: ghcr.io/acme/api:1.4.0@${DIGEST}`
      ]
    ],
    message: `chore(deploy): bump api to 1.4.0${BODY}`,
    previous: '1.3.0',
    changedFiles: 'apps/api/base/deployment.yaml',
    requests: [
      `GET ${C('apps/api/base/deployment.yaml')}`,
      `PUT ${C('apps/api/base/deployment.yaml')}`
    ],
    table: [
      row(
        'apps/api/base/deployment.yaml',
        13,
        'ghcr.io/acme/api',
        'ghcr.io/acme/api:1.3.0',
        `ghcr.io/acme/api:1.4.0@${DIGEST}`
      )
    ]
  },
  {
    // N files with `branch` given: one GraphQL read (head, tree, modes, texts), tree POST,
    // commit POST, ref PATCH = 4 (src/github/manifest-repo.ts has the budget).
    name: 'two paths → one atomic commit through the git data API (4 requests)',
    inputs: { ...API, path: `${DEV}\ncharts/api/values-staging.yaml`, key: '', branch: 'main' },
    edits: [
      [DEV, 'newTag: "1.3.0"', 'newTag: "1.4.0"'],
      ['charts/api/values-staging.yaml', 'tag: 1.3.0 # staging', 'tag: 1.4.0 # staging'],
      ['charts/api/values-staging.yaml', 'tag: 1.3.0\n', 'tag: 1.4.0\n']
    ],
    message: `chore(deploy): bump api to 1.4.0${BODY}`,
    previous: '1.3.0',
    changedFiles: `${DEV}\ncharts/api/values-staging.yaml`,
    requests: [
      'POST /graphql',
      'POST /repos/acme/deploy/git/trees',
      'POST /repos/acme/deploy/git/commits',
      'PATCH /repos/acme/deploy/git/refs/heads/main'
    ],
    table: [
      row(DEV, 8, 'ghcr.io/acme/api', '1.3.0', '1.4.0'),
      row('charts/api/values-staging.yaml', 5, 'ghcr.io/acme/api', '1.3.0', '1.4.0'),
      row('charts/api/values-staging.yaml', 10, 'ghcr.io/acme/api', '1.3.0', '1.4.0')
    ]
  },
  {
    name: 'a glob over three overlays: one tree listing, one commit for all matches',
    inputs: { ...API, path: 'apps/api/overlays/*/kustomization.yaml', branch: 'main' },
    edits: ['dev', 'prod', 'staging'].map(
      env =>
        [
          `apps/api/overlays/${env}/kustomization.yaml`,
          'newTag: "1.3.0"',
          'newTag: "1.4.0"'
        ] as const
    ),
    message: `chore(deploy): bump api to 1.4.0${BODY}`,
    previous: '1.3.0',
    changedFiles: ['dev', 'prod', 'staging']
      .map(env => `apps/api/overlays/${env}/kustomization.yaml`)
      .join('\n'),
    requests: [
      'GET /repos/acme/deploy/git/trees/main',
      'POST /graphql',
      'POST /repos/acme/deploy/git/trees',
      'POST /repos/acme/deploy/git/commits',
      'PATCH /repos/acme/deploy/git/refs/heads/main'
    ],
    table: ['dev', 'prod', 'staging'].map(env =>
      row(`apps/api/overlays/${env}/kustomization.yaml`, 8, 'ghcr.io/acme/api', '1.3.0', '1.4.0')
    )
  },
  {
    name: 'a brace glob, its commas not taken for list separators, beside a plain path',
    inputs: {
      ...API,
      path: 'apps/api/overlays/{dev,prod}/kustomization.yaml, apps/api/IMAGE_TAG',
      branch: 'main'
    },
    edits: [
      ...['dev', 'prod'].map(
        env =>
          [
            `apps/api/overlays/${env}/kustomization.yaml`,
            'newTag: "1.3.0"',
            'newTag: "1.4.0"'
          ] as const
      ),
      ['apps/api/IMAGE_TAG', '1.3.0', '1.4.0'] as const
    ],
    message: `chore(deploy): bump api to 1.4.0${BODY}`,
    previous: '1.3.0',
    changedFiles: [
      'apps/api/overlays/dev/kustomization.yaml',
      'apps/api/overlays/prod/kustomization.yaml',
      'apps/api/IMAGE_TAG'
    ].join('\n'),
    requests: [
      'GET /repos/acme/deploy/git/trees/main',
      'POST /graphql',
      'POST /repos/acme/deploy/git/trees',
      'POST /repos/acme/deploy/git/commits',
      'PATCH /repos/acme/deploy/git/refs/heads/main'
    ],
    table: [
      ...['dev', 'prod'].map(env =>
        row(`apps/api/overlays/${env}/kustomization.yaml`, 8, 'ghcr.io/acme/api', '1.3.0', '1.4.0')
      ),
      row('apps/api/IMAGE_TAG', 1, 'ghcr.io/acme/api', '1.3.0', '1.4.0')
    ]
  },
  {
    name: '`images`: several images in one file, one commit',
    inputs: { images: 'ghcr.io/acme/api:1.4.0\nghcr.io/acme/web:2.1.0', path: DEV, branch: 'main' },
    edits: [
      [DEV, 'newTag: "1.3.0"', 'newTag: "1.4.0"'],
      [DEV, 'newTag: 2.0.0', 'newTag: 2.1.0']
    ],
    message: `chore(deploy): bump api, web to 1.4.0, 2.1.0${BODY}`,
    previous: '1.3.0',
    changedFiles: DEV,
    requests: [`GET ${C(DEV)}`, `PUT ${C(DEV)}`],
    table: [
      row(DEV, 8, 'ghcr.io/acme/api', '1.3.0', '1.4.0'),
      row(DEV, 10, 'ghcr.io/acme/web', '2.0.0', '2.1.0')
    ]
  },
  {
    name: 'commit message template: every placeholder',
    inputs: {
      ...API,
      digest: DIGEST,
      path: 'apps/api/IMAGE_TAG',
      branch: 'main',
      'commit-message':
        'deploy {name} {tag} [skip ci]\n\nimage={image} digest={digest} previous={previous} files={files}\nfrom {source-repo}@{source-sha} in {run-url} {unknown}'
    },
    edits: [['apps/api/IMAGE_TAG', '1.3.0', '1.4.0']],
    message: `deploy api 1.4.0 [skip ci]\n\nimage=ghcr.io/acme/api digest=${DIGEST} previous=1.3.0 files=apps/api/IMAGE_TAG\nfrom acme/app@${DEFAULT_SHA} in https://github.com/acme/app/actions/runs/4242 {unknown}`,
    previous: '1.3.0',
    changedFiles: 'apps/api/IMAGE_TAG',
    requests: [`GET ${C('apps/api/IMAGE_TAG')}`, `PUT ${C('apps/api/IMAGE_TAG')}`],
    table: [row('apps/api/IMAGE_TAG', 1, 'ghcr.io/acme/api', '1.3.0', '1.4.0')]
  },
  {
    name: 'GitHub Enterprise Server: every request under GITHUB_API_URL (/api/v3)',
    inputs: { ...API, path: DEV, branch: 'main' },
    edits: [[DEV, 'newTag: "1.3.0"', 'newTag: "1.4.0"']],
    message: `chore(deploy): bump api to 1.4.0${BODY}`,
    previous: '1.3.0',
    changedFiles: DEV,
    requests: [`GET /api/v3${C(DEV)}`, `PUT /api/v3${C(DEV)}`],
    table: [row(DEV, 8, 'ghcr.io/acme/api', '1.3.0', '1.4.0')],
    options: double => ({ apiUrl: double.ghesUrl })
  },
  {
    name: 'GitHub Enterprise Server, two files: the GraphQL read at /api/graphql, writes under /api/v3',
    inputs: { ...API, path: `${DEV}\napps/api/IMAGE_TAG`, branch: 'main' },
    edits: [
      [DEV, 'newTag: "1.3.0"', 'newTag: "1.4.0"'],
      ['apps/api/IMAGE_TAG', '1.3.0', '1.4.0']
    ],
    message: `chore(deploy): bump api to 1.4.0${BODY}`,
    previous: '1.3.0',
    changedFiles: `${DEV}\napps/api/IMAGE_TAG`,
    requests: [
      'POST /api/graphql',
      'POST /api/v3/repos/acme/deploy/git/trees',
      'POST /api/v3/repos/acme/deploy/git/commits',
      'PATCH /api/v3/repos/acme/deploy/git/refs/heads/main'
    ],
    table: [
      row(DEV, 8, 'ghcr.io/acme/api', '1.3.0', '1.4.0'),
      row('apps/api/IMAGE_TAG', 1, 'ghcr.io/acme/api', '1.3.0', '1.4.0')
    ],
    options: double => ({ apiUrl: double.ghesUrl })
  }
]

/** Blob and commit SHAs in request paths by name, so a request list reads as a shape. */
function shaNames(requests: string[], base: string): string[] {
  return requests.map(r =>
    r.replace(base, '<base>').replace(/\/git\/blobs\/[0-9a-f]{40}$/, '/git/blobs/<blob>')
  )
}

describe('commit mode through dist/index.js', () => {
  it.each(SCENARIOS)('$name', async scenario => {
    await withDouble(async double => {
      const base = double.state.createRepo(DEPLOY, { files: FILES })
      const run = await handoff(double, scenario.inputs, scenario.options?.(double))
      const seen = observe(double, run, DEPLOY, 0, base, PATHS)
      expect({ ...seen, requests: shaNames(seen.requests, base) }).toEqual({
        code: 0,
        errors: [],
        notices: [],
        outputs: {
          'commit-sha': '<head>',
          changed: 'true',
          'previous-tag': scenario.previous,
          files: scenario.changedFiles,
          branch: 'main',
          'pr-number': '',
          'pr-operation': ''
        },
        files: expectedFiles(FILES, scenario.edits),
        commits: [{ message: scenario.message, verified: true, parents: 1 }],
        requests: scenario.requests,
        table: scenario.table,
        identity: [],
        leaks: []
      })
    })
  })

  it('rerun with the same tag: changed=false, no commit, commit-sha = the head that holds it', async () => {
    await withDouble(async double => {
      const base = double.state.createRepo(DEPLOY, { files: FILES })
      const inputs = { ...API, path: DEV, branch: 'main' }
      expect((await handoff(double, inputs)).code).toBe(0)
      const head = double.state.branchHead(DEPLOY, 'main') as string
      const from = mark(double)
      const run = await handoff(double, inputs)
      expect({
        ...observe(double, run, DEPLOY, from, head, PATHS),
        summary: run.summary.split('\n').slice(0, 3)
      }).toEqual({
        code: 0,
        errors: [],
        notices: [],
        outputs: {
          'commit-sha': '<base>',
          changed: 'false',
          'previous-tag': '',
          files: '',
          branch: 'main',
          'pr-number': '',
          'pr-operation': ''
        },
        files: expectedFiles(FILES, [[DEV, 'newTag: "1.3.0"', 'newTag: "1.4.0"']]),
        commits: [],
        requests: [`GET ${C(DEV)}`, 'GET /repos/acme/deploy/git/ref/heads/main'],
        table: [],
        identity: [],
        leaks: [],
        summary: [
          '## gitops-handoff: already up to date',
          '',
          'No file changes: the manifests already hold the requested images.'
        ]
      })
      expect(base).not.toBe(head)
    })
  })

  it('dry-run: the unified diff in the log and the summary, changed=true, no commit-sha, zero writes', async () => {
    await withDouble(async double => {
      const base = double.state.createRepo(DEPLOY, { files: FILES })
      const run = await handoff(double, {
        ...API,
        path: `${DEV}\napps/api/IMAGE_TAG`,
        branch: 'main',
        'dry-run': 'true'
      })
      const diff = [
        '===================================================================',
        `--- a/${DEV}`,
        `+++ b/${DEV}`,
        '@@ -6,5 +6,5 @@',
        ' images:',
        '   - name: ghcr.io/acme/api',
        '-    newTag: "1.3.0" # bumped by CI',
        '+    newTag: "1.4.0" # bumped by CI',
        '   - name: ghcr.io/acme/web',
        '     newTag: 2.0.0',
        '===================================================================',
        '--- a/apps/api/IMAGE_TAG',
        '+++ b/apps/api/IMAGE_TAG',
        '@@ -1,1 +1,1 @@',
        '-1.3.0',
        '+1.4.0'
      ]
      const seen = observe(double, run, DEPLOY, 0, base, PATHS)
      expect({
        ...seen,
        requests: shaNames(seen.requests, base),
        logHasDiff: includesLines(run.stdout, diff),
        summaryHasDiff: includesLines(run.summary, [
          '<details open><summary>Diff (dry run)</summary>',
          '',
          '```diff',
          ...diff
        ]),
        headline: run.summary.split('\n')[0],
        writes: writesSince(double, 0).length
      }).toEqual({
        code: 0,
        errors: [],
        notices: [],
        outputs: {
          'commit-sha': '',
          changed: 'true',
          'previous-tag': '1.3.0',
          files: `${DEV}\napps/api/IMAGE_TAG`,
          branch: 'main',
          'pr-number': '',
          'pr-operation': ''
        },
        files: FILES,
        commits: [],
        requests: ['POST /graphql'],
        table: [
          row(DEV, 8, 'ghcr.io/acme/api', '1.3.0', '1.4.0'),
          row('apps/api/IMAGE_TAG', 1, 'ghcr.io/acme/api', '1.3.0', '1.4.0')
        ],
        identity: [],
        leaks: [],
        logHasDiff: true,
        summaryHasDiff: true,
        headline: '## gitops-handoff: dry run, changes planned',
        writes: 0
      })
    })
  })

  it('only-newer: semver with an older tag: a notice naming both tags, changed=false, no write', async () => {
    await withDouble(async double => {
      const base = double.state.createRepo(DEPLOY, { files: FILES })
      const run = await handoff(double, {
        ...API,
        tag: '1.2.9',
        path: DEV,
        branch: 'main',
        'only-newer': 'semver'
      })
      expect(observe(double, run, DEPLOY, 0, base, PATHS)).toEqual({
        code: 0,
        errors: [],
        notices: [
          `Not newer: ${DEV} has ghcr.io/acme/api:1.3.0, the new tag 1.2.9 is not newer (only-newer: semver); left unchanged.`
        ],
        outputs: {
          'commit-sha': '<base>',
          changed: 'false',
          'previous-tag': '',
          files: '',
          branch: 'main',
          'pr-number': '',
          'pr-operation': ''
        },
        files: FILES,
        commits: [],
        requests: [`GET ${C(DEV)}`, 'GET /repos/acme/deploy/git/ref/heads/main'],
        table: [],
        identity: [],
        leaks: []
      })
      expect(run.summary).toContain(
        `Nothing written: \`only-newer\` kept the current images.\n\n- Not newer: ${DEV} has ghcr.io/acme/api:1.3.0, the new tag 1.2.9 is not newer`
      )
    })
  })

  it('only-newer: semver with a newer tag writes', async () => {
    await withDouble(async double => {
      const base = double.state.createRepo(DEPLOY, { files: FILES })
      const run = await handoff(double, {
        ...API,
        tag: 'v1.10.0',
        path: 'apps/api/IMAGE_TAG',
        branch: 'main',
        'only-newer': 'semver'
      })
      const seen = observe(double, run, DEPLOY, 0, base, PATHS)
      expect({ outputs: seen.outputs, files: seen.files, notices: seen.notices }).toEqual({
        outputs: {
          'commit-sha': '<head>',
          changed: 'true',
          'previous-tag': '1.3.0',
          files: 'apps/api/IMAGE_TAG',
          branch: 'main',
          'pr-number': '',
          'pr-operation': ''
        },
        files: expectedFiles(FILES, [['apps/api/IMAGE_TAG', '1.3.0', 'v1.10.0']]),
        notices: []
      })
    })
  })

  it('only-newer: git: a descendant of the deployed commit is written, an ancestor is not', async () => {
    await withDouble(async double => {
      const older = double.state.createRepo('acme/app', {
        files: { 'src/main.go': 'package main\n' }
      })
      const newer = double.state.commitFiles(
        'acme/app',
        'main',
        { 'src/main.go': 'package main // v2\n' },
        'v2'
      )
      const base = double.state.createRepo(DEPLOY, {
        files: { 'apps/api/IMAGE_TAG': `${older}\n` }
      })
      const inputs = {
        image: 'ghcr.io/acme/api',
        path: 'apps/api/IMAGE_TAG',
        branch: 'main',
        'only-newer': 'git'
      }
      const forward = await handoff(double, { ...inputs, tag: newer })
      const head = double.state.branchHead(DEPLOY, 'main') as string
      const from = mark(double)
      const back = await handoff(double, { ...inputs, tag: older.slice(0, 12) })
      expect({
        forward: { changed: forward.outputs.changed, notices: annotations(forward, 'notice') },
        back: {
          changed: back.outputs.changed,
          notices: annotations(back, 'notice'),
          'commit-sha': named(back.outputs['commit-sha'], { head })
        },
        file: texts(double, DEPLOY, 'main', ['apps/api/IMAGE_TAG']),
        commits: commitsSince(double, DEPLOY, 'main', base).length,
        compare: requestsSince(double, from).filter(r => r.includes('/compare/'))
      }).toEqual({
        forward: { changed: 'true', notices: [] },
        back: {
          changed: 'false',
          notices: [
            `Not newer: apps/api/IMAGE_TAG has ghcr.io/acme/api:${newer}, the new tag ${older.slice(0, 12)} is not newer (only-newer: git); left unchanged.`
          ],
          'commit-sha': '<head>'
        },
        file: { 'apps/api/IMAGE_TAG': `${newer}\n` },
        commits: 1,
        // The compare API of the workflow's repository (acme/app), not of the manifest repository.
        compare: [`GET /repos/acme/app/compare/${newer}...${older.slice(0, 12)}`]
      })
    })
  })

  it('manifest text is data: workflow commands in a changed line are not run', async () => {
    await withDouble(async double => {
      const hostile =
        'images:\n  - name: ghcr.io/acme/api\n    newTag: 1.3.0 # ::warning::pwned ::set-output name=changed::false\n'
      double.state.createRepo(DEPLOY, { files: { [DEV]: hostile } })
      const run = await handoff(double, { ...API, path: DEV, branch: 'main' })
      expect({
        code: run.code,
        commands: run.commands
          .map(c => c.command)
          .filter(c => !['group', 'endgroup', 'debug', 'add-mask'].includes(c)),
        changed: run.outputs.changed,
        printed: run.stdout.includes(
          '+    newTag: 1.4.0 # ::warning::pwned ::set-output name=changed::false'
        )
      }).toEqual({ code: 0, commands: ['stop-commands'], changed: 'true', printed: true })
    })
  })

  it('same-repository manifests: manifest-repo defaults to the workflow repository', async () => {
    await withDouble(async double => {
      const base = double.state.createRepo('acme/app', { files: { 'deploy/IMAGE_TAG': TAG_FILE } })
      const run = await handoff(double, {
        ...API,
        'manifest-repo': '',
        path: 'deploy/IMAGE_TAG',
        branch: 'main'
      })
      expect(observe(double, run, 'acme/app', 0, base, ['deploy/IMAGE_TAG'])).toEqual({
        code: 0,
        errors: [],
        notices: [],
        outputs: {
          'commit-sha': '<head>',
          changed: 'true',
          'previous-tag': '1.3.0',
          files: 'deploy/IMAGE_TAG',
          branch: 'main',
          'pr-number': '',
          'pr-operation': ''
        },
        files: { 'deploy/IMAGE_TAG': '1.4.0\n' },
        commits: [
          { message: `chore(deploy): bump api to 1.4.0${BODY}`, verified: true, parents: 1 }
        ],
        requests: [
          'GET /repos/acme/app/contents/deploy/IMAGE_TAG',
          'PUT /repos/acme/app/contents/deploy/IMAGE_TAG'
        ],
        table: [row('deploy/IMAGE_TAG', 1, 'ghcr.io/acme/api', '1.3.0', '1.4.0')],
        identity: [],
        leaks: []
      })
    })
  })

  it('cross-repo manifest-repo with a PAT that may write it (GITHUB_TOKEN may not): the commit lands, unsigned', async () => {
    await withDouble(async double => {
      const base = double.state.createRepo(DEPLOY, { files: FILES })
      double.state.createRepo('acme/app')
      const pat = 'github_pat_11AAAAAAA0abcdefghijklmnopqrstuvwxyz0123456789'
      double.state.setPermission(TOKEN, 'acme/app', 'write')
      double.state.setPermission(pat, DEPLOY, 'write')
      const run = await handoff(double, { ...API, token: pat, path: DEV, branch: 'main' })
      expect({
        ...observe(double, run, DEPLOY, 0, base, [DEV]),
        patLeaks: secretSightings(run, pat)
      }).toEqual({
        code: 0,
        errors: [],
        notices: [],
        outputs: {
          'commit-sha': '<head>',
          changed: 'true',
          'previous-tag': '1.3.0',
          files: DEV,
          branch: 'main',
          'pr-number': '',
          'pr-operation': ''
        },
        files: { [DEV]: expectedFiles(FILES, [[DEV, 'newTag: "1.3.0"', 'newTag: "1.4.0"']])[DEV] },
        // GitHub signs only commits an App installation token writes; a PAT's commit is unverified.
        commits: [
          { message: `chore(deploy): bump api to 1.4.0${BODY}`, verified: false, parents: 1 }
        ],
        requests: [`GET ${C(DEV)}`, `PUT ${C(DEV)}`],
        table: [row(DEV, 8, 'ghcr.io/acme/api', '1.3.0', '1.4.0')],
        identity: [],
        leaks: [],
        patLeaks: []
      })
    })
  })

  it('executable files keep their mode in a multi-file commit', async () => {
    await withDouble(async double => {
      double.state.createRepo(DEPLOY, { files: FILES, executables: ['apps/api/IMAGE_TAG'] })
      const run = await handoff(double, {
        ...API,
        path: `apps/api/IMAGE_TAG\n${DEV}`,
        branch: 'main'
      })
      expect({
        code: run.code,
        modes: await modes(double, DEPLOY, 'main', ['apps/api/IMAGE_TAG', DEV])
      }).toEqual({
        code: 0,
        modes: { 'apps/api/IMAGE_TAG': '100755', [DEV]: '100644' }
      })
    })
  })

  describe('concurrency: the branch moves under the write', () => {
    it('single file: another pipeline edits the same file first → re-read, re-apply, both changes kept', async () => {
      await withDouble(async double => {
        const base = double.state.createRepo(DEPLOY, { files: FILES })
        const theirs = OVERLAY('dev').replace('newTag: 2.0.0', 'newTag: 2.0.1')
        double.onBeforeWrite(
          event => void event.state.commitFiles(DEPLOY, 'main', { [DEV]: theirs }, 'web 2.0.1'),
          { times: 1 }
        )
        const run = await handoff(double, { ...API, path: DEV, branch: 'main' })
        const seen = observe(double, run, DEPLOY, 0, base, [DEV])
        expect({
          ...seen,
          requests: seen.requests,
          attempts: run.summary.includes('- Attempts: 2')
        }).toEqual({
          code: 0,
          errors: [],
          notices: [],
          outputs: {
            'commit-sha': '<head>',
            changed: 'true',
            'previous-tag': '1.3.0',
            files: DEV,
            branch: 'main',
            'pr-number': '',
            'pr-operation': ''
          },
          files: { [DEV]: theirs.replace('newTag: "1.3.0"', 'newTag: "1.4.0"') },
          commits: [
            { message: `chore(deploy): bump api to 1.4.0${BODY}`, verified: true, parents: 1 },
            { message: 'web 2.0.1', verified: false, parents: 1 }
          ],
          requests: [`GET ${C(DEV)}`, `PUT ${C(DEV)}`, `GET ${C(DEV)}`, `PUT ${C(DEV)}`],
          table: [row(DEV, 8, 'ghcr.io/acme/api', '1.3.0', '1.4.0')],
          identity: [],
          leaks: [],
          attempts: true
        })
      })
    })

    it('several files: the ref update is not a fast-forward → a new commit on the new head, never forced', async () => {
      await withDouble(async double => {
        const base = double.state.createRepo(DEPLOY, { files: FILES })
        double.onBeforeWrite(
          event => {
            if (event.method === 'PATCH')
              event.state.commitFiles(
                DEPLOY,
                'main',
                { 'README.md': '# deploy (edited)\n' },
                'docs'
              )
          },
          { times: 3 }
        )
        const run = await handoff(double, {
          ...API,
          path: `${DEV}\napps/api/IMAGE_TAG`,
          branch: 'main'
        })
        const seen = observe(double, run, DEPLOY, 0, base, PATHS)
        const patches = writesSince(double, 0)
          .filter(e => e.method === 'PATCH')
          .map(e => (e.body as { force?: boolean }).force)
        expect({
          code: seen.code,
          outputs: seen.outputs,
          files: seen.files,
          commits: seen.commits,
          patches
        }).toEqual({
          code: 0,
          outputs: {
            'commit-sha': '<head>',
            changed: 'true',
            'previous-tag': '1.3.0',
            files: `${DEV}\napps/api/IMAGE_TAG`,
            branch: 'main',
            'pr-number': '',
            'pr-operation': ''
          },
          files: {
            ...expectedFiles(FILES, [
              [DEV, 'newTag: "1.3.0"', 'newTag: "1.4.0"'],
              ['apps/api/IMAGE_TAG', '1.3.0', '1.4.0']
            ]),
            'README.md': '# deploy (edited)\n'
          },
          commits: [
            { message: `chore(deploy): bump api to 1.4.0${BODY}`, verified: true, parents: 1 },
            { message: 'docs', verified: false, parents: 1 }
          ],
          patches: [false, false]
        })
      })
    })

    it('max-attempts exhausted: CONFLICT error, exit 1, nothing of ours lands', async () => {
      await withDouble(async double => {
        const base = double.state.createRepo(DEPLOY, { files: FILES })
        let n = 0
        const theirs = (k: number) => OVERLAY('dev').replace('newTag: 2.0.0', `newTag: 2.0.${k}`)
        double.onBeforeWrite(
          event =>
            void event.state.commitFiles(DEPLOY, 'main', { [DEV]: theirs(++n) }, `other ${n}`)
        )
        const run = await handoff(double, {
          ...API,
          path: DEV,
          branch: 'main',
          'max-attempts': '2'
        })
        const seen = observe(double, run, DEPLOY, 0, base, [DEV])
        expect({
          code: seen.code,
          errors: seen.errors,
          files: seen.files,
          commits: seen.commits.map(c => c.message),
          outputs: run.outputs
        }).toEqual({
          code: 1,
          errors: [
            'Branch "main" kept moving: every one of 2 attempts lost the race to another writer — Other pipelines are committing to the same branch at a high rate. Raise max-attempts, or serialise the jobs with a workflow "concurrency" group.'
          ],
          files: { [DEV]: theirs(2) },
          commits: ['other 2', 'other 1'],
          outputs: {}
        })
      })
    })
  })

  describe('real manifests from ../shared/corpus (byte-exact)', () => {
    interface CorpusCase {
      readonly name: string
      readonly corpus: string
      readonly path: string
      readonly inputs: Record<string, string>
      readonly edit: readonly [string, string]
    }
    const cases: CorpusCase[] = [
      {
        name: 'Kargo dev overlay (kustomize)',
        corpus: 'kustomization/akuity__kargo-simple__env__dev__kustomization.yaml',
        path: 'env/dev/kustomization.yaml',
        inputs: { image: 'ghcr.io/akuity/guestbook', tag: 'v0.0.2' },
        edit: ['newTag: v0.0.1', 'newTag: v0.0.2']
      },
      {
        name: 'podinfo values as values-staging.yaml, key image.tag (helm)',
        corpus: 'helm-values/stefanprodan__podinfo__charts__podinfo__values-prod.yaml',
        path: 'charts/podinfo/values-staging.yaml',
        inputs: { image: 'ghcr.io/stefanprodan/podinfo', tag: '6.15.0', key: 'image.tag' },
        edit: ['tag: 6.14.1', 'tag: 6.15.0']
      },
      {
        name: 'Online Boutique loadgenerator: init container untouched, untagged image gets :tag',
        corpus:
          'workload/GoogleCloudPlatform__microservices-demo__kubernetes-manifests__loadgenerator.yaml',
        path: 'kubernetes-manifests/loadgenerator.yaml',
        inputs: { image: 'loadgenerator', tag: 'v0.10.7' },
        edit: ['image: loadgenerator\n', 'image: loadgenerator:v0.10.7\n']
      }
    ]
    it.each(cases)('$name', async c => {
      const bytes = corpusFile(c.corpus)
      if (bytes === undefined) return
      await withDouble(async double => {
        const original = bytes.toString('utf8')
        const base = double.state.createRepo(DEPLOY, { files: { [c.path]: bytes } })
        const run = await handoff(double, { ...c.inputs, path: c.path, branch: 'main' })
        const seen = observe(double, run, DEPLOY, 0, base, [c.path])
        expect({
          code: seen.code,
          errors: seen.errors,
          files: seen.files,
          commits: seen.commits.length,
          requests: seen.requests
        }).toEqual({
          code: 0,
          errors: [],
          files: expectedFiles({ [c.path]: original }, [[c.path, c.edit[0], c.edit[1]]]),
          commits: 1,
          requests: [`GET ${C(c.path)}`, `PUT ${C(c.path)}`]
        })
      })
    })
  })
})

/** `lines` occur in `text` as consecutive lines. */
function includesLines(text: string, lines: readonly string[]): boolean {
  return text.split('\n').join('\n').includes(lines.join('\n'))
}
