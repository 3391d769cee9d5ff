/**
 * Pull requests and the issue endpoints the action uses on them (labels, assignees), review
 * requests, and the merge button.
 */
import { ApiError, notFound, validationFailed } from '../errors.mjs'
import { commitsBetween, mergeBase } from '../history.mjs'
import { diffTrees, mergeTrees } from '../diff.mjs'
import { accountOf, isPersonalToken } from '../identity.mjs'
import { issueJson, labelJson, nodeId, pullJson } from '../render.mjs'
import { ok } from './context.mjs'

/** @typedef {import('./context.mjs').Route} Route */
/** @typedef {import('./context.mjs').Ctx} Ctx */
/** @typedef {import('../repo.mjs').Repo} Repo */
/** @typedef {import('../repo.mjs').PullRequest} PullRequest */

const COLLABORATORS_ONLY = (/** @type {Repo} */ repo) =>
  `Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the ${repo.fullName} repository.`

/** Head and base commits now, and what GitHub derives from them. @param {Repo} repo @param {PullRequest} pull */
export function pullStats(repo, pull) {
  const headSha = repo.branchHead(pull.headRef) ?? pull.headSha
  const baseSha = repo.branchHead(pull.baseRef) ?? pull.baseSha
  const base = mergeBase(repo.store, baseSha, headSha)
  const baseTree = base === undefined ? undefined : repo.treeOf(base)
  const headTree = /** @type {string} */ (repo.treeOf(headSha))
  const diffs = diffTrees(repo.store, baseTree, headTree)
  const merged = mergeTrees(
    repo.store,
    /** @type {string} */ (repo.treeOf(baseSha)),
    headTree,
    baseTree
  )
  return {
    headSha,
    baseSha,
    mergeBaseSha: base,
    mergeable: merged.conflicts.length === 0,
    commits: commitsBetween(repo.store, baseSha, headSha).length,
    additions: diffs.reduce((sum, d) => sum + d.additions, 0),
    deletions: diffs.reduce((sum, d) => sum + d.deletions, 0),
    changedFiles: diffs.length
  }
}

/** @param {Ctx} ctx @param {PullRequest} pull */
function renderPull(ctx, pull) {
  return pullJson(ctx.urls, ctx.repo, pull, pullStats(ctx.repo, pull))
}

/** @param {Ctx} ctx @param {string} key */
function findPull(ctx, key) {
  const number = Number(ctx.params[key])
  const pull = ctx.repo.pulls.find(p => p.number === number)
  if (!pull) throw notFound()
  return pull
}

/** @param {Repo} repo @param {string} headRef @param {string} baseRef */
function openDuplicate(repo, headRef, baseRef) {
  return repo.pulls.find(p => p.state === 'open' && p.headRef === headRef && p.baseRef === baseRef)
}

/** @param {Repo} repo @param {string} headRef */
const alreadyExists = (repo, headRef) =>
  validationFailed([
    {
      resource: 'PullRequest',
      code: 'custom',
      message: `A pull request already exists for ${repo.owner}:${headRef}.`
    }
  ])

/** `owner:branch` or `branch`; another owner is a fork, which the double does not host. @param {Repo} repo @param {unknown} head */
function headBranch(repo, head) {
  if (typeof head !== 'string' || head === '')
    throw validationFailed([{ resource: 'PullRequest', field: 'head', code: 'missing_field' }])
  const colon = head.indexOf(':')
  if (colon < 0) return head
  if (head.slice(0, colon).toLowerCase() !== repo.owner.toLowerCase()) {
    throw validationFailed([{ resource: 'PullRequest', field: 'head', code: 'invalid' }])
  }
  return head.slice(colon + 1)
}

/** @param {Ctx} ctx */
function createPull(ctx) {
  const { repo, body, state } = ctx
  if (!repo.actionsCanCreatePullRequests && !isPersonalToken(ctx.token)) {
    throw new ApiError(403, 'GitHub Actions is not permitted to create or approve pull requests.')
  }
  const headRef = headBranch(repo, body?.head)
  const baseRef = body?.base
  if (typeof baseRef !== 'string' || repo.branchHead(baseRef) === undefined) {
    throw validationFailed([{ resource: 'PullRequest', field: 'base', code: 'invalid' }])
  }
  const headSha = repo.branchHead(headRef)
  if (headSha === undefined)
    throw validationFailed([{ resource: 'PullRequest', field: 'head', code: 'invalid' }])
  if (typeof body.title !== 'string' || body.title === '') {
    throw validationFailed([{ resource: 'PullRequest', field: 'title', code: 'missing_field' }])
  }
  if (openDuplicate(repo, headRef, baseRef)) throw alreadyExists(repo, headRef)
  const baseSha = /** @type {string} */ (repo.branchHead(baseRef))
  if (commitsBetween(repo.store, baseSha, headSha).length === 0) {
    throw validationFailed([
      {
        resource: 'PullRequest',
        code: 'custom',
        message: `No commits between ${baseRef} and ${headRef}`
      }
    ])
  }
  const id = state.newId()
  const now = state.now()
  /** @type {PullRequest} */
  const pull = {
    number: repo.pulls.length + 1,
    id,
    nodeId: nodeId('PR', `${repo.id}:${id}`),
    title: body.title,
    body: typeof body.body === 'string' ? body.body : null,
    state: 'open',
    draft: body.draft === true,
    merged: false,
    mergedAt: null,
    mergeCommitSha: null,
    mergedBy: null,
    headRef,
    headSha,
    baseRef,
    baseSha,
    labels: [],
    reviewers: [],
    teamReviewers: [],
    assignees: [],
    autoMerge: null,
    user: accountOf(ctx.token).login,
    createdAt: now,
    updatedAt: now,
    closedAt: null
  }
  repo.pulls.push(pull)
  return ok(renderPull(ctx, pull), 201)
}

/** @param {Ctx} ctx @param {PullRequest[]} pulls */
function sortPulls(ctx, pulls) {
  const key = ctx.query.sort === 'updated' ? 'updatedAt' : 'createdAt'
  const direction =
    ctx.query.direction ??
    (ctx.query.sort === undefined || ctx.query.sort === 'created' || ctx.query.sort === 'updated'
      ? 'desc'
      : 'asc')
  const sorted = [...pulls].sort((a, b) => a[key].localeCompare(b[key]) || a.number - b.number)
  return direction === 'asc' ? sorted : sorted.reverse()
}

/** A GitHub-style Link header for `page` of `pages`. @param {Ctx} ctx @param {number} page @param {number} pages @param {number} perPage */
function linkHeader(ctx, page, pages, perPage) {
  /** @param {number} n @param {string} rel */
  const link = (n, rel) => {
    const query = new URLSearchParams({ ...ctx.query, per_page: String(perPage), page: String(n) })
    return `<${ctx.urls.api}${ctx.path}?${query}>; rel="${rel}"`
  }
  const links = []
  if (page > 1) links.push(link(page - 1, 'prev'), link(1, 'first'))
  if (page < pages) links.push(link(page + 1, 'next'), link(pages, 'last'))
  return links.join(', ')
}

/**
 * GET /pulls. `head` filters only in its documented `owner:branch` form; GitHub ignores a
 * bare branch name, so the double does too.
 * @param {Ctx} ctx
 */
function listPulls(ctx) {
  const { repo, query } = ctx
  const state = query.state ?? 'open'
  let pulls = repo.pulls.filter(p => state === 'all' || p.state === state)
  if (query.head?.includes(':')) {
    const [owner, ...rest] = query.head.split(':')
    const branch = rest.join(':')
    pulls = pulls.filter(
      p => owner.toLowerCase() === repo.owner.toLowerCase() && p.headRef === branch
    )
  }
  if (query.base) pulls = pulls.filter(p => p.baseRef === query.base)
  const perPage = Math.min(Math.max(Number(query.per_page ?? 30) || 30, 1), 100)
  const page = Math.max(Number(query.page ?? 1) || 1, 1)
  const sorted = sortPulls(ctx, pulls)
  const pages = Math.max(Math.ceil(sorted.length / perPage), 1)
  const slice = sorted.slice((page - 1) * perPage, page * perPage)
  const link = linkHeader(ctx, page, pages, perPage)
  return { status: 200, json: slice.map(p => renderPull(ctx, p)), headers: link ? { link } : {} }
}

/** @param {Ctx} ctx */
function getPull(ctx) {
  return ok(renderPull(ctx, findPull(ctx, 'pull_number')))
}

/** @param {Ctx} ctx */
function updatePull(ctx) {
  const { repo, body, state } = ctx
  const pull = findPull(ctx, 'pull_number')
  if (typeof body?.title === 'string') pull.title = body.title
  if (typeof body?.body === 'string') pull.body = body.body
  if (typeof body?.base === 'string') {
    if (repo.branchHead(body.base) === undefined)
      throw validationFailed([{ resource: 'PullRequest', field: 'base', code: 'invalid' }])
    pull.baseRef = body.base
  }
  if (body?.state === 'closed' && pull.state === 'open') {
    pull.state = 'closed'
    pull.closedAt = state.now()
  }
  if (body?.state === 'open' && pull.state === 'closed' && !pull.merged) {
    if (openDuplicate(repo, pull.headRef, pull.baseRef)) throw alreadyExists(repo, pull.headRef)
    pull.state = 'open'
    pull.closedAt = null
  }
  pull.updatedAt = state.now()
  return ok(renderPull(ctx, pull))
}

/** @param {Ctx} ctx */
function mergePull(ctx) {
  const { repo, body, state } = ctx
  const pull = findPull(ctx, 'pull_number')
  if (pull.state !== 'open') throw new ApiError(405, 'Pull Request is not mergeable')
  if (pull.draft) throw new ApiError(405, 'Pull Request is still a draft')
  const stats = pullStats(repo, pull)
  if (body?.sha !== undefined && String(body.sha).toLowerCase() !== stats.headSha) {
    throw new ApiError(409, 'Head branch was modified. Review and try the merge again.')
  }
  const checks = repo.protectionOf(pull.baseRef)?.requiredStatusChecks ?? []
  if (checks.length > 0)
    throw new ApiError(
      405,
      `${checks.length} of ${checks.length} required status checks are expected.`
    )
  const method = body?.merge_method ?? 'merge'
  if (!['merge', 'squash', 'rebase'].includes(method)) {
    throw validationFailed([{ resource: 'PullRequest', field: 'merge_method', code: 'invalid' }])
  }
  const sha = mergeCommit(ctx, pull, stats, method)
  repo.refs.set(`refs/heads/${pull.baseRef}`, sha)
  const now = state.now()
  Object.assign(pull, {
    state: 'closed',
    merged: true,
    mergedAt: now,
    closedAt: now,
    updatedAt: now,
    mergeCommitSha: sha,
    mergedBy: accountOf(ctx.token).login,
    headSha: stats.headSha
  })
  return ok({ sha, merged: true, message: 'Pull Request successfully merged' })
}

/**
 * The commit(s) the merge button writes, signed by GitHub; returns the new base head.
 * @param {Ctx} ctx @param {PullRequest} pull @param {ReturnType<typeof pullStats>} stats @param {string} method
 */
function mergeCommit(ctx, pull, stats, method) {
  const { repo, body } = ctx
  const now = ctx.state.now()
  const login = accountOf(ctx.token).login
  const author = { name: login, email: `${login}@users.noreply.github.com`, date: now }
  const committer = { name: 'GitHub', email: 'noreply@github.com', date: now }
  const ancestorTree =
    stats.mergeBaseSha === undefined ? undefined : repo.treeOf(stats.mergeBaseSha)
  const merged = mergeTrees(
    repo.store,
    /** @type {string} */ (repo.treeOf(stats.baseSha)),
    /** @type {string} */ (repo.treeOf(stats.headSha)),
    ancestorTree
  )
  if (merged.conflicts.length > 0) throw new ApiError(405, 'Pull Request is not mergeable')
  if (method === 'rebase') return replay(repo, stats, committer)
  const title =
    body?.commit_title ??
    (method === 'merge'
      ? `Merge pull request #${pull.number} from ${repo.owner}/${pull.headRef}`
      : `${pull.title} (#${pull.number})`)
  const detail = body?.commit_message ?? (method === 'merge' ? pull.title : '')
  const parents = method === 'merge' ? [stats.baseSha, stats.headSha] : [stats.baseSha]
  const message = detail ? `${title}\n\n${detail}` : title
  return repo.store.writeCommit({ tree: merged.tree, parents, author, committer, message }, true)
}

/**
 * Rebase-merge: each commit of the pull request re-applied on the base, keeping its author.
 * @param {Repo} repo @param {ReturnType<typeof pullStats>} stats @param {import('../git-objects.mjs').Signature} committer
 */
function replay(repo, stats, committer) {
  let current = stats.baseSha
  for (const sha of commitsBetween(repo.store, stats.baseSha, stats.headSha)) {
    const commit = /** @type {NonNullable<ReturnType<Repo['store']['commit']>>} */ (
      repo.store.commit(sha)
    )
    const parentTree = commit.parents[0] === undefined ? undefined : repo.treeOf(commit.parents[0])
    const step = mergeTrees(
      repo.store,
      /** @type {string} */ (repo.treeOf(current)),
      commit.tree,
      parentTree
    )
    if (step.conflicts.length > 0) throw new ApiError(405, 'Pull Request is not mergeable')
    current = repo.store.writeCommit(
      {
        tree: step.tree,
        parents: [current],
        author: commit.author,
        committer,
        message: commit.message
      },
      true
    )
  }
  return current
}

/** Label names from either body form GitHub takes: `{ labels: [...] }` or a bare array. @param {any} body */
function labelNames(body) {
  const list = Array.isArray(body) ? body : body?.labels
  if (!Array.isArray(list))
    throw validationFailed([{ resource: 'Label', field: 'labels', code: 'missing_field' }])
  return list
    .map(item => (typeof item === 'string' ? item : item?.name))
    .filter(name => typeof name === 'string' && name.trim() !== '')
}

/** @param {Ctx} ctx */
function addLabels(ctx) {
  const { repo, state } = ctx
  const pull = findPull(ctx, 'issue_number')
  for (const name of labelNames(ctx.body)) {
    const key = name.toLowerCase()
    // Like GitHub, an unknown label is created (grey, no description) rather than refused.
    if (!repo.labels.has(key))
      repo.labels.set(key, { id: state.newId(), name, color: 'ededed', description: null })
    if (!pull.labels.some(l => l.toLowerCase() === key))
      pull.labels.push(/** @type {{ name: string }} */ (repo.labels.get(key)).name)
  }
  pull.updatedAt = state.now()
  return ok(
    pull.labels.map(name =>
      labelJson(
        ctx.urls,
        repo,
        /** @type {import('../repo.mjs').Label} */ (repo.labels.get(name.toLowerCase()))
      )
    )
  )
}

/** @param {unknown} value @param {string} field */
function stringList(value, field) {
  if (value === undefined) return []
  if (!Array.isArray(value) || value.some(v => typeof v !== 'string')) {
    throw validationFailed([{ resource: 'PullRequest', field, code: 'invalid' }])
  }
  return /** @type {string[]} */ (value)
}

/** @param {Ctx} ctx */
function requestReviewers(ctx) {
  const { repo, body } = ctx
  const pull = findPull(ctx, 'pull_number')
  const reviewers = stringList(body?.reviewers, 'reviewers')
  const teams = stringList(body?.team_reviewers, 'team_reviewers')
  if (reviewers.some(login => login.toLowerCase() === pull.user.toLowerCase())) {
    throw new ApiError(422, 'Review cannot be requested from pull request author.')
  }
  const strangers =
    repo.collaborators === null
      ? []
      : reviewers.filter(login => !repo.collaborators?.has(login.toLowerCase()))
  const unknownTeams =
    repo.teams === null ? [] : teams.filter(slug => !repo.teams?.has(slug.toLowerCase()))
  if (strangers.length > 0 || unknownTeams.length > 0)
    throw new ApiError(422, COLLABORATORS_ONLY(repo))
  for (const login of reviewers) if (!pull.reviewers.includes(login)) pull.reviewers.push(login)
  for (const slug of teams) if (!pull.teamReviewers.includes(slug)) pull.teamReviewers.push(slug)
  pull.updatedAt = ctx.state.now()
  return ok(renderPull(ctx, pull), 201)
}

/** Assignees who cannot be assigned are dropped without an error, as GitHub does. @param {Ctx} ctx */
function addAssignees(ctx) {
  const { repo } = ctx
  const pull = findPull(ctx, 'issue_number')
  const wanted = stringList(ctx.body?.assignees, 'assignees')
  const assignable = wanted.filter(
    login => repo.collaborators === null || repo.collaborators.has(login.toLowerCase())
  )
  for (const login of assignable) {
    if (!pull.assignees.includes(login) && pull.assignees.length < 10) pull.assignees.push(login)
  }
  pull.updatedAt = ctx.state.now()
  return ok(issueJson(ctx.urls, repo, pull), 201)
}

/** @type {Route[]} */
export const pullRoutes = [
  { method: 'GET', pattern: '/repos/{owner}/{repo}/pulls', access: 'read', handler: listPulls },
  { method: 'POST', pattern: '/repos/{owner}/{repo}/pulls', access: 'write', handler: createPull },
  {
    method: 'GET',
    pattern: '/repos/{owner}/{repo}/pulls/{pull_number}',
    access: 'read',
    handler: getPull
  },
  {
    method: 'PATCH',
    pattern: '/repos/{owner}/{repo}/pulls/{pull_number}',
    access: 'write',
    handler: updatePull
  },
  {
    method: 'PUT',
    pattern: '/repos/{owner}/{repo}/pulls/{pull_number}/merge',
    access: 'write',
    handler: mergePull
  },
  {
    method: 'POST',
    pattern: '/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers',
    access: 'write',
    handler: requestReviewers
  },
  {
    method: 'POST',
    pattern: '/repos/{owner}/{repo}/issues/{issue_number}/labels',
    access: 'write',
    handler: addLabels
  },
  {
    method: 'POST',
    pattern: '/repos/{owner}/{repo}/issues/{issue_number}/assignees',
    access: 'write',
    handler: addAssignees
  }
]
