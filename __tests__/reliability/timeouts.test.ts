/**
 * Issue 6, item 2 — slow answers and the request timeout, on the GitHub adapters in process.
 * The action fixes its timeout at 60 s (src/wiring.ts); nothing outside the process can
 * shorten it, so the suite builds the same client with a 300 ms timeout instead and checks:
 *
 * - an answer slower than the timeout is abandoned and re-sent, and the read or write lands;
 * - a write whose first try was abandoned and then handled late does not commit twice (the
 *   blob SHA / fast-forward preconditions refuse the late one);
 * - a server that never answers in time makes the call fail with NETWORK_ERROR after the
 *   bounded retries: no call hangs.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { GitHubManifestRepo } from '../../src/github/manifest-repo.js'
import type { HandoffError } from '../../src/errors.js'
import { FULL_NAME, REPO, startHarness, type Harness } from '../unit/github/harness.js'
import { suiteFigures } from './figures.js'

const TIMEOUT_MS = 300
/** Retries of the harness client (FAST): 2, so at most 3 tries of one request. */
const TRIES = 3
const SLOW_MS = 1500
const FILES = {
  'a.yaml': 'image: ghcr.io/acme/app:1.0.0\n',
  'b.yaml': 'image: ghcr.io/acme/app:1.0.0\n'
}
const CONTENTS = '/repos/{owner}/{repo}/contents/{path}'
const REF = '/repos/{owner}/{repo}/git/refs/{ref}'

const figures = suiteFigures('request timeouts')
let h: Harness | undefined

afterEach(async () => {
  await h?.close()
  h = undefined
})

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

async function start(): Promise<{ h: Harness; repo: GitHubManifestRepo }> {
  h = await startHarness({ client: { requestTimeoutMs: TIMEOUT_MS } })
  h.double.state.createRepo(FULL_NAME, { files: FILES })
  return { h, repo: new GitHubManifestRepo(h.octokit, REPO, h.log) }
}

const commits = (harness: Harness) => harness.double.state.log(FULL_NAME, 'main', 50).length

describe('answers slower than the request timeout', () => {
  it('a slow read is abandoned, re-sent and succeeds', async () => {
    const { h, repo } = await start()
    h.double.faults.add({ method: 'GET', path: CONTENTS, delayMs: SLOW_MS })
    const started = Date.now()
    const snapshot = await repo.read(['a.yaml'], 'main')
    const result = {
      content: snapshot.files[0].content.toString('utf8'),
      requests: h.double.log.count({ method: 'GET', route: CONTENTS }),
      beforeTheSlowAnswer: Date.now() - started < SLOW_MS
    }
    figures.add('slow-answer scenarios survived')
    expect(result).toEqual({ content: FILES['a.yaml'], requests: 2, beforeTheSlowAnswer: true })
  })

  it.each([
    { name: 'contents PUT (one file)', paths: ['a.yaml'], method: 'PUT', route: CONTENTS },
    { name: 'ref PATCH (two files)', paths: ['a.yaml', 'b.yaml'], method: 'PATCH', route: REF }
  ])('a slow $name lands once, the late first try changes nothing', async c => {
    const { h, repo } = await start()
    const before = commits(h)
    const snapshot = await repo.read(c.paths, 'main')
    const changes = snapshot.files.map(file => ({
      path: file.path,
      content: Buffer.from('image: ghcr.io/acme/app:2.0.0\n'),
      previousSha: file.sha
    }))
    h.double.faults.add({ method: c.method, path: c.route, delayMs: SLOW_MS })
    const request = { branch: 'main', expectedHead: snapshot.head, message: 'bump' }
    const written =
      changes.length === 1
        ? await repo.updateFile(changes[0], request)
        : await repo.commitFiles(changes, request)
    await sleep(SLOW_MS + 300) // let the abandoned first try be handled
    const head = h.double.state.branchHead(FULL_NAME, 'main')
    const result = {
      written,
      newCommits: commits(h) - before,
      tries: h.double.log.count({ method: c.method, route: c.route }),
      files: c.paths.map(p => h.double.state.readFile(FULL_NAME, 'main', p)?.toString('utf8'))
    }
    figures.add('slow-answer scenarios survived')
    expect(result).toEqual({
      written: { moved: false, sha: head },
      newCommits: 1,
      tries: 2,
      files: c.paths.map(() => 'image: ghcr.io/acme/app:2.0.0\n')
    })
  })

  it('a server that never answers in time: NETWORK_ERROR after bounded tries, no hang', async () => {
    const { h, repo } = await start()
    h.double.faults.add({ method: 'GET', path: CONTENTS, delayMs: 10_000, times: 10 })
    const started = Date.now()
    const error = await repo.read(['a.yaml'], 'main').catch((e: HandoffError) => e)
    const elapsed = Date.now() - started
    const result = {
      code: (error as HandoffError).code,
      timedOut: /timed out after 300 ms/.test((error as HandoffError).message),
      tries: h.double.log.count({ method: 'GET', route: CONTENTS }),
      bounded: elapsed < TRIES * TIMEOUT_MS + 1000
    }
    figures.add('never-answering scenarios bounded')
    expect(result).toEqual({ code: 'NETWORK_ERROR', timedOut: true, tries: TRIES, bounded: true })
  })
})
