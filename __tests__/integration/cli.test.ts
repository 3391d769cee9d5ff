/**
 * The command-line entry as a user runs it: the built `dist/cli/index.js` (npm run build
 * makes it; CI builds before testing) in a child process with a clean environment, against the
 * GitHub API double. The child runs asynchronously: the double answers from this process.
 */
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { parse as parseYaml } from 'yaml'
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.mjs'
import { NODE24, REPO_ROOT } from '../support/run-action.js'

const CLI = path.join(REPO_ROOT, 'dist/cli/index.js')
const TOKEN = 'ghs_cliTestToken0123456789abcdefABCDEF'
const OVERLAY = 'apps/api/overlays/dev/kustomization.yaml'
const KUSTOMIZATION = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
images:
  - name: ghcr.io/acme/api
    newTag: "1.3.0" # bumped by CI
`
const BUMPED = KUSTOMIZATION.replace('"1.3.0"', '"1.4.0"')
const ESC = '\u001b'

interface CliRun {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

function runCli(args: readonly string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE24, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${CLI} ${args.join(' ')} did not finish in 30 s`))
    }, 30_000)
    child.on('error', error => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', code => {
      clearTimeout(timer)
      const text = (chunks: Buffer[]) => Buffer.concat(chunks).toString('utf8')
      resolve({ code, stdout: text(out), stderr: text(err) })
    })
  })
}

let double: GitHubDouble
let repoCount = 0

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build before the tests`)
  double = await startGitHubDouble({ now: () => new Date('2025-06-02T10:00:00Z') })
})

afterAll(async () => {
  await double?.close()
})

/** A fresh manifest repository per case, so cases cannot see each other's commits. */
function freshRepo(): string {
  const repo = `acme/deploy-${++repoCount}`
  double.state.createRepo(repo, { files: { [OVERLAY]: KUSTOMIZATION } })
  return repo
}

function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    GITHUB_API_URL: double.url,
    GITHUB_TOKEN: TOKEN,
    GITOPS_HANDOFF_DELAY_SCALE: '0.001',
    NO_COLOR: '1',
    ...extra
  }
}

function bumpArgs(repo: string, ...more: string[]): string[] {
  return [
    '--image',
    'ghcr.io/acme/api',
    '--tag',
    '1.4.0',
    '--manifest-repo',
    repo,
    '--path',
    OVERLAY,
    ...more
  ]
}

/** What a run did to the repository and what it said, in one comparable value. */
function view(run: CliRun, repo: string, writesBefore: number) {
  return {
    code: run.code,
    manifest: double.state.readFile(repo, 'main', OVERLAY)?.toString('utf8'),
    writes: double.log.writes().length - writesBefore,
    commit: double.state.log(repo, 'main', 1)[0].message.split('\n')[0],
    // The diff block, up to the first blank line.
    diff: run.stdout.split('\n\n')[0],
    errors: run.stderr.split('\n').filter(line => line.startsWith('error'))
  }
}

const DIFF_PLAIN = [
  '===================================================================',
  `--- a/${OVERLAY}`,
  `+++ b/${OVERLAY}`,
  '@@ -3,3 +3,3 @@',
  ' images:',
  '   - name: ghcr.io/acme/api',
  '-    newTag: "1.3.0" # bumped by CI',
  '+    newTag: "1.4.0" # bumped by CI'
].join('\n')

const DIFF_COLOURED = [
  `${ESC}[2m===================================================================${ESC}[22m`,
  `${ESC}[1m--- a/${OVERLAY}${ESC}[22m`,
  `${ESC}[1m+++ b/${OVERLAY}${ESC}[22m`,
  `${ESC}[36m@@ -3,3 +3,3 @@${ESC}[39m`,
  ' images:',
  '   - name: ghcr.io/acme/api',
  `${ESC}[31m-    newTag: "1.3.0" # bumped by CI${ESC}[39m`,
  `${ESC}[32m+    newTag: "1.4.0" # bumped by CI${ESC}[39m`
].join('\n')

interface Case {
  readonly name: string
  readonly args: readonly string[]
  readonly env: Record<string, string>
  readonly expected: ReturnType<typeof view>
}

describe('gitops-handoff CLI against the GitHub API double', () => {
  const cases: Case[] = [
    {
      name: 'a bump lands as one commit and the diff is printed',
      args: [],
      env: {},
      expected: {
        code: 0,
        manifest: BUMPED,
        writes: 1,
        commit: 'chore(deploy): bump api to 1.4.0',
        diff: DIFF_PLAIN,
        errors: []
      }
    },
    {
      name: '--dry-run writes nothing and prints a coloured diff',
      args: ['--dry-run'],
      env: { FORCE_COLOR: '1', NO_COLOR: '' },
      expected: {
        code: 0,
        manifest: KUSTOMIZATION,
        writes: 0,
        commit: 'Initial commit',
        diff: DIFF_COLOURED,
        errors: []
      }
    },
    {
      name: '--dry-run=false is a real run',
      args: ['--dry-run=false'],
      env: {},
      expected: {
        code: 0,
        manifest: BUMPED,
        writes: 1,
        commit: 'chore(deploy): bump api to 1.4.0',
        diff: DIFF_PLAIN,
        errors: []
      }
    },
    {
      name: 'a bad input value fails with exit 1, naming the input, before any request',
      args: ['--only-newer', 'sometimes'],
      env: {},
      expected: {
        code: 1,
        manifest: KUSTOMIZATION,
        writes: 0,
        commit: 'Initial commit',
        diff: '',
        errors: [
          'error INVALID_INPUT: --only-newer "sometimes": is not a valid choice — Use one of: semver, git.'
        ]
      }
    },
    {
      name: 'an unknown option is a usage error (exit 2)',
      args: ['--tags', '1.4.0'],
      env: {},
      expected: {
        code: 2,
        manifest: KUSTOMIZATION,
        writes: 0,
        commit: 'Initial commit',
        diff: '',
        errors: [
          'error INVALID_INPUT: Unknown option "--tags" — Did you mean --tag? Run gitops-handoff --help for the options.'
        ]
      }
    },
    {
      name: 'no token in the environment: exit 1 naming the variables',
      args: [],
      env: { GITHUB_TOKEN: '' },
      expected: {
        code: 1,
        manifest: KUSTOMIZATION,
        writes: 0,
        commit: 'Initial commit',
        diff: '',
        errors: [
          'error INVALID_INPUT: No token: GITHUB_TOKEN or GH_TOKEN is not set — Export GITHUB_TOKEN or GH_TOKEN with a token that has contents: write on the manifest repository (e.g. GH_TOKEN=$(gh auth token)).'
        ]
      }
    }
  ]

  it.each(cases)('$name', async ({ args, env, expected }) => {
    const repo = freshRepo()
    const before = double.log.writes().length
    const run = await runCli(bumpArgs(repo, ...args), baseEnv(env))
    expect(view(run, repo, before)).toEqual(expected)
  })

  it('--help lists every input of action.yml', async () => {
    const action = parseYaml(readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8')) as {
      inputs: Record<string, unknown>
    }
    const run = await runCli(['--help'], { NO_COLOR: '1' })
    const listed = Object.keys(action.inputs).filter(name =>
      new RegExp(`^  --${name}\\b`, 'm').test(run.stdout)
    )
    expect({ code: run.code, listed, stderr: run.stderr }).toEqual({
      code: 0,
      listed: Object.keys(action.inputs),
      stderr: ''
    })
  })

  it('never prints the token: verbose runs, a refused token, a token on the command line', async () => {
    const repo = freshRepo()
    const secured = await startGitHubDouble({
      tokens: { ghs_someoneElse0123456789: { [repo]: 'write' } }
    })
    try {
      secured.state.createRepo(repo, { files: { [OVERLAY]: KUSTOMIZATION } })
      const runs = await Promise.all([
        runCli(bumpArgs(repo, '--verbose'), baseEnv()),
        runCli(bumpArgs(repo, '--verbose', '--dry-run'), baseEnv()),
        runCli(bumpArgs(repo, '--verbose'), baseEnv({ GITHUB_API_URL: secured.url })),
        runCli(bumpArgs(repo, '--token', TOKEN), baseEnv())
      ])
      expect({
        codes: runs.map(run => run.code),
        sightings: runs.filter(run => `${run.stdout}${run.stderr}`.includes(TOKEN)).length,
        refused: runs[2].stderr
          .split('\n')
          .filter(line => line.startsWith('error'))[0]
          ?.split(':')[0]
      }).toEqual({ codes: [0, 0, 1, 2], sightings: 0, refused: 'error BAD_CREDENTIALS' })
    } finally {
      await secured.close()
    }
  })
})
