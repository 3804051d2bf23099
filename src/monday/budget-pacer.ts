import { ComplexityWindow } from './complexity-window.ts';
import { readComplexityHeader, type ComplexityReading } from './read-complexity.ts';

/** Clock and sleep the pacer waits with (injectable for tests). */
export interface PacerClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** What the pacer assumes before responses show the real figures. */
export interface PacerEstimates {
  /** Cost of one mutation until a reading shows it. */
  mutationCost: number;
  /** Cost of a read whose document has not been answered yet. */
  readCost: number;
  /** Waking this long after the known reset absorbs jitter in the way to monday (ms). */
  resetMarginMs: number;
}

const MAX_REMEMBERED_READS = 256;

/**
 * Tracks monday's complexity budget from responses and holds a request back until the budget
 * resets when its estimated cost exceeds what is left, so a long sync runs at the budget's pace
 * instead of bouncing off 429s. It never sends into a window it knows to be spent: every request
 * costs at least one point, and a read it has not seen yet is costed at a conservative estimate.
 */
export class BudgetPacer {
  readonly #window = new ComplexityWindow();
  readonly #clock: PacerClock;
  readonly #estimates: PacerEstimates;
  #reserved = 0;
  #perMutation: number | null = null;
  readonly #readCosts = new Map<string, number>();

  constructor(clock: PacerClock, estimates: PacerEstimates) {
    this.#clock = clock;
    this.#estimates = estimates;
  }

  /** Estimated cost of a mutation request with `count` mutations (last observed cost per mutation). */
  estimateMutations(count: number): number {
    return Math.max(1, count * this.#costPerMutation());
  }

  /** Estimated cost of a read: what the same document cost last time, else the conservative first-read estimate. */
  estimateRead(documentKey: string): number {
    return Math.max(1, this.#readCosts.get(documentKey) ?? this.#estimates.readCost);
  }

  /**
   * Records a `complexity` reading of a request sent at `sentAt` and answered at `receivedAt`;
   * `mutations` > 0 updates the per-mutation cost, `documentKey` the read's cost.
   */
  observe(reading: ComplexityReading, options: { sentAt: number; receivedAt: number; mutations?: number; documentKey?: string }): void {
    this.#window.observe({ ...reading, sentAt: options.sentAt, receivedAt: options.receivedAt });
    if (options.mutations && options.mutations > 0 && reading.query > 0) {
      this.#perMutation = reading.query / options.mutations;
    }
    if (options.documentKey && reading.query > 0) {
      // Read documents are static templates, but bound the memory anyway.
      const oldest = this.#readCosts.keys().next();
      if (this.#readCosts.size >= MAX_REMEMBERED_READS && oldest.done !== true) this.#readCosts.delete(oldest.value);
      this.#readCosts.set(options.documentKey, reading.query);
    }
  }

  /** Records budget info from `RateLimit` headers of an answer received at `receivedAt` (used only when the body had no complexity). */
  observeHeaders(headers: Headers, receivedAt: number): void {
    const reading = readComplexityHeader(headers);
    if (reading === null) return;
    const resetAt = reading.resetInSeconds === null ? null : receivedAt + reading.resetInSeconds * 1000;
    this.#window.observeHeader(reading.remaining, resetAt, reading.limit);
  }

  /**
   * Records a budget-exhausted 429 for a request sent at `sentAt` and answered at `receivedAt`:
   * nothing is left for `waitMs`. `expected` says the pacer had let the request go as fitting: then
   * its send-time view of the reset was too early (or someone else spends the same budget), and
   * from now on readings count from their answers' arrival (safe, later).
   */
  observeExhausted(answer: { sentAt: number; receivedAt: number }, waitMs: number, expected: boolean): void {
    if (expected) this.#window.distrustSendTime();
    this.#window.exhausted(answer.sentAt, answer.receivedAt, waitMs);
  }

  /** Records a request whose answer was lost: it may have spent its estimate, so that much is assumed gone. */
  observeLost(estimate: number): void {
    this.#window.spend(estimate);
  }

  /** The budget of a whole window, as far as responses have shown it (null while unknown). */
  limit(): number | null {
    return this.#window.limit();
  }

  /** Milliseconds until the known budget window resets (with the wake margin), or null when unknown. */
  msUntilReset(): number | null {
    const endsAt = this.#window.endsAt();
    return endsAt === null ? null : Math.max(0, endsAt + this.#estimates.resetMarginMs - this.#clock.now());
  }

  /** How many mutations fit into one window's budget at the estimated cost (Infinity while the budget is unknown). */
  maxMutationsPerRequest(): number {
    const limit = this.#window.limit();
    if (limit === null) return Infinity;
    return Math.max(1, Math.floor(limit / this.#costPerMutation()));
  }

  /** How many mutations fit into what is left of the current window right now (Infinity while unknown). */
  mutationsThatFitNow(): number {
    this.#rollOver();
    const available = this.#available();
    return available === null ? Infinity : Math.max(0, Math.floor(available / this.#costPerMutation()));
  }

  /**
   * Waits until `estimate` fits into the remaining budget (less what in-flight requests
   * reserved), then reserves it. Returns the milliseconds waited, whether the budget was known
   * (`informed`: a budget 429 after it means the pacer's view was wrong) and a release function.
   */
  async acquire(estimate: number, signal?: AbortSignal): Promise<{ waitedMs: number; informed: boolean; release: () => void }> {
    const cost = Math.max(1, estimate);
    let waitedMs = 0;
    let informed = false;
    for (;;) {
      this.#rollOver();
      const available = this.#available();
      const waitMs = this.msUntilReset();
      informed = available !== null;
      if (available === null || waitMs === null || cost <= available) break;
      const ms = Math.max(1, waitMs);
      await this.#clock.sleep(ms, signal);
      waitedMs += ms;
    }
    this.#reserved += cost;
    let released = false;
    return {
      waitedMs,
      informed,
      release: () => {
        if (released) return;
        released = true;
        this.#reserved -= cost;
      },
    };
  }

  #costPerMutation(): number {
    return this.#perMutation ?? this.#estimates.mutationCost;
  }

  #available(): number | null {
    const remaining = this.#window.remaining();
    return remaining === null ? null : remaining - this.#reserved;
  }

  // A new window once the known reset (plus the margin) has passed: the full budget again.
  #rollOver(): void {
    this.#window.rollOver(this.#clock.now() - this.#estimates.resetMarginMs);
  }
}
