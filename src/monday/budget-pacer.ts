import { isRecord } from './read-graphql-body.ts';

/** The `complexity { before after query reset_in_x_seconds }` object monday returns. */
export interface ComplexityReading {
  before: number;
  after: number;
  query: number;
  resetInSeconds: number;
}

/** Clock and sleep the pacer waits with (injectable for tests). */
export interface PacerClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

// reset_in_x_seconds is whole seconds (rounded up): every reading is an upper bound of the reset,
// so the tightest one of a window is kept, and we wake a little after it, not on its edge.
const RESET_MARGIN_MS = 100;
const MAX_REMEMBERED_READS = 256;

/**
 * Tracks monday's complexity budget from responses and holds a request back until the budget
 * resets when its estimated cost exceeds what is left, so a long sync runs at the budget's pace
 * instead of bouncing off 429s.
 */
export class BudgetPacer {
  #remaining: number | null = null;
  #limit: number | null = null;
  #resetAt: number | null = null;
  /** Tightest upper bound of the current window's reset seen so far. */
  #windowBound: number | null = null;
  #reserved = 0;
  #perMutation: number | null = null;
  readonly #readCosts = new Map<string, number>();
  readonly #clock: PacerClock;
  readonly #defaultMutationCost: number;

  constructor(clock: PacerClock, defaultMutationCost: number) {
    this.#clock = clock;
    this.#defaultMutationCost = defaultMutationCost;
  }

  /** Estimated cost of a mutation request with `count` mutations (last observed cost per mutation). */
  estimateMutations(count: number): number {
    return count * (this.#perMutation ?? this.#defaultMutationCost);
  }

  /** Estimated cost of a read: what the same document cost last time, else 0 (unknown). */
  estimateRead(documentKey: string): number {
    return this.#readCosts.get(documentKey) ?? 0;
  }

  /** Records a `complexity` reading; `mutations` > 0 updates the per-mutation cost. */
  observe(reading: ComplexityReading, options: { mutations?: number; documentKey?: string } = {}): void {
    const now = this.#clock.now();
    this.#remaining = reading.after;
    this.#limit = Math.max(this.#limit ?? 0, reading.before, reading.after);
    const bound = now + reading.resetInSeconds * 1000;
    this.#windowBound = this.#windowBound !== null && now < this.#windowBound ? Math.min(this.#windowBound, bound) : bound;
    this.#resetAt = this.#windowBound + RESET_MARGIN_MS;
    if (options.mutations && options.mutations > 0 && reading.query > 0) {
      this.#perMutation = reading.query / options.mutations;
    }
    if (options.documentKey && reading.query > 0) {
      // Read documents are static templates, but bound the memory anyway.
      if (this.#readCosts.size >= MAX_REMEMBERED_READS) this.#readCosts.delete(this.#readCosts.keys().next().value as string);
      this.#readCosts.set(options.documentKey, reading.query);
    }
  }

  /** How many mutations fit into one window's budget at the estimated cost (Infinity while the budget is unknown). */
  maxMutationsPerRequest(): number {
    const perMutation = this.#perMutation ?? this.#defaultMutationCost;
    if (this.#limit === null || perMutation <= 0) return Infinity;
    return Math.max(1, Math.floor(this.#limit / perMutation));
  }

  /** Records budget info from `RateLimit` headers (used only when the body had no complexity). */
  observeHeaders(headers: Headers): void {
    const reading = readComplexityHeader(headers);
    if (reading === null) return;
    this.#remaining = reading.remaining;
    this.#resetAt = this.#clock.now() + reading.resetInSeconds * 1000 + RESET_MARGIN_MS;
    if (reading.limit !== null) this.#limit = Math.max(this.#limit ?? 0, reading.limit);
  }

  /** Records a budget-exhausted 429: nothing is left until `waitMs` from now. */
  observeExhausted(waitMs: number): void {
    this.#remaining = 0;
    this.#resetAt = this.#clock.now() + waitMs;
  }

  /** The budget of a whole window, as far as responses have shown it (null while unknown). */
  limit(): number | null {
    return this.#limit;
  }

  /** Milliseconds until the known budget window resets, or null when unknown. */
  msUntilReset(): number | null {
    return this.#resetAt === null ? null : Math.max(0, this.#resetAt - this.#clock.now());
  }

  /**
   * Waits until `estimate` fits into the remaining budget (less what in-flight requests
   * reserved), then reserves it. Returns the milliseconds waited and a release function.
   */
  async acquire(estimate: number, signal?: AbortSignal): Promise<{ waitedMs: number; release: () => void }> {
    let waitedMs = 0;
    for (;;) {
      const now = this.#clock.now();
      if (this.#resetAt !== null && now >= this.#resetAt) {
        // A new window: the full budget again (and no known reset until the next response).
        this.#remaining = this.#limit;
        this.#resetAt = null;
      }
      const resetAt = this.#resetAt;
      const remaining = this.#remaining;
      if (estimate <= 0 || remaining === null || resetAt === null || estimate <= remaining - this.#reserved) break;
      const waitMs = Math.max(1, resetAt - now);
      await this.#clock.sleep(waitMs, signal);
      waitedMs += waitMs;
    }
    this.#reserved += estimate;
    let released = false;
    return {
      waitedMs,
      release: () => {
        if (released) return;
        released = true;
        this.#reserved -= estimate;
      },
    };
  }
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
function readComplexityHeader(
  headers: Headers,
): { remaining: number; resetInSeconds: number; limit: number | null } | null {
  const current = findComplexityItem(headers.get('ratelimit'));
  if (current === null) return null;
  const remaining = Number(current.get('r'));
  const resetInSeconds = Number(current.get('t') ?? '60');
  if (!Number.isFinite(remaining) || !Number.isFinite(resetInSeconds)) return null;
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
