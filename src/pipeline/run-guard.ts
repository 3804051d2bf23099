/**
 * The fence around a run: the pipeline lock is checked before every batch is sent and by a
 * heartbeat; a run that lost its lock stops sending at once, settles what it has, and ends
 * INTERRUPTED with the reason. A later run takes over only from runs that are certainly gone.
 */
import type { Database } from '../db/open-database.ts';
import { PipelineLockedError, type PipelineLock } from '../db/pipeline-lock.ts';
import { closeAbandonedRuns, isAbandoned, touchRunRecord } from '../db/run-record.ts';
import { RunStopError } from './contract/index.ts';
import type { Logger } from './logger.ts';

/** How often a run shows it is alive and checks its lock; a run silent for STALE_AFTER_MS is gone. */
export const HEARTBEAT_MS = 5_000;
const STALE_AFTER_MS = 6 * HEARTBEAT_MS;

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
      timer = setInterval(() => {
        void check().then((held) => (held ? touchRunRecord(database.db, runId) : undefined)).catch((error: unknown) => log.warn(`heartbeat failed: ${(error as Error).message}`));
      }, HEARTBEAT_MS);
      // The heartbeat never keeps a finished process alive.
      (timer as { unref?: () => void }).unref?.();
    },
    stop() {
      if (timer) clearInterval(timer);
      outer?.removeEventListener('abort', onOuter);
    },
  };
}

/** Closes RUNNING rows of runs that are gone; refuses (PipelineLockedError) while a run without its lock is still alive. */
export async function takeOverAbandoned(database: Database, pipeline: string, runId: string, log: Logger): Promise<void> {
  // PGlite has one process per data directory: any RUNNING row is from a process that is gone.
  const gone = (row: { owner: string | null; heartbeatAt: Date }): boolean => database.dialect === 'pglite' || isAbandoned(row, STALE_AFTER_MS);
  const { closed, alive } = await closeAbandonedRuns(database.db, pipeline, runId, gone);
  if (closed.length > 0) log.warn(`closed ${closed.length} abandoned run(s); their records are picked up now`, { runs: closed });
  const other = alive[0];
  if (other) {
    const seconds = Math.round((Date.now() - other.heartbeatAt.getTime()) / 1000);
    throw new PipelineLockedError(pipeline, `run ${other.id} of ${other.owner} is still alive (heartbeat ${seconds} s ago) though it lost its lock; it stops at its next check — run again then`);
  }
}
