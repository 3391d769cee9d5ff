/**
 * Today's way, as the seed scripts do it: `git clone --depth 1` over smart HTTP, a `sed`
 * substitution, `git add` + `git commit`, `git push`; when the push is refused because the
 * branch moved, `git pull --rebase && git push` again, a bounded number of times.
 */
import { join } from 'node:path'
import { run } from './proc.mjs'

/** Git with no user or system configuration, never prompting, with a fixed identity. */
export function gitEnv(home) {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: 'CI',
    GIT_AUTHOR_EMAIL: 'ci@127.0.0.1',
    GIT_COMMITTER_NAME: 'CI',
    GIT_COMMITTER_EMAIL: 'ci@127.0.0.1'
  }
}

/** The sed a pipeline script runs: on the line after `- name: IMAGE`, set `newTag`. */
export function sedScript(image, tag) {
  return `\\#- name: ${image}$#{n;s#newTag: .*#newTag: "${tag}"#}`
}

/**
 * One pipeline. `depth`: 1 for `--depth 1`, 0 for a full clone. `sparse`: the best a careful
 * script can do with git (blobless, sparse: fetch only the files it edits). `pushBranch`:
 * push to a new branch (the git half of a promotion PR) instead of the cloned one.
 * @param {{ url: string, workDir: string, image: string, tag: string, paths: string[],
 *   depth?: number, sparse?: boolean, pushBranch?: string, maxAttempts?: number }} job
 */
export async function cloneEditPush(job) {
  const env = gitEnv(job.workDir)
  const dir = join(job.workDir, 'checkout')
  const phases = { clone: 0, edit: 0, commit: 0, push: 0 }
  const started = performance.now()
  const step = async (phase, command, args, cwd = dir) => {
    const result = await run(command, args, { cwd, env })
    phases[phase] += result.ms
    return result
  }
  const must = result => {
    if (result.code !== 0)
      throw new Error(`baseline step failed (${result.code}): ${result.stderr.trim()}`)
    return result
  }
  const depth = job.depth ?? 1
  const cloneArgs = [
    'clone',
    '-q',
    '--branch',
    'main',
    ...(depth > 0 ? ['--depth', String(depth)] : [])
  ]
  if (job.sparse) cloneArgs.push('--filter=blob:none', '--sparse')
  must(await step('clone', 'git', [...cloneArgs, job.url, dir], job.workDir))
  if (job.sparse) {
    const patterns = job.paths.map(path => `/${path}`)
    must(await step('clone', 'git', ['sparse-checkout', 'set', '--no-cone', ...patterns]))
  }
  must(await step('edit', 'sed', ['-i', sedScript(job.image, job.tag), ...job.paths]))
  must(await step('commit', 'git', ['add', '--', ...job.paths]))
  must(
    await step('commit', 'git', [
      'commit',
      '-q',
      '-m',
      `chore(deploy): bump ${job.image} to ${job.tag}`
    ])
  )
  const target = job.pushBranch ? `HEAD:refs/heads/${job.pushBranch}` : 'HEAD:main'
  const maxAttempts = job.maxAttempts ?? 1
  let attempts = 0
  let pushed = false
  while (!pushed && attempts < maxAttempts) {
    attempts++
    if (attempts > 1) {
      const pulled = await step('push', 'git', ['pull', '-q', '--rebase', 'origin', 'main'])
      if (pulled.code !== 0) {
        await step('push', 'git', ['rebase', '--abort'])
        continue
      }
    }
    pushed = (await step('push', 'git', ['push', '-q', 'origin', target])).code === 0
  }
  return { ms: performance.now() - started, phases, attempts, pushed }
}
