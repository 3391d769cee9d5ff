/**
 * Pull-request mode and `promote-from` end to end: dist/index.js against the GitHub API
 * double. Each run is compared as one value: outputs (SHAs and the PR branch by name), the
 * target branch (never written), the PR branch (one commit on top of the target head), every
 * pull request of the repository, and the write requests the run made.
 */
import { describe, expect, it } from '@jest/globals'
import type { GitHubDouble } from '../support/github-double.mjs'
import { DEFAULT_SHA, type RunActionResult } from '../support/run-action.js'
import {
  DEPLOY,
  TOKEN,
  annotations,
  api,
  commitsSince,
  errorAnnotations,
  handoff,
  identityFields,
  mark,
  modes,
  named,
  secretSightings,
  texts,
  withDouble,
  writesSince,
  type CommitView
} from './helpers.js'

const overlay = (env: string, tag: string) => `# ${env} overlay
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../../base
images:
  - name: ghcr.io/acme/api
    newTag: ${tag} # set by CI
`
const DEV = 'apps/api/overlays/dev/kustomization.yaml'
const STAGING = 'apps/api/overlays/staging/kustomization.yaml'
const PROD = 'apps/api/overlays/prod/kustomization.yaml'
const FILES: Record<string, string> = {
  [DEV]: overlay('dev', '1.4.0'),
  [STAGING]: overlay('staging', '1.3.0'),
  [PROD]: overlay('prod', '1.3.0'),
  'apps/web/IMAGE_TAG': '2.0.0\n',
  'apps/web/deployment.yaml':
    'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: ghcr.io/acme/web:2.0.0\n',
  'README.md': '# deploy\n'
}
const PATHS = Object.keys(FILES)
const STAGING_AT = (tag: string) => ({ ...FILES, [STAGING]: overlay('staging', tag) })

const PR = { image: 'ghcr.io/acme/api', mode: 'pull-request', path: STAGING, branch: 'main' }
const BODY = `\n\nSource: acme/app@${DEFAULT_SHA}\nRun: https://github.com/acme/app/actions/runs/4242`
const MESSAGE = (tag: string) => `chore(deploy): bump api to ${tag}${BODY}`
const PR_BRANCH = /^gitops-handoff\/api-[0-9a-f]{10}$/

/** The default PR body for rows of file / old / new (image ghcr.io/acme/api). */
function prBody(
  rows: [file: string, before: string, after: string][],
  promotedFrom?: string
): string {
  return [
    'Deploys to `acme/deploy`:',
    '',
    '| File | Image | Old | New |',
    '| --- | --- | --- | --- |',
    ...rows.map(
      ([file, before, after]) =>
        `| \`${file}\` | \`ghcr.io/acme/api\` | \`${before}\` | \`${after}\` |`
    ),
    '',
    ...(promotedFrom ? [`Promoted from \`${promotedFrom}\`.`, ''] : []),
    `Source: https://github.com/acme/app/commit/${DEFAULT_SHA}`,
    'Run: https://github.com/acme/app/actions/runs/4242',
    '',
    '<!-- gitops-handoff -->'
  ].join('\n')
}

interface PullView {
  number: number
  state: string
  draft: boolean
  title: string
  body: string | null
  head: string
  base: string
  labels: string[]
  reviewers: string[]
  teamReviewers: string[]
  assignees: string[]
  autoMerge: string | null
}

const PULL = (over: Partial<PullView>): PullView => ({
  number: 1,
  state: 'open',
  draft: false,
  title: 'Deploy api:1.4.0',
  body: prBody([[STAGING, '1.3.0', '1.4.0']]),
  head: '<pr-branch>',
  base: 'main',
  labels: [],
  reviewers: [],
  teamReviewers: [],
  assignees: [],
  autoMerge: null,
  ...over
})

interface PrObservation {
  code: number | null
  errors: string[]
  warnings: string[]
  outputs: Record<string, string>
  target: { head: string; files: Record<string, string | undefined> }
  /** The PR branch: the commit it is on top of (by name), its head commit, its files. */
  prBranch?: { onTopOf: string; commit: CommitView; files: Record<string, string | undefined> }
  pulls: PullView[]
  writes: string[]
  identity: string[]
  leaks: string[]
}

/**
 * What a run left behind. `targetBefore`: the target head before the run (named `<target>`;
 * a target that moved since is `<moved>`). The PR branch is the `branch` output when it is
 * not the target.
 */
function observe(
  double: GitHubDouble,
  run: RunActionResult,
  from: number,
  targetBefore: string,
  prBranch?: string
): PrObservation {
  const target = double.state.branchHead(DEPLOY, 'main') as string
  const branch =
    prBranch ?? (PR_BRANCH.test(run.outputs.branch ?? '') ? run.outputs.branch : undefined)
  const prHead = branch ? double.state.branchHead(DEPLOY, branch) : undefined
  const names = {
    target: targetBefore,
    moved: target === targetBefore ? undefined : target,
    'pr-head': prHead
  }
  const o = run.outputs
  const byName = (text: string) => (branch ? text.split(branch).join('<pr-branch>') : text)
  return {
    code: run.code,
    errors: annotations(run, 'error'),
    warnings: annotations(run, 'warning'),
    outputs: {
      'commit-sha': named(o['commit-sha'] ?? '', names),
      changed: o.changed,
      'previous-tag': o['previous-tag'],
      files: o.files,
      branch: byName(o.branch ?? ''),
      'pr-number': o['pr-number'],
      'pr-url': o['pr-url'],
      'pr-operation': o['pr-operation']
    },
    target: { head: named(target, names), files: texts(double, DEPLOY, 'main', PATHS) },
    ...(branch && prHead ? { prBranch: prBranchView(double, branch, names) } : {}),
    pulls: double.state.pulls(DEPLOY).map(p => ({
      number: p.number,
      state: p.state,
      draft: p.draft,
      title: p.title,
      body: p.body,
      head: byName(p.headRef),
      base: p.baseRef,
      labels: p.labels,
      reviewers: p.reviewers,
      teamReviewers: p.teamReviewers,
      assignees: p.assignees,
      autoMerge: p.autoMerge?.mergeMethod ?? null
    })),
    writes: writesSince(double, from).map(e => byName(`${e.status} ${e.method} ${e.path}`)),
    identity: identityFields(writesSince(double, from)),
    leaks: secretSightings(run, TOKEN)
  }
}

function prBranchView(
  double: GitHubDouble,
  branch: string,
  names: Record<string, string | undefined>
): PrObservation['prBranch'] {
  const [head] = double.state.log(DEPLOY, branch, 1)
  return {
    onTopOf: named(head.parents[0], names),
    commit: { message: head.message, verified: head.verified, parents: head.parents.length },
    files: texts(double, DEPLOY, branch, PATHS)
  }
}

/** The writes of a run that opens a PR from a new branch (git data API, then the PR). */
const CREATE_WRITES = [
  '201 POST /repos/acme/deploy/git/trees',
  '201 POST /repos/acme/deploy/git/commits',
  '201 POST /repos/acme/deploy/git/refs',
  '201 POST /repos/acme/deploy/pulls'
]
/** The writes of a run that moves the existing PR branch and refreshes the PR. */
const UPDATE_WRITES = [
  '201 POST /repos/acme/deploy/git/trees',
  '201 POST /repos/acme/deploy/git/commits',
  '422 POST /repos/acme/deploy/git/refs',
  '200 PATCH /repos/acme/deploy/git/refs/heads/<pr-branch>',
  '200 PATCH /repos/acme/deploy/pulls/1'
]

const OUT = (over: Record<string, string>) => ({
  'commit-sha': '<pr-head>',
  changed: 'true',
  'previous-tag': '1.3.0',
  files: STAGING,
  branch: '<pr-branch>',
  'pr-number': '1',
  'pr-url': 'https://github.com/acme/deploy/pull/1',
  'pr-operation': 'created',
  ...over
})

describe('pull-request mode through dist/index.js', () => {
  it('create: a PR from a new branch, one verified commit on top of the target head; the target is not written', async () => {
    await withDouble(async double => {
      const base = double.state.createRepo(DEPLOY, { files: FILES })
      const run = await handoff(double, { ...PR, tag: '1.4.0' })
      expect(observe(double, run, 0, base)).toEqual({
        code: 0,
        errors: [],
        warnings: [],
        outputs: OUT({}),
        target: { head: '<target>', files: FILES },
        prBranch: {
          onTopOf: '<target>',
          commit: { message: MESSAGE('1.4.0'), verified: true, parents: 1 },
          files: STAGING_AT('1.4.0')
        },
        pulls: [PULL({})],
        writes: CREATE_WRITES,
        identity: [],
        leaks: []
      })
      expect(
        run.summary
          .split('\n')
          .filter(l => l.startsWith('| `') || l.startsWith('- ') || l.startsWith('## '))
      ).toEqual([
        '## gitops-handoff: pull request created',
        `| \`${STAGING}\` | 8 | \`ghcr.io/acme/api\` | \`1.3.0\` → \`1.4.0\` |`,
        `- Commit: [\`${run.outputs['commit-sha'].slice(0, 12)}\`](https://github.com/acme/deploy/commit/${run.outputs['commit-sha']}) on \`${run.outputs.branch}\``,
        `- Compare: https://github.com/acme/deploy/compare/${base.slice(0, 12)}...${run.outputs['commit-sha'].slice(0, 12)}`,
        '- Pull request: [#1](https://github.com/acme/deploy/pull/1) (created)'
      ])
    })
  })

  it('rerun with a new tag: the same PR, updated, still one commit on top of the target head', async () => {
    await withDouble(async double => {
      const base = double.state.createRepo(DEPLOY, { files: FILES })
      const first = await handoff(double, { ...PR, tag: '1.4.0' })
      const from = mark(double)
      const run = await handoff(double, { ...PR, tag: '1.5.0' })
      expect({
        ...observe(double, run, from, base),
        sameBranch: run.outputs.branch === first.outputs.branch
      }).toEqual({
        code: 0,
        errors: [],
        warnings: [],
        outputs: OUT({ 'pr-operation': 'updated' }),
        target: { head: '<target>', files: FILES },
        prBranch: {
          onTopOf: '<target>',
          commit: { message: MESSAGE('1.5.0'), verified: true, parents: 1 },
          files: STAGING_AT('1.5.0')
        },
        pulls: [PULL({ title: 'Deploy api:1.5.0', body: prBody([[STAGING, '1.3.0', '1.5.0']]) })],
        writes: UPDATE_WRITES,
        identity: [],
        leaks: [],
        sameBranch: true
      })
    })
  })

  it('rerun with the same tag: unchanged, no new commit, no write', async () => {
    await withDouble(async double => {
      const base = double.state.createRepo(DEPLOY, { files: FILES })
      const first = await handoff(double, { ...PR, tag: '1.4.0' })
      const from = mark(double)
      const run = await handoff(double, { ...PR, tag: '1.4.0' })
      expect({
        ...observe(double, run, from, base),
        sameHead: run.outputs['commit-sha'] === first.outputs['commit-sha']
      }).toEqual({
        code: 0,
        errors: [],
        warnings: [],
        outputs: OUT({ changed: 'false', 'pr-operation': 'unchanged' }),
        target: { head: '<target>', files: FILES },
        prBranch: {
          onTopOf: '<target>',
          commit: { message: MESSAGE('1.4.0'), verified: true, parents: 1 },
          files: STAGING_AT('1.4.0')
        },
        pulls: [PULL({})],
        writes: [],
        identity: [],
        leaks: [],
        sameHead: true
      })
    })
  })

  it('the target moved meanwhile: the PR branch is rebuilt on the new target head (another change kept)', async () => {
    await withDouble(async double => {
      const base = double.state.createRepo(DEPLOY, { files: FILES })
      await handoff(double, { ...PR, tag: '1.4.0' })
      double.state.commitFiles(DEPLOY, 'main', { 'README.md': '# deploy (moved)\n' }, 'docs')
      const from = mark(double)
      const run = await handoff(double, { ...PR, tag: '1.4.0' })
      expect(observe(double, run, from, base)).toEqual({
        code: 0,
        errors: [],
        warnings: [],
        outputs: OUT({ 'pr-operation': 'updated' }),
        target: { head: '<moved>', files: { ...FILES, 'README.md': '# deploy (moved)\n' } },
        prBranch: {
          onTopOf: '<moved>',
          commit: { message: MESSAGE('1.4.0'), verified: true, parents: 1 },
          files: { ...STAGING_AT('1.4.0'), 'README.md': '# deploy (moved)\n' }
        },
        pulls: [PULL({})],
        writes: UPDATE_WRITES,
        identity: [],
        leaks: []
      })
    })
  })

  it('the target already holds the desired state: no PR, changed=false, commit-sha = target head', async () => {
    await withDouble(async double => {
      const base = double.state.createRepo(DEPLOY, { files: FILES })
      const run = await handoff(double, { ...PR, tag: '1.3.0' })
      expect(observe(double, run, 0, base)).toEqual({
        code: 0,
        errors: [],
        warnings: [],
        outputs: OUT({
          'commit-sha': '<target>',
          changed: 'false',
          'previous-tag': '',
          files: '',
          branch: 'main',
          'pr-number': '',
          'pr-url': '',
          'pr-operation': ''
        }),
        target: { head: '<target>', files: FILES },
        pulls: [],
        writes: [],
        identity: [],
        leaks: []
      })
    })
  })

  it('the target already holds it and our PR is open: the PR is left alone and reported', async () => {
    await withDouble(async double => {
      const base = double.state.createRepo(DEPLOY, { files: FILES })
      const first = await handoff(double, { ...PR, tag: '1.4.0' })
      double.state.commitFiles(
        DEPLOY,
        'main',
        { [STAGING]: overlay('staging', '1.4.0') },
        'hotfix by hand'
      )
      const from = mark(double)
      const run = await handoff(double, { ...PR, tag: '1.4.0' })
      expect(observe(double, run, from, base, first.outputs.branch)).toEqual({
        code: 0,
        errors: [],
        warnings: [],
        outputs: OUT({
          'commit-sha': '<moved>',
          changed: 'false',
          'previous-tag': '',
          files: '',
          branch: 'main',
          'pr-operation': 'unchanged'
        }),
        target: { head: '<moved>', files: STAGING_AT('1.4.0') },
        // The PR branch is not touched: its commit still sits on the old target head.
        prBranch: {
          onTopOf: '<target>',
          commit: { message: MESSAGE('1.4.0'), verified: true, parents: 1 },
          files: STAGING_AT('1.4.0')
        },
        pulls: [PULL({})],
        writes: [],
        identity: [],
        leaks: []
      })
    })
  })

  it('labels, reviewers, team reviewers, assignees and draft applied; a refused reviewer only warns', async () => {
    await withDouble(async double => {
      const base = double.state.createRepo(DEPLOY, { files: FILES })
      double.state.setCollaborators(DEPLOY, ['alice', 'bob'])
      double.state.setTeams(DEPLOY, ['platform'])
      const run = await handoff(double, {
        ...PR,
        tag: '1.4.0',
        'pr-labels': 'deploy, staging',
        'pr-reviewers': 'alice\nmallory',
        'pr-team-reviewers': 'platform',
        'pr-assignees': 'bob',
        'pr-draft': 'true',
        'pr-title': 'Staging: {image} {previous} → {tag}'
      })
      const seen = observe(double, run, 0, base)
      expect({ ...seen, writes: seen.writes.slice(CREATE_WRITES.length) }).toEqual({
        code: 0,
        errors: [],
        warnings: [
          expect.stringMatching(
            /^Review not requested on #1 from "mallory": GitHub answered 422 .*Reviews may only be requested from collaborators/
          )
        ],
        outputs: OUT({}),
        target: { head: '<target>', files: FILES },
        prBranch: {
          onTopOf: '<target>',
          commit: { message: MESSAGE('1.4.0'), verified: true, parents: 1 },
          files: STAGING_AT('1.4.0')
        },
        pulls: [
          PULL({
            draft: true,
            title: 'Staging: ghcr.io/acme/api 1.3.0 → 1.4.0',
            labels: ['deploy', 'staging'],
            reviewers: ['alice'],
            teamReviewers: ['platform'],
            assignees: ['bob']
          })
        ],
        writes: [
          '200 POST /repos/acme/deploy/issues/1/labels',
          '422 POST /repos/acme/deploy/pulls/1/requested_reviewers',
          '201 POST /repos/acme/deploy/pulls/1/requested_reviewers',
          '422 POST /repos/acme/deploy/pulls/1/requested_reviewers',
          '201 POST /repos/acme/deploy/pulls/1/requested_reviewers',
          '201 POST /repos/acme/deploy/issues/1/assignees'
        ],
        identity: [],
        leaks: []
      })
    })
  })

  it.each([
    {
      name: 'auto-merge enabled where the repository allows it',
      allow: true,
      autoMerge: 'squash',
      warnings: []
    },
    {
      name: 'auto-merge not allowed by the repository: a warning, exit 0',
      allow: false,
      autoMerge: null,
      warnings: [
        'auto-merge not enabled on #1: GitHub answered "Pull request Auto merge is not allowed for this repository".'
      ]
    }
  ])('$name', async c => {
    await withDouble(async double => {
      const base = double.state.createRepo(DEPLOY, { files: FILES, allowAutoMerge: c.allow })
      const run = await handoff(double, { ...PR, tag: '1.4.0', 'auto-merge': 'squash' })
      const seen = observe(double, run, 0, base)
      expect({
        code: seen.code,
        warnings: seen.warnings,
        pulls: seen.pulls,
        writes: seen.writes
      }).toEqual({
        code: 0,
        warnings: c.warnings,
        pulls: [PULL({ autoMerge: c.autoMerge })],
        writes: [...CREATE_WRITES, '200 POST /graphql']
      })
    })
  })

  it('GitHub Enterprise Server: REST under /api/v3, GraphQL (the read, auto-merge) at /api/graphql', async () => {
    await withDouble(async double => {
      double.state.createRepo(DEPLOY, { files: FILES, allowAutoMerge: true })
      const run = await handoff(
        double,
        { ...PR, tag: '1.4.0', 'auto-merge': 'rebase' },
        { apiUrl: double.ghesUrl }
      )
      expect({
        code: run.code,
        autoMerge: double.state.pulls(DEPLOY).map(p => p.autoMerge?.mergeMethod),
        prefixes: [
          ...new Set(
            double.log.entries.map(
              e => `${e.prefix} ${e.route === '/graphql' ? 'graphql' : 'rest'}`
            )
          )
        ].sort()
      }).toEqual({ code: 0, autoMerge: ['rebase'], prefixes: ['/api graphql', '/api/v3 rest'] })
    })
  })

  it('a closed PR from the same branch: a new PR is opened', async () => {
    await withDouble(async double => {
      const base = double.state.createRepo(DEPLOY, { files: FILES })
      await handoff(double, { ...PR, tag: '1.4.0' })
      await api(double, 'PATCH', '/repos/acme/deploy/pulls/1', { state: 'closed' })
      const from = mark(double)
      const run = await handoff(double, { ...PR, tag: '1.4.0' })
      expect(observe(double, run, from, base)).toEqual({
        code: 0,
        errors: [],
        warnings: [],
        outputs: OUT({ 'pr-number': '2', 'pr-url': 'https://github.com/acme/deploy/pull/2' }),
        target: { head: '<target>', files: FILES },
        prBranch: {
          onTopOf: '<target>',
          commit: { message: MESSAGE('1.4.0'), verified: true, parents: 1 },
          files: STAGING_AT('1.4.0')
        },
        pulls: [PULL({ state: 'closed' }), PULL({ number: 2 })],
        writes: [
          '201 POST /repos/acme/deploy/git/trees',
          '201 POST /repos/acme/deploy/git/commits',
          '422 POST /repos/acme/deploy/git/refs',
          '200 PATCH /repos/acme/deploy/git/refs/heads/<pr-branch>',
          '201 POST /repos/acme/deploy/pulls'
        ],
        identity: [],
        leaks: []
      })
    })
  })

  it('two paths: one PR commit holding both files; a rerun is unchanged', async () => {
    await withDouble(async double => {
      const base = double.state.createRepo(DEPLOY, { files: FILES })
      const inputs = { ...PR, tag: '1.4.0', path: `${STAGING}\n${PROD}` }
      const first = await handoff(double, inputs)
      const from = mark(double)
      const run = await handoff(double, inputs)
      const seen = observe(double, run, from, base)
      expect({
        code: [first.code, seen.code],
        errors: seen.errors,
        outputs: seen.outputs,
        prBranch: seen.prBranch,
        target: seen.target,
        bodies: seen.pulls.map(p => p.body),
        writes: seen.writes
      }).toEqual({
        code: [0, 0],
        errors: [],
        outputs: OUT({
          files: `${STAGING}\n${PROD}`,
          changed: 'false',
          'pr-operation': 'unchanged'
        }),
        prBranch: {
          onTopOf: '<target>',
          commit: { message: MESSAGE('1.4.0'), verified: true, parents: 1 },
          files: { ...STAGING_AT('1.4.0'), [PROD]: overlay('prod', '1.4.0') }
        },
        target: { head: '<target>', files: FILES },
        bodies: [
          prBody([
            [STAGING, '1.3.0', '1.4.0'],
            [PROD, '1.3.0', '1.4.0']
          ])
        ],
        writes: []
      })
    })
  })

  it('dry-run: the PR that would be opened is reported, nothing is written', async () => {
    await withDouble(async double => {
      const base = double.state.createRepo(DEPLOY, { files: FILES })
      const run = await handoff(double, { ...PR, tag: '1.4.0', 'dry-run': 'true' })
      const seen = observe(double, run, 0, base)
      expect({
        code: seen.code,
        outputs: seen.outputs,
        pulls: seen.pulls,
        writes: seen.writes,
        target: seen.target
      }).toEqual({
        code: 0,
        outputs: OUT({ 'commit-sha': '', 'pr-number': '', 'pr-url': '', 'pr-operation': '' }),
        pulls: [],
        writes: [],
        target: { head: '<target>', files: FILES }
      })
    })
  })

  it('403 "GitHub Actions is not permitted to create or approve pull requests": the error names the repository setting', async () => {
    await withDouble(async double => {
      const base = double.state.createRepo(DEPLOY, { files: FILES, allowActionsPRs: false })
      const run = await handoff(double, { ...PR, tag: '1.4.0' })
      const seen = observe(double, run, 0, base)
      expect({
        code: seen.code,
        errors: errorAnnotations(run),
        outputs: run.outputs,
        target: seen.target,
        pulls: seen.pulls,
        leaks: seen.leaks
      }).toEqual({
        code: 1,
        errors: [
          {
            title: 'gitops-handoff PR_NOT_PERMITTED',
            message: expect.stringMatching(
              /GitHub answered 403 "GitHub Actions is not permitted to create or approve pull requests\.".* — Allow it in acme\/deploy: Settings → Actions → General → Workflow permissions → "Allow GitHub Actions to create and approve pull requests"/
            )
          }
        ],
        outputs: {},
        target: { head: '<target>', files: FILES },
        pulls: [],
        leaks: []
      })
    })
  })

  it.each([
    { name: 'the target branch', inputs: { 'pr-branch': 'main' }, which: 'target' },
    {
      name: 'the default branch while targeting another',
      inputs: { 'pr-branch': 'main', branch: 'staging' },
      which: 'default'
    }
  ])(
    'pr-branch equal to $name is refused before anything is written',
    async ({ inputs, which }) => {
      await withDouble(async double => {
        const base = double.state.createRepo(DEPLOY, { files: FILES })
        double.state.createBranch(DEPLOY, 'staging')
        const run = await handoff(double, { ...PR, tag: '1.4.0', ...inputs })
        const seen = observe(double, run, 0, base)
        expect({
          code: seen.code,
          errors: seen.errors,
          writes: seen.writes,
          target: seen.target
        }).toEqual({
          code: 1,
          errors: [
            `Input "pr-branch": "main" is the ${which} branch — The PR branch belongs to the action and is reset on every run; choose a branch of its own, or leave pr-branch empty.`
          ],
          writes: [],
          target: { head: '<target>', files: FILES }
        })
      })
    }
  )

  // A single-file read goes through the contents API, which reports no file mode: the PR
  // commit learns it from the parent's tree so the executable bit survives.
  it('an executable file keeps its mode in the PR commit', async () => {
    await withDouble(async double => {
      double.state.createRepo(DEPLOY, { files: FILES, executables: ['apps/web/IMAGE_TAG'] })
      const run = await handoff(double, {
        image: 'ghcr.io/acme/web',
        tag: '2.1.0',
        mode: 'pull-request',
        path: 'apps/web/IMAGE_TAG',
        branch: 'main'
      })
      expect({
        code: run.code,
        modes: await modes(double, DEPLOY, run.outputs.branch, ['apps/web/IMAGE_TAG'])
      }).toEqual({
        code: 0,
        modes: { 'apps/web/IMAGE_TAG': '100755' }
      })
    })
  })
})

describe('promote-from: dev → staging', () => {
  const PROMOTE = { image: 'ghcr.io/acme/api', 'promote-from': DEV, path: STAGING, branch: 'main' }

  it('commit mode: staging gets the tag dev runs; previous-tag is staging’s old tag', async () => {
    await withDouble(async double => {
      const base = double.state.createRepo(DEPLOY, { files: FILES })
      const run = await handoff(double, PROMOTE)
      const target = double.state.branchHead(DEPLOY, 'main') as string
      expect({
        code: run.code,
        errors: annotations(run, 'error'),
        outputs: {
          'commit-sha': named(run.outputs['commit-sha'], { head: target }),
          changed: run.outputs.changed,
          'previous-tag': run.outputs['previous-tag'],
          branch: run.outputs.branch
        },
        files: texts(double, DEPLOY, 'main', PATHS),
        commits: commitsSince(double, DEPLOY, 'main', base),
        requests: double.log.entries.map(e => `${e.method} ${e.path}`),
        promoted: run.stdout.includes(`Promoting ghcr.io/acme/api 1.4.0 from ${DEV}.`)
      }).toEqual({
        code: 0,
        errors: [],
        outputs: {
          'commit-sha': '<head>',
          changed: 'true',
          'previous-tag': '1.3.0',
          branch: 'main'
        },
        files: STAGING_AT('1.4.0'),
        commits: [{ message: MESSAGE('1.4.0'), verified: true, parents: 1 }],
        requests: [
          `GET /repos/acme/deploy/contents/${DEV}`,
          `GET /repos/acme/deploy/contents/${STAGING}`,
          `PUT /repos/acme/deploy/contents/${STAGING}`
        ],
        promoted: true
      })
    })
  })

  it('pull-request mode: the PR body shows both sides and where the tag came from', async () => {
    await withDouble(async double => {
      const base = double.state.createRepo(DEPLOY, { files: FILES })
      const run = await handoff(double, { ...PROMOTE, mode: 'pull-request' })
      expect(observe(double, run, 0, base)).toEqual({
        code: 0,
        errors: [],
        warnings: [],
        outputs: OUT({}),
        target: { head: '<target>', files: FILES },
        prBranch: {
          onTopOf: '<target>',
          commit: { message: MESSAGE('1.4.0'), verified: true, parents: 1 },
          files: STAGING_AT('1.4.0')
        },
        pulls: [PULL({ body: prBody([[STAGING, '1.3.0', '1.4.0']], DEV) })],
        writes: CREATE_WRITES,
        identity: [],
        leaks: []
      })
    })
  })

  it('a digest pinned in dev is promoted with it', async () => {
    await withDouble(async double => {
      const digest = `sha256:${'ab'.repeat(32)}`
      const pinned = overlay('dev', '1.4.0').replace(
        'newTag: 1.4.0 # set by CI',
        `newTag: 1.4.0 # set by CI\n    digest: ${digest}`
      )
      double.state.createRepo(DEPLOY, { files: { ...FILES, [DEV]: pinned } })
      const run = await handoff(double, PROMOTE)
      // A key kustomize would add goes where kustomize writes it: keys in alphabetical order.
      expect({ code: run.code, staging: texts(double, DEPLOY, 'main', [STAGING]) }).toEqual({
        code: 0,
        staging: {
          [STAGING]: overlay('staging', '1.4.0').replace(
            '  - name: ghcr.io/acme/api',
            `  - digest: ${digest}\n    name: ghcr.io/acme/api`
          )
        }
      })
    })
  })

  it('a promote-from file that does not reference the image: a clear error, nothing written', async () => {
    await withDouble(async double => {
      const base = double.state.createRepo(DEPLOY, { files: FILES })
      const run = await handoff(double, { ...PROMOTE, 'promote-from': 'apps/web/deployment.yaml' })
      const fromDeployment = await handoff(double, {
        ...PROMOTE,
        'promote-from': PROD.replace('prod', 'qa')
      })
      expect({
        code: [run.code, fromDeployment.code],
        errors: [...errorAnnotations(run), ...errorAnnotations(fromDeployment)],
        writes: writesSince(double, 0).length,
        head: double.state.branchHead(DEPLOY, 'main') === base
      }).toEqual({
        code: [1, 1],
        errors: [
          {
            title: 'gitops-handoff IMAGE_NOT_FOUND',
            file: 'apps/web/deployment.yaml',
            message: expect.stringMatching(/"ghcr\.io\/acme\/api".*"ghcr\.io\/acme\/web:2\.0\.0"/)
          },
          expect.objectContaining({
            title: 'gitops-handoff FILE_NOT_FOUND',
            file: 'apps/api/overlays/qa/kustomization.yaml'
          })
        ],
        writes: 0,
        head: true
      })
    })
  })
})
