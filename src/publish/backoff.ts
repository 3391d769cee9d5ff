/**
 * Jittered exponential backoff between attempts when the branch moved under us. The jitter
 * is wide (20–100 % of the ceiling) so that pipelines which collided once spread out instead
 * of colliding again: with 20 writers to one file, every one lands within the default five
 * attempts (bench/ measures this).
 */

export interface BackoffPolicy {
  readonly baseMs: number
  readonly maxMs: number
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 8000 }

/** Delay before attempt `attempt + 1` (attempt is 1-based), given a random number in [0, 1). */
export function backoffDelay(
  attempt: number,
  random: number,
  policy: BackoffPolicy = DEFAULT_BACKOFF
): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1))
  return Math.round(ceiling * (0.2 + 0.8 * random))
}
