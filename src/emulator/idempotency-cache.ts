/** Idempotency-Key handling: cached mutation responses and keys still in flight. */

/** A cached response, replayed as it was first sent. */
export interface CachedResponse {
  status: number;
  body: string;
}

type Entry = { state: 'in-flight' } | { state: 'done'; response: CachedResponse; expiresAt: number };

/** What a key means right now: new, replayable, or owned by a request still running. */
export type IdempotencyLookup = { kind: 'miss' } | { kind: 'in-flight' } | { kind: 'replay'; response: CachedResponse };

/** Remembers responses by key for `ttlMs`; a key being executed cannot start again. */
export class IdempotencyCache {
  private readonly ttlMs: number;
  private readonly entries = new Map<string, Entry>();

  constructor(ttlMs: number) {
    this.ttlMs = ttlMs;
  }

  /** Looks a key up, forgetting expired responses. */
  lookup(key: string, now: number): IdempotencyLookup {
    this.sweep(now);
    const entry = this.entries.get(key);
    if (!entry) return { kind: 'miss' };
    if (entry.state === 'in-flight') return { kind: 'in-flight' };
    return { kind: 'replay', response: entry.response };
  }

  /** Marks a key as executing. */
  begin(key: string): void {
    this.entries.set(key, { state: 'in-flight' });
  }

  /** Stores the response of an executed request. */
  complete(key: string, response: CachedResponse, now: number): void {
    // Re-inserting keeps the map ordered by expiry, so sweeping can stop at the first live entry.
    this.entries.delete(key);
    this.entries.set(key, { state: 'done', response, expiresAt: now + this.ttlMs });
  }

  /** Forgets an in-flight key whose request did nothing (it may be retried as new). */
  abandon(key: string): void {
    if (this.entries.get(key)?.state === 'in-flight') this.entries.delete(key);
  }

  private sweep(now: number): void {
    for (const [key, entry] of this.entries) {
      if (entry.state === 'in-flight') continue;
      if (entry.expiresAt > now) break;
      this.entries.delete(key);
    }
  }
}
