/** The command line → input values: flags, lists, repeats, secrets and misspellings. */
import { describe, expect, it } from '@jest/globals'
import {
  CLI_OPTIONS,
  editDistance,
  FLAG_INPUTS,
  INPUT_NAMES,
  LIST_INPUTS,
  parseCommandLine,
  type CliCommand
} from '../../../src/cli/args.js'

/** A command as plain data: errors by message and hint. */
function shape(command: CliCommand) {
  if (command.kind !== 'usage') return command
  return { kind: 'usage', errors: command.errors.map(e => `${e.message} | ${e.hint}`) }
}

const HELP_HINT = 'Run gitops-handoff --help for the options.'

describe('parseCommandLine', () => {
  it.each([
    {
      name: 'string inputs by their action.yml names',
      argv: ['--image', 'ghcr.io/acme/api', '--tag=1.4.0', '--manifest-repo', 'acme/deploy'],
      expected: {
        kind: 'run',
        inputs: { image: 'ghcr.io/acme/api', tag: '1.4.0', 'manifest-repo': 'acme/deploy' },
        verbose: false
      }
    },
    {
      name: 'flags: bare, negated and with a value as written',
      argv: ['--dry-run', '--no-create-missing', '--pr-draft=yes', '--verbose'],
      expected: {
        kind: 'run',
        inputs: { 'dry-run': 'true', 'create-missing': 'false', 'pr-draft': 'yes' },
        verbose: true
      }
    },
    {
      name: 'a list input repeated is one newline-separated value',
      argv: ['--path', 'a.yaml', '--path=b.yaml', '--pr-labels', 'deploy,api'],
      expected: {
        kind: 'run',
        inputs: { path: 'a.yaml\nb.yaml', 'pr-labels': 'deploy,api' },
        verbose: false
      }
    },
    {
      name: 'after --, a flag-looking value is an argument, not a flag (and positionals are refused)',
      argv: ['--', '--dry-run=true'],
      expected: {
        kind: 'usage',
        errors: [
          `Unexpected argument "--dry-run=true": every value belongs to an option | ${HELP_HINT}`
        ]
      }
    },
    {
      name: 'a single-value input given twice',
      argv: ['--tag', '1', '--tag', '2', '--dry-run', '--no-dry-run'],
      expected: {
        kind: 'usage',
        errors: [
          `--tag is given 2 times; give it once | ${HELP_HINT}`,
          `--dry-run is given 2 times; give it once | ${HELP_HINT}`
        ]
      }
    },
    {
      name: 'secrets are refused on the command line, without echoing them',
      argv: ['--token', 'ghp_secret', '--argocd-token=abc'],
      expected: {
        kind: 'usage',
        errors: [
          '--token is not accepted on the command line: a command line is visible to other processes and kept in shell history | Set GITHUB_TOKEN or GH_TOKEN instead.',
          '--argocd-token is not accepted on the command line: a command line is visible to other processes and kept in shell history | Set ARGOCD_AUTH_TOKEN instead.'
        ]
      }
    },
    {
      name: 'a misspelt option gets a suggestion',
      argv: ['--manifest-rep', 'acme/deploy'],
      expected: {
        kind: 'usage',
        errors: [`Unknown option "--manifest-rep" | Did you mean --manifest-repo? ${HELP_HINT}`]
      }
    },
    {
      name: 'an unknown option far from any name gets none',
      argv: ['--colour'],
      expected: { kind: 'usage', errors: [`Unknown option "--colour" | ${HELP_HINT}`] }
    },
    {
      name: '--help wins over everything else',
      argv: ['--tag', 'x', '-h'],
      expected: { kind: 'help' }
    },
    { name: '--version', argv: ['--version'], expected: { kind: 'version' } }
  ])('$name', ({ argv, expected }) => {
    expect(shape(parseCommandLine(argv))).toEqual(expected)
  })
})

describe('editDistance', () => {
  it.each([
    { a: 'tag', b: 'tag', expected: 0 },
    { a: 'tags', b: 'tag', expected: 1 },
    { a: 'pth', b: 'path', expected: 1 },
    { a: 'mdoe', b: 'mode', expected: 2 },
    { a: '', b: 'key', expected: 3 }
  ])('$a ↔ $b', ({ a, b, expected }) => {
    expect(editDistance(a, b)).toBe(expected)
  })
})

it("the CLI's own options and the flag and list sets name no input wrongly", () => {
  expect({
    clashes: CLI_OPTIONS.filter(option => (INPUT_NAMES as string[]).includes(option)),
    unknown: [...FLAG_INPUTS, ...LIST_INPUTS].filter(name => !INPUT_NAMES.includes(name)),
    both: [...FLAG_INPUTS].filter(name => LIST_INPUTS.has(name))
  }).toEqual({ clashes: [], unknown: [], both: [] })
})
