#!/usr/bin/env node
// `npm run demo`: see a handoff land without a GitHub account. Starts the bundled GitHub API
// double on 127.0.0.1 with a small manifest repository, runs dist/index.js exactly as the
// runner does (INPUT_* variables, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_API_URL),
// then prints the outputs, the new commit and the file before and after.
//
//   npm run demo                       # bump ghcr.io/acme/api to a new tag in the dev overlay
//   npm run demo -- --tag 2.0.0 --mode pull-request
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { startGitHubDouble } from '../__tests__/support/github-double.mjs'

const root = new URL('..', import.meta.url).pathname
const { values: args } = parseArgs({
  options: {
    tag: { type: 'string', default: `1.4.${Math.floor(Date.now() / 1000) % 1000}` },
    mode: { type: 'string', default: 'commit' },
    'dry-run': { type: 'boolean', default: false }
  }
})

const OVERLAY = 'apps/api/overlays/dev/kustomization.yaml'
const KUSTOMIZATION = `# dev overlay of the api service
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../../base
images:
  - name: ghcr.io/acme/api
    newTag: "1.3.0" # bumped by CI
`

const double = await startGitHubDouble()
try {
  double.state.createRepo('acme/deploy', {
    files: { [OVERLAY]: KUSTOMIZATION, 'apps/api/base/deployment.yaml': 'kind: Deployment\n' }
  })
  const dir = mkdtempSync(join(tmpdir(), 'gitops-handoff-demo-'))
  const outputFile = join(dir, 'output')
  const summaryFile = join(dir, 'summary.md')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const inputs = {
    image: 'ghcr.io/acme/api',
    tag: args.tag,
    'manifest-repo': 'acme/deploy',
    path: OVERLAY,
    mode: args.mode,
    'dry-run': String(args['dry-run']),
    token: 'ghs_demo_token_not_secret'
  }
  const env = {
    PATH: process.env.PATH,
    GITHUB_API_URL: double.url,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'acme/api',
    GITHUB_SHA: '4b825dc642cb6eb9a060e54bf8d69288fbee4904',
    GITHUB_RUN_ID: '1',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: dir
  }
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value

  console.log(`$ node dist/index.js   # against the GitHub API double at ${double.url}\n`)
  // Asynchronous: the double answers from this very process while the action runs.
  const run = await promisify(execFile)(process.execPath, [join(root, 'dist/index.js')], {
    env,
    timeout: 60_000
  })
    .then(({ stdout, stderr }) => ({ stdout, stderr, status: 0 }))
    .catch(error => ({
      stdout: error.stdout ?? '',
      stderr: error.stderr ?? String(error),
      status: error.code ?? 1
    }))
  process.stdout.write(run.stdout)
  process.stderr.write(run.stderr)
  console.log(
    `\nexit code ${run.status}\n\n--- outputs (GITHUB_OUTPUT) ---\n${readFileSync(outputFile, 'utf8')}`
  )
  console.log(`--- job summary ---\n${readFileSync(summaryFile, 'utf8')}`)
  const [commit] = double.state.log('acme/deploy', 'main', 1)
  console.log(
    `--- acme/deploy main: ${commit.sha.slice(0, 12)} "${commit.message.split('\n')[0]}" (verified: ${commit.verified}) ---`
  )
  console.log(double.state.readFile('acme/deploy', 'main', OVERLAY).toString('utf8'))
  console.log(`API requests: ${double.log.entries.length} (${double.log.writes().length} writes)`)
  rmSync(dir, { recursive: true, force: true })
  process.exitCode = run.status ?? 1
} finally {
  await double.close()
}
