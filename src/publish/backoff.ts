/**
 * Jittered exponential backoff between attempts when the branch moved under us.
 *
 * A writer loses when another write lands between its read and its write, so what spreads
 * racing pipelines apart is a wait of many such windows, not a fixed number of
 * milliseconds: the first ceiling is ten times the attempt that just lost (read → refused
 * write), at least 500 ms, and it triples per lost attempt, up to 30 s. The jitter is wide
 * (20–100 % of the ceiling) so that pipelines which collided once do not collide again.
 * With a fixed 500 ms base, 20 writers to one file on a slow or loaded link lost five
 * races in a row (bench/ measured 19 of 20 landing); scaled to the window, all land.
 */

export interface BackoffPolicy {
  /** Floor of the first ceiling. */
  readonly baseMs: number
  /** The first ceiling is at least this many times the duration of the lost attempt. */
  readonly attemptFactor: number
  /** Ceiling growth per lost attempt. */
  readonly growth: number
  /** Cap of one wait. */
  readonly maxMs: number
}

export const DEFAULT_BACKOFF: BackoffPolicy = {
  baseMs: 500,
  attemptFactor: 10,
  growth: 3,
  maxMs: 30_000
}

/**
 * Delay before attempt `attempt + 1` (attempt is 1-based), given a random number in [0, 1)
 * and how long the lost attempt took from its read to the refused write.
 */
export function backoffDelay(
  attempt: number,
  random: number,
  attemptMs = 0,
  policy: BackoffPolicy = DEFAULT_BACKOFF
): number {
  const first = Math.max(policy.baseMs, policy.attemptFactor * attemptMs)
  const ceiling = Math.min(policy.maxMs, first * policy.growth ** (attempt - 1))
  return Math.round(ceiling * (0.2 + 0.8 * random))
}
