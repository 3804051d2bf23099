/** Reading monday's complexity budget from a response: the `complexity` field, or `RateLimit` headers. */
import { isRecord } from './read-graphql-body.ts';

/** The `complexity { before after query reset_in_x_seconds }` object monday returns (API reference "Complexity"). */
export interface ComplexityReading {
  before: number;
  after: number;
  query: number;
  resetInSeconds: number;
}

/** Reads `complexity` from a response's data, or null when it is absent or malformed. */
export function readComplexity(data: Record<string, unknown> | null): ComplexityReading | null {
  const raw = data?.complexity;
  if (!isRecord(raw)) return null;
  const { before, after, query, reset_in_x_seconds: resetIn } = raw;
  if (typeof after !== 'number' || typeof resetIn !== 'number') return null;
  return {
    before: typeof before === 'number' ? before : after,
    after,
    query: typeof query === 'number' ? query : 0,
    resetInSeconds: resetIn,
  };
}

// IETF draft structured fields: `RateLimit: "complexity";r=4800000;t=33` and
// `RateLimit-Policy: "complexity";q=5000000;w=60`. Only a policy named for complexity is budget.
// `t` comes only with a policy that is exhausted (API reference "Rate limits"): no `t`, no known reset.
/** Reads the complexity entry of `RateLimit` / `RateLimit-Policy` headers, or null when there is none. */
export function readComplexityHeader(
  headers: Headers,
): { remaining: number; resetInSeconds: number | null; limit: number | null } | null {
  const current = findComplexityItem(headers.get('ratelimit'));
  if (current === null) return null;
  const remaining = Number(current.get('r'));
  const reset = current.get('t');
  const resetInSeconds = reset === undefined ? null : Number(reset);
  if (!Number.isFinite(remaining) || (resetInSeconds !== null && !Number.isFinite(resetInSeconds))) return null;
  const policy = findComplexityItem(headers.get('ratelimit-policy'));
  const quota = policy === null ? NaN : Number(policy.get('q'));
  return { remaining, resetInSeconds, limit: Number.isFinite(quota) ? quota : null };
}

function findComplexityItem(header: string | null): Map<string, string> | null {
  if (header === null) return null;
  for (const item of header.split(',')) {
    const [name = '', ...params] = item.split(';').map((part) => part.trim());
    if (!/complexity/i.test(name)) continue;
    return new Map(
      params.map((param) => {
        const [key = '', value = ''] = param.split('=');
        return [key.trim().toLowerCase(), value.trim().replace(/^"|"$/g, '')] as [string, string];
      }),
    );
  }
  return null;
}
