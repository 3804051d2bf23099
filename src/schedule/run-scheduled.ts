/** One scheduled run of a pipeline: the runner with a stop signal that lets the batch in flight finish, then metrics and notifications. */
import type { PipelineConfig } from '../config/load-config.ts';
import { runOwner } from '../db/run-record.ts';
import type { Logger } from '../pipeline/logger.ts';
import { runPipeline } from '../pipeline/run-pipeline.ts';
import type { PipelineConnection } from './connection-pool.ts';
import { judgeRun, readPreviousHealth, type Notifier, type RunHealth } from './notifier.ts';
import { DatabaseLostError } from '../db/database-outage.ts';
import { PipelineLockedError } from '../db/pipeline-lock.ts';
import { findOwnRunSince, type RunInfo } from './run-state.ts';
import { shieldInFlight } from './shield-in-flight.ts';
import type { SkipReason, SyncMetrics } from './sync-metrics.ts';

/** Why a run was started. */
export type RunReason = 'schedule' | 'missed' | 'manual';

/** A run going on in this process; shared across the jobs of one pipeline name (a reload replaces the job, not the run). */
export interface InFlightRun {
  since: Date;
  reason: RunReason;
  /** Stop after the batch in flight (written back, run INTERRUPTED). */
  soft: AbortController;
  /** Abort requests in flight too (the shutdown deadline passed). */
  hard: AbortController;
  done: Promise<unknown>;
}

/** What one tick did. */
export type TickOutcome = { ran: true; runId: string | null; status: string } | { ran: false; reason: SkipReason; why: string };

/** What a scheduled run needs. */
export interface ScheduledRunOptions {
  config: PipelineConfig;
  connection: PipelineConnection;
  logger: Logger;
  metrics: SyncMetrics;
  notifier: Notifier | null;
  run: InFlightRun;
}

/** The outcome, and what it says about the pipeline's health and last run. */
export interface ScheduledRunResult {
  outcome: TickOutcome;
  /** null when the run says nothing new (interrupted, nothing to do, skipped). */
  health: RunHealth | null;
  last: RunInfo | null;
}

/** Runs the pipeline once under its lock (trigger `schedule`); never throws. */
export async function runScheduled(options: ScheduledRunOptions): Promise<ScheduledRunResult> {
  const { config, connection, logger, metrics, notifier, run } = options;
  const pipeline = config.pipeline;
  const t0 = performance.now();
  const onPartialBelow = config.notify?.onPartialBelow;
  let previous: RunHealth | null = null;
  try {
    // Read before the run: once it starts, its own row is the newest.
    if (notifier) previous = await readPreviousHealth(connection.database.db, pipeline, onPartialBelow);
    const result = await runPipeline({
      config, database: connection.database, monday: shieldInFlight(connection.monday.client, run.hard.signal),
      target: connection.monday.target, logger, trigger: 'schedule', signal: run.soft.signal,
    });
    const s = result.summary;
    const status = result.runStatus ?? s.status;
    metrics.recordRun(pipeline, status, (performance.now() - t0) / 1000, s);
    const health = judgeRun({ status, totals: s.totals, nothingToDo: s.nothingToDo }, onPartialBelow);
    if (health && notifier) {
      await notifier.afterRun(previous, { pipeline, health, status, runId: s.runId, totals: s.totals, error: s.fatal, reportPath: result.reportPath });
    }
    return {
      outcome: { ran: true, runId: s.runId, status }, health,
      last: { id: s.runId, status, trigger: 'schedule', startedAt: s.startedAt, finishedAt: s.finishedAt, owner: runOwner },
    };
  } catch (error) {
    if (error instanceof PipelineLockedError) return { outcome: { ran: false, reason: 'locked', why: error.message }, health: null, last: null };
    const message = (error as Error).message ?? String(error);
    // A lost database interrupted the run (its row says so once the database is back); the schedule goes on.
    const status = error instanceof DatabaseLostError ? 'INTERRUPTED' : 'FAILED';
    logger.error(`run ${status === 'FAILED' ? 'failed' : 'stopped'}: ${message}`);
    metrics.recordRun(pipeline, status, (performance.now() - t0) / 1000, null);
    if (error instanceof DatabaseLostError) return { outcome: { ran: true, runId: error.runId, status }, health: null, last: null };
    const own = await findOwnRunSince(connection.database.db, pipeline, run.since).catch(() => null);
    await notifier?.afterRun(previous, { pipeline, health: 'bad', status: 'FAILED', runId: own?.id ?? null, totals: null, error: message, reportPath: null });
    return { outcome: { ran: true, runId: own?.id ?? null, status: 'FAILED' }, health: 'bad', last: own };
  }
}
