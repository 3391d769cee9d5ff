/**
 * Child processes for the benchmark: always asynchronous (the servers answer from this very
 * process), always with a timeout, and tracked so an interrupted run leaves none behind.
 */
import { spawn } from 'node:child_process'

const DEFAULT_TIMEOUT_MS = 120_000
/** @type {Set<import('node:child_process').ChildProcess>} */
const running = new Set()

/**
 * Runs `command args`; resolves (never rejects) with exit code, output and wall time.
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, timeoutMs?: number }} [options]
 */
export function run(command, args, options = {}) {
  return new Promise(resolve => {
    const started = performance.now()
    const spawnedAt = Date.now()
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    running.add(child)
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', chunk => (stdout += chunk))
    child.stderr.on('data', chunk => (stderr += chunk))
    const timer = setTimeout(() => {
      stderr += `\n[bench] killed after ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms`
      child.kill('SIGKILL')
    }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS)
    const finish = code => {
      clearTimeout(timer)
      running.delete(child)
      resolve({ code, stdout, stderr, ms: performance.now() - started, spawnedAt })
    }
    child.on('error', error => {
      stderr += String(error)
      finish(127)
    })
    child.on('close', code => finish(code ?? 1))
  })
}

/** `git …` that must succeed. */
export async function git(args, options = {}) {
  const result = await run('git', args, options)
  if (result.code !== 0)
    throw new Error(`git ${args.join(' ')} failed (${result.code}): ${result.stderr}`)
  return result
}

/** Kills every child still running (on error or interrupt). */
export function killAll() {
  for (const child of running) child.kill('SIGKILL')
  running.clear()
}
