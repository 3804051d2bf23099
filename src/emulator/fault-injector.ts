/** Draws injected faults from a seeded PRNG so a fault sequence can be replayed. */
import { createPrng } from './create-prng.ts';
import type { Faults } from './types.ts';

const STATUSES_5XX = [500, 502, 503] as const;

/** The active faults and the PRNG they are drawn from. */
export class FaultInjector {
  private faults: Faults = {};
  private random: () => number = createPrng(1);

  constructor(faults: Faults) {
    this.set(faults);
  }

  /** Replaces the faults; the PRNG restarts from the seed (default 1). */
  set(faults: Faults): void {
    this.faults = faults;
    this.random = createPrng(faults.seed ?? 1);
  }

  /** Milliseconds to add to a request. */
  latencyMs(): number {
    return this.faults.latencyMs ?? 0;
  }

  /** A 5xx status to answer with instead of executing, or null. */
  draw5xx(): 500 | 502 | 503 | null {
    const rate = this.faults.rate5xx ?? 0;
    if (rate <= 0 || this.random() >= rate) return null;
    return STATUSES_5XX[Math.floor(this.random() * STATUSES_5XX.length)]!;
  }

  /** True when an injected 429 should answer instead of executing. */
  draw429(): boolean {
    const rate = this.faults.rate429 ?? 0;
    return rate > 0 && this.random() < rate;
  }

  /** True when a committed mutation should lose its connection instead of answering. */
  drawDrop(): boolean {
    const rate = this.faults.dropAfterCommitRate ?? 0;
    return rate > 0 && this.random() < rate;
  }

  /** The first of these boards that the lockedBoards fault locks, or null. */
  lockedBoard(boardIds: string[]): string | null {
    const locked = this.faults.lockedBoards ?? [];
    return boardIds.find((id) => locked.includes(id)) ?? null;
  }
}
