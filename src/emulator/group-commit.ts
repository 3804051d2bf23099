/** Group commit: one save covers every change made before it started; later changes wait for the next. */

/** How to save and what to do when a save fails. */
export interface GroupCommitSteps {
  /** Saves the current state; it must take its snapshot synchronously, before its first await. */
  save(): Promise<void>;
  /** Undoes every change not yet saved; runs synchronously as the failed save is reported. */
  rollback(error: unknown): void;
}

interface Waiters {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Serialises saves and batches the commits that arrive while one is running. */
export class GroupCommit {
  private readonly steps: GroupCommitSteps;
  private running: Promise<void> | null = null;
  private next: Waiters | null = null;

  constructor(steps: GroupCommitSteps) {
    this.steps = steps;
  }

  /** Resolves once a save that started after this call has succeeded; rejects if it (or the one before it) failed. */
  commit(): Promise<void> {
    if (!this.running) return this.start();
    // The running save took its snapshot before this change: wait for the next one.
    this.next ??= waiters();
    return this.next.promise;
  }

  /** Resolves when no save is running or queued (failures are the committers' to report). */
  async idle(): Promise<void> {
    while (this.running) await this.running.catch(() => {});
  }

  private start(): Promise<void> {
    const saving = this.steps.save();
    const settled = saving.then(
      () => {
        this.running = null;
        const queued = this.next;
        this.next = null;
        if (queued) this.start().then(queued.resolve, queued.reject);
      },
      (error: unknown) => {
        // Rolling back to the last saved state also undoes the queued changes, so their
        // committers fail with this one. All in one step: nothing can slip in between.
        this.steps.rollback(error);
        this.running = null;
        const queued = this.next;
        this.next = null;
        queued?.reject(error);
        throw error;
      },
    );
    this.running = settled;
    return settled;
  }
}

function waiters(): Waiters {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A batch may fail before anyone awaits it; its committers still see the rejection.
  promise.catch(() => {});
  return { promise, resolve, reject };
}
