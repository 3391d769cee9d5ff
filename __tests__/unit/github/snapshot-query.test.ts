/**
 * The multi-file GraphQL read: its query is valid against GitHub's published schema (so the
 * double, which executes the same schema, cannot be the only one that accepts it), modes and
 * blob ids are decoded as git writes them, and long path lists stay at one commit.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from '@jest/globals'
import { buildSchema, parse, validate } from 'graphql'
import {
  PATHS_PER_QUERY,
  blobSha,
  octalMode,
  snapshotQuery
} from '../../../src/github/snapshot-query.js'
import { hashObject } from '../../support/github-double.mjs'
import { FULL_NAME, REPO, requests, startHarness } from './harness.js'
import { GitHubManifestRepo } from '../../../src/github/manifest-repo.js'

const schema = buildSchema(
  readFileSync(
    new URL('../../../node_modules/@octokit/graphql-schema/schema.graphql', import.meta.url),
    'utf8'
  ),
  { assumeValidSDL: true }
)

describe('snapshotQuery', () => {
  it.each([
    { count: 1, at: 'ref' as const },
    { count: 2, at: 'ref' as const },
    { count: PATHS_PER_QUERY, at: 'ref' as const },
    { count: 3, at: 'oid' as const }
  ])('$count path(s) at a $at: valid against GitHub’s schema', ({ count, at }) => {
    const errors = validate(schema, parse(snapshotQuery(count, at))).map(e => e.message)
    expect(errors).toEqual([])
  })
})

describe('decoding', () => {
  it.each([
    { mode: 0o100644, expected: '100644' },
    { mode: 0o100755, expected: '100755' },
    { mode: 0o120000, expected: '120000' },
    { mode: 0o160000, expected: '160000' },
    { mode: 0o40000, expected: '040000' }
  ])('mode $mode → $expected', ({ mode, expected }) => {
    expect(octalMode(mode)).toBe(expected)
  })

  it.each([
    { name: 'empty', bytes: Buffer.alloc(0) },
    { name: 'text with BOM and CRLF', bytes: Buffer.from('\uFEFFa: 1\r\n', 'utf8') },
    { name: 'latin-1', bytes: Buffer.from('caf\xe9', 'latin1') }
  ])('blob id of $name bytes is git’s', ({ bytes }) => {
    expect(blobSha(bytes)).toBe(hashObject('blob', bytes))
  })
})

describe('more paths than one query holds', () => {
  it('reads them in several queries at the commit the first one saw, even when the branch moves', async () => {
    const h = await startHarness()
    try {
      const count = PATHS_PER_QUERY + 5
      const files = Object.fromEntries(
        Array.from({ length: count }, (_, i) => [`apps/a${i}/values.yaml`, `tag: "${i}"\n`])
      )
      h.double.state.createRepo(FULL_NAME, { files })
      const head = h.double.state.branchHead(FULL_NAME, 'main')
      // Someone pushes right after the first query: the second must not see their commit.
      h.octokit.hook.after('request', () => {
        if (h.double.state.branchHead(FULL_NAME, 'main') === head)
          h.double.state.commitFiles(FULL_NAME, 'main', { 'apps/a54/values.yaml': 'tag: "x"\n' })
      })
      const snapshot = await new GitHubManifestRepo(h.octokit, REPO, h.log).read(
        Object.keys(files),
        'main'
      )
      expect({
        requests: requests(h.double),
        head: snapshot.head,
        last: snapshot.files.at(-1)?.content.toString()
      }).toEqual({ requests: ['POST /graphql', 'POST /graphql'], head, last: 'tag: "54"\n' })
    } finally {
      await h.close()
    }
  })
})
