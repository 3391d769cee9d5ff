/**
 * Repository, branch, commit and compare endpoints.
 */
import { ApiError, notFound } from '../errors.mjs'
import { compareCommits } from '../history.mjs'
import { diffTrees } from '../diff.mjs'
import { repoJson, repoUrl, restCommitJson } from '../render.mjs'
import { ok, resolveOr } from './context.mjs'
import { lookupPath } from '../trees.mjs'

/** @typedef {import('./context.mjs').Route} Route */
/** @typedef {import('./context.mjs').Ctx} Ctx */
/** @typedef {import('../repo.mjs').Repo} Repo */
/** @typedef {import('../render.mjs').Urls} Urls */

const MAX_COMPARE_COMMITS = 250

/** @param {Urls} urls @param {Repo} repo @param {import('../diff.mjs').FileDiff[]} diffs @param {string} ref */
function filesJson(urls, repo, diffs, ref) {
  const api = repoUrl(urls, repo)
  return diffs.map(diff => ({
    sha: diff.sha,
    filename: diff.path,
    status: diff.status,
    additions: diff.additions,
    deletions: diff.deletions,
    changes: diff.additions + diff.deletions,
    blob_url: `${urls.web}/${repo.fullName}/blob/${ref}/${diff.path}`,
    raw_url: `${urls.web}/${repo.fullName}/raw/${ref}/${diff.path}`,
    contents_url: `${api}/contents/${diff.path}?ref=${ref}`
  }))
}

/** @param {Ctx} ctx */
function getRepo(ctx) {
  return ok(repoJson(ctx.urls, ctx.repo, ctx.level))
}

/** @param {Ctx} ctx */
function getBranch(ctx) {
  const { repo, urls } = ctx
  const name = ctx.params.branch
  const sha = repo.branchHead(name)
  if (sha === undefined) throw notFound('Branch not found')
  const protection = repo.protectionOf(name)
  const api = repoUrl(urls, repo)
  return ok({
    name,
    commit: restCommitJson(urls, repo, sha),
    _links: { self: `${api}/branches/${name}`, html: `${urls.web}/${repo.fullName}/tree/${name}` },
    protected: protection !== undefined,
    protection: {
      enabled: protection !== undefined,
      required_status_checks: {
        enforcement_level: protection?.requiredStatusChecks.length ? 'non_admins' : 'off',
        contexts: [...(protection?.requiredStatusChecks ?? [])],
        checks: (protection?.requiredStatusChecks ?? []).map(context => ({ context, app_id: null }))
      }
    },
    protection_url: `${api}/branches/${name}/protection`
  })
}

/** @param {Ctx} ctx */
function getCommit(ctx) {
  const { repo, urls } = ctx
  const ref = ctx.params.ref
  const sha = resolveOr(repo, ref, () => new ApiError(422, `No commit found for SHA: ${ref}`))
  const commit = /** @type {NonNullable<ReturnType<Repo['store']['commit']>>} */ (
    repo.store.commit(sha)
  )
  const parentTree = commit.parents[0] === undefined ? undefined : repo.treeOf(commit.parents[0])
  const diffs = diffTrees(repo.store, parentTree, commit.tree)
  const additions = diffs.reduce((sum, d) => sum + d.additions, 0)
  const deletions = diffs.reduce((sum, d) => sum + d.deletions, 0)
  return ok({
    ...restCommitJson(urls, repo, sha),
    stats: { additions, deletions, total: additions + deletions },
    files: filesJson(urls, repo, diffs, sha)
  })
}

/** @param {Ctx} ctx */
function compare(ctx) {
  const { repo, urls } = ctx
  const basehead = ctx.params.basehead
  const split = basehead.indexOf('...')
  if (split < 0) throw notFound()
  const base = resolveOr(repo, basehead.slice(0, split))
  const head = resolveOr(repo, basehead.slice(split + 3))
  const verdict = compareCommits(repo.store, base, head)
  if (verdict.mergeBase === undefined) {
    throw notFound(
      `No common ancestor between ${basehead.slice(0, split)} and ${basehead.slice(split + 3)}.`
    )
  }
  const api = repoUrl(urls, repo)
  const html = `${urls.web}/${repo.fullName}/compare/${basehead}`
  const diffs = diffTrees(
    repo.store,
    repo.treeOf(verdict.mergeBase),
    /** @type {string} */ (repo.treeOf(head))
  )
  return ok({
    url: `${api}/compare/${basehead}`,
    html_url: html,
    permalink_url: `${urls.web}/${repo.fullName}/compare/${repo.owner}:${base}...${repo.owner}:${head}`,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    base_commit: restCommitJson(urls, repo, base),
    merge_base_commit: restCommitJson(urls, repo, verdict.mergeBase),
    status: verdict.status,
    ahead_by: verdict.ahead.length,
    behind_by: verdict.behind.length,
    total_commits: verdict.ahead.length,
    commits: verdict.ahead
      .slice(0, MAX_COMPARE_COMMITS)
      .map(sha => restCommitJson(urls, repo, sha)),
    files: filesJson(urls, repo, diffs, head)
  })
}

/** History walks stop here (the double's repositories are small). */
const MAX_HISTORY = 10_000

/**
 * GET /repos/{owner}/{repo}/commits: history from `sha` (default: the default branch), newest
 * first, paged by `per_page` (≤ 100) and `page`. With `path`, only commits whose change from
 * their first parent touches it — like `git log --first-parent -- path` (GitHub simplifies
 * merges as git does; the double's writers make no merges it would need to simplify).
 * @param {Ctx} ctx
 */
function listCommits(ctx) {
  const { repo, urls, query } = ctx
  const start = query.sha
    ? resolveOr(repo, query.sha, () => new ApiError(404, 'Not Found'))
    : repo.branchHead(repo.defaultBranch)
  const perPage = Math.min(Math.max(Number(query.per_page ?? 30) || 30, 1), 100)
  const page = Math.max(Number(query.page ?? 1) || 1, 1)
  const wanted = perPage * page
  const path = query.path?.replace(/^\/+|\/+$/g, '')
  const found = []
  let sha = start
  for (let seen = 0; sha !== undefined && found.length < wanted && seen < MAX_HISTORY; seen++) {
    const commit = repo.store.commit(sha)
    if (commit === undefined) break
    if (!path || touches(repo, commit, path)) found.push(sha)
    sha = commit.parents[0]
  }
  return ok(
    found.slice(perPage * (page - 1)).map(commitSha => restCommitJson(urls, repo, commitSha))
  )
}

/** @param {Repo} repo @param {{ tree: string, parents: string[] }} commit @param {string} path */
function touches(repo, commit, path) {
  const now = lookupPath(repo.store, commit.tree, path)?.sha
  const parentTree = commit.parents[0] === undefined ? undefined : repo.treeOf(commit.parents[0])
  const before =
    parentTree === undefined ? undefined : lookupPath(repo.store, parentTree, path)?.sha
  return now !== before
}

/** @type {Route[]} */
export const repoRoutes = [
  { method: 'GET', pattern: '/repos/{owner}/{repo}/commits', access: 'read', handler: listCommits },
  { method: 'GET', pattern: '/repos/{owner}/{repo}', access: 'read', handler: getRepo },
  {
    method: 'GET',
    pattern: '/repos/{owner}/{repo}/branches/{+branch}',
    access: 'read',
    handler: getBranch
  },
  {
    method: 'GET',
    pattern: '/repos/{owner}/{repo}/commits/{+ref}',
    access: 'read',
    handler: getCommit
  },
  {
    method: 'GET',
    pattern: '/repos/{owner}/{repo}/compare/{+basehead}',
    access: 'read',
    handler: compare
  }
]
