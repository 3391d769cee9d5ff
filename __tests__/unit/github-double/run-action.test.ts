/**
 * The runner harness (support/run-action.ts) against tiny scripts standing in for
 * dist/index.js: Node 24, clean environment, INPUT_* names, action.yml defaults, output
 * file forms, workflow commands (escapes, stop-commands, the legacy ##[ form), timeouts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import {
  DEFAULT_GITHUB_TOKEN,
  parseCommands,
  runAction,
  runActionConcurrently,
  type RunActionOptions
} from '../../support/run-action.js'

const API = 'http://127.0.0.1:9'

const SCRIPTS: Record<string, string> = {
  'report-env.mjs': `
import { appendFileSync } from 'node:fs'
const keep = Object.keys(process.env).filter(k => k.startsWith('INPUT_') || k.startsWith('GITHUB_') || k.startsWith('RUNNER_') || k === 'NODE_OPTIONS' || k === 'CI' || k === 'EXTRA').sort()
const env = Object.fromEntries(keep.map(k => [k, process.env[k]]))
appendFileSync(process.env.GITHUB_OUTPUT, 'env<<ghadelimiter_0ff1ce\\n' + JSON.stringify({ env, cwd: process.cwd(), version: process.version }) + '\\nghadelimiter_0ff1ce\\n')
`,
  'outputs-and-commands.mjs': `
import { appendFileSync } from 'node:fs'
const out = process.env.GITHUB_OUTPUT
appendFileSync(out, 'commit-sha=abc123\\n')
appendFileSync(out, 'files<<ghadelimiter_1\\napps/a.yaml\\napps/b=c.yaml\\nghadelimiter_1\\n')
appendFileSync(out, 'changed=false\\nchanged=true\\n')
appendFileSync(process.env.GITHUB_STEP_SUMMARY, '| file | old | new |\\n')
console.log('::warning file=apps/a.yaml,line=3,title=Tag%2C old%3A new::first%0Asecond %25 done')
console.log('  ::error::indented still counts')
console.log('::not-registered::plain output')
console.log('::stop-commands::pause123')
console.log('::error::ignored while stopped')
console.log('::pause123::')
console.log('text before ##[notice]legacy form anywhere in a line')
console.log('::stop-commands::error')
console.log('::error::a command name is no stop token')
process.exitCode = 3
`,
  'hang.mjs': `setInterval(() => {}, 1000)\n`,
  node20: '#!/bin/sh\necho v20.19.0\n',
  'bad-heredoc.mjs': `
import { appendFileSync } from 'node:fs'
appendFileSync(process.env.GITHUB_OUTPUT, 'x<<EOF\\nno end\\n')
`,
  'action.yml': `
name: test
inputs:
  token:
    default: \${{ github.token }}
  format:
    default: auto
  manifest-repo:
    default: \${{ github.repository }}
  path:
    required: true
runs:
  using: node24
  main: dist/index.js
`
}

describe('run-action harness', () => {
  let dir: string
  const file = (name: string) => path.join(dir, name)
  const base = (script: string, extra: Partial<RunActionOptions> = {}): RunActionOptions => ({
    inputs: {},
    apiUrl: API,
    script: file(script),
    actionYml: false,
    ...extra
  })

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'run-action-test-'))
    for (const [name, text] of Object.entries(SCRIPTS))
      await writeFile(file(name), text, { mode: 0o755 })
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('runs under Node 24 with a clean runner environment and INPUT_ names as the runner forms them', async () => {
    const result = await runAction(
      base('report-env.mjs', {
        inputs: { 'manifest-repo': 'acme/deploy', 'pr title': 'Deploy', token: 'ghs_x' },
        apiUrl: 'http://127.0.0.1:9/api/v3',
        env: { EXTRA: 'yes', GITHUB_SHA: 'f'.repeat(40) }
      })
    )
    const report = JSON.parse(result.outputs.env) as {
      env: Record<string, string>
      cwd: string
      version: string
    }
    const env = report.env
    expect({
      code: result.code,
      node24: report.version.startsWith('v24'),
      inputs: Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith('INPUT_'))),
      nodeOptions: env.NODE_OPTIONS,
      github: [
        env.CI,
        env.GITHUB_ACTIONS,
        env.GITHUB_API_URL,
        env.GITHUB_GRAPHQL_URL,
        env.GITHUB_REPOSITORY,
        env.GITHUB_SHA,
        env.GITHUB_RUN_ID,
        env.GITHUB_SERVER_URL,
        env.GITHUB_WORKFLOW
      ],
      extra: env.EXTRA,
      files: [
        'GITHUB_OUTPUT',
        'GITHUB_STEP_SUMMARY',
        'GITHUB_ENV',
        'GITHUB_STATE',
        'GITHUB_EVENT_PATH',
        'RUNNER_TEMP'
      ].every(k => env[k]?.startsWith(tmpdir())),
      cwdIsWorkspace: report.cwd === env.GITHUB_WORKSPACE
    }).toEqual({
      code: 0,
      node24: true,
      inputs: {
        'INPUT_MANIFEST-REPO': 'acme/deploy',
        INPUT_PR_TITLE: 'Deploy',
        INPUT_TOKEN: 'ghs_x'
      },
      nodeOptions: undefined,
      github: [
        'true',
        'true',
        'http://127.0.0.1:9/api/v3',
        'http://127.0.0.1:9/api/graphql',
        'acme/app',
        'f'.repeat(40),
        '4242',
        'https://github.com',
        'CI'
      ],
      extra: 'yes',
      files: true,
      cwdIsWorkspace: true
    })
  })

  it('passes action.yml defaults for inputs the step does not set, evaluating ${{ github.* }}', async () => {
    const result = await runAction(
      base('report-env.mjs', {
        actionYml: file('action.yml'),
        inputs: { path: 'a.yaml', format: 'helm' }
      })
    )
    const env = (JSON.parse(result.outputs.env) as { env: Record<string, string> }).env
    expect(Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith('INPUT_')))).toEqual(
      {
        INPUT_TOKEN: DEFAULT_GITHUB_TOKEN,
        INPUT_FORMAT: 'helm',
        'INPUT_MANIFEST-REPO': 'acme/app',
        INPUT_PATH: 'a.yaml'
      }
    )
  })

  it('collects exit code, outputs in both file forms, the summary and the commands the runner would process', async () => {
    const result = await runAction(base('outputs-and-commands.mjs'))
    expect({
      code: result.code,
      outputs: result.outputs,
      summary: result.summary,
      commands: result.commands.map(({ command, properties, message }) => ({
        command,
        properties,
        message
      }))
    }).toEqual({
      code: 3,
      outputs: { 'commit-sha': 'abc123', files: 'apps/a.yaml\napps/b=c.yaml', changed: 'true' },
      summary: '| file | old | new |\n',
      commands: [
        {
          command: 'warning',
          properties: { file: 'apps/a.yaml', line: '3', title: 'Tag, old: new' },
          message: 'first\nsecond % done'
        },
        { command: 'error', properties: {}, message: 'indented still counts' },
        { command: 'stop-commands', properties: {}, message: 'pause123' },
        { command: 'notice', properties: {}, message: 'legacy form anywhere in a line' },
        { command: 'stop-commands', properties: {}, message: 'error' },
        { command: 'error', properties: {}, message: 'a command name is no stop token' }
      ]
    })
  })

  it.each([
    {
      name: 'an unterminated heredoc in GITHUB_OUTPUT',
      options: { script: 'bad-heredoc.mjs' },
      error: "Matching delimiter not found 'EOF'"
    },
    {
      name: 'a script that does not finish',
      options: { script: 'hang.mjs', timeoutMs: 500 },
      error: 'did not finish in 500 ms'
    },
    {
      name: 'a Node that is not 24',
      options: { script: 'hang.mjs', node: 'node20' },
      error: 'run-action needs Node 24'
    }
  ])('fails loudly on $name', async ({ options, error }) => {
    const { script, node, ...rest } = options as {
      script: string
      node?: string
      timeoutMs?: number
    }
    const outcome = await runAction(
      base(script, { ...rest, ...(node ? { node: file(node) } : {}) })
    ).then(
      () => 'resolved',
      (e: Error) => e.message
    )
    expect(outcome).toContain(error)
  })

  it('runActionConcurrently starts n runs and returns them in order', async () => {
    const results = await runActionConcurrently(3, i =>
      base('report-env.mjs', { inputs: { tag: `v${i}` } })
    )
    expect(
      results.map(r => (JSON.parse(r.outputs.env) as { env: Record<string, string> }).env.INPUT_TAG)
    ).toEqual(['v0', 'v1', 'v2'])
  })

  it('parseCommands ignores a resume token as a command and keeps escapes of properties apart from data', () => {
    const stdout = [
      '::add-mask::secret',
      '::stop-commands::t0k',
      '::set-output name=x::y',
      '::t0k::',
      '::debug k=a%3Ab::a%3Ab'
    ].join('\n')
    expect(
      parseCommands(stdout).map(({ command, properties, message }) => ({
        command,
        properties,
        message
      }))
    ).toEqual([
      { command: 'add-mask', properties: {}, message: 'secret' },
      { command: 'stop-commands', properties: {}, message: 't0k' },
      { command: 'debug', properties: { k: 'a:b' }, message: 'a%3Ab' }
    ])
  })
})
