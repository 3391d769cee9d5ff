/**
 * The double against GitHub's OpenAPI description (@octokit/openapi): every route it serves
 * is exercised with a real Octokit client, and for each exchange (a) the method and path
 * template exist in the spec, (b) the request body holds only properties the spec declares,
 * (c) the response body has the spec's required properties and types for its status.
 * POST /graphql is not part of the REST description and is covered in pulls.test.ts.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- OpenAPI schema objects and answers are walked generically */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import {
  SERVED_ROUTES,
  startGitHubDouble,
  type GitHubDouble
} from '../../support/github-double.mjs'
import { OWNER_REPO, b64, call, client, type Answer } from './call.js'

type Schema = Record<string, any>

const specPath = createRequire(import.meta.url).resolve(
  '@octokit/openapi/generated/api.github.com.json'
)
const spec = JSON.parse(readFileSync(specPath, 'utf8')) as {
  paths: Record<string, Record<string, any>>
}
const MAX_DEPTH = 12
const MAX_ITEMS = 25

function resolve(schema: Schema | undefined): Schema | undefined {
  let current = schema
  for (let hops = 0; current?.$ref !== undefined && hops < 50; hops++) {
    current = (current.$ref as string)
      .slice(2)
      .split('/')
      .reduce<any>((node, key) => node[key], spec)
  }
  return current
}

function typeProblem(schema: Schema, value: unknown): string | undefined {
  const type = schema.type as string | undefined
  if (type === undefined) return undefined
  const ok =
    (type === 'string' && typeof value === 'string') ||
    (type === 'integer' && Number.isInteger(value)) ||
    (type === 'number' && typeof value === 'number') ||
    (type === 'boolean' && typeof value === 'boolean') ||
    (type === 'array' && Array.isArray(value)) ||
    (type === 'object' && typeof value === 'object' && value !== null && !Array.isArray(value))
  return ok ? undefined : `expected ${type}, got ${Array.isArray(value) ? 'array' : typeof value}`
}

/**
 * Problems of `value` against a response schema: `required` properties and types, through
 * $ref, allOf (all), oneOf/anyOf (some branch) and nullable.
 */
function responseProblems(
  raw: Schema | undefined,
  value: unknown,
  at: string,
  depth = 0
): string[] {
  const schema = resolve(raw)
  if (schema === undefined || depth > MAX_DEPTH) return []
  if (value === null)
    return schema.nullable ||
      (schema.anyOf ?? schema.oneOf ?? []).some((s: Schema) => resolve(s)?.nullable)
      ? []
      : [`${at}: null not allowed`]
  if (schema.allOf)
    return schema.allOf.flatMap((s: Schema) => responseProblems(s, value, at, depth + 1))
  const branches = schema.oneOf ?? schema.anyOf
  if (branches) {
    const results = branches.map((s: Schema) => responseProblems(s, value, at, depth + 1))
    return results.some((r: string[]) => r.length === 0)
      ? []
      : [`${at}: matches no branch (${results.map((r: string[]) => r[0]).join(' | ')})`]
  }
  const wrongType = typeProblem(schema, value)
  if (wrongType) return [`${at}: ${wrongType}`]
  if (Array.isArray(value))
    return value
      .slice(0, MAX_ITEMS)
      .flatMap((item, i) => responseProblems(schema.items, item, `${at}[${i}]`, depth + 1))
  if (typeof value !== 'object') return []
  const object = value as Record<string, unknown>
  const missing = ((schema.required ?? []) as string[])
    .filter(key => !(key in object))
    .map(key => `${at}.${key}: missing`)
  const nested = Object.entries(schema.properties ?? {}).flatMap(([key, sub]) =>
    key in object ? responseProblems(sub as Schema, object[key], `${at}.${key}`, depth + 1) : []
  )
  return [...missing, ...nested]
}

/** Properties of a request body the spec does not declare (recursively where it declares properties). */
function requestProblems(raw: Schema | undefined, value: unknown, at: string, depth = 0): string[] {
  const schema = resolve(raw)
  if (schema === undefined || value === null || value === undefined || depth > MAX_DEPTH) return []
  const branches = schema.oneOf ?? schema.anyOf
  if (branches) {
    const results = branches.map((s: Schema) => [
      ...requestProblems(s, value, at, depth + 1),
      ...(typeProblem(resolve(s) ?? {}, value) ? ['type'] : [])
    ])
    return results.some((r: string[]) => r.length === 0) ? [] : [`${at}: fits no declared shape`]
  }
  if (Array.isArray(value))
    return value.flatMap((item, i) => requestProblems(schema.items, item, `${at}[${i}]`, depth + 1))
  if (typeof value !== 'object' || schema.properties === undefined) return []
  return Object.entries(value as Record<string, unknown>).flatMap(([key, item]) =>
    key in schema.properties
      ? requestProblems(schema.properties[key], item, `${at}.${key}`, depth + 1)
      : [`${at}.${key}: not in the spec`]
  )
}

interface Exchange {
  route: string
  inSpec: boolean
  requestProblems: string[]
  responseProblems: string[]
}

function conformance(double: GitHubDouble, answer: Answer): Exchange {
  const entry = double.log.entries[double.log.entries.length - 1]
  const operation =
    entry.route === undefined ? undefined : spec.paths[entry.route]?.[entry.method.toLowerCase()]
  const jsonOf = (node: Schema | undefined) =>
    resolve(node)?.content?.['application/json']?.schema as Schema | undefined
  const response = operation?.responses?.[String(answer.status)]
  return {
    route: `${entry.method} ${entry.route} → ${answer.status}`,
    inSpec: operation !== undefined && response !== undefined,
    requestProblems: requestProblems(jsonOf(operation?.requestBody), entry.body, 'body'),
    responseProblems:
      answer.status === 204 ? [] : responseProblems(jsonOf(response), answer.data, 'response')
  }
}

interface Case {
  name: string
  route: string
  status: number
  exchange: (double: GitHubDouble) => Promise<Answer>
  expectedRequestProblems?: string[]
  /** Negative controls: damage the answer to show the checker sees it. */
  damage?: (data: any) => void
  expectedResponseProblems?: string[]
}

const routeOf = (method: string, template: string) => `${method} ${template}`
const octo = (double: GitHubDouble) => client(double)
const head = (double: GitHubDouble, branch = 'main') =>
  double.state.branchHead('acme/deploy', branch) as string

const cases: Case[] = [
  {
    name: 'get repository',
    route: 'GET /repos/{owner}/{repo}',
    status: 200,
    exchange: d => call(octo(d), 'GET /repos/{owner}/{repo}', OWNER_REPO)
  },
  {
    name: 'get branch',
    route: 'GET /repos/{owner}/{repo}/branches/{branch}',
    status: 200,
    exchange: d =>
      call(octo(d), 'GET /repos/{owner}/{repo}/branches/{branch}', {
        ...OWNER_REPO,
        branch: 'main'
      })
  },
  {
    name: 'negative control: a missing required property and a wrong type are reported',
    route: 'GET /repos/{owner}/{repo}/branches/{branch}',
    status: 200,
    exchange: d =>
      call(octo(d), 'GET /repos/{owner}/{repo}/branches/{branch}', {
        ...OWNER_REPO,
        branch: 'main'
      }),
    damage: data => {
      delete data.protection_url
      data.protected = 'yes'
      delete data.commit.commit.tree
    },
    expectedResponseProblems: [
      'response.protection_url: missing',
      'response.commit.commit.tree: missing',
      'response.protected: expected boolean, got string'
    ]
  },
  {
    name: 'list commits that changed a path',
    route: 'GET /repos/{owner}/{repo}/commits',
    status: 200,
    exchange: d =>
      call(octo(d), 'GET /repos/{owner}/{repo}/commits', {
        ...OWNER_REPO,
        sha: 'main',
        path: 'apps/api/kustomization.yaml',
        per_page: 2
      })
  },
  {
    name: 'get commit',
    route: 'GET /repos/{owner}/{repo}/commits/{ref}',
    status: 200,
    exchange: d =>
      call(octo(d), 'GET /repos/{owner}/{repo}/commits/{ref}', { ...OWNER_REPO, ref: 'gitops/api' })
  },
  {
    name: 'compare',
    route: 'GET /repos/{owner}/{repo}/compare/{basehead}',
    status: 200,
    exchange: d =>
      call(octo(d), 'GET /repos/{owner}/{repo}/compare/{basehead}', {
        ...OWNER_REPO,
        basehead: 'main...gitops/api'
      })
  },
  {
    name: 'compare, unknown head',
    route: 'GET /repos/{owner}/{repo}/compare/{basehead}',
    status: 404,
    exchange: d =>
      call(octo(d), 'GET /repos/{owner}/{repo}/compare/{basehead}', {
        ...OWNER_REPO,
        basehead: 'main...nope'
      })
  },
  {
    name: 'create blob',
    route: 'POST /repos/{owner}/{repo}/git/blobs',
    status: 201,
    exchange: d =>
      call(octo(d), 'POST /repos/{owner}/{repo}/git/blobs', {
        ...OWNER_REPO,
        content: b64('x\n'),
        encoding: 'base64'
      })
  },
  {
    name: 'get blob',
    route: 'GET /repos/{owner}/{repo}/git/blobs/{file_sha}',
    status: 200,
    exchange: d =>
      call(octo(d), 'GET /repos/{owner}/{repo}/git/blobs/{file_sha}', {
        ...OWNER_REPO,
        file_sha: 'ce013625030ba8dba906f756967f9e9ca394464a'
      })
  },
  {
    name: 'create tree with content, sha and a delete',
    route: 'POST /repos/{owner}/{repo}/git/trees',
    status: 201,
    exchange: d =>
      call(octo(d), 'POST /repos/{owner}/{repo}/git/trees', {
        ...OWNER_REPO,
        base_tree: d.state.log('acme/deploy', 'main')[0].tree,
        tree: [
          { path: 'apps/api/kustomization.yaml', mode: '100644', type: 'blob', content: 'x\n' },
          {
            path: 'copy.txt',
            mode: '100644',
            type: 'blob',
            sha: 'ce013625030ba8dba906f756967f9e9ca394464a'
          },
          { path: 'hello.txt', mode: '100644', type: 'blob', sha: null }
        ]
      })
  },
  {
    name: 'negative control: an undeclared body property is reported',
    route: 'POST /repos/{owner}/{repo}/git/trees',
    status: 201,
    exchange: d =>
      call(octo(d), 'POST /repos/{owner}/{repo}/git/trees', {
        ...OWNER_REPO,
        tree: [{ path: 'a', mode: '100644', type: 'blob', content: 'a', bogus: 1 }],
        bogus: true
      }),
    expectedRequestProblems: ['body.tree[0].bogus: not in the spec', 'body.bogus: not in the spec']
  },
  {
    name: 'get tree recursively',
    route: 'GET /repos/{owner}/{repo}/git/trees/{tree_sha}',
    status: 200,
    exchange: d =>
      call(octo(d), 'GET /repos/{owner}/{repo}/git/trees/{tree_sha}', {
        ...OWNER_REPO,
        tree_sha: 'main',
        recursive: '1'
      })
  },
  {
    name: 'create commit with author and committer',
    route: 'POST /repos/{owner}/{repo}/git/commits',
    status: 201,
    exchange: d => {
      const who = { name: 'Bot', email: 'bot@example.com', date: '2024-01-02T03:04:05Z' }
      return call(octo(d), 'POST /repos/{owner}/{repo}/git/commits', {
        ...OWNER_REPO,
        message: 'm',
        tree: d.state.log('acme/deploy', 'main')[0].tree,
        parents: [head(d)],
        author: who,
        committer: who
      })
    }
  },
  {
    name: 'get git commit',
    route: 'GET /repos/{owner}/{repo}/git/commits/{commit_sha}',
    status: 200,
    exchange: d =>
      call(octo(d), 'GET /repos/{owner}/{repo}/git/commits/{commit_sha}', {
        ...OWNER_REPO,
        commit_sha: head(d)
      })
  },
  {
    name: 'get ref',
    route: 'GET /repos/{owner}/{repo}/git/ref/{ref}',
    status: 200,
    exchange: d =>
      call(octo(d), 'GET /repos/{owner}/{repo}/git/ref/{ref}', {
        ...OWNER_REPO,
        ref: 'heads/gitops/api'
      })
  },
  {
    name: 'get missing ref',
    route: 'GET /repos/{owner}/{repo}/git/ref/{ref}',
    status: 404,
    exchange: d =>
      call(octo(d), 'GET /repos/{owner}/{repo}/git/ref/{ref}', { ...OWNER_REPO, ref: 'heads/nope' })
  },
  {
    name: 'matching refs',
    route: 'GET /repos/{owner}/{repo}/git/matching-refs/{ref}',
    status: 200,
    exchange: d =>
      call(octo(d), 'GET /repos/{owner}/{repo}/git/matching-refs/{ref}', {
        ...OWNER_REPO,
        ref: 'heads/gitops'
      })
  },
  {
    name: 'create ref',
    route: 'POST /repos/{owner}/{repo}/git/refs',
    status: 201,
    exchange: d =>
      call(octo(d), 'POST /repos/{owner}/{repo}/git/refs', {
        ...OWNER_REPO,
        ref: 'refs/heads/new',
        sha: head(d)
      })
  },
  {
    name: 'create existing ref',
    route: 'POST /repos/{owner}/{repo}/git/refs',
    status: 422,
    exchange: d =>
      call(octo(d), 'POST /repos/{owner}/{repo}/git/refs', {
        ...OWNER_REPO,
        ref: 'refs/heads/main',
        sha: head(d)
      })
  },
  {
    name: 'update ref (fast-forward, force false)',
    route: 'PATCH /repos/{owner}/{repo}/git/refs/{ref}',
    status: 200,
    exchange: d =>
      call(octo(d), 'PATCH /repos/{owner}/{repo}/git/refs/{ref}', {
        ...OWNER_REPO,
        ref: 'heads/main',
        sha: head(d, 'gitops/api'),
        force: false
      })
  },
  {
    name: 'update ref, not a fast forward',
    route: 'PATCH /repos/{owner}/{repo}/git/refs/{ref}',
    status: 422,
    exchange: d => {
      const sideways = d.state.commitFiles('acme/deploy', 'main', { 'm.txt': 'm\n' })
      return call(octo(d), 'PATCH /repos/{owner}/{repo}/git/refs/{ref}', {
        ...OWNER_REPO,
        ref: 'heads/gitops/api',
        sha: sideways
      })
    }
  },
  {
    name: 'delete ref',
    route: 'DELETE /repos/{owner}/{repo}/git/refs/{ref}',
    status: 204,
    exchange: d =>
      call(octo(d), 'DELETE /repos/{owner}/{repo}/git/refs/{ref}', {
        ...OWNER_REPO,
        ref: 'heads/gitops/api'
      })
  },
  {
    name: 'get file',
    route: 'GET /repos/{owner}/{repo}/contents/{path}',
    status: 200,
    exchange: d =>
      call(octo(d), 'GET /repos/{owner}/{repo}/contents/{path}', {
        ...OWNER_REPO,
        path: 'apps/api/kustomization.yaml'
      })
  },
  {
    name: 'get directory',
    route: 'GET /repos/{owner}/{repo}/contents/{path}',
    status: 200,
    exchange: d =>
      call(octo(d), 'GET /repos/{owner}/{repo}/contents/{path}', { ...OWNER_REPO, path: 'apps' })
  },
  {
    name: 'get symlink',
    route: 'GET /repos/{owner}/{repo}/contents/{path}',
    status: 200,
    exchange: d =>
      call(octo(d), 'GET /repos/{owner}/{repo}/contents/{path}', { ...OWNER_REPO, path: 'to-dir' })
  },
  {
    name: 'get submodule',
    route: 'GET /repos/{owner}/{repo}/contents/{path}',
    status: 200,
    exchange: d =>
      call(octo(d), 'GET /repos/{owner}/{repo}/contents/{path}', {
        ...OWNER_REPO,
        path: 'vendor/lib'
      })
  },
  {
    name: 'get missing file',
    route: 'GET /repos/{owner}/{repo}/contents/{path}',
    status: 404,
    exchange: d =>
      call(octo(d), 'GET /repos/{owner}/{repo}/contents/{path}', { ...OWNER_REPO, path: 'nope' })
  },
  {
    name: 'put file with branch, committer and author',
    route: 'PUT /repos/{owner}/{repo}/contents/{path}',
    status: 200,
    exchange: d => {
      const who = { name: 'Bot', email: 'bot@example.com' }
      const sha = 'ce013625030ba8dba906f756967f9e9ca394464a'
      return call(octo(d), 'PUT /repos/{owner}/{repo}/contents/{path}', {
        ...OWNER_REPO,
        path: 'hello.txt',
        message: 'm',
        content: b64('hi\n'),
        sha,
        branch: 'main',
        committer: who,
        author: who
      })
    }
  },
  {
    name: 'put file with a stale sha',
    route: 'PUT /repos/{owner}/{repo}/contents/{path}',
    status: 409,
    exchange: d =>
      call(octo(d), 'PUT /repos/{owner}/{repo}/contents/{path}', {
        ...OWNER_REPO,
        path: 'hello.txt',
        message: 'm',
        content: b64('hi\n'),
        sha: 'f'.repeat(40)
      })
  },
  {
    name: 'list pulls',
    route: 'GET /repos/{owner}/{repo}/pulls',
    status: 200,
    exchange: d =>
      call(octo(d), 'GET /repos/{owner}/{repo}/pulls', {
        ...OWNER_REPO,
        state: 'open',
        head: 'acme:gitops/api',
        base: 'main'
      })
  },
  {
    name: 'create pull',
    route: 'POST /repos/{owner}/{repo}/pulls',
    status: 201,
    exchange: d => {
      d.state.commitFiles('acme/deploy', 'gitops/web', { 'web.txt': 'w\n' })
      return call(octo(d), 'POST /repos/{owner}/{repo}/pulls', {
        ...OWNER_REPO,
        title: 't',
        head: 'gitops/web',
        base: 'main',
        body: 'b',
        draft: false,
        maintainer_can_modify: false
      })
    }
  },
  {
    name: 'create duplicate pull',
    route: 'POST /repos/{owner}/{repo}/pulls',
    status: 422,
    exchange: d =>
      call(octo(d), 'POST /repos/{owner}/{repo}/pulls', {
        ...OWNER_REPO,
        title: 't',
        head: 'acme:gitops/api',
        base: 'main'
      })
  },
  {
    name: 'get pull',
    route: 'GET /repos/{owner}/{repo}/pulls/{pull_number}',
    status: 200,
    exchange: d =>
      call(octo(d), 'GET /repos/{owner}/{repo}/pulls/{pull_number}', {
        ...OWNER_REPO,
        pull_number: 1
      })
  },
  {
    name: 'negative control: a deep required property is reported',
    route: 'GET /repos/{owner}/{repo}/pulls/{pull_number}',
    status: 200,
    exchange: d =>
      call(octo(d), 'GET /repos/{owner}/{repo}/pulls/{pull_number}', {
        ...OWNER_REPO,
        pull_number: 1
      }),
    damage: data => {
      delete data.head.repo.owner.login
    },
    expectedResponseProblems: ['response.head.repo.owner.login: missing']
  },
  {
    name: 'update pull',
    route: 'PATCH /repos/{owner}/{repo}/pulls/{pull_number}',
    status: 200,
    exchange: d =>
      call(octo(d), 'PATCH /repos/{owner}/{repo}/pulls/{pull_number}', {
        ...OWNER_REPO,
        pull_number: 1,
        title: 'x',
        body: 'y',
        state: 'open'
      })
  },
  {
    name: 'merge pull',
    route: 'PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge',
    status: 200,
    exchange: d =>
      call(octo(d), 'PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge', {
        ...OWNER_REPO,
        pull_number: 1,
        merge_method: 'merge',
        sha: head(d, 'gitops/api')
      })
  },
  {
    name: 'request reviewers',
    route: 'POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers',
    status: 201,
    exchange: d =>
      call(octo(d), 'POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers', {
        ...OWNER_REPO,
        pull_number: 1,
        reviewers: ['alice'],
        team_reviewers: ['platform']
      })
  },
  {
    name: 'add labels',
    route: 'POST /repos/{owner}/{repo}/issues/{issue_number}/labels',
    status: 200,
    exchange: d =>
      call(octo(d), 'POST /repos/{owner}/{repo}/issues/{issue_number}/labels', {
        ...OWNER_REPO,
        issue_number: 1,
        labels: ['deploy']
      })
  },
  {
    name: 'add assignees',
    route: 'POST /repos/{owner}/{repo}/issues/{issue_number}/assignees',
    status: 201,
    exchange: d =>
      call(octo(d), 'POST /repos/{owner}/{repo}/issues/{issue_number}/assignees', {
        ...OWNER_REPO,
        issue_number: 1,
        assignees: ['alice']
      })
  }
]

describe('GitHub double: OpenAPI conformance', () => {
  let double: GitHubDouble
  beforeEach(async () => {
    double = await startGitHubDouble()
    double.state.createRepo('acme/deploy', {
      files: { 'hello.txt': 'hello\n', 'apps/api/kustomization.yaml': 'images: []\n' },
      symlinks: { 'to-dir': 'apps' },
      submodules: { 'vendor/lib': 'c'.repeat(40) }
    })
    double.state.commitFiles('acme/deploy', 'gitops/api', {
      'apps/api/kustomization.yaml': 'images: [x]\n'
    })
    await call(client(double), 'POST /repos/{owner}/{repo}/pulls', {
      ...OWNER_REPO,
      title: 'Deploy',
      head: 'gitops/api',
      base: 'main'
    })
    double.log.clear()
  })
  afterEach(async () => {
    await double.close()
  })

  it('every route the double serves (but GraphQL) has a case here and exists in the spec', () => {
    const served = SERVED_ROUTES.filter(r => r.template !== '/graphql').map(r =>
      routeOf(r.method, r.template)
    )
    const covered = new Set(cases.map(c => c.route))
    expect({
      uncovered: served.filter(route => !covered.has(route)),
      notInSpec: served.filter(route => {
        const [method, template] = route.split(' ')
        return spec.paths[template]?.[method.toLowerCase()] === undefined
      })
    }).toEqual({ uncovered: [], notInSpec: [] })
  })

  it.each(cases)(
    '$route: $name',
    async ({
      route,
      status,
      exchange,
      expectedRequestProblems,
      damage,
      expectedResponseProblems
    }) => {
      const answer = await exchange(double)
      damage?.(answer.data)
      expect(conformance(double, answer)).toEqual({
        route: `${route} → ${status}`,
        inSpec: true,
        requestProblems: expectedRequestProblems ?? [],
        responseProblems: expectedResponseProblems ?? []
      })
    }
  )
})
