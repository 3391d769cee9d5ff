/**
 * The action as the runner starts it: `node dist/index.js` with INPUT_* variables, a
 * GITHUB_OUTPUT file and GITHUB_API_URL pointing at the GitHub API double.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { run } from './proc.mjs'

const COMMITTED_AT = /\(attempt (\d+)\)/
const RETRY = /\(attempt \d+ of \d+\)/g

/**
 * @param {{ node: string, entry: string, apiUrl: string, workDir: string,
 *   inputs: Record<string, string>, timeoutMs?: number }} job
 */
export async function runAction(job) {
  const outputFile = join(job.workDir, 'output')
  const summaryFile = join(job.workDir, 'summary.md')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  /** @type {NodeJS.ProcessEnv} */
  const env = {
    PATH: process.env.PATH,
    HOME: job.workDir,
    GITHUB_API_URL: job.apiUrl,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'acme/app',
    GITHUB_SHA: '4b825dc642cb6eb9a060e54bf8d69288fbee4904',
    GITHUB_RUN_ID: '1',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: job.workDir
  }
  for (const [name, value] of Object.entries(job.inputs)) {
    env[`INPUT_${name.replaceAll(' ', '_').toUpperCase()}`] = value
  }
  const result = await run(job.node, [job.entry], { env, timeoutMs: job.timeoutMs ?? 120_000 })
  const outputs = parseOutputs(readFileSync(outputFile, 'utf8'))
  return {
    ms: result.ms,
    spawnedAt: result.spawnedAt,
    code: result.code,
    outputs,
    attempts: attemptsOf(result.stdout),
    log: result.stdout + result.stderr
  }
}

/** GITHUB_OUTPUT: `name<<DELIMITER\nvalue\nDELIMITER` blocks (or `name=value` lines). */
export function parseOutputs(text) {
  /** @type {Record<string, string>} */
  const outputs = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    if (heredoc) {
      const end = lines.indexOf(heredoc[2], i + 1)
      if (end < 0) break
      outputs[heredoc[1]] = lines.slice(i + 1, end).join('\n')
      i = end
    } else if (line.includes('=')) {
      outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1)
    }
  }
  return outputs
}

/** From the log: "Committed … (attempt N)." or, when it gave up, 1 + the "(attempt k of M)" retries. */
function attemptsOf(log) {
  const committed = COMMITTED_AT.exec(log)
  return committed ? Number(committed[1]) : 1 + (log.match(RETRY)?.length ?? 0)
}
