/**
 * What the CLI prints: colour decisions, untrusted text made visible, diffs coloured, the job
 * summary as terminal text, settings errors in command-line words, secrets masked.
 */
import { describe, expect, it } from '@jest/globals'
import { HandoffError } from '../../../src/errors.js'
import { redactor, secretsFromEnv } from '../../../src/cli/secrets.js'
import {
  colourDiff,
  colourEnabled,
  terminalMarkdown,
  visible,
  type Paint
} from '../../../src/cli/style.js'
import { forCommandLine, hintText, messageText } from '../../../src/cli/wording.js'

/** A paint that shows its format, so tests read `<red>…</red>` instead of escape codes. */
const tags: Paint = (format, text) => `<${String(format)}>${text}</${String(format)}>`

describe('colourEnabled', () => {
  it.each([
    { name: 'a terminal', env: {}, tty: true, expected: true },
    { name: 'a pipe', env: {}, tty: false, expected: false },
    { name: 'NO_COLOR on a terminal', env: { NO_COLOR: '1' }, tty: true, expected: false },
    { name: 'an empty NO_COLOR is unset', env: { NO_COLOR: '' }, tty: true, expected: true },
    {
      name: 'NO_COLOR beats FORCE_COLOR',
      env: { NO_COLOR: 'x', FORCE_COLOR: '1' },
      tty: true,
      expected: false
    },
    { name: 'FORCE_COLOR on a pipe', env: { FORCE_COLOR: '1' }, tty: false, expected: true },
    { name: 'FORCE_COLOR=0 on a terminal', env: { FORCE_COLOR: '0' }, tty: true, expected: false },
    { name: 'a dumb terminal', env: { TERM: 'dumb' }, tty: true, expected: false }
  ])('$name', ({ env, tty, expected }) => {
    expect(colourEnabled(env, tty)).toBe(expected)
  })
})

describe('terminal text', () => {
  it.each([
    {
      name: 'control characters become visible symbols; tabs and newlines stay',
      actual: () => visible('a\u001b[2Jb\r\n\tc\u0007\u007f\u009b'),
      expected: 'a\u241b[2Jb\u240d\n\tc\u2407\u2421\\u009b'
    },
    {
      name: 'a unified diff is coloured by line kind, after escaping',
      actual: () =>
        colourDiff(
          '===\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-old\u001b[0m\n+new\n ctx\n\\ No newline at end of file',
          tags
        ),
      expected:
        '<dim>===</dim>\n<bold>--- a/x</bold>\n<bold>+++ b/x</bold>\n<cyan>@@ -1 +1 @@</cyan>\n<red>-old\u241b[0m</red>\n<green>+new</green>\n ctx\n<dim>\\ No newline at end of file</dim>'
    },
    {
      name: 'the summary: heading bold, links spelled out, HTML and diff fences left out',
      actual: () =>
        terminalMarkdown(
          [
            '## gitops-handoff: dry run',
            '',
            '| File | Old → New |',
            '- Commit: [`abc`](https://github.com/acme/deploy/commit/abc)',
            '',
            '<details open><summary>Diff (dry run)</summary>',
            '',
            '```diff',
            '-a',
            '+b',
            '```',
            '',
            '</details>',
            '<!-- gitops-handoff -->'
          ].join('\n'),
          tags
        ),
      expected:
        '<bold>gitops-handoff: dry run</bold>\n\n| File | Old → New |\n- Commit: `abc` <https://github.com/acme/deploy/commit/abc>'
    }
  ])('$name', ({ actual, expected }) => {
    expect(actual()).toBe(expected)
  })
})

describe('settings errors in command-line words', () => {
  const fixed = { manifestRepoGiven: true }
  it.each([
    {
      name: 'input names and `name: value` settings become options',
      error: new HandoffError('INVALID_INPUT', 'Input "tag" "latest": is the mutable tag', {
        input: 'tag',
        hint: 'Deploy an immutable tag, or set allow-latest: true. Use e.g. max-attempts: 5.'
      }),
      context: fixed,
      expected: {
        message: '--tag "latest": is the mutable tag',
        hint: 'Deploy an immutable tag, or set --allow-latest. Use e.g. --max-attempts 5.',
        input: 'tag'
      }
    },
    {
      name: 'no token: the variables to set',
      error: new HandoffError('INVALID_INPUT', 'Input "token": is empty', {
        input: 'token',
        hint: 'x'
      }),
      context: fixed,
      expected: {
        message: 'No token: GITHUB_TOKEN or GH_TOKEN is not set',
        hint: 'Export GITHUB_TOKEN or GH_TOKEN with a token that has contents: write on the manifest repository (e.g. GH_TOKEN=$(gh auth token)).',
        input: 'token'
      }
    },
    {
      name: 'no manifest repository outside a workflow',
      error: new HandoffError(
        'INVALID_INPUT',
        'Input "manifest-repo": is not an owner/name repository',
        {
          input: 'manifest-repo'
        }
      ),
      context: { manifestRepoGiven: false },
      expected: {
        message: '--manifest-repo is required outside a workflow (GITHUB_REPOSITORY is not set)',
        hint: 'Name the manifest repository, e.g. --manifest-repo acme/deploy.',
        input: 'manifest-repo'
      }
    },
    {
      name: 'a file error keeps its text apart from input names, and its position',
      error: new HandoffError('PARSE_ERROR', 'key: value expected', {
        file: 'a.yaml',
        line: 3,
        column: 5
      }),
      context: fixed,
      expected: {
        message: 'key: value expected',
        hint: undefined,
        input: undefined,
        file: 'a.yaml',
        line: 3,
        column: 5
      }
    }
  ])('$name', ({ error, context, expected }) => {
    const out = forCommandLine(error, context)
    const { message, hint, input, file, line, column } = out
    expect({ message, hint, input, ...(file ? { file, line, column } : {}) }).toEqual(expected)
  })

  it.each([
    {
      text: 'Input "nope" and Input "tag"',
      wording: messageText,
      expected: 'Input "nope" and --tag'
    },
    {
      text: 'Use e.g. max-attempts: 5.',
      wording: hintText,
      expected: 'Use e.g. --max-attempts 5.'
    },
    {
      text: 'or use only-newer: semver.',
      wording: hintText,
      expected: 'or use --only-newer semver.'
    },
    {
      text: 'set (dry-run: true) or key: image.tag',
      wording: hintText,
      expected: 'set (--dry-run) or --key image.tag'
    },
    { text: 'the image-name: x', wording: hintText, expected: 'the image-name: x' }
  ])('$text', ({ text, wording, expected }) => {
    expect(wording(text)).toBe(expected)
  })
})

describe('secrets', () => {
  it('come from the environment in order of preference and are masked in any text', () => {
    const secrets = secretsFromEnv({
      GH_TOKEN: 'gho_second',
      GITHUB_TOKEN: ' ghs_first ',
      ARGOCD_AUTH_TOKEN: 'argo'
    })
    const mask = redactor(secrets)
    expect({ secrets, masked: mask('a ghs_first b gho_second c argo') }).toEqual({
      secrets: { token: 'ghs_first', 'argocd-token': 'argo' },
      masked: 'a *** b gho_second c ***'
    })
  })
})
