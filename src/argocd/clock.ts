/**
 * Time for the Argo CD phase, injectable so tests run a five-minute wait in milliseconds,
 * and the backoff schedule between polls.
 */

export interface Clock {
  /** Milliseconds on some monotonic-enough scale; only differences are used. */
  now(): number
  sleep(ms: number): Promise<void>
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: ms => new Promise(resolve => setTimeout(resolve, ms))
}

export const FIRST_DELAY_MS = 1000
export const MAX_DELAY_MS = 10_000

/** 1 s, 2 s, 4 s, 8 s, then 10 s: quick for a fast sync, gentle on the API server after. */
export function backoffDelay(attempt: number): number {
  return Math.min(FIRST_DELAY_MS * 2 ** Math.min(attempt, 20), MAX_DELAY_MS)
}

/**
 * Sleep for the attempt's delay, but not past the deadline. Returns false (without
 * sleeping) when the deadline has already passed.
 */
export async function pause(clock: Clock, attempt: number, deadline: number): Promise<boolean> {
  const left = deadline - clock.now()
  if (left <= 0) return false
  await clock.sleep(Math.min(backoffDelay(attempt), left))
  return true
}
