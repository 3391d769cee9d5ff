/**
 * The git data API: blobs, trees, commits and refs, over real git objects.
 */
import { ApiError, notFound } from '../errors.mjs'
import { isValidMode, typeOfMode } from '../git-objects.mjs'
import { isAncestor } from '../history.mjs'
import { commitIdentity } from '../identity.mjs'
import { base64Lines, gitCommitJson, nodeId, refJson, repoUrl } from '../render.mjs'
import { editTree, isMalformedPath, listTree } from '../trees.mjs'
import {
  decodeBase64,
  identities,
  ok,
  protectedBranch,
  protectionReasons,
  requireString
} from './context.mjs'

/** @typedef {import('./context.mjs').Route} Route */
/** @typedef {import('./context.mjs').Ctx} Ctx */
/** @typedef {import('../repo.mjs').Repo} Repo */
/** @typedef {import('../render.mjs').Urls} Urls */
/** @typedef {import('../trees.mjs').TreeChange} TreeChange */

/** Whether the client asked for raw bytes (`application/vnd.github.raw`, `.v3.raw`, `raw+json`). @param {string} accept */
export function wantsRaw(accept) {
  return /application\/vnd\.github(\.v3)?\.raw/.test(accept)
}

/** @param {Ctx} ctx */
function createBlob(ctx) {
  const content = requireString(ctx.body, 'content')
  const encoding = ctx.body.encoding ?? 'utf-8'
  if (encoding !== 'utf-8' && encoding !== 'utf8' && encoding !== 'base64') {
    throw new ApiError(
      422,
      `encoding must be one of: utf-8, base64 (got ${JSON.stringify(encoding)})`
    )
  }
  const bytes =
    encoding === 'base64' ? decodeBase64(content, 'content') : Buffer.from(content, 'utf8')
  const sha = ctx.repo.store.writeBlob(bytes)
  return ok({ sha, url: `${repoUrl(ctx.urls, ctx.repo)}/git/blobs/${sha}` }, 201)
}

/** @param {Ctx} ctx */
function getBlob(ctx) {
  const sha = ctx.params.file_sha.toLowerCase()
  const bytes = ctx.repo.store.blob(sha)
  if (bytes === undefined) throw notFound()
  if (wantsRaw(ctx.accept))
    return { status: 200, raw: bytes, contentType: 'application/vnd.github.raw' }
  return ok({
    sha,
    node_id: nodeId('B', `${ctx.repo.id}:${sha}`),
    size: bytes.length,
    url: `${repoUrl(ctx.urls, ctx.repo)}/git/blobs/${sha}`,
    content: base64Lines(bytes),
    encoding: 'base64'
  })
}

/** @param {Urls} urls @param {Repo} repo @param {string} treeSha @param {boolean} recursive */
function treeJson(urls, repo, treeSha, recursive) {
  const api = repoUrl(urls, repo)
  return {
    sha: treeSha,
    url: `${api}/git/trees/${treeSha}`,
    tree: listTree(repo.store, treeSha, recursive).map(entry => ({
      ...entry,
      ...(entry.type === 'commit' ? {} : { url: `${api}/git/${entry.type}s/${entry.sha}` })
    })),
    truncated: false
  }
}

/** A tree SHA, or a commit-ish whose tree is meant (GitHub accepts both). @param {Ctx} ctx */
function getTree(ctx) {
  const { repo } = ctx
  const wanted = ctx.params.tree_sha
  const direct =
    repo.store.typeOf(wanted.toLowerCase()) === 'tree' ? wanted.toLowerCase() : undefined
  const commit = direct === undefined ? repo.resolve(wanted) : undefined
  const tree = direct ?? (commit === undefined ? undefined : repo.treeOf(commit))
  if (tree === undefined) throw notFound()
  // GitHub treats any value of `recursive` (even "0" or "false") as recursive.
  return ok(treeJson(ctx.urls, repo, tree, ctx.query.recursive !== undefined))
}

/**
 * One entry of a POST /git/trees body as a tree change, or the 422 GitHub answers.
 * @param {Repo} repo @param {any} entry @returns {TreeChange}
 */
function treeChange(repo, entry) {
  const path = entry?.path
  if (typeof path !== 'string' || isMalformedPath(path)) {
    throw new ApiError(422, 'tree.path contains a malformed path component')
  }
  const mode = entry.mode
  if (typeof mode !== 'string' || !isValidMode(mode))
    throw new ApiError(422, `tree.mode ${JSON.stringify(mode)} is not a valid mode`)
  const type = typeOfMode(mode)
  if (entry.type !== undefined && entry.type !== type)
    throw new ApiError(422, `tree.type ${JSON.stringify(entry.type)} does not match mode ${mode}`)
  const hasContent = entry.content !== undefined
  if (hasContent === (entry.sha !== undefined)) {
    throw new ApiError(
      422,
      'Must supply either tree.sha or tree.content. Request will be rejected if both are present.'
    )
  }
  if (hasContent) {
    if (typeof entry.content !== 'string' || type !== 'blob')
      throw new ApiError(422, 'tree.content must be a string for a blob entry')
    return { path, mode, sha: repo.store.writeBlob(Buffer.from(entry.content, 'utf8')) }
  }
  if (entry.sha === null) return { path, mode, sha: null }
  const sha = String(entry.sha).toLowerCase()
  if (type !== 'commit' && repo.store.typeOf(sha) !== type)
    throw new ApiError(422, `tree.sha ${entry.sha} is not a valid ${type}`)
  return { path, mode, sha }
}

/** @param {Ctx} ctx */
function createTree(ctx) {
  const { repo, body } = ctx
  if (!Array.isArray(body?.tree))
    throw new ApiError(422, 'Invalid request.\n\n"tree" wasn\'t supplied.')
  const base =
    body.base_tree === undefined || body.base_tree === null
      ? null
      : String(body.base_tree).toLowerCase()
  if (base !== null && repo.store.typeOf(base) !== 'tree')
    throw new ApiError(422, `base_tree ${body.base_tree} is not a valid tree`)
  const changes = body.tree.map((/** @type {any} */ entry) => treeChange(repo, entry))
  const tree = editTree(repo.store, base, changes)
  return ok(treeJson(ctx.urls, repo, tree, false), 201)
}

/** @param {Ctx} ctx */
function getCommit(ctx) {
  const sha = ctx.params.commit_sha.toLowerCase()
  if (!ctx.repo.store.commit(sha)) throw notFound()
  return ok(gitCommitJson(ctx.urls, ctx.repo, sha))
}

/** @param {Ctx} ctx */
function createCommit(ctx) {
  const { repo, body } = ctx
  const message = requireString(body, 'message')
  const tree = requireString(body, 'tree').toLowerCase()
  if (repo.store.typeOf(tree) !== 'tree') throw new ApiError(422, 'Tree SHA does not exist')
  const parents = (body.parents ?? []).map((/** @type {unknown} */ p) => String(p).toLowerCase())
  for (const parent of parents) {
    if (!repo.store.commit(parent))
      throw new ApiError(422, 'Parent SHA does not exist or is not a commit object')
  }
  const identity = commitIdentity(ctx.token, identities(body), ctx.state.now())
  const sha = repo.store.writeCommit(
    { tree, parents, author: identity.author, committer: identity.committer, message },
    identity.verified
  )
  return ok(gitCommitJson(ctx.urls, repo, sha), 201)
}

/** `heads/x` → `refs/heads/x`; anything not under heads/ or tags/ is not a ref we serve. @param {string} ref */
function fullRef(ref) {
  const name = ref.startsWith('refs/') ? ref : `refs/${ref}`
  return /^refs\/(heads|tags)\/.+/.test(name) ? name : undefined
}

/** @param {Ctx} ctx */
function getRef(ctx) {
  const name = fullRef(ctx.params.ref)
  const sha = name === undefined ? undefined : ctx.repo.refs.get(name)
  if (name === undefined || sha === undefined) throw notFound()
  return ok(refJson(ctx.urls, ctx.repo, name, sha))
}

/** @param {Ctx} ctx */
function matchingRefs(ctx) {
  const prefix = `refs/${ctx.params.ref}`
  const names = [...ctx.repo.refs.keys()].filter(name => name.startsWith(prefix)).sort()
  return ok(
    names.map(name =>
      refJson(ctx.urls, ctx.repo, name, /** @type {string} */ (ctx.repo.refs.get(name)))
    )
  )
}

/** @param {Ctx} ctx */
function createRef(ctx) {
  const { repo } = ctx
  const ref = requireString(ctx.body, 'ref')
  const sha = requireString(ctx.body, 'sha').toLowerCase()
  if (!/^refs\/[^/]+\/.+/.test(ref)) throw new ApiError(422, `${ref} is not a valid ref name.`)
  if (repo.refs.has(ref)) throw new ApiError(422, 'Reference already exists')
  if (!repo.store.commit(sha)) throw new ApiError(422, 'Object does not exist')
  repo.refs.set(ref, sha)
  repo.pushedAt = ctx.state.now()
  return ok(refJson(ctx.urls, repo, ref, sha), 201)
}

/** @param {Ctx} ctx */
function updateRef(ctx) {
  const { repo } = ctx
  const name = fullRef(ctx.params.ref)
  const current = name === undefined ? undefined : repo.refs.get(name)
  if (name === undefined || current === undefined)
    throw new ApiError(422, 'Reference does not exist')
  const sha = requireString(ctx.body, 'sha').toLowerCase()
  if (!repo.store.commit(sha)) throw new ApiError(422, 'Object does not exist')
  const branch = name.startsWith('refs/heads/') ? name.slice('refs/heads/'.length) : undefined
  const refused = branch === undefined ? undefined : protectionReasons(repo, branch)
  if (refused) throw protectedBranch(422, refused)
  if (ctx.body.force !== true && !isAncestor(repo.store, current, sha)) {
    throw new ApiError(422, 'Update is not a fast forward')
  }
  repo.refs.set(name, sha)
  repo.pushedAt = ctx.state.now()
  return ok(refJson(ctx.urls, repo, name, sha))
}

/** @param {Ctx} ctx */
function deleteRef(ctx) {
  const { repo } = ctx
  const name = fullRef(ctx.params.ref)
  if (name === undefined || !repo.refs.has(name))
    throw new ApiError(422, 'Reference does not exist')
  if (name.startsWith('refs/heads/') && repo.protectionOf(name.slice('refs/heads/'.length))) {
    throw protectedBranch(422, 'Cannot delete this protected branch')
  }
  repo.refs.delete(name)
  return { status: 204 }
}

/** @type {Route[]} */
export const gitRoutes = [
  {
    method: 'POST',
    pattern: '/repos/{owner}/{repo}/git/blobs',
    access: 'write',
    handler: createBlob
  },
  {
    method: 'GET',
    pattern: '/repos/{owner}/{repo}/git/blobs/{file_sha}',
    access: 'read',
    handler: getBlob
  },
  {
    method: 'POST',
    pattern: '/repos/{owner}/{repo}/git/trees',
    access: 'write',
    handler: createTree
  },
  {
    method: 'GET',
    pattern: '/repos/{owner}/{repo}/git/trees/{+tree_sha}',
    access: 'read',
    handler: getTree
  },
  {
    method: 'POST',
    pattern: '/repos/{owner}/{repo}/git/commits',
    access: 'write',
    handler: createCommit
  },
  {
    method: 'GET',
    pattern: '/repos/{owner}/{repo}/git/commits/{commit_sha}',
    access: 'read',
    handler: getCommit
  },
  {
    method: 'GET',
    pattern: '/repos/{owner}/{repo}/git/ref/{+ref}',
    access: 'read',
    handler: getRef
  },
  {
    method: 'GET',
    pattern: '/repos/{owner}/{repo}/git/matching-refs/{+ref}',
    access: 'read',
    handler: matchingRefs
  },
  {
    method: 'POST',
    pattern: '/repos/{owner}/{repo}/git/refs',
    access: 'write',
    handler: createRef
  },
  {
    method: 'PATCH',
    pattern: '/repos/{owner}/{repo}/git/refs/{+ref}',
    access: 'write',
    handler: updateRef
  },
  {
    method: 'DELETE',
    pattern: '/repos/{owner}/{repo}/git/refs/{+ref}',
    access: 'write',
    handler: deleteRef
  }
]
