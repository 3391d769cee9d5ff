/**
 * results.json → results.md (the tables the README quotes) and repo-size.svg.
 */
import { barChart } from './chart.mjs'

const ms = v => (Number.isFinite(v) ? `${Math.round(v).toLocaleString('en-US')} ms` : '—')
const x = v => (Number.isFinite(v) ? `${v.toFixed(1)}×` : '—')
const num = v => (Number.isFinite(v) ? v.toLocaleString('en-US') : '—')
const bytes = v =>
  v >= 1024 * 1024
    ? `${(v / 1024 / 1024).toFixed(1)} MiB`
    : v >= 1024
      ? `${(v / 1024).toFixed(0)} KiB`
      : `${v} B`
const row = cells => `| ${cells.join(' | ')} |`

/** First column left-aligned, the numbers right-aligned (or every column left with `left`). */
function table(head, rows, left = false) {
  const rule = head.map((_, i) => (i === 0 || left ? '---' : '---:'))
  return [row(head), row(rule), ...rows.map(row)].join('\n')
}

function repoSizeTable(results) {
  const rows = results.repoSize.map(r => [
    r.repoLabel,
    ms(r.action.ms.median),
    String(r.action.requests),
    ms(r.shallow.ms.median),
    `${r.shallow.roundTrips} / ${bytes(r.shallow.bytes)}`,
    x(r.shallow.speedup),
    r.sparse ? `${ms(r.sparse.ms.median)} (${x(r.sparse.speedup)})` : '—',
    r.full ? `${ms(r.full.ms.median)} (${bytes(r.full.bytes)})` : '—'
  ])
  return table(
    [
      'repository',
      'action',
      'API requests',
      'clone --depth 1 + sed + push',
      'git round trips / bytes fetched+pushed',
      'speed-up',
      'blobless sparse clone (speed-up)',
      'full clone'
    ],
    rows
  )
}

function latencyTable(results) {
  return table(
    [
      'latency per request',
      'action',
      'API requests',
      'clone --depth 1 + sed + push',
      'git round trips',
      'speed-up'
    ],
    results.latency.map(r => [
      `${r.latency} ms`,
      ms(r.action.ms.median),
      String(r.action.requests),
      ms(r.shallow.ms.median),
      String(r.shallow.roundTrips),
      x(r.shallow.speedup)
    ])
  )
}

function scenarioTable(results) {
  return table(
    [
      'scenario (1,000 files, 30 ms)',
      'action',
      'API requests (writes)',
      'target',
      'clone --depth 1 baseline',
      'speed-up'
    ],
    results.scenarios.map(r => [
      r.label,
      ms(r.action.ms.median),
      `${r.action.requests} (${r.action.writes})`,
      r.requestTarget,
      `${ms(r.shallow.ms.median)}${r.scenario === 'pr' ? ' (git push of a branch only; opening the PR not counted)' : ''}`,
      x(r.shallow.speedup)
    ])
  )
}

function raceTable(results) {
  const label = r =>
    r.approach === 'action'
      ? `action, \`max-attempts: ${r.maxAttempts}\`${r.maxAttempts === 5 ? ' (default)' : ''}${r.round > 1 ? `, race ${r.round}` : ''}`
      : `clone + \`git pull --rebase && git push\`, ≤ ${r.maxAttempts} pushes`
  return table(
    [
      '20 pipelines, one file, one branch, 30 ms',
      'landed',
      'lost updates',
      'tags in final file',
      'wall time',
      'landed per minute',
      'attempts per pipeline (max)',
      'retries in total',
      'requests'
    ],
    results.concurrency.map(r => [
      label(r),
      `${r.landed}/${r.pipelines}`,
      String(r.lostUpdates),
      `${r.tagsInFinalFile}/${r.pipelines}`,
      ms(r.wallMs),
      String(r.perMinute),
      `${median(r.attempts)} (${Math.max(...r.attempts)})`,
      String(r.retries),
      num(r.requests)
    ])
  )
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

function coldStartTable(results) {
  const c = results.coldStart
  return table(
    ['cold start', 'median'],
    [
      [`\`node -e ''\` (${results.meta.actionNode.version})`, ms(c.emptyNodeMs.median)],
      ['action: spawn → first API request', ms(c.firstRequestMs.median)],
      ['action: whole process, single-file bump, 0 ms latency', ms(c.totalMs.median)],
      ['target for first request: 2 × `node -e` + 100 ms', ms(c.limitMs)],
      [
        `floor: bare \`node\`, the same 2 requests at ${c.floorLatencyMs} ms, \`fetch\``,
        ms(c.floorMs.fetch.median)
      ],
      [
        `floor: bare \`node\`, the same 2 requests at ${c.floorLatencyMs} ms, \`node:http\``,
        ms(c.floorMs.http.median)
      ],
      ['dist/index.js', `${num(c.bundleBytes)} bytes`],
      ['dist/index.js + files it loads beside it', `${num(c.loadedBytes)} bytes`]
    ]
  )
}

function editTable(results) {
  return table(
    [
      'editing engine (`bench/edit.ts`)',
      'size',
      'values edited',
      '`yaml` parseAllDocuments',
      'planEdits',
      'edit / parse'
    ],
    results.edit.map(r => [
      r.name,
      bytes(r.bytes),
      String(r.valuesEdited),
      ms(r.parseMs),
      ms(r.editMs),
      `${r.ratio.toFixed(2)}×`
    ])
  )
}

function targetTable(results) {
  return table(
    ['target', 'measured', 'met'],
    results.targets.map(t => [t.target, t.measured, t.met ? 'yes' : '**no**']),
    true
  )
}

export function markdown(results) {
  const m = results.meta
  return `# Benchmark results

${m.date} · ${m.quick ? 'quick run (1 repetition, no warm-up)' : `medians of ${m.reps} runs (${m.slowReps} for the 10,000-file and history repositories), after one warm-up run of each approach`} ·
${m.cpus} × ${m.cpuModel} · load average at start ${m.loadAverage.join(' / ')} · action on ${m.actionNode.version}
(\`${m.actionNode.path}\`), git ${m.gitVersion} · everything on 127.0.0.1, the same latency added to
each HTTP request of both the GitHub API double and \`git http-backend\`.
Reproduce: \`npm run bench\` (or \`npm run bench -- --quick\`).

## Targets

${targetTable(results)}

## Single-file bump vs repository size (30 ms per request)

${repoSizeTable(results)}

![time vs repository size](repo-size.svg)

## Latency (single-file bump, 1,000 files)

${latencyTable(results)}

## Scenarios

${scenarioTable(results)}

## 20 concurrent pipelines

${raceTable(results)}

## Cold start

${coldStartTable(results)}

## Editing engine

${editTable(results)}
`
}

export function repoSizeChart(results) {
  return barChart({
    title: 'Single-file bump: time vs repository size',
    subtitle: `median wall time, 30 ms per HTTP request, 127.0.0.1 · ${results.meta.date.slice(0, 10)}`,
    yLabel: 'seconds',
    series: [
      { key: 'action', label: 'gitops-handoff (dist/index.js)', color: '#1a7f37' },
      { key: 'shallow', label: 'git clone --depth 1 + sed + commit + push', color: '#cf222e' },
      { key: 'sparse', label: 'same with a blobless sparse clone', color: '#9a6700' },
      { key: 'full', label: 'same with a full clone', color: '#6e7781' }
    ],
    groups: results.repoSize.map(r => ({
      label: r.repoLabel,
      values: {
        action: r.action.ms.median / 1000,
        shallow: r.shallow.ms.median / 1000,
        sparse: r.sparse ? r.sparse.ms.median / 1000 : undefined,
        full: r.full ? r.full.ms.median / 1000 : undefined
      }
    }))
  })
}
