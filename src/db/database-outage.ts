/** A run that lost its database: waiting (bounded) for it to come back, and the error the run ends with (exit 4). */
import { describeProblem, describeServer, type ConnectionProblem } from './connection-problem.ts';
import { DatabaseUnreachableError, type Database } from './open-database.ts';

/** The database went away during a run; `marked` says whether the run row could still be closed as INTERRUPTED. */
export class DatabaseLostError extends DatabaseUnreachableError {
  readonly runId: string | null;
  readonly marked: boolean;
  constructor(message: string, options: { cause: unknown; runId: string | null; marked: boolean }) {
    super(message, { cause: options.cause });
    this.name = 'DatabaseLostError';
    this.runId = options.runId;
    this.marked = options.marked;
  }
}

/** What a run says about losing `database`: where it was and what happened (no password). */
export function describeLoss(database: Database, problem: ConnectionProblem, url: string | undefined): string {
  return `lost the database (PostgreSQL at ${url ? describeServer(url) : database.where}): ${describeProblem(problem)}`;
}

/**
 * Resolves true as soon as the database answers again, false once `timeoutMs` passed or `signal`
 * was aborted (a stop signal does not wait out an outage).
 */
export async function waitForDatabase(database: Database, o: { timeoutMs: number; signal?: AbortSignal; intervalMs?: number }): Promise<boolean> {
  const deadline = Date.now() + o.timeoutMs;
  const intervalMs = o.intervalMs ?? 500;
  while (!o.signal?.aborted) {
    const left = deadline - Date.now();
    if (left <= 0) return false;
    if (await database.ping(Math.min(left, 2_000))) return true;
    await pause(Math.min(intervalMs, Math.max(0, deadline - Date.now())), o.signal);
  }
  return false;
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
