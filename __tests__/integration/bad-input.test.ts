/**
 * Failures end to end through dist/index.js: exit code 1, one `::error` per problem that names
 * the problem and the fix, nothing written, and the token nowhere in what the runner shows.
 * Input errors are found before any request; repository and API errors before any write
 * that lands.
 */
import { describe, expect, it } from '@jest/globals'
import type { GitHubDouble } from '../support/github-double.mjs'
import {
  DEPLOY,
  TOKEN,
  annotations,
  errorAnnotations,
  handoff,
  requestsSince,
  secretSightings,
  texts,
  withDouble,
  writesSince
} from './helpers.js'

const KUSTOMIZATION = 'images:\n  - name: ghcr.io/acme/api\n    newTag: 1.3.0\n'
const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.0.0
        - name: cache
          image: redis:7
`
const FILES: Record<string, string> = {
  'apps/api/kustomization.yaml': KUSTOMIZATION,
  'apps/api/deployment.yaml': DEPLOYMENT,
  'apps/api/values.yaml': 'image:\n  repository: ghcr.io/acme/api\n  tag: [1.3.0\nreplicas: 2\n',
  'apps/api/values-good.yaml': 'image:\n  repository: ghcr.io/acme/api\n  tag: 1.3.0\n',
  'apps/api/broken.yaml':
    'spec:\n  containers:\n    - image: ghcr.io/acme/api:1.3.0\n   - name: x\n'
}
const PATHS = Object.keys(FILES)
const OK = {
  image: 'ghcr.io/acme/api',
  tag: '1.4.0',
  path: 'apps/api/kustomization.yaml',
  branch: 'main'
}

/** What a failed run must look like apart from its error lines. */
function failure(double: GitHubDouble, run: Awaited<ReturnType<typeof handoff>>) {
  return {
    code: run.code,
    landed: writesSince(double).filter(e => e.status < 400).length,
    files: texts(double, DEPLOY, 'main', PATHS),
    outputs: run.outputs,
    leaks: secretSightings(run, TOKEN)
  }
}

const FAILED = { code: 1, landed: 0, files: FILES, outputs: {}, leaks: [] }

describe('input errors: reported together, before any request', () => {
  const cases: { name: string; inputs: Record<string, string>; errors: string[] }[] = [
    {
      name: 'invalid image reference',
      inputs: { ...OK, image: 'ghcr.io/Acme/API' },
      errors: [
        'Input "image" "ghcr.io/Acme/API": is not a valid image reference: repository name must be lowercase — A valid image reference is [registry[:port]/]path[:tag][@digest] with a lowercase path, for example nginx:1.27, ghcr.io/acme/api:1.4.0 or localhost:5000/app@sha256:<64 hex digits>.'
      ]
    },
    {
      name: '`latest` without allow-latest',
      inputs: { ...OK, tag: 'latest' },
      errors: [
        'Input "tag" "latest": is the mutable tag "latest", refused by default — Deploy an immutable tag (a version or commit SHA), or set allow-latest: true.'
      ]
    },
    {
      name: '`latest` carried by the image reference',
      inputs: { ...OK, image: 'ghcr.io/acme/api:latest', tag: '' },
      errors: [
        'Input "tag" "latest": is the mutable tag "latest", refused by default — Deploy an immutable tag (a version or commit SHA), or set allow-latest: true.'
      ]
    },
    {
      name: 'bad digest',
      inputs: { ...OK, digest: 'sha256:abc' },
      errors: [
        'Input "digest" "sha256:abc": is not a valid digest — Use sha256:<64 lowercase hex characters>, e.g. the digest output of docker/build-push-action.'
      ]
    },
    {
      name: 'unknown mode and unknown format, both at once',
      inputs: { ...OK, mode: 'push', format: 'toml' },
      errors: [
        'Input "mode" "push": is not a valid choice — Use one of: commit, pull-request.',
        'Input "format" "toml": is not a valid choice — Use one of: auto, kustomize, workload, helm, tag-file, argocd-source.'
      ]
    },
    {
      name: 'both tag and promote-from',
      inputs: { ...OK, 'promote-from': 'apps/api/dev/kustomization.yaml' },
      errors: [
        'Input "tag" "1.4.0": cannot be combined with "promote-from" — Either copy the reference from "promote-from" or give "tag"/"digest", not both.'
      ]
    },
    {
      name: 'paths with "..", absolute, backslash and under .github/: one error each',
      inputs: {
        ...OK,
        path: '../other/kustomization.yaml\n/etc/passwd\napps\\api\\values.yaml\n.github/workflows/deploy.yml'
      },
      errors: [
        'Input "path": path "../other/kustomization.yaml" contains a ".." segment — Give a path relative to the manifest repository root, e.g. "apps/api/overlays/dev/kustomization.yaml".',
        'Input "path": path "/etc/passwd" is absolute — Give a path relative to the manifest repository root, e.g. "apps/api/overlays/dev/kustomization.yaml".',
        'Input "path": path "apps\\\\api\\\\values.yaml" contains a backslash — Use forward slashes: "apps/api/values.yaml".',
        'Input "path": path ".github/workflows/deploy.yml" is under .github/, which this action never edits — Workflow files run with the workflow\'s secrets; keep deployment manifests outside ".github/".'
      ]
    },
    {
      name: 'a glob that could reach .github/',
      inputs: { ...OK, path: '.git*/**/*.yml' },
      errors: [
        'Input "path": path ".git*/**/*.yml" is under .github/, which this action never edits — Workflow files run with the workflow\'s secrets; keep deployment manifests outside ".github/".'
      ]
    },
    {
      name: 'empty path list',
      inputs: { ...OK, path: ' ,\n , ' },
      errors: [
        'Input "path": is required — List one or more files of the manifest repository, e.g. apps/api/overlays/dev/kustomization.yaml.'
      ]
    },
    {
      name: 'bad max-attempts',
      inputs: { ...OK, 'max-attempts': 'many' },
      errors: [
        'Input "max-attempts" "many": is not a whole number from 1 to 20 — Use e.g. max-attempts: 5.'
      ]
    },
    {
      name: 'max-attempts out of range',
      inputs: { ...OK, 'max-attempts': '0' },
      errors: [
        'Input "max-attempts" "0": is not a whole number from 1 to 20 — Use e.g. max-attempts: 5.'
      ]
    },
    {
      name: 'only-newer: semver with a tag that is not a semantic version',
      inputs: { ...OK, tag: 'main-0a1b2c3', 'only-newer': 'semver' },
      errors: [
        'Input "only-newer" "semver": needs semantic-version tags, but tag "main-0a1b2c3" is not one — Tag images like 1.4.2 or v1.4.2-rc.1, use only-newer: git for commit-SHA tags, or set only-newer: false.'
      ]
    },
    {
      name: 'only-newer: git with a tag that is not a commit SHA',
      inputs: { ...OK, tag: 'v1.4.0', 'only-newer': 'git' },
      errors: [
        'Input "only-newer" "git": needs commit-SHA tags, but tag "v1.4.0" is not a commit SHA — Tag images with the source commit (e.g. tag: ${{ github.sha }}), use only-newer: semver for version tags, or set only-newer: false.'
      ]
    },
    {
      name: 'only-newer with a digest alone',
      inputs: { ...OK, tag: '', digest: `sha256:${'0'.repeat(64)}`, 'only-newer': 'semver' },
      errors: [
        'Input "only-newer" "semver": needs a tag to compare, but ghcr.io/acme/api is given only a digest — Give "tag" together with "digest", or set only-newer: false.'
      ]
    },
    {
      name: 'a tag carrying a line break cannot inject a workflow command',
      inputs: { ...OK, tag: '1.4.0\n::set-output name=changed::false' },
      errors: [
        'Input "tag" "1.4.0\\n::set-output name=changed::false": is not a valid tag — A tag is 1–128 characters of letters, digits, "_", "." and "-", not starting with "." or "-".'
      ]
    },
    {
      name: 'image missing',
      inputs: { ...OK, image: '' },
      errors: ['Input "image": is required — Set "image" (e.g. ghcr.io/acme/api) or "images".']
    },
    {
      name: 'token empty (an undefined secret)',
      inputs: { ...OK, token: ' ' },
      errors: [
        'Input "token": is empty — Pass a token with contents: write on the manifest repository, e.g. token: ${{ secrets.DEPLOY_TOKEN }}.'
      ]
    },
    {
      name: 'every problem of one run at once',
      inputs: {
        ...OK,
        image: 'ghcr.io/acme/api',
        tag: 'latest',
        digest: 'md5:x',
        path: '../x.yaml',
        mode: 'merge',
        'max-attempts': '-1'
      },
      errors: [
        'Input "digest" "md5:x": is not a valid digest — Use sha256:<64 lowercase hex characters>, e.g. the digest output of docker/build-push-action.',
        'Input "tag" "latest": is the mutable tag "latest", refused by default — Deploy an immutable tag (a version or commit SHA), or set allow-latest: true.',
        'Input "path": path "../x.yaml" contains a ".." segment — Give a path relative to the manifest repository root, e.g. "apps/api/overlays/dev/kustomization.yaml".',
        'Input "mode" "merge": is not a valid choice — Use one of: commit, pull-request.',
        'Input "max-attempts" "-1": is not a whole number from 1 to 20 — Use e.g. max-attempts: 5.'
      ]
    }
  ]

  it.each(cases)('$name', async c => {
    await withDouble(async double => {
      double.state.createRepo(DEPLOY, { files: FILES })
      const run = await handoff(double, c.inputs)
      expect({
        ...failure(double, run),
        errors: annotations(run, 'error'),
        requests: requestsSince(double),
        summary: run.summary
      }).toEqual({
        ...FAILED,
        errors: c.errors,
        requests: [],
        summary: ''
      })
    })
  })
})

interface ApiCase {
  readonly name: string
  readonly inputs: Record<string, string>
  readonly arrange?: (double: GitHubDouble) => void
  /** The error lines: title (code), location, and the message matched for problem and fix. */
  readonly errors: { title: string; message: RegExp; file?: string; line?: string; col?: string }[]
  /** Requests, in order (`METHOD /path`, with status). */
  readonly requests: string[]
}

const K = 'apps/api/kustomization.yaml'

describe('repository and API errors: exit 1, one actionable error, nothing lands', () => {
  const cases: ApiCase[] = [
    {
      name: 'file missing',
      inputs: { ...OK, path: 'apps/api/missing.yaml' },
      errors: [
        {
          title: 'gitops-handoff FILE_NOT_FOUND',
          file: 'apps/api/missing.yaml',
          message:
            /File "apps\/api\/missing\.yaml" not found on branch "main" of acme\/deploy\. — Check `path`: .*this action edits files; it does not create them/
        }
      ],
      requests: [
        '404 GET /repos/acme/deploy/contents/apps/api/missing.yaml',
        '200 GET /repos/acme/deploy/git/ref/heads/main'
      ]
    },
    {
      name: 'branch missing',
      inputs: { ...OK, branch: 'deploy' },
      errors: [
        {
          title: 'gitops-handoff NOT_FOUND',
          message: /Branch "deploy" does not exist in acme\/deploy\. — Check the `branch` input/
        }
      ],
      requests: [
        `404 GET /repos/acme/deploy/contents/${K}`,
        '404 GET /repos/acme/deploy/git/ref/heads/deploy',
        '200 GET /repos/acme/deploy'
      ]
    },
    {
      name: 'image not in a workload: the error lists the file’s images',
      inputs: { ...OK, path: 'apps/api/deployment.yaml' },
      errors: [
        {
          title: 'gitops-handoff IMAGE_NOT_FOUND',
          file: 'apps/api/deployment.yaml',
          message:
            /No container image of "ghcr\.io\/acme\/api" found; the file references "ghcr\.io\/acme\/web:1\.0\.0", "redis:7" — Check `image`/
        }
      ],
      requests: ['200 GET /repos/acme/deploy/contents/apps/api/deployment.yaml']
    },
    {
      name: 'image not in a kustomization with create-missing: false: the error lists its entries',
      inputs: { ...OK, image: 'ghcr.io/acme/web', 'create-missing': 'false' },
      errors: [
        {
          title: 'gitops-handoff IMAGE_NOT_FOUND',
          file: K,
          message:
            /No images entry is named "ghcr\.io\/acme\/web"; the kustomization has images entries "ghcr\.io\/acme\/api" — .*create-missing: true/
        }
      ],
      requests: [`200 GET /repos/acme/deploy/contents/${K}`]
    },
    {
      name: 'YAML syntax errors in two of three files: one error each with file:line:col, nothing written',
      inputs: {
        ...OK,
        path: 'apps/api/values-good.yaml\napps/api/values.yaml\napps/api/broken.yaml',
        key: 'image.tag'
      },
      errors: [
        {
          title: 'gitops-handoff PARSE_ERROR',
          file: 'apps/api/values.yaml',
          line: '4',
          col: '1',
          message:
            /^apps\/api\/values\.yaml: YAML syntax error at line 4, column 1: .* — Fix the YAML syntax/
        },
        {
          title: 'gitops-handoff PARSE_ERROR',
          file: 'apps/api/broken.yaml',
          line: '4',
          col: '1',
          message:
            /^apps\/api\/broken\.yaml: YAML syntax error at line 4, column 1: .* — Fix the YAML syntax/
        }
      ],
      requests: ['200 POST /graphql']
    },
    {
      name: 'only-newer: git when the file holds a tag that is no commit SHA',
      inputs: { ...OK, tag: 'a1b2c3d4e5f6', 'only-newer': 'git' },
      errors: [
        {
          title: 'gitops-handoff INVALID_INPUT',
          file: K,
          message:
            /git compares commit SHAs, but apps\/api\/kustomization\.yaml has tag "1\.3\.0", which is not one — Deploy a commit-SHA tag once with only-newer: false/
        }
      ],
      requests: [`200 GET /repos/acme/deploy/contents/${K}`]
    },
    {
      name: 'a glob that matches nothing',
      inputs: { ...OK, path: 'apps/*/overlays/prod/kustomization.yaml' },
      errors: [
        {
          title: 'gitops-handoff NO_MATCH',
          message:
            /pattern "apps\/\*\/overlays\/prod\/kustomization\.yaml" matches no file on the branch — Check the pattern/
        }
      ],
      requests: ['200 GET /repos/acme/deploy/git/trees/main']
    },
    {
      name: 'a path that is a directory',
      inputs: { ...OK, path: 'apps/api' },
      errors: [
        {
          title: 'gitops-handoff NOT_A_FILE',
          file: 'apps/api',
          message:
            /Path "apps\/api" on branch "main" of acme\/deploy is a directory, not a file\. — `path` must name files/
        }
      ],
      requests: ['200 GET /repos/acme/deploy/contents/apps/api']
    },
    {
      name: '401: the token is not accepted',
      inputs: OK,
      arrange: double =>
        double.state.setPermission('ghs_someone_else_entirely_000000000000', DEPLOY, 'write'),
      errors: [
        {
          title: 'gitops-handoff BAD_CREDENTIALS',
          message:
            /GitHub answered 401 "Bad credentials"\. — GitHub did not accept the token: it is empty, expired or revoked\. Pass a valid token in the `token` input/
        }
      ],
      requests: [`401 GET /repos/acme/deploy/contents/${K}`]
    },
    {
      name: '403: a read-only token; the refused write is the only write',
      inputs: OK,
      arrange: double => double.state.setPermission(TOKEN, DEPLOY, 'read'),
      errors: [
        {
          title: 'gitops-handoff PERMISSION_DENIED',
          message:
            /GitHub answered 403 "Resource not accessible by integration"\. — The token may not do this in acme\/deploy\. It needs `contents: write`/
        }
      ],
      requests: [
        `200 GET /repos/acme/deploy/contents/${K}`,
        `403 PUT /repos/acme/deploy/contents/${K}`
      ]
    },
    {
      name: '403 on the first read (SAML enforcement): no write at all',
      inputs: OK,
      arrange: double =>
        double.faults.add({
          method: 'GET',
          path: /\/contents\//,
          status: 403,
          body: {
            message:
              'Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this organization.'
          }
        }),
      errors: [
        {
          title: 'gitops-handoff PERMISSION_DENIED',
          message:
            /GitHub answered 403 "Resource protected by organization SAML enforcement\..*"\. — The organization that owns acme\/deploy enforces SAML single sign-on/
        }
      ],
      requests: [`403 GET /repos/acme/deploy/contents/${K}`]
    },
    {
      name: '404: GITHUB_TOKEN cannot see another repository',
      inputs: OK,
      arrange: double => {
        double.state.createRepo('acme/app')
        double.state.setPermission(TOKEN, 'acme/app', 'write')
      },
      errors: [
        {
          title: 'gitops-handoff NOT_FOUND',
          message:
            /GitHub answered 404 "Not Found"\. — Check the spelling of `manifest-repo` \("acme\/deploy"\).*use a fine-grained PAT or a GitHub App token/
        }
      ],
      requests: [
        `404 GET /repos/acme/deploy/contents/${K}`,
        '404 GET /repos/acme/deploy/git/ref/heads/main',
        '404 GET /repos/acme/deploy'
      ]
    },
    {
      name: 'branch protection: the refusal names mode: pull-request',
      inputs: OK,
      arrange: double => double.state.setBranchProtection(DEPLOY, 'main', true),
      errors: [
        {
          title: 'gitops-handoff BRANCH_PROTECTED',
          message:
            /GitHub answered 409 "Could not update file: .*Changes must be made through a pull request\.".* — Branch "main" of acme\/deploy is protected .*Use `mode: pull-request`/
        }
      ],
      requests: [
        `200 GET /repos/acme/deploy/contents/${K}`,
        `409 PUT /repos/acme/deploy/contents/${K}`
      ]
    },
    {
      name: 'a persistent 502 is retried, then reported',
      inputs: OK,
      arrange: double =>
        double.faults.add({ method: 'GET', path: /\/contents\//, status: 502, times: 10 }),
      errors: [
        {
          title: 'gitops-handoff GITHUB_ERROR',
          message:
            /GitHub answered 502 .* — GitHub failed on its side \(the request was already retried\)/
        }
      ],
      requests: [1, 2, 3, 4].map(() => `502 GET /repos/acme/deploy/contents/${K}`)
    }
  ]

  it.each(cases)('$name', async c => {
    await withDouble(async double => {
      double.state.createRepo(DEPLOY, { files: FILES })
      c.arrange?.(double)
      const run = await handoff(double, c.inputs)
      const requests = double.log.entries.map(e =>
        `${e.status} ${e.method} ${e.path}`.replace(/[0-9a-f]{40}/, '<sha>')
      )
      expect({ ...failure(double, run), errors: errorAnnotations(run), requests }).toEqual({
        ...FAILED,
        errors: c.errors.map(e => ({ ...e, message: expect.stringMatching(e.message) })),
        requests: c.requests
      })
    })
  })
})

describe('the token stays secret', () => {
  it('is masked and never printed, even when debug logging shows every request', async () => {
    await withDouble(async double => {
      double.state.createRepo(DEPLOY, { files: FILES })
      double.faults.add({
        method: 'PUT',
        status: 401,
        body: { message: `Bad credentials for token ${TOKEN}` }
      })
      const run = await handoff(double, OK, {
        env: { RUNNER_DEBUG: '1', ACTIONS_STEP_DEBUG: 'true' }
      })
      expect({
        code: run.code,
        masked: run.commands.filter(c => c.command === 'add-mask').map(c => c.message),
        leaks: secretSightings(run, TOKEN),
        debugLines: run.commands.some(c => c.command === 'debug')
      }).toEqual({ code: 1, masked: [TOKEN], leaks: [], debugLines: true })
    })
  })
})
