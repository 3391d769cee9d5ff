/**
 * One measurement = one pipeline run of an approach on a repository at a latency, checked
 * afterwards (the new tag must be in the target file, else the run throws: no number is
 * reported for a run that did not do the job).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { isWrite } from '../../__tests__/support/github-double.mjs'
import { runAction } from './action.mjs'
import { cloneEditPush } from './baseline.mjs'
import {
  API_IMAGE,
  ENVIRONMENTS,
  OVERLAY,
  PLATFORM_FILE,
  PLATFORM_IMAGES,
  bareRepoPath,
  manifestFiles,
  writeBareRepo,
  writeDoubleRepo
} from './fixtures.mjs'
import { git, run } from './proc.mjs'
import { summary, typical } from './stats.mjs'

const TOKEN = 'ghs_bench_token_not_secret'
/** The action's `max-attempts` default (SPEC.md); the baseline loop gets the same budget. */
export const DEFAULT_MAX_ATTEMPTS = 5

export const SCENARIOS = {
  single: { label: 'single-file bump', paths: [OVERLAY('dev')], pr: false },
  multi: {
    label: `${ENVIRONMENTS.length}-file atomic bump`,
    paths: ENVIRONMENTS.map(OVERLAY),
    pr: false
  },
  pr: { label: 'PR mode, 1 file', paths: [OVERLAY('dev')], pr: true }
}

/** Baseline variants: how the clone is made. */
export const VARIANTS = {
  shallow: { label: 'git clone --depth 1', depth: 1, sparse: false },
  full: { label: 'git clone (full history)', depth: 0, sparse: false },
  sparse: { label: 'git clone --depth 1 --filter=blob:none --sparse', depth: 1, sparse: true }
}

/**
 * @typedef {{ workRoot: string, gitRoot: string, entry: string, node: string, reps: number,
 *   slowReps: number, warmup: number, seq: number, doubles: Map<number, any>,
 *   gits: Map<number, any>, progress: (line: string) => void }} Context
 * @typedef {{ latency: number, repo: string, scenario: keyof typeof SCENARIOS }} Config
 */

/** `rm -rf`: Node's recursive rmSync is ~40× slower on this kind of VM for big checkouts. */
async function remove(dir) {
  await run('rm', ['-rf', dir], { timeoutMs: 120_000 })
}

/** @param {Context} ctx @param {Config} config */
async function actionOnce(ctx, config) {
  const n = ++ctx.seq
  const tag = `bench-${n}`
  const { paths, pr } = SCENARIOS[config.scenario]
  const double = ctx.doubles.get(config.latency)
  const repo = `acme/deploy-${config.repo}`
  const workDir = mkdtempSync(join(ctx.workRoot, 'action-'))
  const inputs = {
    image: API_IMAGE,
    tag,
    'manifest-repo': repo,
    path: paths.join('\n'),
    branch: 'main',
    token: TOKEN
  }
  if (pr) Object.assign(inputs, { mode: 'pull-request', 'pr-branch': `bench/pr-${n}` })
  double.log.clear()
  const result = await runAction({
    node: ctx.node,
    entry: ctx.entry,
    apiUrl: double.url,
    workDir,
    inputs
  })
  const entries = [...double.log.entries]
  rmSync(workDir, { recursive: true, force: true })
  const landedOn = pr ? `bench/pr-${n}` : 'main'
  const missing = paths.filter(
    path =>
      !double.state.readFile(repo, landedOn, path)?.toString('utf8').includes(`newTag: "${tag}"`)
  )
  if (result.code !== 0 || result.outputs.changed !== 'true' || missing.length > 0) {
    throw new Error(
      `action run failed (exit ${result.code}, missing ${missing.join(', ')}):\n${result.log.slice(-3000)}`
    )
  }
  if (pr && result.outputs['pr-operation'] !== 'created')
    throw new Error(`no PR created:\n${result.log.slice(-2000)}`)
  return {
    ms: result.ms,
    requests: entries.length,
    writes: entries.filter(isWrite).length,
    firstRequestMs: entries.length > 0 ? entries[0].at - result.spawnedAt : Number.NaN,
    routes: entries.map(e => `${e.method} ${e.route ?? e.path}`)
  }
}

/** @param {Context} ctx @param {Config & { variant: keyof typeof VARIANTS }} config */
async function baselineOnce(ctx, config) {
  const n = ++ctx.seq
  const tag = `bench-${n}`
  const { paths, pr } = SCENARIOS[config.scenario]
  const server = ctx.gits.get(config.latency)
  const { depth, sparse } = VARIANTS[config.variant]
  const workDir = mkdtempSync(join(ctx.workRoot, 'clone-'))
  const pushBranch = pr ? `bench/pr-${n}` : undefined
  server.log.length = 0
  const url = `${server.url}/deploy-${config.repo}.git`
  const result = await cloneEditPush({
    url,
    workDir,
    image: API_IMAGE,
    tag,
    paths,
    depth,
    sparse,
    pushBranch
  })
  const requests = [...server.log]
  await remove(workDir)
  const bare = bareRepoPath(ctx.gitRoot, `deploy-${config.repo}`)
  for (const path of paths) {
    const shown = await git(['--git-dir', bare, 'show', `${pushBranch ?? 'main'}:${path}`])
    if (!result.pushed || !shown.stdout.includes(`newTag: "${tag}"`))
      throw new Error(`baseline did not land ${tag} in ${path}`)
  }
  return {
    ms: result.ms,
    phases: result.phases,
    roundTrips: requests.length,
    bytes: requests.reduce((sum, r) => sum + r.bytesOut, 0)
  }
}

/**
 * Measures the action and each baseline variant on one configuration, interleaved run by
 * run so a burst of machine load hits both alike. Warm-up runs are not counted.
 * @param {Context} ctx
 * @param {Config & { variants: (keyof typeof VARIANTS)[], slow?: boolean, warmup?: number }} config
 */
export async function measure(ctx, config) {
  const reps = config.slow ? ctx.slowReps : ctx.reps
  const warmup = config.warmup ?? ctx.warmup
  const approaches = ['action', ...config.variants]
  /** @type {Record<string, any[]>} */
  const runs = Object.fromEntries(approaches.map(a => [a, []]))
  for (let i = -warmup; i < reps; i++) {
    for (const approach of approaches) {
      const one =
        approach === 'action'
          ? await actionOnce(ctx, config)
          : await baselineOnce(ctx, { ...config, variant: approach })
      if (i >= 0) runs[approach].push(one)
    }
    ctx.progress(
      `${SCENARIOS[config.scenario].label}, repo ${config.repo}, ${config.latency} ms: ${Math.max(0, i + 1)}/${reps}`
    )
  }
  const action = runs.action
  const result = {
    ...config,
    reps,
    action: {
      ms: summary(action.map(r => r.ms)),
      requests: typical(action.map(r => r.requests)),
      writes: typical(action.map(r => r.writes)),
      firstRequestMs: summary(action.map(r => r.firstRequestMs)),
      routes: action[0].routes
    }
  }
  for (const variant of config.variants) {
    const rs = runs[variant]
    result[variant] = {
      label: VARIANTS[variant].label,
      ms: summary(rs.map(r => r.ms)),
      roundTrips: typical(rs.map(r => r.roundTrips)),
      bytes: typical(rs.map(r => r.bytes)),
      phases: Object.fromEntries(
        Object.keys(rs[0].phases).map(p => [p, summary(rs.map(r => r.phases[p])).median])
      ),
      speedup: round2(summary(rs.map(r => r.ms)).median / result.action.ms.median)
    }
  }
  return result
}

const round2 = v => Math.round(v * 100) / 100

/**
 * N pipelines bump N different images in one file on one branch, all started at once.
 * Returns throughput, attempts per pipeline, and lost updates (a pipeline reported success
 * but its tag is not in the final file).
 * @param {Context} ctx
 * @param {{ approach: 'action' | 'shallow', latency: number, round: number, maxAttempts: number }} config
 */
export async function race(ctx, config) {
  const name = `race-${config.approach}-${config.maxAttempts}-${config.round}`
  const files = manifestFiles(1000)
  const double = ctx.doubles.get(config.latency)
  const server = ctx.gits.get(config.latency)
  if (config.approach === 'action') writeDoubleRepo(double.state, `acme/${name}`, [files])
  else await writeBareRepo(bareRepoPath(ctx.gitRoot, name), [files])
  const tags = PLATFORM_IMAGES.map((_, i) => `race-${config.round}-${i + 1}`)
  double.log.clear()
  server.log.length = 0
  const started = performance.now()
  const runs = await Promise.all(
    PLATFORM_IMAGES.map((image, i) => racer(ctx, config, name, image, tags[i]))
  )
  const wallMs = performance.now() - started
  const final =
    config.approach === 'action'
      ? double.state.readFile(`acme/${name}`, 'main', PLATFORM_FILE).toString('utf8')
      : (await git(['--git-dir', bareRepoPath(ctx.gitRoot, name), 'show', `main:${PLATFORM_FILE}`]))
          .stdout
  const present = PLATFORM_IMAGES.map((image, i) =>
    final.includes(`- name: ${image}\n    newTag: "${tags[i]}"`)
  )
  const landed = runs.filter(r => r.ok).length
  return {
    approach: config.approach,
    maxAttempts: config.maxAttempts,
    round: config.round,
    latency: config.latency,
    pipelines: runs.length,
    landed,
    failed: runs.length - landed,
    lostUpdates: runs.filter((r, i) => r.ok && !present[i]).length,
    tagsInFinalFile: present.filter(Boolean).length,
    wallMs: Math.round(wallMs),
    perMinute: Math.round((landed / wallMs) * 60_000 * 10) / 10,
    attempts: runs.map(r => r.attempts),
    retries: runs.reduce((sum, r) => sum + Math.max(0, r.attempts - 1), 0),
    requests: config.approach === 'action' ? double.log.entries.length : server.log.length,
    errors: runs
      .filter(r => !r.ok)
      .map(r => r.error)
      .slice(0, 3)
  }
}

async function racer(ctx, config, name, image, tag) {
  const inputs = {
    image,
    tag,
    'manifest-repo': `acme/${name}`,
    path: PLATFORM_FILE,
    branch: 'main',
    token: TOKEN
  }
  if (config.maxAttempts !== DEFAULT_MAX_ATTEMPTS)
    inputs['max-attempts'] = String(config.maxAttempts)
  const workDir = mkdtempSync(join(ctx.workRoot, `${config.approach}-race-`))
  try {
    if (config.approach === 'action') {
      const double = ctx.doubles.get(config.latency)
      const r = await runAction({
        node: ctx.node,
        entry: ctx.entry,
        apiUrl: double.url,
        workDir,
        inputs
      })
      const ok = r.code === 0 && r.outputs.changed === 'true'
      return {
        ok,
        attempts: r.attempts,
        error: ok
          ? ''
          : r.log
              .split('\n')
              .filter(l => l.startsWith('::error'))
              .join(' ')
      }
    }
    const url = `${ctx.gits.get(config.latency).url}/${name}.git`
    const r = await cloneEditPush({
      url,
      workDir,
      image,
      tag,
      paths: [PLATFORM_FILE],
      maxAttempts: config.maxAttempts
    })
    return {
      ok: r.pushed,
      attempts: r.attempts,
      error: r.pushed ? '' : `push refused ${r.attempts} times`
    }
  } catch (error) {
    return { ok: false, attempts: 0, error: String(error).slice(0, 500) }
  } finally {
    await remove(workDir)
  }
}

/** Empty node vs the action: time to its first API request and total process time. */
export async function coldStart(ctx) {
  const empty = []
  for (let i = 0; i < ctx.warmup + ctx.reps; i++) {
    const r = await run(ctx.node, ['-e', ''])
    if (r.code !== 0) throw new Error(`node -e '' failed: ${r.stderr}`)
    if (i >= ctx.warmup) empty.push(r.ms)
  }
  const action = []
  for (let i = 0; i < ctx.warmup + ctx.reps; i++) {
    const r = await actionOnce(ctx, { latency: 0, repo: '10', scenario: 'single' })
    if (i >= ctx.warmup) action.push(r)
  }
  ctx.progress('cold start')
  return {
    emptyNodeMs: summary(empty),
    firstRequestMs: summary(action.map(r => r.firstRequestMs)),
    totalMs: summary(action.map(r => r.ms)),
    requests: typical(action.map(r => r.requests))
  }
}

/**
 * The floor of any Node action: a bare `node` that loads nothing and makes the same two
 * sequential requests as a single-file bump (here: the contents GET twice, against the
 * 1,000-file repository at `latency`), through `fetch` (what Octokit uses) and through
 * `node:http`. Whatever an action does on top costs more than this.
 * @param {Context} ctx @param {number} latency
 */
export async function floor(ctx, latency) {
  const double = ctx.doubles.get(latency)
  const url = `${double.url}/repos/acme/deploy-1000/contents/${encodeURIComponent(OVERLAY('dev'))}?ref=main`
  const headers = JSON.stringify({ authorization: `token ${TOKEN}`, 'user-agent': 'bench-floor' })
  const scripts = {
    fetch: `for (let i = 0; i < 2; i++) await (await fetch(process.env.URL, { headers: ${headers} })).text()`,
    http: `import { get } from 'node:http'
for (let i = 0; i < 2; i++)
  await new Promise((resolve, reject) =>
    get(process.env.URL, { headers: ${headers} }, res => res.resume().on('end', resolve)).on('error', reject))`
  }
  /** @type {Record<string, ReturnType<typeof summary>>} */
  const result = {}
  for (const [name, script] of Object.entries(scripts)) {
    const times = []
    for (let i = 0; i < ctx.warmup + ctx.reps; i++) {
      const r = await run(ctx.node, ['--input-type=module', '-e', script], {
        env: { PATH: process.env.PATH, URL: url }
      })
      if (r.code !== 0) throw new Error(`floor (${name}) failed: ${r.stderr}`)
      if (i >= ctx.warmup) times.push(r.ms)
    }
    result[name] = summary(times)
  }
  ctx.progress(`floor: bare node, 2 requests at ${latency} ms`)
  return result
}
