/**
 * The fence around a run: the pipeline lock is checked before every batch is sent and by a
 * heartbeat; a run that lost its lock stops sending at once, settles what it has, and ends
 * INTERRUPTED with the reason. A later run takes over only from runs that are certainly gone.
 */
import { findConnectionProblem } from '../db/connection-problem.ts';
import { DatabaseLostError, describeLoss, waitForDatabase } from '../db/database-outage.ts';
import type { Database } from '../db/open-database.ts';
import { PipelineLockedError, type PipelineLock } from '../db/pipeline-lock.ts';
import { closeAbandonedRuns, interruptRunRecord, isAbandoned, runOwner, touchRunRecord } from '../db/run-record.ts';
import { RunStopError } from './contract/index.ts';
import type { Logger } from './logger.ts';

/** How often a run shows it is alive and checks its lock; a run silent for STALE_AFTER_MS is gone. */
export const HEARTBEAT_MS = 5_000;
const STALE_AFTER_MS = 6 * HEARTBEAT_MS;
/** How long a run that lost its database waits for it to close its own row: no longer than others wait before taking over. */
export const DATABASE_WAIT_MS = STALE_AFTER_MS;

// Runs of this process still going: a RUNNING row of this process that is not here is certainly gone.
const liveRuns = new Set<string>();

/** A running run's fence. */
export interface RunGuard {
  /** Aborted by the caller's signal or when the lock is lost. */
  signal: AbortSignal;
  /** Why the run lost its lock, or null. */
  lost(): string | null;
  /** Throws (and aborts the run) when the lock is lost: call before sending anything. */
  fence(): Promise<void>;
  /** Starts the heartbeat of the run row. */
  beat(runId: string): void;
  /** Stops the heartbeat (again is a no-op). */
  stop(): void;
}

/** A guard over a held lock; `outer` is the caller's stop signal. */
export function createRunGuard(lock: PipelineLock, database: Database, log: Logger, outer?: AbortSignal): RunGuard {
  const controller = new AbortController();
  const onOuter = (): void => controller.abort();
  if (outer?.aborted) controller.abort();
  else outer?.addEventListener('abort', onOuter, { once: true });
  let lostReason: string | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  let beating: string | null = null;
  const check = async (): Promise<boolean> => {
    if (lostReason) return false;
    if (await lock.check()) return true;
    lostReason = 'the pipeline lock was lost (its database connection ended); stopped sending, settled what was sent — the next run finishes the rest';
    log.error(`run stopped: ${lostReason}`);
    controller.abort();
    return false;
  };
  return {
    signal: controller.signal,
    lost: () => lostReason,
    async fence() {
      if (!(await check())) throw new RunStopError(lostReason!);
    },
    beat(runId) {
      beating = runId;
      liveRuns.add(runId);
      timer = setInterval(() => {
        void check().then((held) => (held ? touchRunRecord(database.db, runId) : undefined)).catch((error: unknown) => log.warn(`heartbeat failed: ${(error as Error).message}`));
      }, HEARTBEAT_MS);
      // The heartbeat never keeps a finished process alive.
      (timer as { unref?: () => void }).unref?.();
    },
    stop() {
      if (timer) clearInterval(timer);
      if (beating) liveRuns.delete(beating);
      outer?.removeEventListener('abort', onOuter);
    },
  };
}

/** Closes RUNNING rows of runs that are gone; refuses (PipelineLockedError) while a run without its lock is still alive. */
export async function takeOverAbandoned(database: Database, pipeline: string, runId: string, log: Logger): Promise<void> {
  // PGlite has one process per data directory: any RUNNING row is from a process that is gone.
  const gone = (row: { id: string; owner: string | null; heartbeatAt: Date }): boolean =>
    database.dialect === 'pglite' || isAbandoned(row, STALE_AFTER_MS) || (row.owner === runOwner && !liveRuns.has(row.id));
  const { closed, alive } = await closeAbandonedRuns(database.db, pipeline, runId, gone);
  if (closed.length > 0) log.warn(`closed ${closed.length} abandoned run(s); their records are picked up now`, { runs: closed });
  const other = alive[0];
  if (other) {
    const seconds = Math.round((Date.now() - other.heartbeatAt.getTime()) / 1000);
    throw new PipelineLockedError(pipeline, `run ${other.id} of ${other.owner} is still alive (heartbeat ${seconds} s ago) though it lost its lock; it stops at its next check — run again then`);
  }
}

/** Whether `error` means the connection to the (PostgreSQL) database failed or was lost. */
export function isDatabaseLoss(database: Database, error: unknown): boolean {
  return database.dialect === 'postgres' && findConnectionProblem(error) !== null;
}

/** What a run that hit `error` needs to end after losing its database. */
export interface OutageContext {
  database: Database;
  /** The PostgreSQL URL (for the message; its password is never shown). */
  url?: string;
  /** The run's id once its row was written, else null (nothing to close). */
  runId: string | null;
  guard: RunGuard | null;
  log: Logger;
  /** A stop signal ends the wait at once. */
  signal?: AbortSignal;
  waitMs?: number;
}

/**
 * Rethrows `error`; when it means the database connection was lost, as a DatabaseLostError (exit 4)
 * after waiting (bounded) for the database to close the run row as INTERRUPTED with the reason.
 * If it does not come back in time the row stays RUNNING, and the next run closes it (its heartbeat
 * has stopped, or its process is gone).
 */
export async function endAfterOutage(error: unknown, o: OutageContext): Promise<never> {
  const problem = isDatabaseLoss(o.database, error) ? findConnectionProblem(error) : null;
  if (!problem || error instanceof DatabaseLostError) throw error;
  o.guard?.stop();
  const loss = describeLoss(o.database, problem, o.url);
  if (!o.runId) throw new DatabaseLostError(`db: ${loss}`, { cause: error, runId: null, marked: false });
  const waitMs = o.waitMs ?? DATABASE_WAIT_MS;
  const reason = `${loss}; stopped sending — the next run finishes the rest`;
  o.log.error(`run stopped: ${reason}; waiting up to ${Math.round(waitMs / 1000)} s for the database to record that`);
  const back = await waitForDatabase(o.database, { timeoutMs: waitMs, signal: o.signal });
  const marked = back && await interruptRunRecord(o.database.db, o.runId, reason).catch(() => false);
  const outcome = marked ? 'the run is recorded as INTERRUPTED' : `${whyUnrecorded(back, o.signal, waitMs)}; the run stays RUNNING until the next run closes it as INTERRUPTED`;
  o.log[marked ? 'warn' : 'error'](`run finished: INTERRUPTED — ${reason} (${outcome})`, { reason, marked });
  throw new DatabaseLostError(`db: run ${o.runId} ${loss}; ${outcome} — the next run finishes the rest`, { cause: error, runId: o.runId, marked });
}

function whyUnrecorded(back: boolean, signal: AbortSignal | undefined, waitMs: number): string {
  if (back) return 'its row could not be closed';
  if (signal?.aborted) return 'a stop signal ended the wait for the database';
  return `the database did not come back within ${Math.round(waitMs / 1000)} s`;
}
