/**
 * ManifestRepo over GitHub's REST API.
 *
 * Request budget (successful runs; failure paths may spend one or two more requests to say
 * precisely what is missing):
 * - one file: contents GET + contents PUT = 2 (a file over 1 MB adds a blob GET). The
 *   contents API does not return the branch head, so that snapshot's `head` is '' and the
 *   write relies on the blob SHA precondition alone.
 * - N files: one GraphQL query (head commit, its tree, each path's mode, blob SHA and text, at
 *   one commit; another per 50 paths more), then tree POST + commit POST + ref PATCH = 4.
 *   A text GraphQL cannot vouch for (it does not hash to the blob SHA: BOM, non-UTF-8,
 *   truncated) adds a blob GET for that file. When the GraphQL read fails (older GHES,
 *   token, any error), REST reads the same snapshot: ref GET + recursive tree GET + N blob
 *   GETs = N + 5.
 *   No single REST answer carries both the commit SHA and the tree listing. A non-UTF-8 file
 *   adds one blob POST.
 */
import type {
  CommitRequest,
  Committed,
  FileChange,
  FileMode,
  ManifestRepo,
  Moved,
  ReadSnapshot,
  RepoFile
} from '../ports.js'
import { HandoffError, quote } from '../errors.js'
import type { ApiLog, GitHubClient } from './client.js'
import { answerOf, classify } from './errors.js'
import {
  BLOB_CONCURRENCY,
  GitData,
  MODE,
  fullName,
  type RepoId,
  type TreeEntry
} from './git-data.js'
import { mapBounded } from './bounded.js'
import { querySnapshot, type QueriedEntry, type QueriedSnapshot } from './snapshot-query.js'

/** A refused write that means "someone else moved the file or branch": re-read and re-plan. */
const MOVED = /does not match|expected to be at|not a fast.forward/i

export function isMoved(error: unknown): boolean {
  const answer = answerOf(error)
  return (answer?.status === 409 || answer?.status === 422) && MOVED.test(answer.message)
}

export class GitHubManifestRepo implements ManifestRepo {
  private readonly git: GitData

  /** `git`: share one GitData with GitHubBranchRefs so modes and trees read here are reused. */
  constructor(
    private readonly octokit: GitHubClient,
    private readonly id: RepoId,
    private readonly log: ApiLog,
    git?: GitData
  ) {
    this.git = git ?? new GitData(octokit, id, log)
  }

  async defaultBranch(): Promise<string> {
    try {
      const { data } = await this.octokit.rest.repos.get({ ...this.id })
      return data.default_branch
    } catch (error) {
      throw classify(error, this.git.context('read the repository'))
    }
  }

  /**
   * Undefined on 404. A 404 cannot tell a missing branch from an invisible repository; the
   * callers read the repository (or the target branch) first, which tells them apart.
   */
  async branchHead(branch: string): Promise<string | undefined> {
    try {
      const { data } = await this.octokit.rest.git.getRef({ ...this.id, ref: `heads/${branch}` })
      return data.object.sha
    } catch (error) {
      if (answerOf(error)?.status === 404) return undefined
      throw classify(error, this.git.context('read the branch', { branch }))
    }
  }

  /** Regular and executable files only (symlinks and submodules cannot be edited), sorted. */
  async listFiles(ref: string): Promise<readonly string[]> {
    const entries = await this.git.allEntries(ref)
    return entries
      .filter(isEditable)
      .map(entry => entry.path)
      .sort()
  }

  async read(
    paths: readonly string[],
    branch: string,
    options: { readonly withHead?: boolean } = {}
  ): Promise<ReadSnapshot> {
    const unique = [...new Set(paths)]
    if (unique.length === 0) return { head: await this.resolveBranch(branch), files: [] }
    if (unique.length === 1 && !options.withHead)
      return { head: '', files: [await this.readOne(unique[0], branch)] }
    return this.readMany(unique, branch)
  }

  async updateFile(change: FileChange, request: CommitRequest): Promise<Committed | Moved> {
    try {
      const { data } = await this.octokit.rest.repos.createOrUpdateFileContents({
        ...this.id,
        path: change.path,
        message: request.message,
        content: change.content.toString('base64'),
        sha: change.previousSha,
        branch: request.branch
      })
      const sha = data.commit.sha ?? ''
      this.log.debug(`Committed ${change.path} to ${request.branch}: ${sha}`)
      return { moved: false, sha }
    } catch (error) {
      if (isMoved(error)) return { moved: true }
      throw classify(
        error,
        this.git.context('update the file', { branch: request.branch, path: change.path })
      )
    }
  }

  async commitFiles(
    changes: readonly FileChange[],
    request: CommitRequest
  ): Promise<Committed | Moved> {
    if (request.expectedHead === '') {
      // A single-file read does not learn the head; its change goes through updateFile.
      throw new HandoffError(
        'INTERNAL',
        'commitFiles was called without the head commit the read saw.',
        {
          hint: 'This is a bug in gitops-handoff; please report it with the log of this run.'
        }
      )
    }
    const commit = await this.git.commit(changes, request.expectedHead, request.message)
    try {
      await this.octokit.rest.git.updateRef({
        ...this.id,
        ref: `heads/${request.branch}`,
        sha: commit,
        force: false
      })
      this.log.debug(`Moved ${request.branch} from ${request.expectedHead} to ${commit}`)
      return { moved: false, sha: commit }
    } catch (error) {
      if (isMoved(error)) {
        this.log.debug(
          `${request.branch} moved past ${request.expectedHead}; commit ${commit} stays orphaned.`
        )
        return { moved: true }
      }
      throw classify(
        error,
        this.git.context('move the branch to the new commit', { branch: request.branch })
      )
    }
  }

  /** One GET of the branch's history filtered by path. */
  async lastCommitTouching(
    path: string,
    branch: string
  ): Promise<{ sha: string; message: string } | undefined> {
    try {
      const { data } = await this.octokit.rest.repos.listCommits({
        ...this.id,
        sha: branch,
        path,
        per_page: 1
      })
      const [last] = data
      return last ? { sha: last.sha, message: last.commit.message } : undefined
    } catch (error) {
      throw classify(error, this.git.context('read the history of the file', { branch, path }))
    }
  }

  /** Contents API: one GET; a file over 1 MB comes back without content and needs its blob. */
  private async readOne(path: string, branch: string): Promise<RepoFile> {
    let data: unknown
    try {
      data = (await this.octokit.rest.repos.getContent({ ...this.id, path, ref: branch })).data
    } catch (error) {
      if (answerOf(error)?.status === 404) throw await this.explainMissing(path, branch)
      throw classify(error, this.git.context('read the file', { branch, path }))
    }
    const item = contentItem(data)
    this.refuseNonFile(path, branch, item)
    const content =
      item.encoding === 'base64' && (item.content !== '' || item.size === 0)
        ? Buffer.from(item.content ?? '', 'base64')
        : await this.git.readBlob(item.sha, path)
    return { path, content, sha: item.sha }
  }

  /**
   * One GraphQL read (head, tree, modes and texts at one commit); REST (ref GET, recursive
   * tree GET, blob GETs) when GraphQL cannot answer, and blob GETs for texts it cannot vouch for.
   */
  private async readMany(paths: readonly string[], branch: string): Promise<ReadSnapshot> {
    const queried = await this.query(paths, branch)
    if (queried === undefined) return this.readManyRest(paths, branch)
    this.git.learnTree(queried.head, queried.tree)
    return { head: queried.head, files: await this.filesOf(paths, branch, queried.entries) }
  }

  /**
   * Undefined sends the read through REST: no such branch (REST then says whether the branch
   * or the repository is missing), or any GraphQL failure — an older GHES schema, a token
   * GraphQL does not accept, an answer too large to serve. A real outage then fails the REST
   * read too, with the error REST users know.
   */
  private async query(
    paths: readonly string[],
    branch: string
  ): Promise<QueriedSnapshot | undefined> {
    try {
      const snapshot = await querySnapshot(this.octokit, this.id, branch, paths)
      if (snapshot === undefined)
        this.log.debug(`GraphQL: no branch ${quote(branch)}; reading through REST.`)
      return snapshot
    } catch (error) {
      const reason = answerOf(error)?.message ?? String(error)
      this.log.debug(`GraphQL read failed (${reason}); reading through REST.`)
      return undefined
    }
  }

  /** ref GET → recursive tree GET of that commit → blob GETs (bounded parallelism). */
  private async readManyRest(paths: readonly string[], branch: string): Promise<ReadSnapshot> {
    const head = await this.resolveBranch(branch)
    const { tree, entries } = await this.git.entriesAt(head, paths)
    this.git.learnTree(head, tree)
    return { head, files: await this.filesOf(paths, branch, entries) }
  }

  /** Missing and non-file paths are refused; bytes not known yet cost a blob GET each. */
  private async filesOf(
    paths: readonly string[],
    branch: string,
    entries: ReadonlyMap<string, QueriedEntry>
  ): Promise<RepoFile[]> {
    const missing = paths.filter(path => !entries.has(path))
    if (missing.length > 0) throw this.fileNotFound(missing, branch)
    const wanted = paths.map(path => entries.get(path) as QueriedEntry)
    for (const entry of wanted) {
      this.refuseNonFile(entry.path, branch, await this.itemOfEntry(entry))
    }
    return mapBounded(wanted, BLOB_CONCURRENCY, async entry => {
      const mode = entry.mode as FileMode
      this.git.rememberMode(entry.path, entry.sha, mode)
      const content = entry.content ?? (await this.git.readBlob(entry.sha, entry.path))
      return { path: entry.path, content, sha: entry.sha, mode }
    })
  }

  private async resolveBranch(branch: string): Promise<string> {
    const head = await this.branchHead(branch)
    if (head === undefined) throw await this.missingBranchOrRepo(branch)
    return head
  }

  /** A 404 on a file read: the file, the branch or the whole repository may be missing. */
  private async explainMissing(path: string, branch: string): Promise<HandoffError> {
    if ((await this.branchHead(branch)) === undefined) return this.missingBranchOrRepo(branch)
    return this.fileNotFound([path], branch)
  }

  private async missingBranchOrRepo(branch: string): Promise<HandoffError> {
    try {
      await this.octokit.rest.repos.get({ ...this.id })
    } catch (repoError) {
      throw classify(repoError, this.git.context('read the repository'))
    }
    return new HandoffError(
      'NOT_FOUND',
      `Branch ${quote(branch)} does not exist in ${fullName(this.id)}.`,
      {
        hint: 'Check the `branch` input (branch names are case-sensitive), or leave it empty to use the repository’s default branch.',
        input: 'branch',
        status: 404
      }
    )
  }

  private fileNotFound(paths: readonly string[], branch: string): HandoffError {
    const names = paths.map(quote).join(', ')
    const subject = paths.length === 1 ? `File ${names}` : `Files ${names}`
    return new HandoffError(
      'FILE_NOT_FOUND',
      `${subject} not found on branch ${quote(branch)} of ${fullName(this.id)}.`,
      {
        hint: 'Check `path`: paths are relative to the repository root and case-sensitive, and the files must exist on the branch (this action edits files; it does not create them).',
        file: paths[0],
        input: 'path',
        status: 404
      }
    )
  }

  /** What a tree entry is; a symlink's target may cost one blob read, on this failure path only. */
  private async itemOfEntry(entry: QueriedEntry): Promise<ContentItem> {
    const base = { sha: entry.sha, path: entry.path }
    if (entry.type === 'tree') return { ...base, type: 'dir' }
    if (entry.mode === MODE.submodule || entry.type === 'commit')
      return { ...base, type: 'submodule' }
    if (entry.mode !== MODE.symlink) return { ...base, type: 'file' }
    const target = (entry.content ?? (await this.git.readBlob(entry.sha, entry.path))).toString(
      'utf8'
    )
    return { ...base, type: 'symlink', target }
  }

  private refuseNonFile(path: string, branch: string, item: ContentItem): void {
    const what = nonFileKind(path, item)
    if (what === undefined) return
    throw new HandoffError(
      'NOT_A_FILE',
      `Path ${quote(path)} on branch ${quote(branch)} of ${fullName(this.id)} is ${what.kind}, not a file.`,
      { hint: what.hint, file: path, input: 'path' }
    )
  }
}

/** The fields of a contents API answer (or of a tree entry) that decide what a path is. */
interface ContentItem {
  readonly type: string
  readonly sha: string
  readonly path: string
  readonly encoding?: string
  readonly content?: string
  readonly size?: number
  readonly target?: string
}

function contentItem(data: unknown): ContentItem {
  if (Array.isArray(data)) return { type: 'dir', sha: '', path: '' }
  return data as ContentItem
}

const NOT_A_FILE: Record<string, { kind: string; hint: string }> = {
  dir: {
    kind: 'a directory',
    hint: '`path` must name files. To edit every manifest of a directory, use a glob such as `apps/api/*.yaml`.'
  },
  symlink: {
    kind: 'a symbolic link',
    hint: 'Name the file the link points to: links are not followed, so that the edit lands where you expect.'
  },
  submodule: {
    kind: 'a submodule',
    hint: 'Files of a submodule live in another repository: point `manifest-repo` at that repository.'
  }
}

/**
 * Why a path is not an editable file, if it is not. The contents API follows a symlink whose
 * target is a file and answers with the target, so a different `path` in the answer means
 * the requested path is a link.
 */
function nonFileKind(path: string, item: ContentItem): { kind: string; hint: string } | undefined {
  const known = NOT_A_FILE[item.type]
  if (item.type === 'symlink' && item.target)
    return { ...known, kind: `a symbolic link to ${quote(item.target)}` }
  if (known !== undefined) return known
  if (item.type !== 'file')
    return { kind: `a ${item.type} entry`, hint: '`path` must name regular files.' }
  if (item.path !== path)
    return { ...NOT_A_FILE.symlink, kind: `a symbolic link to ${quote(item.path)}` }
  return undefined
}

function isEditable(entry: TreeEntry): boolean {
  return entry.type === 'blob' && (entry.mode === MODE.file || entry.mode === MODE.executable)
}
