/**
 * Inputs → Settings, as a table: each case gives raw inputs (as the runner would pass them)
 * and the whole outcome — the frozen Settings, or every error at once.
 */
import { describe, expect, it } from '@jest/globals'
import { readSettings, DEFAULT_COMMIT_MESSAGE, type RunContext } from '../../src/settings.js'
import type { InputName } from '../../src/constants.js'

const CONTEXT: RunContext = {
  repository: 'acme/app',
  sha: 'abc123',
  serverUrl: 'https://github.com',
  apiUrl: 'https://api.github.com',
  runId: '7',
  delayScale: 1
}

const BASE = {
  image: 'ghcr.io/acme/api',
  tag: '1.4.0',
  path: 'apps/api/kustomization.yaml',
  token: 't'
}

function read(inputs: Record<string, string>) {
  return readSettings((name: InputName) => inputs[name] ?? '', CONTEXT)
}

function errors(inputs: Record<string, string>) {
  const outcome = read(inputs)
  return outcome.ok
    ? []
    : outcome.errors.map(e => ({ code: e.code, input: e.input, message: e.message }))
}

describe('path lists', () => {
  it.each([
    { name: 'newlines', path: 'a.yaml\n  b.yaml\n\n', paths: ['a.yaml', 'b.yaml'] },
    { name: 'commas', path: 'a.yaml, b.yaml,', paths: ['a.yaml', 'b.yaml'] },
    {
      name: 'a brace glob keeps its commas',
      path: 'apps/{api,web}/values.yaml, c.yaml',
      paths: ['apps/{api,web}/values.yaml', 'c.yaml']
    },
    {
      name: 'nested braces',
      path: 'apps/{api,{web,worker}}/*.yaml\nd.yaml',
      paths: ['apps/{api,{web,worker}}/*.yaml', 'd.yaml']
    },
    {
      name: 'an unclosed brace ends at the line break',
      path: 'apps/{api,web.yaml\nb.yaml, c.yaml',
      paths: ['apps/{api,web.yaml', 'b.yaml', 'c.yaml']
    }
  ])('$name', ({ path, paths }) => {
    const outcome = read({ ...BASE, path })
    expect(outcome.ok ? outcome.settings.paths : outcome.errors.map(e => e.message)).toEqual(paths)
  })
})

describe('readSettings', () => {
  it('fills defaults and derives the source from the run context', () => {
    const outcome = read(BASE)
    expect(outcome).toEqual({
      ok: true,
      settings: {
        updates: [{ image: 'ghcr.io/acme/api', tag: '1.4.0' }],
        promoteFrom: undefined,
        repo: { owner: 'acme', repo: 'app' },
        paths: ['apps/api/kustomization.yaml'],
        format: 'auto',
        key: undefined,
        createMissing: undefined,
        mode: 'commit',
        branch: undefined,
        token: 't',
        commitMessage: DEFAULT_COMMIT_MESSAGE,
        pullRequest: {
          branch: undefined,
          title: 'Deploy {name}:{tag}',
          body: undefined,
          labels: [],
          reviewers: [],
          teamReviewers: [],
          assignees: [],
          draft: false,
          autoMerge: undefined
        },
        onlyNewer: 'off',
        dryRun: false,
        maxAttempts: 5,
        source: {
          repo: 'acme/app',
          sha: 'abc123',
          runUrl: 'https://github.com/acme/app/actions/runs/7'
        },
        apiUrl: 'https://api.github.com',
        serverUrl: 'https://github.com',
        argocd: undefined,
        delayScale: 1
      }
    })
    expect(outcome.ok && Object.isFrozen(outcome.settings.updates)).toBe(true)
  })

  it.each([
    {
      name: 'tag and digest inside the image reference',
      inputs: { ...BASE, tag: '', image: `ghcr.io/acme/api:2.0.0@sha256:${'a'.repeat(64)}` },
      updates: [{ image: 'ghcr.io/acme/api', tag: '2.0.0', digest: `sha256:${'a'.repeat(64)}` }]
    },
    {
      name: 'several images, one per line',
      inputs: {
        ...BASE,
        image: '',
        tag: '',
        images: 'ghcr.io/acme/api:1.0.0\n\n  ghcr.io/acme/web:2.0.0 \n'
      },
      updates: [
        { image: 'ghcr.io/acme/api', tag: '1.0.0' },
        { image: 'ghcr.io/acme/web', tag: '2.0.0' }
      ]
    },
    {
      name: 'promote-from without a tag',
      inputs: { ...BASE, tag: '', 'promote-from': 'apps/api/dev/kustomization.yaml' },
      updates: [{ image: 'ghcr.io/acme/api' }]
    }
  ])('reads the image inputs: $name', ({ inputs, updates }) => {
    const outcome = read(inputs)
    expect(outcome.ok ? outcome.settings.updates : outcome.errors.map(e => e.message)).toEqual(
      updates
    )
  })

  it.each([
    {
      name: 'every problem at once, each naming its input',
      inputs: {
        ...BASE,
        tag: 'latest',
        mode: 'push',
        'max-attempts': 'many',
        path: '../etc/passwd'
      },
      errors: [
        {
          code: 'INVALID_INPUT',
          input: 'tag',
          message: 'Input "tag" "latest": is the mutable tag "latest", refused by default'
        },
        {
          code: 'INVALID_PATH',
          input: 'path',
          message: 'Input "path": path "../etc/passwd" contains a ".." segment'
        },
        {
          code: 'INVALID_INPUT',
          input: 'mode',
          message: 'Input "mode" "push": is not a valid choice'
        },
        {
          code: 'INVALID_INPUT',
          input: 'max-attempts',
          message: 'Input "max-attempts" "many": is not a whole number from 1 to 20'
        }
      ]
    },
    {
      name: 'a tag disagreeing with the reference',
      inputs: { ...BASE, image: 'ghcr.io/acme/api:1.0.0', tag: '2.0.0' },
      errors: [
        {
          code: 'INVALID_INPUT',
          input: 'tag',
          message: 'Input "tag" "2.0.0": disagrees with the tag in "image" ("1.0.0")'
        }
      ]
    },
    {
      name: 'a newline in a single-line input',
      inputs: { ...BASE, branch: 'main\n::set-output name=x::y' },
      errors: [
        {
          code: 'INVALID_INPUT',
          input: 'branch',
          message:
            'Input "branch" "main\\n::set-output name=x::y": contains control characters or a line break'
        }
      ]
    },
    {
      name: 'only-newer: semver with a tag that is not a version',
      inputs: { ...BASE, tag: 'abc1234', 'only-newer': 'semver' },
      errors: [
        {
          code: 'INVALID_INPUT',
          input: 'only-newer',
          message:
            'Input "only-newer" "semver": needs semantic-version tags, but tag "abc1234" is not one'
        }
      ]
    }
  ])('reports $name', ({ inputs, errors: expected }) => {
    expect(errors(inputs)).toEqual(expected)
  })
})
