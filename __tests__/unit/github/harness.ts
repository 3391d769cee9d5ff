/**
 * Shared setup of the GitHub adapter tests: a GitHub API double on 127.0.0.1, a client with
 * every delay shrunk, and a log that records what the adapters said.
 */
import {
  startGitHubDouble,
  type GitHubDouble,
  type GitHubDoubleOptions
} from '../../support/github-double.mjs'
import { createClient, type ClientOptions, type GitHubClient } from '../../../src/github/client.js'

/** An installation-style token: the double signs commits written with it (as GitHub does). */
export const TOKEN = 'ghs_TestTokenThatMustNeverBeShown0123456789'

export const REPO = { owner: 'acme', repo: 'deploy' }
export const FULL_NAME = 'acme/deploy'

export interface Harness {
  readonly double: GitHubDouble
  readonly octokit: GitHubClient
  readonly log: { debug(message: string): void; warning(message: string): void }
  readonly debugs: string[]
  readonly warnings: string[]
  close(): Promise<void>
}

/** Delays small enough for tests, large enough to be measured. */
export const FAST: Omit<ClientOptions, 'token' | 'log'> = {
  retry: { retries: 2, minDelayMs: 2, maxDelayMs: 10 },
  throttle: {
    retries: 2,
    msPerSecond: 20,
    maxWaitSeconds: 60,
    writeSpacingMs: 0,
    notificationSpacingMs: 0
  },
  requestTimeoutMs: 5000
}

export async function startHarness(
  options: { double?: GitHubDoubleOptions; client?: Partial<ClientOptions>; ghes?: boolean } = {}
): Promise<Harness> {
  const double = await startGitHubDouble(options.double)
  const debugs: string[] = []
  const warnings: string[] = []
  const log = {
    debug: (message: string) => void debugs.push(message),
    warning: (message: string) => void warnings.push(message)
  }
  const octokit = createClient({
    token: TOKEN,
    baseUrl: options.ghes ? double.ghesUrl : double.url,
    log,
    ...FAST,
    ...options.client
  })
  return { double, octokit, log, debugs, warnings, close: () => double.close() }
}

/** `METHOD template` of every request the double saw, in order. */
export function requests(double: GitHubDouble): string[] {
  return double.log.entries.map(entry => `${entry.method} ${entry.route ?? entry.path}`)
}

/** The thrown value of a promise that must fail. */
export async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected the call to fail, but it succeeded')
}
