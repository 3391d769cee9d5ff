/**
 * `gitops-handoff --help`: every input of action.yml (from the generated ACTION_INPUTS) as a
 * `--<input>` option with its description and default, then the environment the CLI reads.
 */
import type { InputName } from '../constants.js'
import { ACTION_INPUTS, VERSION, type InputDoc } from './action-inputs.js'
import { FLAG_INPUTS, INPUT_NAMES, LIST_INPUTS } from './args.js'
import { SECRET_ENV } from './secrets.js'

const WIDTH = 88
const INDENT = '      '

/** Greedy word wrap; a word longer than the width gets a line of its own. */
export function wrap(text: string, width: number, indent: string): string[] {
  const lines: string[] = []
  let current = ''
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (current !== '' && indent.length + current.length + 1 + word.length > width) {
      lines.push(indent + current)
      current = word
    } else {
      current = current === '' ? word : `${current} ${word}`
    }
  }
  if (current !== '') lines.push(indent + current)
  return lines
}

function usageOf(name: InputName): string {
  const secret = SECRET_ENV[name as keyof typeof SECRET_ENV]
  if (secret) return `--${name}  (environment only: ${secret.join(' or ')})`
  if (FLAG_INPUTS.has(name)) return `--${name}, --no-${name}`
  return `--${name} <value>${LIST_INPUTS.has(name) ? '  (repeatable)' : ''}`
}

function defaultOf(doc: InputDoc): string {
  // An expression default (`${{ github.token }}`) means nothing outside a workflow.
  if (doc.default === undefined || doc.default.includes('${{')) return ''
  return ` Default: ${doc.default}.`
}

function inputSection(): string[] {
  const lines: string[] = []
  for (const name of INPUT_NAMES) {
    const doc = ACTION_INPUTS[name]
    lines.push(`  ${usageOf(name)}${doc.required ? '  (required)' : ''}`)
    lines.push(...wrap(`${doc.description}${defaultOf(doc)}`, WIDTH, INDENT))
  }
  return lines
}

export function helpText(): string {
  return [
    `gitops-handoff ${VERSION}: hand a container image to a GitOps manifest repository`,
    'through the GitHub API (the GitHub Action, as a command).',
    '',
    'Usage:',
    '  GITHUB_TOKEN=... gitops-handoff --image <ref> --tag <tag> --manifest-repo <owner/name> \\',
    '    --path <file> [--dry-run] [options]',
    '',
    'Inputs (the inputs of action.yml; a value may also be written --name=value):',
    ...inputSection(),
    '',
    'Environment:',
    '  GITHUB_TOKEN, GH_TOKEN   token for the manifest repository (contents: write; for pull',
    '                           requests also pull-requests: write). Never printed.',
    '  ARGOCD_AUTH_TOKEN        Argo CD API token. Never printed.',
    '  GITHUB_API_URL           API base URL, e.g. https://ghe.example.com/api/v3 (default',
    '                           https://api.github.com).',
    '  GITHUB_SERVER_URL        web URL for links (default: derived from GITHUB_API_URL).',
    '  GITHUB_REPOSITORY, GITHUB_SHA, GITHUB_RUN_ID',
    '                           the source of the change, named in the commit message; without',
    '                           GITHUB_REPOSITORY, --manifest-repo is required.',
    '  NO_COLOR, FORCE_COLOR    turn colour off or on (default: on for a terminal).',
    '',
    'Other options:',
    '  --verbose      also print each API request',
    '  -h, --help     print this help',
    '  --version      print the version',
    '',
    'Exit status: 0 done (also when nothing had to change), 1 the handoff failed,',
    '2 the command line is wrong.',
    ''
  ].join('\n')
}
