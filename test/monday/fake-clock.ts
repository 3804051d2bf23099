/** A clock whose sleep() returns at once and moves time forward, so waits are checked without waiting. */
export interface FakeClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Every sleep, in order. */
  sleeps: number[];
}

/** Creates a fake clock starting at `start`. */
export function createFakeClock(start = 1_000_000): FakeClock {
  let time = start;
  const sleeps: number[] = [];
  return {
    now: () => time,
    sleeps,
    sleep(ms: number, signal?: AbortSignal): Promise<void> {
      if (signal?.aborted) return Promise.reject(signal.reason);
      sleeps.push(ms);
      time += ms;
      return Promise.resolve();
    },
  };
}
