/** The per-window complexity budget: a window opens with the first call and lasts windowMs. */

/** A complexity budget of `points` per window of `windowMs`, as monday meters it. */
export class ComplexityBudget {
  readonly points: number;
  readonly windowMs: number;
  private windowStart: number | null = null;
  private used = 0;

  constructor(points: number, windowMs: number) {
    this.points = points;
    this.windowMs = windowMs;
  }

  /** Points left at `now`. */
  remaining(now: number): number {
    return this.isOpen(now) ? Math.max(0, this.points - this.used) : this.points;
  }

  /** Whole seconds until the current window resets (a full window when none is open). */
  resetInSeconds(now: number): number {
    const end = this.isOpen(now) ? this.windowStart! + this.windowMs : now + this.windowMs;
    return Math.max(1, Math.ceil((end - now) / 1000));
  }

  /** Charges `cost`, opening a window if none is open; returns the budget before and after. */
  charge(cost: number, now: number): { before: number; after: number } {
    if (!this.isOpen(now)) {
      this.windowStart = now;
      this.used = 0;
    }
    const before = this.points - this.used;
    this.used += cost;
    return { before, after: this.points - this.used };
  }

  private isOpen(now: number): boolean {
    return this.windowStart !== null && now < this.windowStart + this.windowMs;
  }
}
