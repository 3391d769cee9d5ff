/**
 * The contents API: read a file, directory, symlink or submodule at a ref, and create or
 * update one file with the blob-SHA precondition (one commit on the branch head).
 */
import { posix } from 'node:path'
import { ApiError, notFound, invalidRequest } from '../errors.mjs'
import { MODES } from '../git-objects.mjs'
import { commitIdentity } from '../identity.mjs'
import { base64Lines, gitCommitJson, repoUrl } from '../render.mjs'
import { isMalformedPath } from '../trees.mjs'
import { wantsRaw } from './git.mjs'
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
/** @typedef {import('../git-objects.mjs').EntryMode} EntryMode */

/** Files above this size come back without content unless asked for raw. */
export const INLINE_LIMIT = 1_048_576

/** @param {string} accept */
function wantsObject(accept) {
  return /application\/vnd\.github(\.v3)?\.object/.test(accept)
}

/** @param {string} path */
function cleanPath(path) {
  return path.replace(/^\/+|\/+$/g, '')
}

/**
 * URLs and identity fields every contents item has.
 * @param {Urls} urls @param {Repo} repo @param {string} ref @param {string} path @param {string} sha @param {'file' | 'dir' | 'symlink' | 'submodule'} type
 */
function itemBase(urls, repo, ref, path, sha, type) {
  const api = repoUrl(urls, repo)
  const url = `${api}/contents/${path}?ref=${encodeURIComponent(ref)}`
  const gitUrl =
    type === 'submodule' ? null : `${api}/git/${type === 'dir' ? 'trees' : 'blobs'}/${sha}`
  const htmlUrl =
    type === 'submodule'
      ? null
      : `${urls.web}/${repo.fullName}/${type === 'dir' ? 'tree' : 'blob'}/${ref}/${path}`
  const size = type === 'file' || type === 'symlink' ? (repo.store.blob(sha)?.length ?? 0) : 0
  return {
    name: posix.basename(path),
    path,
    sha,
    size,
    url,
    html_url: htmlUrl,
    git_url: gitUrl,
    download_url:
      type === 'file' || type === 'symlink'
        ? `https://raw.githubusercontent.com/${repo.fullName}/${ref}/${path}`
        : null,
    _links: { self: url, git: gitUrl, html: htmlUrl }
  }
}

/** @param {Urls} urls @param {Repo} repo @param {string} ref @param {string} path @param {string} sha */
function fileJson(urls, repo, ref, path, sha) {
  const bytes = /** @type {Buffer} */ (repo.store.blob(sha))
  const inline = bytes.length <= INLINE_LIMIT
  return {
    type: 'file',
    encoding: inline ? 'base64' : 'none',
    ...itemBase(urls, repo, ref, path, sha, 'file'),
    content: inline ? base64Lines(bytes) : ''
  }
}

/** The type a directory listing shows; submodules are "file" there, as on GitHub. @param {EntryMode} mode */
function listedType(mode) {
  if (mode === MODES.tree) return 'dir'
  if (mode === MODES.symlink) return 'symlink'
  return 'file'
}

/** @param {Ctx} ctx @param {string} ref @param {string} path @param {string} treeSha */
function directory(ctx, ref, path, treeSha) {
  const { repo, urls } = ctx
  const entries = (repo.store.tree(treeSha) ?? []).map(entry => {
    const childPath = path === '' ? entry.name : `${path}/${entry.name}`
    const type = listedType(entry.mode)
    const base = itemBase(
      urls,
      repo,
      ref,
      childPath,
      entry.sha,
      entry.mode === MODES.submodule ? 'submodule' : type
    )
    return { type, ...base }
  })
  if (!wantsObject(ctx.accept)) return ok(entries)
  return ok({ type: 'dir', ...itemBase(urls, repo, ref, path, treeSha, 'dir'), entries })
}

/** The `url` a .gitmodules file gives `path`, or '' when none. @param {Repo} repo @param {string} commit @param {string} path */
function submoduleUrl(repo, commit, path) {
  const entry = repo.entryAt(commit, '.gitmodules')
  const text = entry === undefined ? '' : (repo.store.blob(entry.sha)?.toString('utf8') ?? '')
  const section = text
    .split(/^\[submodule /m)
    .find(block => new RegExp(`^\\s*path\\s*=\\s*${escapeRegExp(path)}\\s*$`, 'm').test(block))
  return section?.match(/^\s*url\s*=\s*(.+?)\s*$/m)?.[1] ?? ''
}

/** @param {string} text */
function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/**
 * A symlink whose target is a regular file of the repository is answered with that file
 * (GitHub's documented behaviour); any other symlink with its own description.
 * @param {Ctx} ctx @param {string} ref @param {string} commit @param {string} path @param {string} sha
 */
function symlink(ctx, ref, commit, path, sha) {
  const { repo, urls } = ctx
  const target = /** @type {Buffer} */ (repo.store.blob(sha)).toString('utf8')
  const resolved = posix.normalize(posix.join(posix.dirname(path), target))
  const inside = !posix.isAbsolute(target) && !resolved.startsWith('../') && resolved !== '..'
  const entry = inside ? repo.entryAt(commit, resolved) : undefined
  if (entry && (entry.mode === MODES.file || entry.mode === MODES.executable)) {
    return fileReply(ctx, ref, resolved, entry.sha)
  }
  return ok({ type: 'symlink', target, ...itemBase(urls, repo, ref, path, sha, 'symlink') })
}

/** @param {Ctx} ctx @param {string} ref @param {string} path @param {string} sha */
function fileReply(ctx, ref, path, sha) {
  if (wantsRaw(ctx.accept)) {
    return {
      status: 200,
      raw: /** @type {Buffer} */ (ctx.repo.store.blob(sha)),
      contentType: 'application/vnd.github.raw'
    }
  }
  return ok(fileJson(ctx.urls, ctx.repo, ref, path, sha))
}

/** @param {Ctx} ctx */
function getContents(ctx) {
  const { repo } = ctx
  const path = cleanPath(ctx.params.path ?? '')
  const ref = ctx.query.ref || repo.defaultBranch
  const commit = repo.resolve(ref)
  if (commit === undefined) throw notFound(`No commit found for the ref ${ref}`)
  const entry = repo.entryAt(commit, path)
  if (entry === undefined) throw notFound()
  switch (entry.mode) {
    case MODES.tree:
      return directory(ctx, ref, path, entry.sha)
    case MODES.symlink:
      return symlink(ctx, ref, commit, path, entry.sha)
    case MODES.submodule:
      return ok({
        type: 'submodule',
        submodule_git_url: submoduleUrl(repo, commit, path),
        ...itemBase(ctx.urls, repo, ref, path, entry.sha, 'submodule')
      })
    default:
      return fileReply(ctx, ref, path, entry.sha)
  }
}

/**
 * The existing file at `path` must be named by its blob SHA; a missing SHA and a stale
 * SHA are answered as GitHub does (422 and 409).
 * @param {Repo} repo @param {string} head @param {string} path @param {unknown} sha
 */
function checkPrecondition(repo, head, path, sha) {
  const existing = repo.entryAt(head, path)
  if (existing?.mode === MODES.tree) throw new ApiError(422, `${path} is a directory`)
  if (existing === undefined) {
    if (sha !== undefined && sha !== null) throw new ApiError(409, `${path} does not match ${sha}`)
    return false
  }
  if (sha === undefined || sha === null || sha === '') throw invalidRequest('sha')
  if (String(sha).toLowerCase() !== existing.sha)
    throw new ApiError(409, `${path} does not match ${sha}`)
  return true
}

/** @param {Ctx} ctx */
function putContents(ctx) {
  const { repo, body, state } = ctx
  const path = cleanPath(ctx.params.path ?? '')
  if (path === '' || isMalformedPath(path))
    throw new ApiError(422, 'path contains a malformed path component')
  const message = requireString(body, 'message')
  const bytes = decodeBase64(requireString(body, 'content'), 'content')
  const branch = typeof body.branch === 'string' ? body.branch : repo.defaultBranch
  const head = repo.branchHead(branch)
  if (head === undefined) throw notFound(`Branch ${branch} not found`)
  const refused = protectionReasons(repo, branch)
  if (refused) throw protectedBranch(409, `Could not update file: ${refused}`)
  const existed = checkPrecondition(repo, head, path, body.sha)
  const previous = repo.entryAt(head, path)?.mode
  const mode = previous === MODES.executable ? MODES.executable : MODES.file
  const identity = commitIdentity(ctx.token, identities(body), state.now())
  const blob = repo.store.writeBlob(bytes)
  const sha = repo.commitChanges({
    parent: head,
    changes: [{ path, mode, sha: blob }],
    message,
    ...identity
  })
  repo.refs.set(`refs/heads/${branch}`, sha)
  repo.pushedAt = state.now()
  const {
    content: _content,
    encoding: _encoding,
    ...content
  } = fileJson(ctx.urls, repo, branch, path, blob)
  return ok({ content, commit: gitCommitJson(ctx.urls, repo, sha) }, existed ? 200 : 201)
}

/** @type {Route[]} */
export const contentRoutes = [
  {
    method: 'GET',
    pattern: '/repos/{owner}/{repo}/contents/{+path}',
    access: 'read',
    handler: getContents
  },
  {
    method: 'PUT',
    pattern: '/repos/{owner}/{repo}/contents/{+path}',
    access: 'write',
    handler: putContents
  }
]
