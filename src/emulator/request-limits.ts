/** Request-count limits: per window (minute), per UTC day, and requests in flight. */

/** A limit that refused a request: monday's code, message and when to retry. */
export interface LimitRefusal {
  code: 'DAILY_LIMIT_EXCEEDED' | 'MINUTE_RATE_LIMIT_EXCEEDED' | 'MAX_CONCURRENCY_EXCEEDED';
  message: string;
  retryInSeconds: number;
}

/** Counts requests against the minute, daily and concurrency limits. */
export class RequestLimits {
  readonly perWindow: number;
  readonly windowMs: number;
  readonly maxConcurrency: number;
  readonly dailyCalls: number;
  /** Requests currently in flight. */
  inFlight = 0;
  private windowStart: number | null = null;
  private windowCount = 0;
  private day = '';
  private dayCount = 0;

  constructor(limits: { requestsPerMinute: number; maxConcurrency: number; dailyCalls: number }, windowMs: number) {
    this.perWindow = limits.requestsPerMinute;
    this.maxConcurrency = limits.maxConcurrency;
    this.dailyCalls = limits.dailyCalls;
    this.windowMs = windowMs;
  }

  /** Counts a request as in flight; true when it fits the concurrency limit (checked on arrival). */
  enter(): boolean {
    this.inFlight += 1;
    return this.inFlight <= this.maxConcurrency;
  }

  /** Ends a request counted by `enter`. */
  leave(): void {
    this.inFlight -= 1;
  }

  /** Checks the limits for a request that entered (`concurrent`: what `enter` said); counts it when it may proceed. */
  admit(now: number, concurrent: boolean): LimitRefusal | null {
    this.rollOver(now);
    const refusal = this.refusal(now, concurrent);
    // A refused call still costs a tenth of a daily call, as on monday.
    this.dayCount += refusal ? 0.1 : 1;
    if (!refusal) this.windowCount += 1;
    return refusal;
  }

  /** Requests left in the current window. */
  windowRemaining(now: number): number {
    return this.windowOpen(now) ? Math.max(0, this.perWindow - this.windowCount) : this.perWindow;
  }

  /** Whole seconds until the request window resets (a full window when none is open). */
  windowResetSeconds(now: number): number {
    const end = this.windowOpen(now) ? this.windowStart! + this.windowMs : now + this.windowMs;
    return Math.max(1, Math.ceil((end - now) / 1000));
  }

  private windowOpen(now: number): boolean {
    return this.windowStart !== null && now < this.windowStart + this.windowMs;
  }

  private refusal(now: number, concurrent: boolean): LimitRefusal | null {
    if (this.dayCount >= this.dailyCalls) {
      const today = new Date(now);
      const midnight = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + 1);
      return { code: 'DAILY_LIMIT_EXCEEDED', message: 'Daily limit exceeded', retryInSeconds: Math.ceil((midnight - now) / 1000) };
    }
    if (this.windowCount >= this.perWindow) {
      return { code: 'MINUTE_RATE_LIMIT_EXCEEDED', message: 'Rate limit exceeded for the minute', retryInSeconds: this.windowResetSeconds(now) };
    }
    if (!concurrent) {
      return { code: 'MAX_CONCURRENCY_EXCEEDED', message: 'Max concurrency exceeded', retryInSeconds: 1 };
    }
    return null;
  }

  private rollOver(now: number): void {
    if (!this.windowOpen(now)) {
      this.windowStart = now;
      this.windowCount = 0;
    }
    const day = new Date(now).toISOString().slice(0, 10);
    if (day !== this.day) {
      this.day = day;
      this.dayCount = 0;
    }
  }
}
