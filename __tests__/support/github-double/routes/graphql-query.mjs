/**
 * GraphQL queries (reads) over the double's repositories, executed by graphql-js against
 * GitHub's own published schema (`@octokit/graphql-schema`), so a query that names a field or
 * argument GitHub does not have fails here as it would there. Resolvers cover the read that
 * gitops-handoff makes: `repository { ref(qualifiedName) { target } object(oid | expression) }`,
 * `Commit { oid tree file(path) }`, `TreeEntry`, `Blob { text isBinary isTruncated byteSize }`.
 * A field without a resolver answers null (or a GraphQL error when the schema says non-null).
 */
import { readFileSync } from 'node:fs'
import { buildSchema, graphqlSync } from 'graphql'
import { typeOfMode } from '../git-objects.mjs'
import { lookupPath } from '../trees.mjs'

/** @typedef {import('./context.mjs').Ctx} Ctx */
/** @typedef {import('./context.mjs').Reply} Reply */
/** @typedef {import('../repo.mjs').Repo} Repo */

/**
 * GitHub cuts `Blob.text` at exactly 512,000 bytes and sets `isTruncated` (undocumented limit,
 * measured by users: sveltia/sveltia-cms#950).
 */
export const TEXT_LIMIT = 512_000
/** Git's own binary heuristic: a NUL in the first 8,000 bytes. */
const BINARY_PROBE = 8000

const SCHEMA_FILE = new URL(
  '../../../../node_modules/@octokit/graphql-schema/schema.graphql',
  import.meta.url
)

/** @type {import('graphql').GraphQLSchema | undefined} */
let schema
function githubSchema() {
  // GitHub's SDL defines a few fields twice; the schema is GitHub's, so trust it.
  schema ??= buildSchema(readFileSync(SCHEMA_FILE, 'utf8'), { assumeValidSDL: true })
  return schema
}

/** An error as GitHub reports it beside partial data: `type` at the top level. */
class QueryError extends Error {
  /** @param {string} type @param {string} message */
  constructor(type, message) {
    super(message)
    this.type = type
  }
}

/** @param {Ctx} ctx @returns {Reply} */
export function runQuery(ctx) {
  const result = graphqlSync({
    schema: githubSchema(),
    source: ctx.body.query,
    variableValues: ctx.body.variables ?? {},
    rootValue: { repository: repositoryResolver(ctx) }
  })
  /** @type {Record<string, unknown>} */
  const json = {}
  if (result.data !== undefined) json.data = result.data
  if (result.errors) json.errors = result.errors.map(errorJson)
  return { status: 200, json }
}

/** @param {import('graphql').GraphQLError} error */
function errorJson(error) {
  const type = error.originalError instanceof QueryError ? error.originalError.type : undefined
  return {
    ...(type ? { type } : {}),
    ...(error.path ? { path: error.path } : {}),
    ...(error.locations ? { locations: error.locations } : {}),
    message: error.message
  }
}

/** @param {Ctx} ctx */
function repositoryResolver(ctx) {
  return (/** @type {{ owner: string, name: string }} */ args) => {
    const fullName = `${args.owner}/${args.name}`
    const repo = ctx.state.findRepo(fullName)
    if (!repo || ctx.state.levelOf(ctx.token ?? '', repo.fullName) === 'none')
      throw new QueryError(
        'NOT_FOUND',
        `Could not resolve to a Repository with the name '${fullName}'.`
      )
    return repositoryNode(repo)
  }
}

/** @param {Repo} repo */
function repositoryNode(repo) {
  return {
    name: repo.name,
    nameWithOwner: repo.fullName,
    ref: (/** @type {{ qualifiedName: string }} */ { qualifiedName }) =>
      refNode(repo, qualifiedName),
    object: (/** @type {{ oid?: string, expression?: string }} */ args) => {
      const sha = args.oid ?? (args.expression ? repo.resolve(args.expression) : undefined)
      return sha ? objectNode(repo, sha.toLowerCase()) : null
    }
  }
}

/** Fully qualified names first (refs/heads/x), then short names, as GitHub documents. @param {Repo} repo @param {string} name */
function refNode(repo, name) {
  const candidates = name.startsWith('refs/') ? [name] : [`refs/heads/${name}`, `refs/tags/${name}`]
  for (const full of candidates) {
    const sha = repo.refs.get(full)
    if (sha === undefined) continue
    const prefix = full.slice(0, full.lastIndexOf('/') + 1)
    return { name: full.slice(prefix.length), prefix, target: objectNode(repo, sha) }
  }
  return null
}

/** @param {Repo} repo @param {string} sha */
function objectNode(repo, sha) {
  const type = repo.store.typeOf(sha)
  const base = { oid: sha, abbreviatedOid: sha.slice(0, 7) }
  if (type === 'commit') {
    const commit = /** @type {NonNullable<ReturnType<Repo['store']['commit']>>} */ (
      repo.store.commit(sha)
    )
    return {
      __typename: 'Commit',
      ...base,
      message: commit.message,
      tree: objectNode(repo, commit.tree),
      file: (/** @type {{ path: string }} */ { path }) => entryNode(repo, commit.tree, path)
    }
  }
  if (type === 'tree') return { __typename: 'Tree', ...base }
  if (type === 'blob') return blobNode(sha, /** @type {Buffer} */ (repo.store.blob(sha)))
  return null
}

/** @param {string} sha @param {Buffer} bytes */
function blobNode(sha, bytes) {
  const isBinary = bytes.subarray(0, BINARY_PROBE).includes(0)
  const isTruncated = !isBinary && bytes.length > TEXT_LIMIT
  return {
    __typename: 'Blob',
    oid: sha,
    abbreviatedOid: sha.slice(0, 7),
    byteSize: bytes.length,
    isBinary,
    isTruncated,
    // Not UTF-8? GitHub's text is then not the bytes either; decode lossily, as a reader would.
    text: isBinary ? null : bytes.subarray(0, TEXT_LIMIT).toString('utf8')
  }
}

/** The entry at `path` of a commit's tree, or null. @param {Repo} repo @param {string} tree @param {string} path */
function entryNode(repo, tree, path) {
  const found = path === '' ? undefined : lookupPath(repo.store, tree, path)
  if (found === undefined) return null
  const name = path.split('/').pop() ?? path
  return {
    name,
    path,
    mode: parseInt(found.mode, 8),
    type: typeOfMode(found.mode),
    oid: found.sha,
    object: typeOfMode(found.mode) === 'commit' ? null : objectNode(repo, found.sha)
  }
}
