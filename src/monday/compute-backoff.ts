/** Exponential backoff bounds: the first delay and the ceiling. */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

/**
 * Delay before retry number `retry` (1-based): `min(maxMs, baseMs·2^(retry-1))`, of which the
 * upper half is jittered so clients that failed together do not come back together.
 */
export function computeBackoffMs(retry: number, options: BackoffOptions, random: () => number): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, retry - 1));
  const jitter = Math.min(1, Math.max(0, random()));
  return Math.round(ceiling / 2 + (ceiling / 2) * jitter);
}
