/**
 * Git objects through GitHub's git data API, shared by the manifest repository (atomic
 * multi-file commits) and the action's own PR branch: tree reads (recursive, with a walk
 * for trees GitHub truncates), blob reads, tree + commit creation. No ref is moved here.
 * Commits carry no author or committer, so GitHub signs them.
 */
import type { FileChange, FileMode } from '../ports.js'
import type { ApiLog, GitHubClient } from './client.js'
import { classify, type ErrorContext } from './errors.js'
import { HandoffError } from '../errors.js'
import { mapBounded } from './bounded.js'

export interface RepoId {
  readonly owner: string
  readonly repo: string
}

export const fullName = (id: RepoId): string => `${id.owner}/${id.repo}`

/** A tree entry as GitHub lists it, with its path from the repository root. */
export interface TreeEntry {
  readonly path: string
  readonly mode: string
  readonly type: string
  readonly sha: string
}

export const MODE = {
  file: '100644',
  executable: '100755',
  symlink: '120000',
  submodule: '160000',
  tree: '040000'
} as const

/** Parallel blob reads; GitHub's guidance is to keep concurrent requests low. */
export const BLOB_CONCURRENCY = 8

/** Upper bound on tree reads when GitHub truncates a recursive listing (huge repositories). */
export const MAX_TREE_WALK = 2000

export class GitData {
  /** Commit → its tree, learnt from reads and commits made, so a write needs no extra GET. */
  private readonly trees = new Map<string, string>()
  /** Modes seen by tree reads, by blob SHA and path, for changes that do not carry one. */
  private readonly modes = new Map<string, FileMode>()

  constructor(
    private readonly octokit: GitHubClient,
    readonly id: RepoId,
    private readonly log: ApiLog
  ) {}

  context(action: string, extra: Partial<ErrorContext> = {}): ErrorContext {
    return { action, repo: fullName(this.id), ...extra }
  }

  /** Remember that `commit` has `tree` (both from GitHub answers). */
  learnTree(commit: string, tree: string): void {
    this.trees.set(commit, tree)
  }

  rememberMode(path: string, blob: string, mode: FileMode): void {
    this.modes.set(`${blob} ${path}`, mode)
  }

  /** The mode to write a change with: its own, else the one read for that blob, else 100644. */
  modeOf(change: FileChange): FileMode {
    return change.mode ?? this.knownMode(change) ?? MODE.file
  }

  private knownMode(change: FileChange): FileMode | undefined {
    return this.modes.get(`${change.previousSha} ${change.path}`)
  }

  /**
   * Learn the modes of changed files that were read without one (the contents API reports
   * none), from the parent's tree: one read, so that an executable file stays executable.
   */
  private async learnModes(changes: readonly FileChange[], parent: string): Promise<void> {
    const unknown = changes.filter(c => c.mode === undefined && c.previousSha && !this.knownMode(c))
    if (unknown.length === 0) return
    const { entries } = await this.entriesAt(
      parent,
      unknown.map(c => c.path)
    )
    for (const change of unknown) {
      const entry = entries.get(change.path)
      if (entry && (entry.mode === MODE.file || entry.mode === MODE.executable)) {
        this.rememberMode(change.path, entry.sha, entry.mode)
      }
    }
  }

  /** The tree of a commit: remembered, or one GET git/commits/{sha}. */
  async treeOf(commit: string): Promise<string> {
    const known = this.trees.get(commit)
    if (known !== undefined) return known
    try {
      const { data } = await this.octokit.rest.git.getCommit({ ...this.id, commit_sha: commit })
      this.trees.set(commit, data.tree.sha)
      return data.tree.sha
    } catch (error) {
      throw classify(error, this.context(`read commit ${commit}`))
    }
  }

  /**
   * Entries of the tree of `treeish` (a commit SHA, tree SHA or branch name) for `paths`:
   * one recursive read, or a walk down the paths' directories when GitHub truncated it.
   */
  async entriesAt(
    treeish: string,
    paths: readonly string[]
  ): Promise<{ tree: string; entries: Map<string, TreeEntry> }> {
    const listing = await this.readTree(treeish, true)
    if (!listing.truncated) return { tree: listing.sha, entries: byPath(listing.entries) }
    this.log.debug(
      `Tree of ${treeish} is truncated; walking the directories of ${paths.length} path(s).`
    )
    const walker = new TreeWalker(this)
    const found = await mapBounded(paths, BLOB_CONCURRENCY, path => walker.find(listing.sha, path))
    return { tree: listing.sha, entries: byPath(found.filter(isEntry)) }
  }

  /** Every entry under `treeish`, walking subtrees when GitHub truncated the recursive answer. */
  async allEntries(treeish: string): Promise<readonly TreeEntry[]> {
    const listing = await this.readTree(treeish, true)
    if (!listing.truncated) return listing.entries
    this.log.debug(`Tree of ${treeish} is truncated; walking it directory by directory.`)
    return new TreeWalker(this).all(listing.sha)
  }

  async readTree(
    treeish: string,
    recursive: boolean
  ): Promise<{ sha: string; truncated: boolean; entries: TreeEntry[] }> {
    try {
      const { data } = await this.octokit.rest.git.getTree({
        ...this.id,
        tree_sha: treeish,
        ...(recursive ? { recursive: '1' } : {})
      })
      const entries = data.tree.map(entry => ({
        path: entry.path ?? '',
        mode: entry.mode ?? '',
        type: entry.type ?? '',
        sha: entry.sha ?? ''
      }))
      return { sha: data.sha, truncated: data.truncated, entries }
    } catch (error) {
      throw classify(error, this.context('read the file tree', { branch: treeish }))
    }
  }

  /** Bytes of a blob (any size GitHub serves, beyond the contents API's 1 MB). */
  async readBlob(sha: string, path: string): Promise<Buffer> {
    try {
      const { data } = await this.octokit.rest.git.getBlob({ ...this.id, file_sha: sha })
      return Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8')
    } catch (error) {
      throw classify(error, this.context('read the file', { path }))
    }
  }

  /**
   * A commit of `changes` on top of `parent` (whose tree is the base), not on any branch yet.
   * Requests: tree POST + commit POST (+ a blob POST per non-UTF-8 file, + a commit GET when
   * the parent's tree is not known yet).
   */
  async commit(changes: readonly FileChange[], parent: string, message: string): Promise<string> {
    const baseTree = await this.treeOf(parent)
    await this.learnModes(changes, parent)
    const entries = await mapBounded(changes, BLOB_CONCURRENCY, async change => ({
      path: change.path,
      mode: this.modeOf(change),
      type: 'blob' as const,
      ...(await this.blobSource(change))
    }))
    try {
      const tree = await this.octokit.rest.git.createTree({
        ...this.id,
        base_tree: baseTree,
        tree: entries
      })
      const commit = await this.octokit.rest.git.createCommit({
        ...this.id,
        message,
        tree: tree.data.sha,
        parents: [parent]
      })
      this.trees.set(commit.data.sha, tree.data.sha)
      return commit.data.sha
    } catch (error) {
      throw classify(
        error,
        this.context('create the commit', { path: changes.map(c => c.path).join(', ') })
      )
    }
  }

  /** UTF-8 text travels inline in the tree request; other bytes need a base64 blob first. */
  private async blobSource(change: FileChange): Promise<{ content: string } | { sha: string }> {
    const text = utf8(change.content)
    if (text !== undefined) return { content: text }
    try {
      const { data } = await this.octokit.rest.git.createBlob({
        ...this.id,
        content: change.content.toString('base64'),
        encoding: 'base64'
      })
      return { sha: data.sha }
    } catch (error) {
      throw classify(error, this.context('upload the file', { path: change.path }))
    }
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** The bytes as a string when they are valid UTF-8 without NUL (they then re-encode exactly). */
export function utf8(bytes: Buffer): string | undefined {
  if (bytes.includes(0)) return undefined
  try {
    return strictUtf8.decode(bytes)
  } catch {
    return undefined
  }
}

function byPath(entries: readonly TreeEntry[]): Map<string, TreeEntry> {
  return new Map(entries.map(entry => [entry.path, entry]))
}

function isEntry(entry: TreeEntry | undefined): entry is TreeEntry {
  return entry !== undefined
}

/**
 * Non-recursive tree reads, each tree read once. Used only when GitHub truncates a recursive
 * listing (over 100,000 entries or 7 MB); bounded by MAX_TREE_WALK reads.
 */
class TreeWalker {
  private readonly reads = new Map<string, Promise<TreeEntry[]>>()

  constructor(private readonly git: GitData) {}

  async find(root: string, path: string): Promise<TreeEntry | undefined> {
    const names = path.split('/')
    let tree = root
    for (const [index, name] of names.entries()) {
      const entry = (await this.children(tree)).find(child => child.path === name)
      if (entry === undefined) return undefined
      if (index === names.length - 1) return { ...entry, path }
      if (entry.type !== 'tree') return undefined
      tree = entry.sha
    }
    return undefined
  }

  async all(root: string): Promise<TreeEntry[]> {
    const found: TreeEntry[] = []
    let level: { sha: string; prefix: string }[] = [{ sha: root, prefix: '' }]
    while (level.length > 0) {
      const listed = await mapBounded(level, BLOB_CONCURRENCY, async dir =>
        (await this.children(dir.sha)).map(entry => ({ ...entry, path: dir.prefix + entry.path }))
      )
      const entries = listed.flat()
      found.push(...entries)
      level = entries
        .filter(entry => entry.type === 'tree')
        .map(entry => ({ sha: entry.sha, prefix: `${entry.path}/` }))
    }
    return found
  }

  private children(tree: string): Promise<TreeEntry[]> {
    const known = this.reads.get(tree)
    if (known !== undefined) return known
    if (this.reads.size >= MAX_TREE_WALK) {
      throw new HandoffError(
        'GITHUB_ERROR',
        `The file tree of ${fullName(this.git.id)} is too large to list: more than ${MAX_TREE_WALK} directories.`,
        {
          hint: 'Name the files in `path` without glob patterns, so that only their directories are read.'
        }
      )
    }
    const read = this.git.readTree(tree, false).then(listing => listing.entries)
    this.reads.set(tree, read)
    return read
  }
}
