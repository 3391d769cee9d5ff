/**
 * The double's world: repositories, token permissions, the clock and id counters, plus the
 * state API tests use to arrange and inspect it (`double.state`). One instance per double;
 * nothing here is module-global.
 */
import { Repo } from './repo.mjs'
import { MODES } from './git-objects.mjs'
import { firstParentLog } from './history.mjs'
import { flattenTree } from './trees.mjs'

/** @typedef {'none' | 'read' | 'write' | 'admin'} Level */
/** @typedef {import('./git-objects.mjs').Signature} Signature */
/** @typedef {import('./repo.mjs').PullRequest} PullRequest */
/** @typedef {Record<string, string | Buffer | null | { content: string | Buffer, mode: import('./git-objects.mjs').EntryMode }>} FileMap */

const SETUP_IDENTITY = Object.freeze({ name: 'Double Setup', email: 'setup@double.invalid' })
const LEVELS = ['none', 'read', 'write', 'admin']

export class DoubleState {
  /** @param {{ now?: () => Date, tokens?: Record<string, Record<string, Level>> }} [options] */
  constructor(options = {}) {
    this.clock = options.now ?? (() => new Date())
    /** @type {Map<string, Repo>} keyed by lower-cased full name, as GitHub names are case-insensitive */
    this.repos = new Map()
    /** @type {Map<string, Map<string, Level>> | null} null: every token may write everywhere */
    this.tokens = null
    this.nextId = 1000
    for (const [token, repos] of Object.entries(options.tokens ?? {})) {
      for (const [repo, level] of Object.entries(repos)) this.setPermission(token, repo, level)
    }
  }

  /** Now, as GitHub writes dates (ISO 8601, whole seconds, Z). */
  now() {
    return this.clock()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z')
  }

  newId() {
    return this.nextId++
  }

  /** @param {string} fullName */
  findRepo(fullName) {
    return this.repos.get(fullName.toLowerCase())
  }

  /** @param {string} fullName */
  repo(fullName) {
    const repo = this.findRepo(fullName)
    if (!repo)
      throw new Error(
        `GitHub double: no repository ${JSON.stringify(fullName)}; create it with state.createRepo`
      )
    return repo
  }

  /**
   * What `token` may do in `repoFullName`. Open mode (no token registered): write everywhere.
   * @param {string | undefined} token @param {string} repoFullName @returns {Level | 'unknown-token'}
   */
  levelOf(token, repoFullName) {
    if (this.tokens === null) return 'write'
    if (token === undefined) return 'none'
    const repos = this.tokens.get(token)
    if (!repos) return 'unknown-token'
    return repos.get(repoFullName.toLowerCase()) ?? 'none'
  }

  /** Whether `token` is valid at all (any repository). @param {string} token */
  knowsToken(token) {
    return this.tokens === null || this.tokens.has(token)
  }

  // ---- state API for tests -------------------------------------------------------------

  /**
   * Create a repository with one initial commit holding `files`, `symlinks` (path → target)
   * and `submodules` (path → commit SHA; a `.gitmodules` is written for them unless given).
   * Returns the initial commit's SHA.
   * @param {string} fullName
   * @param {{ defaultBranch?: string, files?: FileMap, symlinks?: Record<string, string>, submodules?: Record<string, string>, executables?: string[], private?: boolean, allowAutoMerge?: boolean, allowActionsPRs?: boolean, message?: string }} [options]
   */
  createRepo(fullName, options = {}) {
    const [owner, name, ...rest] = fullName.split('/')
    if (!owner || !name || rest.length > 0)
      throw new Error(
        `GitHub double: repository name must be "owner/name", got ${JSON.stringify(fullName)}`
      )
    if (this.findRepo(fullName))
      throw new Error(`GitHub double: repository ${fullName} already exists`)
    const repo = new Repo({
      owner,
      name,
      id: this.newId(),
      defaultBranch: options.defaultBranch ?? 'main',
      isPrivate: options.private ?? true,
      createdAt: this.now()
    })
    repo.allowAutoMerge = options.allowAutoMerge ?? false
    repo.actionsCanCreatePullRequests = options.allowActionsPRs ?? true
    this.repos.set(fullName.toLowerCase(), repo)
    const changes = repo.fileChanges(initialFiles(owner, options))
    for (const [path, target] of Object.entries(options.symlinks ?? {})) {
      changes.push({ path, mode: MODES.symlink, sha: repo.store.writeBlob(Buffer.from(target)) })
    }
    for (const [path, sha] of Object.entries(options.submodules ?? {})) {
      changes.push({ path, mode: MODES.submodule, sha: sha.toLowerCase() })
    }
    const sha = this.#commit(repo, undefined, changes, options.message ?? 'Initial commit')
    repo.refs.set(`refs/heads/${repo.defaultBranch}`, sha)
    return sha
  }

  /**
   * Commit `files` (null deletes) on top of `branch`, as a push by someone else would;
   * a missing branch is created from the default branch. Returns the new commit's SHA.
   * @param {string} repoName @param {string} branch @param {FileMap} files @param {string} [message]
   */
  commitFiles(repoName, branch, files, message = 'Commit by the test') {
    const repo = this.repo(repoName)
    const parent = repo.branchHead(branch) ?? repo.branchHead(repo.defaultBranch)
    const sha = this.#commit(repo, parent, repo.fileChanges(files), message)
    repo.refs.set(`refs/heads/${branch}`, sha)
    repo.pushedAt = this.now()
    return sha
  }

  /** Create `branch` at `from` (a branch or SHA; default: the default branch). @param {string} repoName @param {string} branch @param {string} [from] */
  createBranch(repoName, branch, from) {
    const repo = this.repo(repoName)
    const sha = repo.resolve(from ?? repo.defaultBranch)
    if (!sha) throw new Error(`GitHub double: ${repoName} has no ref ${JSON.stringify(from)}`)
    repo.refs.set(`refs/heads/${branch}`, sha)
    return sha
  }

  /** @param {string} repoName @param {string} branch */
  deleteBranch(repoName, branch) {
    this.repo(repoName).refs.delete(`refs/heads/${branch}`)
  }

  /** @param {string} repoName @param {string} branch */
  branchHead(repoName, branch) {
    return this.repo(repoName).branchHead(branch)
  }

  /** Bytes of the blob at `path` (file or symlink) at `ref`, or undefined. @param {string} repoName @param {string} ref @param {string} path */
  readFile(repoName, ref, path) {
    const repo = this.repo(repoName)
    const sha = repo.resolve(ref)
    const entry = sha === undefined ? undefined : repo.entryAt(sha, path)
    return entry === undefined ? undefined : repo.store.blob(entry.sha)
  }

  /** Paths of every file, symlink and submodule at `ref`, sorted. @param {string} repoName @param {string} ref */
  listFiles(repoName, ref) {
    const repo = this.repo(repoName)
    const sha = repo.resolve(ref)
    const tree = sha === undefined ? undefined : repo.treeOf(sha)
    return tree === undefined ? [] : [...flattenTree(repo.store, tree).keys()].sort()
  }

  /**
   * First-parent history of `ref`, newest first.
   * @param {string} repoName @param {string} ref @param {number} [limit]
   */
  log(repoName, ref, limit = 1000) {
    const repo = this.repo(repoName)
    const start = repo.resolve(ref)
    if (start === undefined) return []
    return firstParentLog(repo.store, start, limit).map(sha => {
      const commit = /** @type {NonNullable<ReturnType<typeof repo.store.commit>>} */ (
        repo.store.commit(sha)
      )
      return {
        sha,
        message: commit.message,
        parents: [...commit.parents],
        tree: commit.tree,
        verified: commit.verified,
        author: { ...commit.author },
        committer: { ...commit.committer }
      }
    })
  }

  /** Snapshots of the repository's pull requests, oldest first. @param {string} repoName */
  pulls(repoName) {
    const repo = this.repo(repoName)
    return repo.pulls.map(pull => ({
      ...pull,
      headSha: repo.branchHead(pull.headRef) ?? pull.headSha,
      labels: [...pull.labels],
      reviewers: [...pull.reviewers],
      teamReviewers: [...pull.teamReviewers],
      assignees: [...pull.assignees],
      autoMerge: pull.autoMerge ? { ...pull.autoMerge } : null
    }))
  }

  /**
   * Protect `branch` (false/null: unprotect). `true` means "changes must be made through a
   * pull request".
   * @param {string} repoName @param {string} branch
   * @param {boolean | null | { requirePullRequest?: boolean, requiredStatusChecks?: string[] }} protection
   */
  setBranchProtection(repoName, branch, protection) {
    const repo = this.repo(repoName)
    if (!protection) {
      repo.protection.delete(branch)
      return
    }
    const given = protection === true ? {} : protection
    repo.protection.set(branch, {
      requirePullRequest: given.requirePullRequest ?? given.requiredStatusChecks === undefined,
      requiredStatusChecks: [...(given.requiredStatusChecks ?? [])]
    })
  }

  /**
   * Register `token` with `level` on `repoName`. From the first registration on, tokens are
   * checked: an unregistered token is answered 401 "Bad credentials".
   * @param {string} token @param {string} repoName @param {Level} level
   */
  setPermission(token, repoName, level) {
    if (!LEVELS.includes(level))
      throw new Error(
        `GitHub double: permission must be one of ${LEVELS.join(', ')}, got ${JSON.stringify(level)}`
      )
    this.tokens ??= new Map()
    const repos = this.tokens.get(token) ?? new Map()
    repos.set(repoName.toLowerCase(), level)
    this.tokens.set(token, repos)
  }

  /** Repository setting "Allow GitHub Actions to create and approve pull requests". @param {string} repoName @param {boolean} allowed */
  allowActionsPRs(repoName, allowed) {
    this.repo(repoName).actionsCanCreatePullRequests = allowed
  }

  /** Repository setting "Allow auto-merge". @param {string} repoName @param {boolean} allowed */
  allowAutoMerge(repoName, allowed) {
    this.repo(repoName).allowAutoMerge = allowed
  }

  /** Restrict collaborators (reviewers, assignees) to `logins`; null: everyone. @param {string} repoName @param {string[] | null} logins */
  setCollaborators(repoName, logins) {
    this.repo(repoName).collaborators =
      logins === null ? null : new Set(logins.map(l => l.toLowerCase()))
  }

  /** Restrict the teams that exist for review requests to `slugs`; null: every team. @param {string} repoName @param {string[] | null} slugs */
  setTeams(repoName, slugs) {
    this.repo(repoName).teams = slugs === null ? null : new Set(slugs.map(s => s.toLowerCase()))
  }

  /**
   * @param {Repo} repo @param {string | undefined} parent
   * @param {import('./trees.mjs').TreeChange[]} changes @param {string} message
   */
  #commit(repo, parent, changes, message) {
    const now = this.now()
    const who = { ...SETUP_IDENTITY, date: now }
    return repo.commitChanges({
      parent,
      changes,
      message,
      author: who,
      committer: who,
      verified: false
    })
  }
}

/** @param {string} owner @param {{ files?: FileMap, submodules?: Record<string, string>, executables?: string[] }} options */
function initialFiles(owner, options) {
  /** @type {FileMap} */
  const files = { ...options.files }
  for (const path of options.executables ?? []) {
    const content = files[path]
    if (
      content === undefined ||
      content === null ||
      (typeof content === 'object' && !Buffer.isBuffer(content))
    ) {
      throw new Error(
        `GitHub double: executable ${JSON.stringify(path)} must also be listed in files`
      )
    }
    files[path] = { content, mode: MODES.executable }
  }
  const submodules = Object.keys(options.submodules ?? {})
  if (submodules.length > 0 && files['.gitmodules'] === undefined) {
    files['.gitmodules'] = submodules
      .map(
        path =>
          `[submodule "${path}"]\n\tpath = ${path}\n\turl = https://github.com/${owner}/${path.split('/').pop()}.git\n`
      )
      .join('')
  }
  return files
}
