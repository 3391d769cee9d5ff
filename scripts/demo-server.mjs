#!/usr/bin/env node
// Starts the bundled GitHub API double on 127.0.0.1 with a sample manifest repository
// (acme/deploy: a kustomize overlay per environment, Helm values, an IMAGE_TAG file) and keeps
// it up, so the CLI or anything else that speaks the GitHub API can be tried against it:
//
//   node scripts/demo-server.mjs --url-file /tmp/double-url &
//   GITHUB_API_URL=$(cat /tmp/double-url) GITHUB_TOKEN=demo node dist/cli/index.js \
//     --manifest-repo acme/deploy --path apps/api/overlays/dev/kustomization.yaml \
//     --image ghcr.io/acme/api --tag 1.4.0 --dry-run
//
// It stops on SIGINT/SIGTERM or after --timeout seconds (default 3600) and then prints the
// manifest repository's recent commits. CI's self-test job uses it for the CLI.
import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { startGitHubDouble } from '../__tests__/support/github-double.mjs'

const { values: args } = parseArgs({
  options: {
    'url-file': { type: 'string' },
    timeout: { type: 'string', default: '3600' }
  }
})
const timeoutSeconds = Number(args.timeout)
if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
  console.error(`--timeout ${JSON.stringify(args.timeout)}: give a number of seconds above 0`)
  process.exit(2)
}

const overlay = env => `# ${env} overlay of the api service
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../../base
images:
  - name: ghcr.io/acme/api
    newTag: "1.3.0" # bumped by CI
`

export const SAMPLE_FILES = {
  'apps/api/base/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          image: ghcr.io/acme/api:1.3.0
`,
  'apps/api/overlays/dev/kustomization.yaml': overlay('dev'),
  'apps/api/overlays/staging/kustomization.yaml': overlay('staging'),
  'apps/api/overlays/prod/kustomization.yaml': overlay('prod'),
  'charts/web/values-dev.yaml': `image:
  repository: ghcr.io/acme/web
  tag: "2.0.0"
replicaCount: 1
`,
  'services/worker/IMAGE_TAG': '0.9.1\n'
}

const double = await startGitHubDouble()
double.state.createRepo('acme/deploy', { files: SAMPLE_FILES })
if (args['url-file']) writeFileSync(args['url-file'], double.url)
console.log(`GitHub API double at ${double.url} with acme/deploy (branch main):`)
for (const path of Object.keys(SAMPLE_FILES)) console.log(`  ${path}`)
console.log(`Stops on Ctrl-C or after ${timeoutSeconds} s.`)

let stopping = false
async function stop(reason) {
  if (stopping) return
  stopping = true
  clearTimeout(timer)
  console.log(`\n${reason}; acme/deploy main, newest first:`)
  for (const commit of double.state.log('acme/deploy', 'main', 5)) {
    console.log(`  ${commit.sha.slice(0, 12)} ${commit.message.split('\n')[0]}`)
  }
  console.log(`API requests: ${double.log.entries.length} (${double.log.writes().length} writes)`)
  await double.close()
}
const timer = setTimeout(
  () => void stop(`Timeout after ${timeoutSeconds} s`),
  timeoutSeconds * 1000
)
process.on('SIGINT', () => void stop('Interrupted'))
process.on('SIGTERM', () => void stop('Terminated'))
