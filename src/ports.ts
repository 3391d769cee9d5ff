/**
 * The interfaces the core sees for I/O. The GitHub implementation of each is one adapter
 * (src/github/); tests run the real adapters against an HTTP double.
 */

/** A file as read from the repository at a commit. */
export interface RepoFile {
  readonly path: string
  /** Raw bytes as stored. */
  readonly content: Buffer
  /** Git blob SHA (the contents API `sha`). */
  readonly sha: string
  /** Git file mode when the read saw it (tree reads): kept when the file is rewritten. */
  readonly mode?: FileMode
}

/** Modes of files that can be edited: regular and executable. */
export type FileMode = '100644' | '100755'

export interface ReadSnapshot {
  /**
   * The commit the read saw (head of the branch at read time). '' when a single file was read
   * through the contents API (without `withHead`), which does not return it: `updateFile`
   * needs only the blob SHA.
   */
  readonly head: string
  readonly files: readonly RepoFile[]
}

export interface FileChange {
  readonly path: string
  readonly content: Buffer
  /** Blob SHA of the version the change was computed from. */
  readonly previousSha: string
  /** The file's mode as read (RepoFile.mode); the adapter falls back to what it read, then 100644. */
  readonly mode?: FileMode
}

export interface CommitRequest {
  readonly branch: string
  /** The commit the changes were computed against; the write must fail if the branch moved. */
  readonly expectedHead: string
  readonly message: string
}

/** The write was refused because the branch or file moved: re-read and re-plan. */
export interface Moved {
  readonly moved: true
}

export interface Committed {
  readonly moved: false
  readonly sha: string
}

export interface ManifestRepo {
  defaultBranch(): Promise<string>
  /** Head commit SHA of a branch, or undefined when the branch does not exist. */
  branchHead(branch: string): Promise<string | undefined>
  /** All blob paths of the tree at `ref` (for glob resolution). */
  listFiles(ref: string): Promise<readonly string[]>
  /**
   * Read files at the head of `branch` (bytes + blob SHA + head seen). With `withHead`, the
   * snapshot names its commit (and file modes) even for one file, instead of taking the
   * contents API's cheaper single-file path: for callers that build the commit themselves.
   */
  read(
    paths: readonly string[],
    branch: string,
    options?: { readonly withHead?: boolean }
  ): Promise<ReadSnapshot>
  /** One file: contents API PUT with the blob sha precondition. */
  updateFile(change: FileChange, request: CommitRequest): Promise<Committed | Moved>
  /** Several files: tree (base_tree) → commit (parent expectedHead) → ref update without force. */
  commitFiles(changes: readonly FileChange[], request: CommitRequest): Promise<Committed | Moved>
  /** The newest commit on `branch` that changed `path`, or undefined when none did. */
  lastCommitTouching(
    path: string,
    branch: string
  ): Promise<{ readonly sha: string; readonly message: string } | undefined>
}

export interface PullRequest {
  readonly number: number
  readonly url: string
  readonly nodeId: string
  readonly state: 'open' | 'closed'
  readonly merged: boolean
  readonly headRef: string
  readonly headSha: string
  readonly baseRef: string
  readonly title: string
  readonly body: string
}

export interface PullRequestDraft {
  readonly head: string
  readonly base: string
  readonly title: string
  readonly body: string
  readonly draft: boolean
}

/** Result of a best-effort PR decoration: refused items become warnings, never failures. */
export interface Warnings {
  readonly warnings: readonly string[]
}

export interface PullRequests {
  /** The open PR from `head` into `base`, if any. */
  findOpen(head: string, base: string): Promise<PullRequest | undefined>
  create(draft: PullRequestDraft): Promise<PullRequest>
  update(number: number, fields: { title: string; body: string }): Promise<PullRequest>
  addLabels(number: number, labels: readonly string[]): Promise<Warnings>
  requestReviewers(
    number: number,
    users: readonly string[],
    teams: readonly string[]
  ): Promise<Warnings>
  addAssignees(number: number, users: readonly string[]): Promise<Warnings>
  enableAutoMerge(pr: PullRequest, method: 'merge' | 'squash' | 'rebase'): Promise<Warnings>
  /** PR merge state, for waiting on auto-merge (Argo CD phase). */
  get(number: number): Promise<PullRequest & { mergeCommitSha?: string }>
}

/** Branch operations for the action's own PR branch (never used on the target branch). */
export interface BranchRefs {
  /** Create `branch` at `sha`, or move it there (force allowed: the branch belongs to the action). */
  resetBranch(branch: string, sha: string): Promise<void>
  /** Create a commit of `changes` on top of `parent` without moving any ref. */
  createCommit(changes: readonly FileChange[], parent: string, message: string): Promise<string>
  /** Tree SHA of a commit (to compare content without reading files). */
  treeOf(commit: string): Promise<string>
  /** Compare two commits of the repository: ahead/behind as GitHub's compare API reports. */
  compare(
    base: string,
    head: string
  ): Promise<{ status: string; aheadBy: number; behindBy: number }>
}
