/**
 * Jittered exponential backoff between attempts when the branch moved under us. "Full
 * jitter": concurrent pipelines that collided once spread out instead of colliding again.
 */

export interface BackoffPolicy {
  readonly baseMs: number
  readonly maxMs: number
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 250, maxMs: 4000 }

/** Delay before attempt `attempt + 1` (attempt is 1-based), given a random number in [0, 1). */
export function backoffDelay(
  attempt: number,
  random: number,
  policy: BackoffPolicy = DEFAULT_BACKOFF
): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1))
  return Math.round(ceiling / 2 + (random * ceiling) / 2)
}
