/**
 * Editing benchmark (issue 3): how long the pure planner takes to edit a big manifest, as a
 * ratio to `yaml`'s own `parseAllDocuments` of the same bytes. Target: edit ≤ 1.5× parse.
 * Every edit has to parse the file once, so the ratio says what the AST walk and the splice
 * cost on top of that parse.
 *
 *   node --expose-gc --import ./bench/ts-loader.mjs bench/edit.ts [--quick] [--json FILE]
 *
 * `npm run bench` runs it as part of the whole benchmark (bench/run.mjs).
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { parseAllDocuments } from 'yaml'
import { planEdits, type PlanInput } from '../src/edit/plan.js'
import type { ImageUpdate } from '../src/edit/types.js'

const TARGET_RATIO = 1.5
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const ARGO_CD_INSTALL = resolve(
  repoRoot,
  '../shared/corpus/tricky/argoproj__argo-cd__manifests__install.yaml'
)

interface EditCase {
  readonly name: string
  readonly path: string
  readonly bytes: Buffer
  readonly update: ImageUpdate
}

interface EditCaseResult {
  readonly name: string
  readonly bytes: number
  readonly documents: number
  readonly valuesEdited: number
  readonly runs: number
  readonly parseMs: number
  readonly editMs: number
  readonly ratio: number
  readonly targetRatio: number
  readonly met: boolean
}

/** 100 Deployments, each with its own app image and the same mesh sidecar (edited in all). */
function hundredDocuments(): Buffer {
  const docs = Array.from({ length: 100 }, (_, i) => {
    const name = `svc-${String(i).padStart(3, '0')}`
    return `# ${name}: generated for the editing benchmark
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: { app: ${name}, tier: backend }
spec:
  replicas: 2
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
        - name: app
          image: ghcr.io/acme/${name}:1.0.${i} # app image
          ports:
            - containerPort: 8080
          env:
            - name: LOG_LEVEL
              value: "info"
        - name: proxy
          image: "ghcr.io/acme/mesh-proxy:1.27.0"
          args: ["--port", "15001"]
`
  })
  return Buffer.from(docs.join('---\n'), 'utf8')
}

function cases(): EditCase[] {
  return [
    {
      name: 'argo-cd install.yaml (corpus)',
      path: 'manifests/install.yaml',
      bytes: readFileSync(ARGO_CD_INSTALL),
      update: { image: 'quay.io/argoproj/argocd', tag: 'v3.2.0' }
    },
    {
      name: 'generated, 100 documents',
      path: 'apps/all.yaml',
      bytes: hundredDocuments(),
      update: { image: 'ghcr.io/acme/mesh-proxy', tag: '1.28.0' }
    }
  ]
}

function planInput(c: EditCase): PlanInput {
  return {
    files: [{ path: c.path, content: c.bytes }],
    updates: [c.update],
    format: 'auto',
    options: {}
  }
}

/** Both timings read the same bytes: decode included in each, as the planner decodes too. */
function timeParse(c: EditCase): number {
  const start = performance.now()
  const docs = parseAllDocuments(c.bytes.toString('utf8'))
  const ms = performance.now() - start
  if (!Array.isArray(docs) || docs.length === 0) throw new Error(`${c.name}: parsed to nothing`)
  return ms
}

function timeEdit(c: EditCase): { ms: number; edits: number } {
  const input = planInput(c)
  const start = performance.now()
  const plan = planEdits(input)
  const ms = performance.now() - start
  const change = plan.changes[0]
  if (plan.errors.length > 0 || plan.changes.length !== 1 || change === undefined) {
    const why = plan.errors.map(e => e.message).join('; ') || 'no change planned'
    throw new Error(`${c.name}: the edit did not happen: ${why}`)
  }
  return { ms, edits: change.edits.length }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

function collected<T>(timed: () => T): T {
  ;(globalThis as { gc?: () => void }).gc?.()
  return timed()
}

/** Alternates parse and edit so both see the same JIT and GC conditions. Bounded by count and time. */
function measure(c: EditCase, runs: number, budgetMs: number): EditCaseResult {
  for (let i = 0; i < 3; i++) {
    timeEdit(c)
    timeParse(c)
  }
  const parse: number[] = []
  const edit: number[] = []
  let edits = 0
  const deadline = performance.now() + budgetMs
  for (let i = 0; i < runs && (i < 3 || performance.now() < deadline); i++) {
    // Alternate which goes first, and collect garbage before each timing (when node runs
    // with --expose-gc), so neither pays for the other's garbage.
    if (i % 2 === 0) parse.push(collected(() => timeParse(c)))
    const e = collected(() => timeEdit(c))
    edit.push(e.ms)
    edits = e.edits
    if (i % 2 === 1) parse.push(collected(() => timeParse(c)))
  }
  const parseMs = median(parse)
  const editMs = median(edit)
  return {
    name: c.name,
    bytes: c.bytes.length,
    documents: parseAllDocuments(c.bytes.toString('utf8')).length,
    valuesEdited: edits,
    runs: parse.length,
    parseMs,
    editMs,
    ratio: editMs / parseMs,
    targetRatio: TARGET_RATIO,
    met: editMs / parseMs <= TARGET_RATIO
  }
}

function table(results: readonly EditCaseResult[]): string {
  const rows = results.map(
    r =>
      `| ${r.name} | ${(r.bytes / 1024).toFixed(0)} KiB | ${r.documents} | ${r.valuesEdited} | ` +
      `${r.parseMs.toFixed(1)} | ${r.editMs.toFixed(1)} | ${r.ratio.toFixed(2)}× | ` +
      `${r.met ? 'met' : 'MISSED'} (≤ ${r.targetRatio}×) |`
  )
  return [
    '| file | size | documents | values edited | parse ms | edit ms | edit / parse | target |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows
  ].join('\n')
}

function main(): void {
  const { values } = parseArgs({
    options: { quick: { type: 'boolean', default: false }, json: { type: 'string' } }
  })
  const runs = values.quick ? 5 : 21
  const results = cases().map(c => measure(c, runs, values.quick ? 3_000 : 15_000))
  console.log(table(results))
  if (values.json) writeFileSync(values.json, JSON.stringify(results, null, 2) + '\n')
}

main()
