/**
 * HTTP-level behaviour of the double: authentication and permissions, GitHub's headers,
 * the GHES prefix, fault injection, latency, the before-write race hook, the request log,
 * 20 concurrent clients, isolation between instances and close().
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { Agent, request as httpRequest } from 'node:http'
import { startGitHubDouble, type GitHubDouble } from '../../support/github-double.mjs'
import { OWNER_REPO, b64, call, client, refusal } from './call.js'

interface Case {
  name: string
  options?: Parameters<typeof startGitHubDouble>[0]
  run: (double: GitHubDouble) => Promise<unknown>
  expected: unknown
}

const REPO = 'acme/deploy'
const FILE = 'apps/api/values.yaml'

const getRepo = (double: GitHubDouble, token: string | null) =>
  call(client(double, token), 'GET /repos/{owner}/{repo}', OWNER_REPO)
const getFile = (double: GitHubDouble, token?: string) =>
  call(client(double, token), 'GET /repos/{owner}/{repo}/contents/{path}', {
    ...OWNER_REPO,
    path: FILE
  })
const putFile = (double: GitHubDouble, text: string, sha: string, token?: string) =>
  call(client(double, token), 'PUT /repos/{owner}/{repo}/contents/{path}', {
    ...OWNER_REPO,
    path: FILE,
    message: 'm',
    content: b64(text),
    sha
  })
const rawGet = (double: GitHubDouble, path: string, authorization?: string) =>
  fetch(`${double.url}${path}`, { headers: authorization ? { authorization } : {} }).then(
    r => r.status
  )

/** Read-modify-write of FILE until it lands, appending `line`; bounded attempts. */
async function appendLine(double: GitHubDouble, line: string): Promise<number> {
  for (let attempt = 1; attempt <= 100; attempt++) {
    const current = await getFile(double)
    const text = Buffer.from(current.data.content, 'base64').toString()
    const answer = await putFile(double, `${text}${line}\n`, current.data.sha)
    if (answer.status === 200) return attempt
    if (answer.status !== 409) throw new Error(`unexpected ${answer.status}`)
  }
  throw new Error(`${line} did not land in 100 attempts`)
}

const cases: Case[] = [
  {
    name: '"token X", "Bearer X" and Basic are accepted; no credentials is 401',
    run: async double => ({
      token: await rawGet(double, '/repos/acme/deploy', 'token ghs_a'),
      bearer: await rawGet(double, '/repos/acme/deploy', 'Bearer ghs_a'),
      basic: await rawGet(double, '/repos/acme/deploy', `Basic ${b64('x-access-token:ghs_a')}`),
      none: refusal(await getRepo(double, null))
    }),
    expected: {
      token: 200,
      bearer: 200,
      basic: 200,
      none: { status: 401, message: 'Requires authentication' }
    }
  },
  {
    name: 'registered tokens: unknown is 401, read-only write is 403, invisible repository is 404',
    options: {
      tokens: { ghs_reader: { 'acme/deploy': 'read' }, ghs_writer: { 'acme/deploy': 'write' } }
    },
    run: async double => {
      double.state.createRepo('acme/secret')
      const current = await getFile(double, 'ghs_reader')
      return {
        unknown: refusal(await getRepo(double, 'ghs_stranger')),
        readerPush: (await getRepo(double, 'ghs_reader')).data.permissions.push,
        readerWrite: refusal(await putFile(double, 'x\n', current.data.sha, 'ghs_reader')),
        writerWrite: (await putFile(double, 'x\n', current.data.sha, 'ghs_writer')).status,
        invisible: refusal(
          await call(client(double, 'ghs_writer'), 'GET /repos/{owner}/{repo}', {
            owner: 'acme',
            repo: 'secret'
          })
        ),
        missing: refusal(
          await call(client(double, 'ghs_writer'), 'GET /repos/{owner}/{repo}', {
            owner: 'acme',
            repo: 'nope'
          })
        )
      }
    },
    expected: {
      unknown: { status: 401, message: 'Bad credentials' },
      readerPush: false,
      readerWrite: { status: 403, message: 'Resource not accessible by integration' },
      writerWrite: 200,
      invisible: { status: 404, message: 'Not Found' },
      missing: { status: 404, message: 'Not Found' }
    }
  },
  {
    name: 'every answer, errors included, carries rate-limit headers and a request id',
    run: async double => {
      const first = await getRepo(double, 'ghs_a')
      const second = await call(
        client(double, 'ghs_a'),
        'GET /repos/{owner}/{repo}/contents/{path}',
        { ...OWNER_REPO, path: 'nope' }
      )
      const shape = (h: Record<string, unknown>) => ({
        limit: h['x-ratelimit-limit'],
        remaining: h['x-ratelimit-remaining'],
        used: h['x-ratelimit-used'],
        resource: h['x-ratelimit-resource'],
        resetIsFuture: Number(h['x-ratelimit-reset']) > Date.now() / 1000,
        requestId: /^[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{10}:[0-9A-F]{8}$/.test(
          String(h['x-github-request-id'])
        )
      })
      return [shape(first.headers), { status: second.status, ...shape(second.headers) }]
    },
    expected: [
      {
        limit: '5000',
        remaining: '4999',
        used: '1',
        resource: 'core',
        resetIsFuture: true,
        requestId: true
      },
      {
        status: 404,
        limit: '5000',
        remaining: '4998',
        used: '2',
        resource: 'core',
        resetIsFuture: true,
        requestId: true
      }
    ]
  },
  {
    name: 'an enforced rate limit answers 403 once used up',
    options: { rateLimit: 2 },
    run: async double => {
      const statuses = []
      for (let i = 0; i < 3; i++) statuses.push((await getRepo(double, 'ghs_a')).status)
      const last = await getRepo(double, 'ghs_a')
      return {
        statuses,
        remaining: last.headers['x-ratelimit-remaining'],
        message: String(last.data.message).slice(0, 26)
      }
    },
    expected: { statuses: [200, 200, 403], remaining: '0', message: 'API rate limit exceeded fo' }
  },
  {
    name: 'GHES: REST under /api/v3 and GraphQL at /api/graphql, logged with their prefix',
    run: async double => {
      double.state.commitFiles(REPO, 'gitops/x', { 'x.txt': 'x\n' })
      const octokit = client(double, 'ghs_a', double.ghesUrl)
      const repo = await call(octokit, 'GET /repos/{owner}/{repo}', OWNER_REPO)
      const pr = await call(octokit, 'POST /repos/{owner}/{repo}/pulls', {
        ...OWNER_REPO,
        title: 't',
        head: 'gitops/x',
        base: 'main'
      })
      double.state.allowAutoMerge(REPO, true)
      const graphql = (await octokit.graphql(
        'mutation($id: ID!) { enablePullRequestAutoMerge(input: { pullRequestId: $id }) { pullRequest { number } } }',
        { id: pr.data.node_id }
      )) as { enablePullRequestAutoMerge: { pullRequest: { number: number } } }
      return {
        repoUrl: repo.data.url,
        prUrl: pr.data.url,
        graphql: graphql.enablePullRequestAutoMerge.pullRequest.number,
        log: double.log.entries.map(e => `${e.prefix} ${e.method} ${e.path}`)
      }
    },
    expected: {
      repoUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/api\/v3\/repos\/acme\/deploy$/),
      prUrl: expect.stringMatching(/\/api\/v3\/repos\/acme\/deploy\/pulls\/1$/),
      graphql: 1,
      log: [
        '/api/v3 GET /repos/acme/deploy',
        '/api/v3 POST /repos/acme/deploy/pulls',
        '/api POST /graphql'
      ]
    }
  },
  {
    name: 'faults are consumed in order, match by method/path/template/RegExp, and carry headers',
    run: async double => {
      double.faults.add({ method: 'GET', path: '/repos/acme/deploy', status: 502, times: 2 })
      double.faults.add({
        path: '/repos/{owner}/{repo}',
        status: 403,
        body: { message: 'You have exceeded a secondary rate limit.' },
        headers: { 'retry-after': '7' }
      })
      double.faults.add({ path: /contents\/apps/, status: 500 })
      const pendingBefore = double.faults.pending()
      const answers = []
      for (let i = 0; i < 4; i++) {
        const a = await getRepo(double, 'ghs_a')
        answers.push([a.status, a.headers['retry-after'] ?? null])
      }
      const contents = await getFile(double)
      const after = await getFile(double)
      return {
        pendingBefore,
        answers,
        contents: contents.status,
        after: after.status,
        pendingAfter: double.faults.pending(),
        faulted: double.log.count(e => e.faulted)
      }
    },
    expected: {
      pendingBefore: 4,
      answers: [
        [502, null],
        [502, null],
        [403, '7'],
        [200, null]
      ],
      contents: 500,
      after: 200,
      pendingAfter: 0,
      faulted: 4
    }
  },
  {
    name: 'a dropped socket fails the request and is logged with status 0; delayMs slows one answer',
    run: async double => {
      double.faults.add({ path: '/repos/acme/deploy', drop: true })
      const dropped = await getRepo(double, 'ghs_a').then(
        a => `answered ${a.status}`,
        (e: Error) => e.name
      )
      double.faults.add({ path: '/repos/acme/deploy', delayMs: 300 })
      const started = Date.now()
      const slow = await getRepo(double, 'ghs_a')
      return {
        dropped,
        slowStatus: slow.status,
        slowEnough: Date.now() - started >= 290,
        log: double.log.entries.map(e => [e.status, e.faulted])
      }
    },
    expected: {
      dropped: 'HttpError',
      slowStatus: 200,
      slowEnough: true,
      log: [
        [0, true],
        [200, true]
      ]
    }
  },
  {
    name: 'a write answered by a fault is logged with its body, so a retry can be compared with it',
    run: async double => {
      double.faults.add({ method: 'PUT', status: 502 })
      const read = await getFile(double)
      const first = await putFile(double, 'tag: "2"\n', read.data.sha)
      const retry = await putFile(double, 'tag: "2"\n', read.data.sha)
      const [a, b] = double.log.writes()
      return {
        statuses: [first.status, retry.status],
        faulted: [a.faulted, b.faulted],
        sameBody: JSON.stringify(a.body) === JSON.stringify(b.body)
      }
    },
    expected: { statuses: [502, 200], faulted: [true, false], sameBody: true }
  },
  {
    name: 'latencyMs delays every request',
    options: { latencyMs: 120 },
    run: async double => {
      const started = Date.now()
      await getRepo(double, 'ghs_a')
      await getRepo(double, 'ghs_a')
      return Date.now() - started >= 235
    },
    expected: true
  },
  {
    name: 'onBeforeWrite lets a racing commit land between our read and our write (409), once',
    run: async double => {
      const read = await getFile(double)
      const remove = double.onBeforeWrite(
        ({ state, repo, method }) => {
          state.commitFiles(
            repo as string,
            'main',
            { 'other.yaml': `raced by ${method}\n` },
            'racing pipeline'
          )
          state.commitFiles(repo as string, 'main', { [FILE]: 'tag: racer\n' }, 'racing pipeline')
        },
        { times: 1 }
      )
      const first = await putFile(double, 'tag: ours\n', read.data.sha)
      const reread = await getFile(double)
      const second = await putFile(double, 'tag: ours\n', reread.data.sha)
      remove()
      return {
        first: first.status,
        second: second.status,
        messages: double.state.log(REPO, 'main', 4).map(c => c.message),
        other: double.state.readFile(REPO, 'main', 'other.yaml')?.toString()
      }
    },
    expected: {
      first: 409,
      second: 200,
      messages: ['m', 'racing pipeline', 'racing pipeline', 'Initial commit'],
      other: 'raced by PUT\n'
    }
  },
  {
    name: 'the log records decoded paths, queries and bodies; writes() and count() filter it',
    run: async double => {
      await call(client(double), 'GET /repos/{owner}/{repo}/git/trees/{tree_sha}', {
        ...OWNER_REPO,
        tree_sha: 'main',
        recursive: '1'
      })
      const read = await getFile(double)
      await putFile(double, 'x\n', read.data.sha)
      const writes = double.log.writes().map(e => ({
        method: e.method,
        path: e.path,
        route: e.route,
        status: e.status,
        message: (e.body as { message: string }).message
      }))
      return {
        first: [double.log.entries[0].path, double.log.entries[0].query],
        writes,
        gets: double.log.count({ method: 'GET' }),
        contents: double.log.count({ route: '/repos/{owner}/{repo}/contents/{path}' }),
        byRegExp: double.log.count({ path: /values\.yaml$/ })
      }
    },
    expected: {
      first: ['/repos/acme/deploy/git/trees/main', { recursive: '1' }],
      writes: [
        {
          method: 'PUT',
          path: `/repos/acme/deploy/contents/${FILE}`,
          route: '/repos/{owner}/{repo}/contents/{path}',
          status: 200,
          message: 'm'
        }
      ],
      gets: 2,
      contents: 2,
      byRegExp: 2
    }
  },
  {
    name: 'two doubles share nothing',
    run: async double => {
      const other = await startGitHubDouble()
      try {
        other.state.createRepo(REPO, { files: { 'only-here.txt': 'x\n' } })
        const here = await call(client(double), 'GET /repos/{owner}/{repo}/contents/{path}', {
          ...OWNER_REPO,
          path: 'only-here.txt'
        })
        const there = await call(client(other), 'GET /repos/{owner}/{repo}/contents/{path}', {
          ...OWNER_REPO,
          path: 'only-here.txt'
        })
        return {
          here: here.status,
          there: there.status,
          otherLog: other.log.entries.length,
          ports: other.port !== double.port
        }
      } finally {
        await other.close()
      }
    },
    expected: { here: 404, there: 200, otherLog: 1, ports: true }
  }
]

describe('GitHub double: HTTP behaviour', () => {
  let double: GitHubDouble | undefined
  afterEach(async () => {
    await double?.close()
    double = undefined
  })

  it.each(cases)('$name', async ({ options, run, expected }) => {
    double = await startGitHubDouble(options)
    double.state.createRepo(REPO, { files: { [FILE]: 'tag: "1"\n' } })
    expect(await run(double)).toEqual(expected)
  })
})

describe('GitHub double: load and shutdown', () => {
  let double: GitHubDouble
  beforeEach(async () => {
    double = await startGitHubDouble()
    double.state.createRepo(REPO, { files: { [FILE]: '' } })
  })
  afterEach(async () => {
    await double.close()
  })

  it('20 concurrent read-modify-write clients all land, each on top of the others', async () => {
    const lines = Array.from({ length: 20 }, (_, i) => `client-${String(i).padStart(2, '0')}`)
    await Promise.all(lines.map(line => appendLine(double, line)))
    const landed = double.state.readFile(REPO, 'main', FILE)?.toString().trim().split('\n').sort()
    expect({
      landed,
      commits: double.state.log(REPO, 'main').length,
      conflictsSeen: double.log.count({ method: 'PUT', status: 409 }) > 0
    }).toEqual({ landed: lines, commits: 21, conflictsSeen: true })
  })

  it('close() ends keep-alive sockets and refuses new connections', async () => {
    const agent = new Agent({ keepAlive: true })
    const socketClosed = new Promise<boolean>(resolve => {
      const req = httpRequest(
        `${double.url}/repos/acme/deploy`,
        { agent, headers: { authorization: 'token ghs_a' } },
        res => {
          res.resume()
          res.on('end', () => {
            const timer = setTimeout(() => resolve(false), 2000)
            req.socket?.once('close', () => {
              clearTimeout(timer)
              resolve(true)
            })
            void double.close()
          })
        }
      )
      req.end()
    })
    const closed = await socketClosed
    const after = await fetch(`${double.url}/repos/acme/deploy`).then(
      r => `answered ${r.status}`,
      (e: Error & { cause?: { code?: string } }) => e.cause?.code
    )
    agent.destroy()
    expect({ closed, after }).toEqual({ closed: true, after: 'ECONNREFUSED' })
  })
})
