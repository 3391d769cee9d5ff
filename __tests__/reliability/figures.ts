/**
 * Figures of the reliability suites (issue 6): each suite counts what it tried and what held,
 * prints its own block in `afterAll`, and records it in a JSON file under the OS temp
 * directory, so the block printed last also shows the totals over every suite of the same
 * Jest run (suites run in parallel workers; the run is identified by the Jest process).
 */
import { afterAll } from '@jest/globals'
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

export type Counts = Record<string, number>

const DIR = path.join(tmpdir(), 'gitops-handoff-reliability')

/**
 * The Jest process, by pid and start time (pids are reused): workers are its children;
 * in-band, the test runs in it. Linux shows both in /proc; elsewhere each suite is its own run.
 */
function runKey(): string {
  for (const pid of [process.ppid, process.pid]) {
    try {
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      // Field 22 of stat, counted after the parenthesised command name (which may hold spaces).
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const started = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]
      if (command.includes('jest')) return `${pid}.${started}`
    } catch {
      // not Linux
    }
  }
  return String(process.pid)
}

const DAY_MS = 24 * 60 * 60 * 1000

/** Records of earlier runs older than a day are removed, so the directory does not grow. */
function pruneOldRecords(): void {
  for (const name of readdirSync(DIR)) {
    const file = path.join(DIR, name)
    try {
      if (Date.now() - statSync(file).mtimeMs > DAY_MS) rmSync(file, { force: true })
    } catch {
      // removed meanwhile by another suite's worker
    }
  }
}

/** Lines of a figures block: one `name: value` per count, aligned. */
export function formatBlock(title: string, counts: Counts): string {
  const width = Math.max(0, ...Object.keys(counts).map(name => name.length))
  const lines = Object.entries(counts).map(([name, value]) => `  ${name.padEnd(width)}  ${value}`)
  return [`${title}`, ...lines].join('\n')
}

/** A figure that is a maximum, not a count: totals take the largest value. */
const isMaximum = (name: string) => name.startsWith('most ')

/** Every figure over the suites' records, by name: counts summed, maxima maximised. */
export function totalsOf(records: readonly { counts: Counts }[]): Counts {
  const totals: Counts = {}
  for (const record of records) {
    for (const [name, value] of Object.entries(record.counts)) {
      const known = totals[name]
      if (known === undefined) totals[name] = value
      else totals[name] = isMaximum(name) ? Math.max(known, value) : known + value
    }
  }
  return totals
}

interface SuiteRecord {
  readonly suite: string
  readonly run: string
  readonly at: string
  readonly counts: Counts
}

function recordsOf(run: string): SuiteRecord[] {
  try {
    return readdirSync(DIR)
      .filter(name => name.startsWith(`${run}-`) && name.endsWith('.json'))
      .map(name => JSON.parse(readFileSync(path.join(DIR, name), 'utf8')) as SuiteRecord)
  } catch {
    return []
  }
}

/**
 * Counters for one suite: `add('lost updates', 0)` declares a figure (so a 0 is printed too),
 * `add(name, n)` adds to it; a figure named `most …` keeps the largest value given instead.
 * The block is printed and recorded after the suite's tests.
 */
export function suiteFigures(suite: string): { add(name: string, amount?: number): void } {
  const counts: Counts = {}
  afterAll(() => {
    const run = runKey()
    mkdirSync(DIR, { recursive: true })
    pruneOldRecords()
    const record: SuiteRecord = { suite, run, at: new Date().toISOString(), counts }
    const file = path.join(DIR, `${run}-${suite.replace(/[^a-z0-9-]+/gi, '_')}.json`)
    writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`)
    const records = recordsOf(run)
    const blocks = [formatBlock(`Reliability figures — ${suite}`, counts)]
    if (records.length > 1) {
      blocks.push(
        formatBlock(
          `Reliability figures — totals of ${records.length} suites so far in this run (${records
            .map(r => r.suite)
            .sort()
            .join(', ')})`,
          totalsOf(records)
        )
      )
    }
    console.log(blocks.join('\n\n'))
  })
  return {
    add(name: string, amount = 1) {
      const known = counts[name] ?? 0
      counts[name] = isMaximum(name) ? Math.max(known, amount) : known + amount
    }
  }
}
