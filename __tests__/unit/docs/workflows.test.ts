/**
 * Every workflow in .github/workflows and every ```yaml example in README.md and docs/*.md:
 * valid YAML, the shape of a workflow (or a snippet of one), and every step that runs this
 * action uses only inputs of action.yml and gives the required ones. The reusable workflow
 * mirrors action.yml; third-party actions in our workflows are pinned by commit SHA.
 * The checker's own cases come first, so a check that could never fail would show.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from '@jest/globals'
import { parse, parseAllDocuments } from 'yaml'
import { checkSnippet, checkWorkflow, type ActionSpec, type LintContext } from './workflow-lint.js'
import { checkReusableWorkflow, reusableSpecOf } from './reusable-workflow.js'
import { yamlBlocks } from './yaml-blocks.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const read = (file: string) => readFileSync(path.join(root, file), 'utf8')
const action = parse(read('action.yml')) as ActionSpec
const WORKFLOWS = '.github/workflows'
const REUSABLE = `${WORKFLOWS}/handoff.yml`

const workflowFiles = readdirSync(path.join(root, WORKFLOWS))
  .filter(name => /\.ya?ml$/.test(name))
  .map(name => `${WORKFLOWS}/${name}`)
const markdownFiles = [
  'README.md',
  ...(existsSync(path.join(root, 'docs'))
    ? readdirSync(path.join(root, 'docs')).map(n => `docs/${n}`)
    : [])
].filter(file => file.endsWith('.md') && existsSync(path.join(root, file)))

const context: LintContext = { action, reusable: reusableSpecOf(parse(read(REUSABLE))) }

/** YAML documents of a text, or its syntax errors as problems. */
function documents(where: string, text: string): { docs: unknown[]; problems: string[] } {
  const parsed = parseAllDocuments(text)
  const problems = parsed.flatMap(doc =>
    doc.errors.map(error => `${where}: ${error.message.split('\n')[0]}`)
  )
  return { docs: problems.length > 0 ? [] : parsed.map(doc => doc.toJS()), problems }
}

/**
 * A third-party action in our own workflows is pinned to a full commit SHA with its version in a
 * comment. Exempt: local actions (`./…`) and this action's own published name in handoff.yml,
 * which release.yml moves with each release.
 */
export function pinProblems(file: string, text: string): string[] {
  return text.split('\n').flatMap((line, index) => {
    const match = /^\s*(?:-\s+)?uses:\s*([^\s#]+)(.*)$/.exec(line)
    if (!match || match[1].startsWith('./') || /^[\w.-]+\/gitops-handoff[@/]/.test(match[1]))
      return []
    const pinned = /@[0-9a-f]{40}$/.test(match[1]) && /#\s*v\d/.test(match[2])
    return pinned ? [] : [`${file}:${index + 1}: pin ${match[1]} to a commit SHA with "# vX.Y.Z"`]
  })
}

describe('the workflow checker', () => {
  it.each([
    {
      name: 'a step with an unknown input, a missing path and a bad mode',
      snippet:
        '- uses: acme/gitops-handoff@v1\n  with:\n    image: ghcr.io/acme/api\n    tags: 1.2.3\n    mode: pr\n',
      expected: [
        'x step 1: "tags" is not an input of action.yml',
        'x step 1: input "mode" is "pr"; valid: commit, pull-request',
        'x step 1: required input "path" is missing'
      ]
    },
    {
      name: 'neither image nor images, a non-boolean dry-run, a literal token',
      snippet: 'uses: ./\nwith:\n  path: a.yaml\n  dry-run: maybe\n  token: ghp_abcdef\n',
      expected: [
        'x step 1: input "dry-run" is "maybe"; it is a boolean (true or false)',
        'x step 1: input "token" holds a literal token; pass a secret (${{ secrets.… }})',
        'x step 1: give "image" (or "images")'
      ]
    },
    {
      name: 'an output the action does not set',
      snippet:
        '- id: deploy\n  uses: OWNER/gitops-handoff@v1\n  with: { image: a, tag: b, path: c }\n- run: echo ${{ steps.deploy.outputs.sha }}\n',
      expected: ['x: step "deploy" runs gitops-handoff, which has no output "sha"']
    },
    {
      name: 'a workflow: unknown event, job without runs-on, step with uses and run, unknown needs',
      snippet:
        'on: pushed\npermissions: { contents: writ }\njobs:\n  a:\n    needs: b\n    steps:\n      - uses: x/y@v1\n        run: echo\n',
      expected: [
        'x: unknown event "pushed"',
        'x: permission "contents: writ" is not read, write or none',
        'x job "a": needs unknown job "b"',
        'x job "a": "runs-on" is missing',
        'x job "a" step 1: a step has exactly one of "uses" and "run"'
      ]
    },
    {
      name: 'a reference to a step that does not exist, in a whole workflow',
      snippet:
        'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ steps.nope.outputs.x }}\n',
      expected: ['x job "a": "steps.nope" refers to no step with that id']
    },
    {
      name: 'a call of the reusable workflow with an unknown input and secret',
      snippet:
        'on: push\njobs:\n  d:\n    uses: acme/gitops-handoff/.github/workflows/handoff.yml@v1\n    with: { image: a, tag: b, path: c, imgae: d }\n    secrets: { tokne: x }\n',
      expected: [
        'x job "d": "imgae" is not an input of handoff.yml',
        'x job "d": "tokne" is not a secret of handoff.yml'
      ]
    },
    {
      name: 'a Kubernetes manifest or a GitLab CI job is only parsed',
      snippet: 'deploy:\n  image: node:24\n  script:\n    - npx gitops-handoff --image a --tag b\n',
      expected: []
    }
  ])('$name', ({ snippet, expected }) => {
    expect(checkSnippet('x', parse(snippet), context)).toEqual(expected)
  })

  it('finds YAML blocks in Markdown, also indented in lists, with their line numbers', () => {
    const markdown =
      'a\n\n```yaml\nx: 1\n```\n\n1. step\n\n   ```yml\n   - y: 2\n   ```\n\n```sh\nz\n```\n'
    expect(yamlBlocks('R.md', markdown)).toEqual([
      { where: 'R.md:4', text: 'x: 1' },
      { where: 'R.md:10', text: '- y: 2' }
    ])
  })

  it('reports unpinned third-party actions', () => {
    const text =
      'steps:\n  - uses: actions/checkout@v5\n  - uses: ./\n  - uses: actions/setup-node@2028fbc5c25fe9cf00d9f06a71cc4710d4507903 # v6.0.0\n'
    expect(pinProblems('w.yml', text)).toEqual([
      'w.yml:2: pin actions/checkout@v5 to a commit SHA with "# vX.Y.Z"'
    ])
  })
})

describe('the repository', () => {
  it('has workflows to check', () => {
    expect(workflowFiles).toEqual(expect.arrayContaining([`${WORKFLOWS}/ci.yml`, REUSABLE]))
  })

  it.each(workflowFiles)('%s', file => {
    const text = read(file)
    const { docs, problems } = documents(file, text)
    for (const doc of docs) problems.push(...checkWorkflow(file, doc, context))
    problems.push(...pinProblems(file, text))
    const onlyCalled = docs.every(
      doc => reusableSpecOf(doc) && Object.keys((doc as { on: object }).on).length === 1
    )
    if (!onlyCalled && docs.some(doc => !(doc as Record<string, unknown>).permissions)) {
      problems.push(`${file}: declare top-level "permissions" (least privilege)`)
    }
    if (file === REUSABLE) problems.push(...checkReusableWorkflow(file, docs[0], action))
    expect(problems).toEqual([])
  })

  const blocks = markdownFiles.flatMap(file => yamlBlocks(file, read(file)))
  // Until the README exists there may be no block; the table then checks nothing, which it says.
  it.each(
    blocks.length > 0
      ? blocks
      : [{ where: '(no YAML examples in README.md or docs/ yet)', text: '' }]
  )('$where', ({ where, text }) => {
    const { docs, problems } = documents(where, text)
    for (const doc of docs) problems.push(...checkSnippet(where, doc, context))
    expect(problems).toEqual([])
  })
})
