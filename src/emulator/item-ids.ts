/** Item ids: increasing, seeded gaps like monday's, and never above what the state file has reserved. */
import { createPrng, hashSeed } from './create-prng.ts';

const FIRST_ITEM_ID = 9_800_000_001;
/** The largest gap between two consecutive ids (gaps are 1..MAX_STEP). */
export const MAX_ID_STEP = 7;

/** Hands out item ids in increasing order; `limit` is the highest id it may issue. */
export class ItemIds {
  private next: number;
  private limit = Number.POSITIVE_INFINITY;
  private readonly random: () => number;

  constructor(seed: number) {
    this.random = createPrng(hashSeed(`items:${seed}`));
    this.next = FIRST_ITEM_ID;
  }

  /** Makes every later id greater than `id` (an id that exists or may have been issued before). */
  raiseFloor(id: number): void {
    if (Number.isFinite(id)) this.next = Math.max(this.next, Math.floor(id) + 1);
  }

  /** The id the next item gets. */
  peek(): number {
    return this.next;
  }

  /** Whether `count` more ids fit under the limit. */
  hasRoomFor(count: number): boolean {
    return this.next + MAX_ID_STEP * count - 1 <= this.limit;
  }

  /** Allows ids up to `limit` (an id range now durably reserved). */
  allowThrough(limit: number): void {
    this.limit = Math.max(this.limit, limit);
  }

  /** Stops issuing ids above `limit` until `allowThrough` raises it (a state file must reserve them first). */
  restrictTo(limit: number): void {
    this.limit = limit;
  }

  /** The next id; throws when it is not reserved (callers check `hasRoomFor` first). */
  issue(): string {
    if (this.next > this.limit) throw new Error(`emulator: item id ${this.next} is not reserved in the state file yet; retry`);
    const id = this.next;
    this.next += 1 + Math.floor(this.random() * MAX_ID_STEP);
    return String(id);
  }
}
