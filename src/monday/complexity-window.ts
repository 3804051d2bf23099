/**
 * What the client knows of monday's current complexity budget window: how much is left and the
 * latest moment it can reset, learned from the `complexity` readings of its own requests.
 *
 * monday's `complexity { before after query reset_in_x_seconds }` (API reference "Complexity":
 * "reset_in_x_seconds — how long (in seconds) before your complexity budget is reset") gives whole
 * seconds, so every reading is an upper bound of the reset and the tightest one of a window is kept.
 * A reading counted from its answer's arrival is always safe but late by the answer's way back;
 * monday charges a request (and reads the window) when it arrives, so the bound is moved back to
 * the request's send time: the request that waits for the reset travels the same way. What the way
 * there costs beyond the quickest round trip seen is kept in the bound, so a slow request (a cold
 * connection, a document monday parses for the first time) cannot make the reset look earlier than
 * it is; until a few round trips have shown what quick is, readings count from their arrival.
 */

// Round trips seen before the quickest of them is trusted as the way back (the first ones are cold).
const WARM_ROUND_TRIPS = 3;

/** One `complexity` reading, with when its request left and its answer came back. */
export interface WindowReading {
  before: number;
  after: number;
  resetInSeconds: number;
  sentAt: number;
  receivedAt: number;
}

/** The current budget window as far as responses have shown it. */
export class ComplexityWindow {
  #remaining: number | null = null;
  #limit: number | null = null;
  /** Tightest bound of the reset counted from the answers' arrival (always safe); null while unknown. */
  #safeEnd: number | null = null;
  /** Earliest moment this window can reset (a reading of R seconds says: more than R - 1 seconds). */
  #notBefore: number | null = null;
  /** When the client moved into this window: readings of requests sent earlier belong to the previous one. */
  #opensAt: number | null = null;
  /** The reading of this window whose request was sent last, to notice a reset nobody announced. */
  #latest: { sentAt: number; after: number } | null = null;
  #quickestRoundTripMs: number | null = null;
  #roundTrips = 0;
  #sendAnchored = true;

  /** Points left in this window (null while unknown). */
  remaining(): number | null {
    return this.#remaining;
  }

  /** The budget of a whole window, as far as readings have shown it (null while unknown). */
  limit(): number | null {
    return this.#limit;
  }

  /** Latest moment this window resets, in the send-time terms of the next request; null while unknown. */
  endsAt(): number | null {
    return this.#safeEnd === null ? null : this.#safeEnd - this.#lead();
  }

  /** From now on counts every reading from its answer's arrival (after the send-time view proved too early). */
  distrustSendTime(): void {
    this.#sendAnchored = false;
  }

  /** Moves into the next window once `now` has passed the known reset: the whole budget is there again. */
  rollOver(now: number): void {
    const endsAt = this.endsAt();
    if (endsAt === null || now < endsAt) return;
    this.#opensAt = endsAt;
    this.#safeEnd = null;
    this.#notBefore = null;
    this.#remaining = this.#limit;
    this.#latest = null;
  }

  /** Records a reading. */
  observe(reading: WindowReading): void {
    this.#limit = Math.max(this.#limit ?? 0, reading.before, reading.after);
    const roundTrip = Math.max(0, reading.receivedAt - reading.sentAt);
    this.#quickestRoundTripMs = Math.min(this.#quickestRoundTripMs ?? roundTrip, roundTrip);
    this.#roundTrips += 1;
    if (this.#opensAt !== null && reading.sentAt < this.#opensAt) return;
    const bound = reading.receivedAt + reading.resetInSeconds * 1000;
    const earliest = reading.sentAt + (reading.resetInSeconds - 1) * 1000;
    const latest = this.#latest;
    const endsAt = this.endsAt();
    // A request sent (when a reset was already possible) after another of this window, that found
    // more budget than that one left: the window reset in between, earlier than its bound said.
    const resetBetween =
      latest !== null && reading.sentAt > latest.sentAt && reading.before > latest.after && reading.sentAt >= (this.#notBefore ?? -Infinity);
    if (endsAt === null || reading.sentAt >= endsAt || resetBetween) {
      this.#safeEnd = bound;
      this.#notBefore = earliest;
      this.#remaining = reading.after;
      this.#latest = { sentAt: reading.sentAt, after: reading.after };
      return;
    }
    this.#safeEnd = Math.min(this.#safeEnd ?? bound, bound);
    this.#notBefore = Math.max(this.#notBefore ?? earliest, earliest);
    // Answers may arrive out of order; within a window the budget only goes down.
    this.#remaining = Math.min(this.#remaining ?? reading.after, reading.after);
    if (latest === null || reading.sentAt > latest.sentAt) this.#latest = { sentAt: reading.sentAt, after: reading.after };
  }

  /** Records a budget-exhausted 429 answered at `receivedAt`: nothing is left for `waitMs` from then. */
  exhausted(sentAt: number, receivedAt: number, waitMs: number): void {
    const bound = receivedAt + waitMs;
    const endsAt = this.endsAt();
    this.#safeEnd = endsAt === null || sentAt >= endsAt ? bound : Math.min(this.#safeEnd ?? bound, bound);
    this.#remaining = 0;
    this.#latest = { sentAt, after: 0 };
  }

  /** Records a lost answer: the request may have spent `points` of this window. */
  spend(points: number): void {
    if (this.#remaining !== null) this.#remaining = Math.max(0, this.#remaining - points);
  }

  /** Records what `RateLimit` headers said (a fallback when the body had no reading). */
  observeHeader(remaining: number, resetAt: number | null, limit: number | null): void {
    if (limit !== null) this.#limit = Math.max(this.#limit ?? 0, limit);
    this.#remaining = remaining;
    // Headers are written as the answer leaves: their reset counts from the arrival, with no lead.
    if (resetAt !== null) {
      const bound = resetAt + this.#lead();
      this.#safeEnd = this.#safeEnd === null ? bound : Math.min(this.#safeEnd, bound);
    }
  }

  #lead(): number {
    return this.#sendAnchored && this.#roundTrips >= WARM_ROUND_TRIPS ? (this.#quickestRoundTripMs ?? 0) : 0;
  }
}
