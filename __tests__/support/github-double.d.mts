/**
 * Types of the GitHub API double (github-double.mjs), for TypeScript tests under strict
 * mode. Hand-written: keep in step with the JSDoc in github-double/*.mjs.
 */

/** Permission of a token on a repository. */
export type Level = 'none' | 'read' | 'write' | 'admin'

/** Git tree entry modes: file, executable, symlink, submodule, directory. */
export type EntryMode = '100644' | '100755' | '120000' | '160000' | '040000'

/** A file for the state API: text (UTF-8) or bytes; null deletes; or an explicit mode. */
export type FileValue = string | Buffer | null | { content: string | Buffer; mode: EntryMode }
export type FileMap = Record<string, FileValue>

export interface Signature {
  name: string
  email: string
  /** ISO 8601 */
  date: string
}

export interface CommitInfo {
  sha: string
  message: string
  parents: string[]
  tree: string
  /** GitHub's verdict: true only for commits an installation token (ghs_) wrote without naming an author or committer, and for merge-button commits. */
  verified: boolean
  author: Signature
  committer: Signature
}

export interface PullRequestSnapshot {
  number: number
  id: number
  nodeId: string
  title: string
  body: string | null
  state: 'open' | 'closed'
  draft: boolean
  merged: boolean
  mergedAt: string | null
  mergeCommitSha: string | null
  mergedBy: string | null
  headRef: string
  /** Current head of the head branch (last known when it was deleted). */
  headSha: string
  baseRef: string
  baseSha: string
  labels: string[]
  reviewers: string[]
  teamReviewers: string[]
  assignees: string[]
  autoMerge: { mergeMethod: string; enabledBy: string; enabledAt: string } | null
  /** Login of the token that opened it: `github-actions[bot]` for ghs_ tokens, else `octocat`. */
  user: string
  createdAt: string
  updatedAt: string
  closedAt: string | null
}

export interface CreateRepoOptions {
  /** Default: 'main'. */
  defaultBranch?: string
  files?: FileMap
  /** path → link target (stored as a 120000 blob). */
  symlinks?: Record<string, string>
  /** path → commit SHA (a 160000 entry); a .gitmodules is written unless `files` has one. */
  submodules?: Record<string, string>
  /** Paths among `files` to store with mode 100755. */
  executables?: string[]
  /** Default: true. */
  private?: boolean
  /** Repository setting "Allow auto-merge". Default: false. */
  allowAutoMerge?: boolean
  /** Repository setting "Allow GitHub Actions to create and approve pull requests". Default: true. */
  allowActionsPRs?: boolean
  /** Message of the initial commit. Default: 'Initial commit'. */
  message?: string
}

export interface BranchProtection {
  /** Default: true unless only status checks are given. */
  requirePullRequest?: boolean
  requiredStatusChecks?: string[]
}

/** Arrange and inspect the double's repositories directly (no HTTP, no log entries). */
export interface DoubleState {
  /** Create `owner/name` with one initial commit; returns its SHA. */
  createRepo(fullName: string, options?: CreateRepoOptions): string
  /** Commit on `branch` (created from the default branch when missing), as another pusher would; returns the SHA. */
  commitFiles(repo: string, branch: string, files: FileMap, message?: string): string
  /** Create `branch` at `from` (branch, tag or SHA; default: the default branch); returns the SHA. */
  createBranch(repo: string, branch: string, from?: string): string
  deleteBranch(repo: string, branch: string): void
  branchHead(repo: string, branch: string): string | undefined
  /** Blob bytes (file or symlink) at `ref` (branch, tag or SHA), or undefined. */
  readFile(repo: string, ref: string, path: string): Buffer | undefined
  /** Every file, symlink and submodule path at `ref`, sorted. */
  listFiles(repo: string, ref: string): string[]
  /** First-parent history, newest first. */
  log(repo: string, ref: string, limit?: number): CommitInfo[]
  pulls(repo: string): PullRequestSnapshot[]
  /** `true`: changes must go through a pull request; false/null: unprotected. */
  setBranchProtection(
    repo: string,
    branch: string,
    protection: boolean | null | BranchProtection
  ): void
  /** From the first call on, tokens are checked: unregistered tokens get 401 "Bad credentials". */
  setPermission(token: string, repo: string, level: Level): void
  allowActionsPRs(repo: string, allowed: boolean): void
  allowAutoMerge(repo: string, allowed: boolean): void
  /** Only these logins may be review-requested or assigned; null: everyone. */
  setCollaborators(repo: string, logins: string[] | null): void
  /** Only these team slugs exist for team review requests; null: every team. */
  setTeams(repo: string, slugs: string[] | null): void
  /** The double's clock as GitHub formats dates. */
  now(): string
}

export interface LogEntry {
  method: string
  /** Percent-decoded path without the GHES `/api/v3` prefix. */
  path: string
  /** '' for api.github.com-style URLs, '/api/v3' (REST) or '/api' (GraphQL) for GHES-style. */
  prefix: string
  query: Record<string, string>
  /** OpenAPI path template of the matched route, e.g. '/repos/{owner}/{repo}/contents/{path}'. */
  route: string | undefined
  /** 0 when a fault dropped the socket. */
  status: number
  body?: unknown
  /** ms since the epoch when the request arrived. */
  at: number
  faulted: boolean
}

export type LogFilter =
  | { method?: string; path?: string | RegExp; route?: string; status?: number }
  | ((entry: LogEntry) => boolean)

export interface RequestLog {
  readonly entries: readonly LogEntry[]
  /** Requests other than GET/HEAD, in arrival order. */
  writes(): LogEntry[]
  count(filter?: LogFilter): number
  filter(filter: LogFilter): LogEntry[]
  clear(): void
}

export interface FaultSpec {
  method?: string
  /** Decoded path (no /api/v3), OpenAPI template, or a RegExp tested on the decoded path. */
  path?: string | RegExp
  /** Answer with this status instead of the real handler. */
  status?: number
  /** Matching requests it applies to. Default 1. */
  times?: number
  /** JSON body of the injected answer. Default `{ message: <status text> }`. */
  body?: unknown
  /** Extra or overriding headers, e.g. `{ 'retry-after': '1' }`. */
  headers?: Record<string, string>
  /** Wait before answering; alone, the request is then handled normally. */
  delayMs?: number
  /** Destroy the socket without answering. */
  drop?: boolean
}

export interface Faults {
  /** Faults are consumed in the order added; the first matching one applies. */
  add(spec: FaultSpec): void
  /** Applications left over all faults. */
  pending(): number
  clear(): void
}

export interface WriteEvent {
  method: string
  path: string
  route: string | undefined
  /** `owner/name` for repository routes. */
  repo: string | undefined
  body: unknown
  state: DoubleState
}

export interface GitHubDoubleOptions {
  /** Added to every request before it is handled. */
  latencyMs?: number
  /** Registered tokens: token → repo → level (switches token checking on). */
  tokens?: Record<string, Record<string, Level>>
  /** Enforce this many requests per token and resource (403 when exceeded). Default: not enforced, headers show 5000. */
  rateLimit?: number
  /** Web URL in html_url fields. Default 'https://github.com'. */
  serverUrl?: string
  /** Clock for commit and PR dates. */
  now?: () => Date
}

export interface GitHubDouble {
  /** For GITHUB_API_URL: `http://127.0.0.1:PORT`. */
  readonly url: string
  /** GHES-style base: `${url}/api/v3` (GraphQL at `${url}/api/graphql`). */
  readonly ghesUrl: string
  readonly port: number
  readonly state: DoubleState
  readonly log: RequestLog
  readonly faults: Faults
  /** Run `fn` before each write request is handled (after auth), at most `times` times; returns a remover. */
  onBeforeWrite(
    fn: (event: WriteEvent) => void | Promise<void>,
    options?: { times?: number }
  ): () => void
  /** Stop listening and destroy every connection. */
  close(): Promise<void>
}

export declare function startGitHubDouble(options?: GitHubDoubleOptions): Promise<GitHubDouble>

/** Every route the double serves. */
export declare const SERVED_ROUTES: readonly {
  readonly method: string
  readonly template: string
}[]

/** A request that can change something: not GET/HEAD, not a GraphQL query. */
export declare function isWrite(entry: LogEntry): boolean

/** Git's object id: SHA-1 of `<type> <size>\0<content>`. */
export declare function hashObject(type: 'blob' | 'tree' | 'commit', content: Buffer): string

/** Files larger than this (1 MiB) come back from the contents API without inline content. */
export declare const INLINE_LIMIT: number
