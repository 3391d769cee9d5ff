/**
 * The manifest repositories both approaches work on, byte for byte the same: written into a
 * bare git repository with `git fast-import` (for the clone baseline) and into the GitHub API
 * double with its state API (for the action).
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { join } from 'node:path'
import { git } from './proc.mjs'

export const API_IMAGE = 'ghcr.io/acme/api'
export const ENVIRONMENTS = ['dev', 'staging', 'prod', 'qa', 'perf']
export const OVERLAY = env => `apps/api/overlays/${env}/kustomization.yaml`
/** The file the 20 concurrent pipelines all edit, one image each. */
export const PLATFORM_FILE = 'apps/platform/kustomization.yaml'
export const PLATFORM_IMAGES = Array.from(
  { length: 20 },
  (_, i) => `ghcr.io/acme/svc-${String(i + 1).padStart(2, '0')}`
)
export const HISTORY_BLOB = 'charts/vendor/platform-chart.tgz'

const MIB = 1024 * 1024
/** Pushes allowed; partial clones (`--filter`) allowed, as on GitHub. */
const SERVER_CONFIG = [
  ['http.receivepack', 'true'],
  ['uploadpack.allowFilter', 'true'],
  ['uploadpack.allowAnySHA1InWant', 'true']
]

function overlay(env) {
  return `# ${env} overlay of the api service
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: api-${env}
resources:
  - ../../base
images:
  - name: ${API_IMAGE}
    newTag: "1.0.0" # bumped by CI
`
}

function platform() {
  const entries = PLATFORM_IMAGES.map(image => `  - name: ${image}\n    newTag: "1.0.0"\n`)
  return `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../base\nimages:\n${entries.join('')}`
}

function filler(i) {
  const name = `app-${String(i).padStart(5, '0')}`
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels:
    app.kubernetes.io/name: ${name}
spec:
  replicas: ${1 + (i % 3)}
  selector:
    matchLabels:
      app.kubernetes.io/name: ${name}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ${name}
    spec:
      containers:
        - name: ${name}
          image: ghcr.io/acme/${name}:1.${i % 17}.${i % 101}
          ports:
            - containerPort: 8080
          resources:
            requests: { cpu: 50m, memory: 64Mi }
`
}

/** Exactly `count` files (count ≥ 8): the api overlays, the platform file, then filler apps. */
export function manifestFiles(count) {
  /** @type {Record<string, string>} */
  const files = { 'README.md': '# deploy\n\nManifests, bumped by CI.\n' }
  for (const env of ENVIRONMENTS) files[OVERLAY(env)] = overlay(env)
  files['apps/api/base/deployment.yaml'] = filler(0).replaceAll('app-00000', 'api')
  files[PLATFORM_FILE] = platform()
  const fixed = Object.keys(files).length
  for (let i = 1; i <= count - fixed; i++) {
    files[`apps/app-${String(i).padStart(5, '0')}/deployment.yaml`] = filler(i)
  }
  return files
}

/**
 * A repository of `fileCount` files whose history weighs `historyMiB` MiB: the first commit
 * and each later one rewrite a vendored chart archive with incompressible bytes, so the
 * history holds `historyMiB` archives while the tip holds one (as a repo that vendors charts
 * accumulates). `commits` is what to commit, in order.
 */
export function historyRepo(fileCount, historyMiB) {
  const files = manifestFiles(fileCount - 1)
  /** @type {Array<Record<string, string | Buffer>>} */
  const commits = [{ ...files, [HISTORY_BLOB]: randomBytes(MIB) }]
  for (let i = 1; i < historyMiB; i++) commits.push({ [HISTORY_BLOB]: randomBytes(MIB) })
  return commits
}

/** A bare repository at `dir` holding `commits` (each a map of files) on `main`. */
export async function writeBareRepo(dir, commits) {
  await git(['init', '-q', '--bare', '--initial-branch=main', dir])
  for (const [key, value] of SERVER_CONFIG) await git(['-C', dir, 'config', key, value])
  // fast-import deflates each object with a fresh zlib buffer; glibc hands that memory back
  // with brk() every time, which some VMs make slow (17 s instead of 1 s for 10,000 files).
  const env = { ...process.env, MALLOC_TOP_PAD_: String(64 * MIB) }
  const child = spawn('git', ['-C', dir, 'fast-import', '--quiet'], {
    env,
    stdio: ['pipe', 'ignore', 'pipe']
  })
  let stderr = ''
  child.stderr.on('data', chunk => (stderr += chunk))
  child.stdin.on('error', () => {})
  const closed = once(child, 'close')
  child.stdin.end(fastImportStream(commits))
  const [code] = await closed
  if (code !== 0) throw new Error(`git fast-import failed (${code}): ${stderr}`)
  return dir
}

/** One buffer: many small awaited writes to fast-import's stdin are far slower. */
function fastImportStream(commits) {
  /** @type {Buffer[]} */
  const chunks = []
  let time = 1_700_000_000
  for (const files of commits) {
    chunks.push(Buffer.from(commitHeader(`bench fixture ${time}`, time++)))
    for (const [path, content] of Object.entries(files)) {
      const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8')
      chunks.push(
        Buffer.from(`M 100644 inline ${path}\ndata ${bytes.length}\n`),
        bytes,
        Buffer.from('\n')
      )
    }
  }
  return Buffer.concat(chunks)
}

function commitHeader(message, time) {
  const data = Buffer.from(message, 'utf8')
  return `commit refs/heads/main\ncommitter Bench <bench@127.0.0.1> ${time} +0000\ndata ${data.length}\n${message}\n`
}

/** The same commits in the double (each commit one `commitFiles` after `createRepo`). */
export function writeDoubleRepo(state, fullName, commits) {
  const [first, ...rest] = commits
  state.createRepo(fullName, { files: first, message: 'bench fixture' })
  for (const files of rest) state.commitFiles(fullName, 'main', files, 'bench fixture')
}

export const bareRepoPath = (root, name) => join(root, `${name}.git`)
