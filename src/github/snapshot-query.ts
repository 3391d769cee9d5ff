/**
 * The multi-file read as one GraphQL request: the branch head, its tree and, for every path,
 * the entry's mode, type, blob SHA and text. REST needs ref GET + tree GET + a blob GET per
 * file for the same snapshot (N + 2 requests); this is 1 for up to PATHS_PER_QUERY files.
 *
 * GraphQL carries text, not bytes, so a file's text is used only when it hashes to the
 * entry's blob SHA (git's `blob <size>\0<bytes>`): a BOM, a non-UTF-8 byte or a truncated text
 * fails that check and the caller reads those blobs through REST. Nothing is trusted that the
 * object database would not vouch for.
 */
import { createHash } from 'node:crypto'
import type { GitHubClient } from './client.js'
import { MODE, type RepoId, type TreeEntry } from './git-data.js'

/** Aliased `file(path:)` fields per query; more paths take more queries at the same commit. */
export const PATHS_PER_QUERY = 50

/** A tree entry of the snapshot, with its bytes when GraphQL's text proved to be them. */
export interface QueriedEntry extends TreeEntry {
  readonly content?: Buffer
}

export interface QueriedSnapshot {
  readonly head: string
  readonly tree: string
  /** Path → entry; paths the commit does not have are absent. */
  readonly entries: ReadonlyMap<string, QueriedEntry>
}

const ENTRY_FRAGMENT = `fragment entry on TreeEntry {
  mode
  type
  oid
  object { ... on Blob { text isTruncated } }
}`

/** The query for `count` paths of the commit at `ref` (first chunk) or at `oid` (the rest). */
export function snapshotQuery(count: number, at: 'ref' | 'oid'): string {
  const paths = Array.from({ length: count }, (_, i) => i)
  const variables = paths.map(i => `, $p${i}: String!`).join('')
  const files = paths.map(i => `    f${i}: file(path: $p${i}) { ...entry }`).join('\n')
  const target =
    at === 'ref'
      ? 'ref(qualifiedName: $at) { target { ...files } }'
      : 'object(oid: $at) { ...files }'
  const atType = at === 'ref' ? 'String!' : 'GitObjectID!'
  return `query ($owner: String!, $repo: String!, $at: ${atType}${variables}) {
  repository(owner: $owner, name: $repo) { ${target} }
}
fragment files on Commit {
  oid
  tree { oid }
${files}
}
${ENTRY_FRAGMENT}`
}

interface EntryAnswer {
  mode: number
  type: string
  oid: string
  object: { text?: string | null; isTruncated?: boolean } | null
}

interface CommitAnswer {
  oid: string
  tree: { oid: string }
  [alias: `f${number}`]: EntryAnswer | null
}

interface QueryAnswer {
  repository: {
    ref?: { target: CommitAnswer | Record<string, never> } | null
    object?: CommitAnswer | Record<string, never> | null
  } | null
}

/**
 * The snapshot of `paths` on `branch`, or undefined when the branch does not exist (the
 * caller's REST path then tells a missing branch from a missing repository). Throws what
 * Octokit throws: the caller decides whether to fall back.
 */
export async function querySnapshot(
  octokit: GitHubClient,
  id: RepoId,
  branch: string,
  paths: readonly string[]
): Promise<QueriedSnapshot | undefined> {
  const chunks = chunk(paths, PATHS_PER_QUERY)
  const first = await queryChunk(octokit, id, 'ref', `refs/heads/${branch}`, chunks[0])
  if (first === undefined) return undefined
  const entries = new Map(first.entries)
  for (const rest of chunks.slice(1)) {
    const more = await queryChunk(octokit, id, 'oid', first.head, rest)
    if (more === undefined) return undefined
    for (const [path, entry] of more.entries) entries.set(path, entry)
  }
  return { head: first.head, tree: first.tree, entries }
}

async function queryChunk(
  octokit: GitHubClient,
  id: RepoId,
  at: 'ref' | 'oid',
  where: string,
  paths: readonly string[]
): Promise<QueriedSnapshot | undefined> {
  const variables = Object.fromEntries(paths.map((path, i) => [`p${i}`, path]))
  const answer = await octokit.graphql<QueryAnswer>(snapshotQuery(paths.length, at), {
    owner: id.owner,
    repo: id.repo,
    at: where,
    ...variables
  })
  const commit = at === 'ref' ? answer.repository?.ref?.target : answer.repository?.object
  if (!isCommit(commit)) return undefined
  const entries = new Map<string, QueriedEntry>()
  paths.forEach((path, i) => {
    const entry = commit[`f${i}`]
    if (entry) entries.set(path, entryOf(path, entry))
  })
  return { head: commit.oid, tree: commit.tree.oid, entries }
}

function isCommit(
  value: CommitAnswer | Record<string, never> | null | undefined
): value is CommitAnswer {
  return typeof value?.oid === 'string' && typeof value.tree?.oid === 'string'
}

function entryOf(path: string, answer: EntryAnswer): QueriedEntry {
  const entry = { path, mode: octalMode(answer.mode), type: answer.type, sha: answer.oid }
  const text = answer.object?.text
  if (answer.type !== 'blob' || typeof text !== 'string' || answer.object?.isTruncated) return entry
  const bytes = Buffer.from(text, 'utf8')
  return blobSha(bytes) === answer.oid ? { ...entry, content: bytes } : entry
}

/** GraphQL gives modes as integers (33188); the REST API and tree writes use '100644'. */
export function octalMode(mode: number): string {
  return mode.toString(8).padStart(MODE.tree.length, '0')
}

/** Git's object id of a blob with these bytes. */
export function blobSha(bytes: Buffer): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex')
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = []
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size))
  return chunks
}
