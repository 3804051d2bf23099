/** IETF `RateLimit-Policy` / `RateLimit` headers, named and shaped as monday.com sends them. */
import type { ComplexityBudget } from './complexity-budget.ts';
import type { RequestLimits } from './request-limits.ts';

/** The policy names monday uses (API reference "Rate limits", rate limit headers). */
export type RateLimitPolicy = 'minuteRate' | 'concurrency' | 'complexityMinute';

/** The policy a 429 error code reports as exceeded, or null for any other code. */
export function exceededPolicy(code: string | undefined): RateLimitPolicy | null {
  if (code === 'MINUTE_RATE_LIMIT_EXCEEDED') return 'minuteRate';
  if (code === 'MAX_CONCURRENCY_EXCEEDED') return 'concurrency';
  if (code === 'COMPLEXITY_BUDGET_EXHAUSTED') return 'complexityMinute';
  return null;
}

/**
 * Both headers at `now`. `t` (seconds to reset) is sent only for a policy that is exceeded: the one
 * named by `exceeded`, or one with nothing left. The `qu` unit names are not spelled out on monday's
 * "Rate limits" page; the emulator uses the IETF draft's "requests" / "concurrent-requests" and
 * "complexity-points" for the complexity budget.
 */
export function rateLimitHeaders(limits: RequestLimits, budget: ComplexityBudget, now: number, exceeded: RateLimitPolicy | null): Record<string, string> {
  const windowSeconds = Math.ceil(budget.windowMs / 1000);
  const policy = [
    `"minuteRate";q=${limits.perWindow};w=${windowSeconds};qu="requests"`,
    `"concurrency";q=${limits.maxConcurrency};qu="concurrent-requests"`,
    `"complexityMinute";q=${budget.points};w=${windowSeconds};qu="complexity-points"`,
  ];
  const entry = (name: RateLimitPolicy, remaining: number, resetSeconds: number): string =>
    exceeded === name || remaining <= 0 ? `"${name}";r=${remaining};t=${resetSeconds}` : `"${name}";r=${remaining}`;
  const state = [
    entry('minuteRate', limits.windowRemaining(now), limits.windowResetSeconds(now)),
    // A concurrency slot frees as soon as a request ends; one second is the honest upper bound to give.
    entry('concurrency', Math.max(0, limits.maxConcurrency - limits.inFlight), 1),
    entry('complexityMinute', budget.remaining(now), budget.resetInSeconds(now)),
  ];
  return { 'RateLimit-Policy': policy.join(', '), RateLimit: state.join(', ') };
}
