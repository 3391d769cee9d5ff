/**
 * The one place where a failed GitHub call becomes a HandoffError: status + GitHub's own
 * message → a stable code, a message that quotes GitHub, and a hint that says what to do.
 * Nothing here echoes request headers; text that looks like a credential is masked.
 */
import { HandoffError, quote, toHandoffError, type ErrorCode } from '../errors.js'

/** What was being done when the call failed; it names the call in the message. */
export interface ErrorContext {
  /** A verb phrase: "read the file", "create the pull request". */
  readonly action: string
  /** `owner/name`. */
  readonly repo: string
  readonly branch?: string
  readonly path?: string
}

/** The parts of a failed call that classification looks at. */
export interface Answer {
  /** `network`: no answer arrived (connection error, timeout). */
  readonly kind: 'http' | 'graphql' | 'network'
  /** HTTP status (GraphQL FORBIDDEN / NOT_FOUND read as 403 / 404); undefined for `network`. */
  readonly status?: number
  /** GitHub's `message` (or the network error's reason). */
  readonly message: string
  /** GitHub's `errors[]`, each as one line. */
  readonly details: readonly string[]
  readonly headers: Readonly<Record<string, string | undefined>>
}

interface Rule {
  readonly code: ErrorCode
  readonly when: (answer: Answer) => boolean
  readonly hint: (answer: Answer, context: ErrorContext) => string
}

const PROTECTION =
  /protected branch|protected ref|repository rule violation|required status check|approving review|changes must be made through a pull request|GH006|GH013/i

const RATE_LIMIT = /rate limit/i

const ABUSE = /abuse detection/i

const PR_NOT_PERMITTED = /not permitted to create or approve pull requests/i

const SAML = /SAML enforcement|single sign-on|SSO/

const textOf = (answer: Answer) => [answer.message, ...answer.details].join('\n')

const RULES: readonly Rule[] = [
  {
    code: 'NETWORK_ERROR',
    when: answer => answer.kind === 'network',
    hint: () =>
      'GitHub could not be reached (transient failures were already retried). Check the API URL (GITHUB_API_URL on GitHub Enterprise Server), the runner’s network and proxy settings (HTTPS_PROXY, NO_PROXY), and https://www.githubstatus.com; then re-run the job.'
  },
  {
    code: 'BAD_CREDENTIALS',
    when: answer => answer.status === 401,
    hint: () =>
      'GitHub did not accept the token: it is empty, expired or revoked. Pass a valid token in the `token` input (a secret that is not defined for this repository or environment expands to an empty string; a GitHub App token expires after one hour).'
  },
  {
    code: 'PR_NOT_PERMITTED',
    when: answer => answer.status === 403 && PR_NOT_PERMITTED.test(textOf(answer)),
    hint: (_answer, context) =>
      `Allow it in ${context.repo}: Settings → Actions → General → Workflow permissions → "Allow GitHub Actions to create and approve pull requests" (the organization's Actions settings can override this and must allow it too), or use a fine-grained PAT or a GitHub App token instead of GITHUB_TOKEN.`
  },
  {
    code: 'RATE_LIMITED',
    // A 429 is a rate limit by definition; a 403 is one when GitHub says so, in its current or
    // older ("abuse detection") wording, or asks to wait with retry-after.
    when: answer =>
      answer.status === 429 ||
      (answer.status === 403 &&
        (RATE_LIMIT.test(answer.message) ||
          ABUSE.test(answer.message) ||
          answer.headers['x-ratelimit-remaining'] === '0' ||
          answer.headers['retry-after'] !== undefined)),
    hint: answer =>
      `GitHub's API rate limit for this token is used up${resetTime(answer)} (waits GitHub asked for were already honoured). Re-run later, run fewer jobs at once, or use a GitHub App installation token, which has a higher limit.`
  },
  {
    code: 'BRANCH_PROTECTED',
    when: answer => [403, 409, 422].includes(answer.status ?? 0) && PROTECTION.test(textOf(answer)),
    hint: (_answer, context) =>
      `${context.branch ? `Branch ${quote(context.branch)}` : 'The branch'} of ${context.repo} is protected by a branch protection rule or ruleset (pull requests, reviews or status checks required). Use \`mode: pull-request\`, or add the GitHub App or the token's user to the rule's bypass list.`
  },
  {
    code: 'PERMISSION_DENIED',
    when: answer => answer.status === 403 && SAML.test(textOf(answer)),
    hint: (_answer, context) =>
      `The organization that owns ${context.repo} enforces SAML single sign-on, and this token is not authorized for it. Authorize the personal access token for the organization (Settings → Developer settings → the token → Configure SSO), or use a GitHub App token.`
  },
  {
    code: 'PERMISSION_DENIED',
    when: answer => answer.status === 403,
    hint: (_answer, context) =>
      `The token may not do this in ${context.repo}. It needs \`contents: write\` on the manifest repository (and \`pull-requests: write\` for \`mode: pull-request\`); set them in the workflow's \`permissions:\`. The workflow's GITHUB_TOKEN can only write its own repository: for another repository use a fine-grained PAT or a GitHub App token with Contents (and Pull requests) read and write on it.`
  },
  {
    code: 'NOT_FOUND',
    when: answer => answer.status === 404,
    hint: (_answer, context) =>
      `Check the spelling of ${lookedUp(context)}. GitHub answers 404 (not 403) when the token cannot see a private repository: the workflow's GITHUB_TOKEN sees only its own repository, so for another one use a fine-grained PAT or a GitHub App token that can read it.`
  },
  {
    code: 'VALIDATION_FAILED',
    when: answer => answer.status === 422,
    hint: () =>
      'GitHub refused the request as invalid; its message above says which value. Fix that value and re-run.'
  },
  {
    code: 'CONFLICT',
    when: answer => answer.status === 409,
    hint: answer =>
      /repository is empty/i.test(answer.message)
        ? 'The repository has no commits yet: push an initial commit to it first.'
        : 'The repository changed while this request was made. Re-run the job.'
  },
  {
    code: 'GITHUB_ERROR',
    when: () => true,
    hint: answer =>
      (answer.status ?? 0) >= 500
        ? 'GitHub failed on its side (the request was already retried). Check https://www.githubstatus.com and re-run the job.'
        : 'GitHub refused the request; its message above says why.'
  }
]

/**
 * Map a failed GitHub call to a HandoffError. A HandoffError passes through; a throw that is
 * not an HTTP or network failure (a bug) becomes INTERNAL rather than a misleading code.
 */
export function classify(error: unknown, context: ErrorContext): HandoffError {
  if (error instanceof HandoffError) return error
  const answer = answerOf(error)
  if (answer === undefined) return toHandoffError(error)
  const rule = RULES.find(candidate => candidate.when(answer)) ?? RULES[RULES.length - 1]
  return new HandoffError(rule.code, messageOf(answer, context), {
    hint: rule.hint(answer, context),
    status: answer.status
  })
}

/**
 * Read status, GitHub's message, `errors[]` and headers from Octokit's errors: RequestError
 * (REST, and GraphQL HTTP failures), GraphqlResponseError (200 with `errors[]`), and fetch
 * failures, which Octokit wraps as a status-500 RequestError without a response. Undefined
 * for anything else.
 */
export function answerOf(error: unknown): Answer | undefined {
  if (!(error instanceof Error)) return undefined
  const failure = error as Error & {
    status?: unknown
    response?: { data?: unknown; headers?: Record<string, string | undefined> }
    errors?: unknown
  }
  if (typeof failure.status !== 'number' && Array.isArray(failure.errors))
    return graphqlAnswer(failure.errors)
  if (isNetworkFailure(failure)) {
    return { kind: 'network', message: networkReason(error), details: [], headers: {} }
  }
  if (typeof failure.status !== 'number' || failure.response === undefined) return undefined
  const data = (failure.response.data ?? {}) as { message?: unknown; errors?: unknown }
  const message = typeof data.message === 'string' ? data.message : String(failure.message ?? '')
  return {
    kind: 'http',
    status: failure.status,
    message: redact(message.trim()),
    details: detailsOf(data.errors).map(redact),
    headers: failure.response.headers ?? {}
  }
}

/** GraphQL answers 200 with `errors[]`; FORBIDDEN / NOT_FOUND read like 403 / 404. */
function graphqlAnswer(errors: unknown[]): Answer {
  const items = errors as { type?: string; message?: string }[]
  const types = items.map(item => item.type)
  const status = types.includes('FORBIDDEN') ? 403 : types.includes('NOT_FOUND') ? 404 : 200
  const message = items.map(item => item.message ?? item.type ?? 'unknown error').join('; ')
  return { kind: 'graphql', status, message: redact(message), details: [], headers: {} }
}

function detailsOf(errors: unknown): string[] {
  if (!Array.isArray(errors)) return []
  return errors.map(item => {
    if (typeof item === 'string') return item
    const entry = (item ?? {}) as {
      message?: string
      resource?: string
      field?: string
      code?: string
    }
    if (entry.message) return entry.message
    return [entry.resource, entry.field, entry.code].filter(Boolean).join(' ')
  })
}

function isNetworkFailure(error: Error & { status?: unknown; response?: unknown }): boolean {
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return true
  if (error.name === 'TypeError' && error.message === 'fetch failed') return true
  return error.name === 'HttpError' && error.status === 500 && error.response === undefined
}

/** The reason a request got no answer: Octokit wraps the fetch error and keeps it as `cause`. */
function networkReason(error: unknown): string {
  const messages: string[] = []
  let current: unknown = error
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    if (!messages.includes(current.message)) messages.push(current.message)
    current = current.cause
  }
  return redact(messages.join(': ') || String(error))
}

function messageOf(answer: Answer, context: ErrorContext): string {
  return `Could not ${context.action} (${where(context)}): ${reasonOf(answer)}.`
}

/**
 * What GitHub said, for messages and warnings: `GitHub answered 422 "Validation Failed"
 * ("…")`, `GitHub answered "…"` (GraphQL) or `no answer from GitHub: …`.
 */
export function describeFailure(error: unknown): string {
  const answer = answerOf(error)
  if (answer !== undefined) return reasonOf(answer)
  return redact(error instanceof Error ? error.message : String(error))
}

function reasonOf(answer: Answer): string {
  if (answer.kind === 'network') return `no answer from GitHub: ${answer.message}`
  if (answer.kind === 'graphql') return `GitHub answered ${quote(answer.message)}`
  const details = answer.details.length > 0 ? ` (${answer.details.map(quote).join('; ')})` : ''
  return `GitHub answered ${answer.status} ${quote(answer.message)}${details}`
}

function where(context: ErrorContext): string {
  return [
    context.repo,
    context.branch === undefined ? undefined : `branch ${quote(context.branch)}`,
    context.path === undefined ? undefined : `path ${quote(context.path)}`
  ]
    .filter(Boolean)
    .join(', ')
}

function lookedUp(context: ErrorContext): string {
  const names = [`\`manifest-repo\` (${quote(context.repo)})`]
  if (context.branch !== undefined) names.push(`\`branch\` (${quote(context.branch)})`)
  if (context.path !== undefined) names.push(`\`path\` (${quote(context.path)})`)
  return names.join(', ')
}

function resetTime(answer: Answer): string {
  const reset = Number(answer.headers['x-ratelimit-reset'])
  if (Number.isFinite(reset) && reset > 0) return ` until ${new Date(reset * 1000).toISOString()}`
  const after = Number(answer.headers['retry-after'])
  return Number.isFinite(after) && after > 0 ? ` for the next ${after} s` : ''
}

const SECRETS: readonly RegExp[] = [
  /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g,
  /\b(authorization\s*["']?\s*[:=]\s*["']?)(?:(?:bearer|token|basic)\s+)?[^\s"',;]+/gi,
  /\b((?:bearer|token)\s+)[A-Za-z0-9._~+/=-]{20,}/gi
]

/** Mask anything that looks like a credential in text we echo (GitHub's or a network error's). */
export function redact(text: string): string {
  return SECRETS.reduce(
    (masked, pattern) =>
      masked.replace(pattern, (match, prefix?: string) => {
        return typeof prefix === 'string' && match.startsWith(prefix) ? `${prefix}***` : '***'
      }),
    text
  )
}
