/**
 * The Octokit the GitHub adapters use: `@actions/github`'s client (proxy-aware fetch,
 * REST methods, pagination) with `@octokit/plugin-retry` and `@octokit/plugin-throttling`,
 * a per-request timeout, jittered backoff between retries and a debug line per HTTP call.
 *
 * Who retries what:
 * - 5xx, network errors and timeouts: the retry plugin (`retries` times); the wait before
 *   each re-sent request is ours (`backoffDelay`), jittered and capped.
 * - Rate limits (403/429 that GitHub marks as primary or secondary limits): the throttling
 *   plugin, honouring `retry-after` / `x-ratelimit-reset`, up to `throttle.retries` times and
 *   only while the wait is at most `throttle.maxWaitSeconds`. A 403/429 with `retry-after`
 *   (or a bare 429) that the plugin does not recognise gets the same policy from us.
 * - 400, 401, 403, 404, 409, 410, 422, 429, 451: never by the retry plugin, so our own
 *   concurrency logic sees 409/422 and a 4xx is reported at once with a hint.
 *
 * Everything tunable is a parameter (the caller reads the environment), so tests can shrink
 * every delay. The token is only handed to Octokit; no message here mentions it.
 */
import { GitHub, defaults, getOctokitOptions } from '@actions/github/lib/utils'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import type { Octokit } from '@octokit/core'
import { HandoffError } from '../errors.js'

/** Where the adapters write their diagnostics (core.debug / core.warning in the action). */
export interface ApiLog {
  debug(message: string): void
  warning(message: string): void
}

export interface RetrySettings {
  /** Re-sends after a 5xx, a network error or a timeout. */
  readonly retries: number
  /** First backoff; doubles per attempt, jittered to 50–100 %. */
  readonly minDelayMs: number
  /** Cap of one backoff wait. */
  readonly maxDelayMs?: number
}

export interface ThrottleSettings {
  /** Re-sends after a rate-limit answer. */
  readonly retries: number
  /** Milliseconds waited per second of `retry-after` (1000 in production; tests shrink it). */
  readonly msPerSecond: number
  /** A rate limit that asks for a longer wait than this is reported instead of waited out. */
  readonly maxWaitSeconds: number
  /** Spacing of content-creating requests (GitHub asks for about one second). */
  readonly writeSpacingMs: number
  /** Spacing of requests that notify people (PR creation, review requests). */
  readonly notificationSpacingMs: number
}

export interface ClientOptions {
  readonly token: string
  /** REST API root, e.g. `https://ghe.example.com/api/v3`; default `https://api.github.com`. */
  readonly baseUrl?: string
  readonly retry?: Partial<RetrySettings>
  readonly throttle?: Partial<ThrottleSettings>
  /** Abort one HTTP request after this long (it then counts as a transient failure). */
  readonly requestTimeoutMs?: number
  readonly log: ApiLog
}

export const DEFAULT_BASE_URL = 'https://api.github.com'

export const DEFAULT_RETRY: Required<RetrySettings> = {
  retries: 3,
  minDelayMs: 1000,
  maxDelayMs: 30_000
}

export const DEFAULT_THROTTLE: ThrottleSettings = {
  retries: 3,
  msPerSecond: 1000,
  maxWaitSeconds: 120,
  writeSpacingMs: 1000,
  notificationSpacingMs: 3000
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000

/** Statuses the retry plugin must leave alone (429 and secondary limits: throttling's job). */
export const DO_NOT_RETRY = [400, 401, 403, 404, 409, 410, 422, 429, 451]

/**
 * Wait before re-send number `attempt` (1-based): exponential from `minDelayMs`, capped at
 * `maxDelayMs`, scaled by a factor in [0.5, 1) so parallel runs do not retry in lockstep.
 */
export function backoffDelay(
  attempt: number,
  settings: Required<RetrySettings>,
  random: () => number = Math.random
): number {
  const exponential = settings.minDelayMs * 2 ** Math.max(0, attempt - 1)
  const capped = Math.min(settings.maxDelayMs, exponential)
  return Math.round(capped * (0.5 + random() / 2))
}

export function createClient(options: ClientOptions) {
  if (options.token.trim() === '') {
    throw new HandoffError('BAD_CREDENTIALS', 'The GitHub token is empty.', {
      hint: 'Pass a token in the `token` input; a secret that does not exist in this repository or environment expands to an empty string.',
      input: 'token'
    })
  }
  const retrySettings = { ...DEFAULT_RETRY, ...options.retry }
  const throttle = { ...DEFAULT_THROTTLE, ...options.throttle }
  const baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '')
  const Client = GitHub.plugin(
    unflaggedLimits(throttle, options.log),
    pacing(retrySettings),
    retry,
    throttling,
    scrubbing(options.token.trim())
  )
  return new Client(
    getOctokitOptions(options.token, {
      baseUrl,
      userAgent: 'gitops-handoff',
      log: octokitLog(options.log),
      request: {
        fetch: timedFetch(options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, options.log)
      },
      retry: { retries: retrySettings.retries, doNotRetry: DO_NOT_RETRY, retryAfterBaseValue: 0 },
      throttle: throttleOptions(throttle, options.log)
    })
  )
}

export type GitHubClient = ReturnType<typeof createClient>

/**
 * Errors that quote the token (a proxy dumping the request, a message quoting a URL with
 * credentials) get it replaced by `***` before any caller reads them. errors.ts masks known
 * token formats by pattern; this masks the exact value, whatever its format (older `v1.`
 * installation tokens, GHES or proxy tokens). Outermost plugin: it sees what callers get.
 */
function scrubbing(token: string): Plugin {
  return octokit => {
    octokit.hook.wrap('request', async (request, options) => {
      try {
        return await request(options)
      } catch (error) {
        throw scrubToken(error, token)
      }
    })
  }
}

/** Shorter values are no credential, and replacing them would garble messages. */
const MIN_SCRUBBED_LENGTH = 8

/** The error with every occurrence of `token` in its message, causes and answer body masked. */
export function scrubToken(error: unknown, token: string): unknown {
  if (token.length < MIN_SCRUBBED_LENGTH) return error
  const scrub = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') return value.replaceAll(token, '***')
    if (depth > 20 || value === null || typeof value !== 'object') return value
    if (Array.isArray(value)) return value.map(item => scrub(item, depth + 1))
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, scrub(item, depth + 1)])
    )
  }
  let current: unknown = error
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    current.message = current.message.replaceAll(token, '***')
    const failure = current as Error & { response?: { data?: unknown } }
    if (failure.response && typeof failure.response === 'object')
      failure.response = { ...failure.response, data: scrub(failure.response.data, 0) }
    current = current.cause
  }
  return error
}

/** Octokit's own messages (deprecations, plugin warnings) go to the same log. */
function octokitLog(log: ApiLog) {
  const debug = (message: string) => log.debug(message)
  const warn = (message: string) => log.warning(message)
  return { debug, info: debug, warn, error: warn }
}

type Fetch = typeof globalThis.fetch

/**
 * The proxy-aware fetch of `@actions/github` (its dispatcher honours HTTPS_PROXY/NO_PROXY for
 * GITHUB_API_URL), with a deadline per request and one debug line per HTTP exchange: method,
 * path, status, duration. Never headers, never bodies.
 */
function timedFetch(timeoutMs: number, log: ApiLog): Fetch {
  const inner = (defaults.request?.fetch ?? globalThis.fetch) as Fetch
  return async (input, init) => {
    const deadline = AbortSignal.timeout(timeoutMs)
    const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline
    const method = init?.method ?? 'GET'
    const shown = pathOf(input)
    const started = Date.now()
    try {
      const response = await inner(input, { ...init, signal })
      log.debug(`${method} ${shown} → ${response.status} (${Date.now() - started} ms)`)
      return response
    } catch (error) {
      const reason = deadline.aborted ? `timed out after ${timeoutMs} ms` : describe(error)
      log.debug(`${method} ${shown} → ${reason} (${Date.now() - started} ms)`)
      throw deadline.aborted
        ? new Error(`request timed out after ${timeoutMs} ms`, { cause: error })
        : error
    }
  }
}

function pathOf(input: string | URL | Request): string {
  const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url)
  return `${url.pathname}${url.search}`
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : ''
  return `${error.message}${cause}`
}

type Plugin = (octokit: Octokit) => void

/**
 * Waits `backoffDelay` before a re-sent request. It sits inside the retry plugin's loop (so
 * it sees every attempt of one request) and skips the wait after a rate-limit answer, which
 * the throttling plugin has already waited out.
 */
function pacing(settings: Required<RetrySettings>): Plugin {
  return octokit => {
    const attempts = new WeakMap<object, { count: number; lastStatus?: number }>()
    octokit.hook.wrap('request', async (request, options) => {
      const seen = attempts.get(options) ?? { count: 0 }
      attempts.set(options, seen)
      seen.count += 1
      if (seen.count > 1 && !isRateLimitStatus(seen.lastStatus)) {
        await sleep(backoffDelay(seen.count - 1, settings))
      }
      try {
        return await request(options)
      } catch (error) {
        seen.lastStatus = (error as { status?: number }).status
        throw error
      }
    })
  }
}

function isRateLimitStatus(status: number | undefined): boolean {
  return status === 403 || status === 429
}

/**
 * Rate limits the throttling plugin lets through: it needs "secondary rate" in the message or
 * `x-ratelimit-remaining: 0`, but GitHub's older wording ("abuse detection", still sent by
 * some GHES versions) and proxies in front of GHES answer 403/429 with only `retry-after`, or
 * a bare 429. GitHub asks clients to wait `retry-after` seconds (one minute when absent) on
 * these too. Innermost plugin: it re-sends the one request and leaves the rest alone.
 */
function unflaggedLimits(settings: ThrottleSettings, log: ApiLog): Plugin {
  const decide = waitOrGiveUp(settings, log, 'Rate limit')
  return octokit => {
    octokit.hook.wrap('request', async (request, options) => {
      for (let retryCount = 0; ; retryCount++) {
        try {
          return await request(options)
        } catch (error) {
          const wait = unflaggedWaitSeconds(error)
          const info = { method: options.method, url: options.url }
          if (wait === undefined || !decide(wait, info, octokit, retryCount)) throw error
          await sleep(wait * settings.msPerSecond)
        }
      }
    })
  }
}

/** Seconds to wait for a 403/429 rate limit the throttling plugin does not handle, if it is one. */
export function unflaggedWaitSeconds(error: unknown): number | undefined {
  const failure = error as {
    status?: unknown
    message?: unknown
    response?: { headers?: Record<string, string | undefined> }
  }
  if (failure.status !== 403 && failure.status !== 429) return undefined
  const headers = failure.response?.headers ?? {}
  const flagged =
    /\bsecondary rate\b/i.test(String(failure.message ?? '')) ||
    headers['x-ratelimit-remaining'] === '0'
  if (flagged) return undefined
  const after = headers['retry-after']
  if (after !== undefined && /^\d+$/.test(after.trim())) return Number(after)
  return failure.status === 429 ? FALLBACK_RETRY_AFTER_SECONDS : undefined
}

/** GitHub: "If the retry-after response header is not present … wait for at least one minute". */
const FALLBACK_RETRY_AFTER_SECONDS = 60

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms))
}

interface LimitInfo {
  method: string
  url: string
}

/** Whether to wait out a rate limit (logged either way): within the retries and the maximum wait. */
function waitOrGiveUp(settings: ThrottleSettings, log: ApiLog, kind: string) {
  return (retryAfter: number, info: LimitInfo, _octokit: unknown, retryCount: number) => {
    const what = `${kind} on ${info.method} ${info.url}`
    if (retryCount >= settings.retries) {
      log.warning(`${what}: giving up after ${retryCount} retries.`)
      return false
    }
    if (retryAfter > settings.maxWaitSeconds) {
      log.warning(
        `${what}: GitHub asks to wait ${retryAfter} s, more than ${settings.maxWaitSeconds} s; giving up.`
      )
      return false
    }
    log.warning(
      `${what}: retrying in ${retryAfter} s (retry ${retryCount + 1} of ${settings.retries}).`
    )
    return true
  }
}

function throttleOptions(settings: ThrottleSettings, log: ApiLog) {
  const decide = (kind: string) => waitOrGiveUp(settings, log, kind)
  return {
    // A fresh id per client: the plugin's shared limiters are keyed by it, so two clients
    // (or two tests) do not queue behind each other.
    id: `gitops-handoff-${(clientCount += 1)}`,
    retryAfterBaseValue: settings.msPerSecond,
    fallbackSecondaryRateRetryAfter: FALLBACK_RETRY_AFTER_SECONDS,
    write: spacedGroup(settings.writeSpacingMs),
    notifications: spacedGroup(settings.notificationSpacingMs),
    onRateLimit: decide('Rate limit'),
    onSecondaryRateLimit: decide('Secondary rate limit')
  } as unknown as NonNullable<ConstructorParameters<typeof GitHub>[0]>['throttle']
}

let clientCount = 0

/**
 * Stand-in for the plugin's Bottleneck groups that space requests: the plugin only calls
 * `group.key(id).schedule(options, task)`. Its own groups have fixed 1 s / 3 s spacings; ours
 * take the spacing as a parameter (tests use 0). One queue per client.
 */
function spacedGroup(spacingMs: number) {
  let nextStart = 0
  const limiter = {
    async schedule<T>(
      _options: unknown,
      task: (...args: unknown[]) => T,
      ...args: unknown[]
    ): Promise<Awaited<T>> {
      const now = Date.now()
      const start = Math.max(now, nextStart)
      nextStart = start + spacingMs
      if (start > now) await sleep(start - now)
      return await task(...args)
    }
  }
  return { key: () => limiter }
}
