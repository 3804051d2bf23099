/**
 * One served pipeline: its croner job (`protect: true`, so a run never overlaps the previous
 * one), its retention job, a run per tick under the cross-process pipeline lock, metrics,
 * notifications and what `/healthz` shows about it.
 */
import { Cron } from 'croner';
import type { PipelineConfig } from '../config/load-config.ts';
import { runOwner } from '../db/run-record.ts';
import type { Logger } from '../pipeline/logger.ts';
import { runPipeline } from '../pipeline/run-pipeline.ts';
import type { PipelineConnection } from './connection-pool.ts';
import { createNotifier, judgeRun, readPreviousHealth, type Notifier, type RunHealth } from './notifier.ts';
import { PipelineLockedError } from './pipeline-lock.ts';
import { retainApiLog, type RetainApiLogResult } from './retain-api-log.ts';
import { readLastStartedAt, readRunState, type RunInfo } from './run-state.ts';
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
export type TickOutcome = { ran: true; runId: string | null; status: string } | { ran: false; reason: SkipReason };

/** What a job needs. */
export interface PipelineJobOptions {
  config: PipelineConfig;
  connection: PipelineConnection;
  /** Logs of this pipeline (secrets redacted). */
  logger: Logger;
  metrics: SyncMetrics;
  inFlight: Map<string, InFlightRun>;
  /** Aborted at shutdown: the retention job stops between batches. */
  stopSignal: AbortSignal;
}

/** What `/healthz` shows per pipeline. */
export interface PipelineHealth {
  pipeline: string;
  file: string;
  scheduled: boolean;
  cron: string | null;
  timezone: string | null;
  nextRun: string | null;
  running: { since: string; reason: RunReason; runId: string | null } | null;
  lastRun: RunInfo | null;
  /** good/bad as notifications judge it; null before any telling run. */
  health: RunHealth | null;
}

/** A scheduled (or merely served) pipeline. */
export class PipelineJob {
  readonly config: PipelineConfig;
  readonly connection: PipelineConnection;
  readonly #o: PipelineJobOptions;
  readonly #log: Logger;
  readonly #notifier: Notifier | null;
  #cron: Cron | null = null;
  #retention: Cron | null = null;
  #current: Promise<TickOutcome> | null = null;
  #housekeeping: Promise<unknown> | null = null;
  #last: RunInfo | null = null;
  #health: RunHealth | null = null;

  constructor(options: PipelineJobOptions) {
    this.#o = options;
    this.config = options.config;
    this.connection = options.connection;
    this.#log = options.logger;
    const webhook = options.config.notify?.webhook;
    this.#notifier = webhook ? createNotifier({ webhook, logger: options.logger, secrets: options.config.secrets }) : null;
  }

  /** Starts the croner jobs, says when the next run is, and (with `catchUp`) runs once now if a run was missed (`missed: once`). */
  async start(options: { catchUp: boolean }): Promise<void> {
    const { config, metrics } = this.#o;
    metrics.addPipeline(config.pipeline, () => this.connection.monday.client.stats());
    const schedule = config.schedule;
    if (schedule) {
      this.#cron = new Cron(schedule.cron, {
        timezone: schedule.timezone, protect: () => this.#skipped('overlap'), catch: (error) => this.#log.error(`scheduler: ${(error as Error).message}`),
      }, () => this.#tick('schedule').then(() => undefined));
    }
    const retention = config.retention;
    this.#retention = new Cron(retention.cron, {
      timezone: schedule?.timezone ?? 'UTC', protect: true, catch: (error) => this.#log.error(`retention: ${(error as Error).message}`),
    }, async () => {
      this.#housekeeping = this.runRetention();
      await this.#housekeeping;
    });
    this.#health = await readPreviousHealth(this.connection.database.db, config.pipeline, config.notify?.onPartialBelow).catch(() => null);
    if (!schedule) {
      this.#log.info(`${config.pipeline}: not scheduled (no schedule in ${config.file}); run it with ordersync run`, { file: config.file });
      metrics.setNextRun(config.pipeline, null);
      return;
    }
    this.#announceNext();
    if (options.catchUp && schedule.missed === 'once') await this.#catchUp();
  }

  /** Runs the pipeline now unless a run of it is going (then the tick is skipped and logged). */
  runNow(reason: RunReason = 'manual'): Promise<TickOutcome> {
    return this.#tick(reason);
  }

  /** When the next scheduled run is due, or null. */
  nextRun(): Date | null {
    return this.#cron?.nextRun() ?? null;
  }

  /** Stops both croner jobs (a run in progress goes on: croner's stop() does not abort it). */
  stopScheduling(): void {
    this.#cron?.stop();
    this.#retention?.stop();
  }

  /** Resolves when this job's current run and retention pass (if any) have finished. */
  async idle(): Promise<void> {
    await Promise.all([this.#current?.catch(() => {}), this.#housekeeping?.catch(() => {})]);
  }

  /** What `/healthz` shows; the run history comes from the database (so it includes other processes' runs). */
  async health(): Promise<PipelineHealth> {
    const { config } = this.#o;
    const inFlight = this.#o.inFlight.get(config.pipeline);
    let state: Awaited<ReturnType<typeof readRunState>> = { last: this.#last, running: null };
    try {
      state = await withTimeout(readRunState(this.connection.database.db, config.pipeline), 2_000);
    } catch (error) {
      this.#log.debug(`healthz: run history unavailable: ${(error as Error).message}`);
    }
    const next = this.nextRun();
    return {
      pipeline: config.pipeline, file: config.file, scheduled: Boolean(config.schedule), cron: config.schedule?.cron ?? null,
      timezone: config.schedule?.timezone ?? null, nextRun: next?.toISOString() ?? null,
      running: inFlight ? { since: inFlight.since.toISOString(), reason: inFlight.reason, runId: state.running?.id ?? null } : null,
      lastRun: state.last, health: this.#health,
    };
  }

  /** Moves (or deletes) this pipeline's api-log rows past retention; never throws. */
  async runRetention(): Promise<RetainApiLogResult | null> {
    const { retention, pipeline } = this.#o.config;
    try {
      const result = await retainApiLog(this.connection.database.db, {
        pipeline, olderThanDays: retention.apiLogDays, mode: retention.mode, signal: this.#o.stopSignal,
      });
      this.#o.metrics.recordRetention(pipeline, retention.mode, result.rows);
      this.#log.info(`retention: ${retention.mode === 'archive' ? 'archived' : 'deleted'} ${result.rows} api-log row(s) older than ${retention.apiLogDays} days in ${result.batches} batch(es)`, {
        rows: result.rows, batches: result.batches, cutoff: result.cutoff.toISOString(), mode: retention.mode,
      });
      return result;
    } catch (error) {
      this.#log.error(`retention: failed: ${(error as Error).message}`);
      return null;
    }
  }

  #tick(reason: RunReason): Promise<TickOutcome> {
    const { config, inFlight } = this.#o;
    const going = inFlight.get(config.pipeline);
    if (going) return Promise.resolve(this.#skipped('overlap', going));
    const run: InFlightRun = { since: new Date(), reason, soft: new AbortController(), hard: new AbortController(), done: Promise.resolve() };
    const tick = this.#run(run).finally(() => {
      if (inFlight.get(config.pipeline) === run) inFlight.delete(config.pipeline);
      if (this.#current === tick) this.#current = null;
      this.#o.metrics.setInProgress(config.pipeline, false);
      if (this.#cron && !this.#cron.isStopped()) this.#announceNext();
    });
    run.done = tick;
    inFlight.set(config.pipeline, run);
    this.#current = tick;
    return tick;
  }

  async #run(run: InFlightRun): Promise<TickOutcome> {
    const { config, metrics, connection } = this.#o;
    const t0 = performance.now();
    metrics.setInProgress(config.pipeline, true);
    const onPartialBelow = config.notify?.onPartialBelow;
    let previous: RunHealth | null = null;
    try {
      if (this.#notifier) previous = await readPreviousHealth(connection.database.db, config.pipeline, onPartialBelow);
      const result = await runPipeline({
        config, database: connection.database, monday: shieldInFlight(connection.monday.client, run.hard.signal),
        target: connection.monday.target, logger: this.#log, trigger: 'schedule', signal: run.soft.signal,
      });
      const status = result.runStatus ?? result.summary.status;
      const s = result.summary;
      metrics.recordRun(config.pipeline, status, (performance.now() - t0) / 1000, s);
      this.#last = { id: s.runId, status, trigger: 'schedule', startedAt: s.startedAt, finishedAt: s.finishedAt, owner: runOwner };
      const verdict = judgeRun({ status, totals: s.totals, nothingToDo: s.nothingToDo }, onPartialBelow);
      if (verdict) this.#health = verdict;
      if (verdict && this.#notifier) {
        await this.#notifier.afterRun(previous, { pipeline: config.pipeline, health: verdict, status, runId: s.runId, totals: s.totals, error: s.fatal, reportPath: result.reportPath });
      }
      return { ran: true, runId: s.runId, status };
    } catch (error) {
      if (error instanceof PipelineLockedError) return this.#skipped('locked', undefined, error);
      const message = (error as Error).message ?? String(error);
      this.#log.error(`run failed: ${message}`);
      metrics.recordRun(config.pipeline, 'FAILED', (performance.now() - t0) / 1000, null);
      this.#health = 'bad';
      const runId = /run (\d{12}-SYNC-[0-9A-F]{8})/.exec(message)?.[1] ?? null;
      await this.#notifier?.afterRun(previous, { pipeline: config.pipeline, health: 'bad', status: 'FAILED', runId, totals: null, error: message, reportPath: null });
      return { ran: true, runId, status: 'FAILED' };
    }
  }

  #skipped(reason: SkipReason, going?: InFlightRun, error?: Error): TickOutcome {
    const { config, metrics } = this.#o;
    metrics.recordSkip(config.pipeline, reason);
    const running = going ?? this.#o.inFlight.get(config.pipeline);
    const why = reason === 'locked'
      ? error?.message ?? 'another process holds the pipeline lock'
      : `the previous run is still going${running ? ` (since ${running.since.toISOString()})` : ''}`;
    this.#log.info(`skipped a tick of ${config.pipeline}: ${why}`, { skipped: reason });
    return { ran: false, reason };
  }

  #announceNext(): void {
    const { config, metrics } = this.#o;
    const next = this.nextRun();
    metrics.setNextRun(config.pipeline, next);
    const tz = config.schedule?.timezone ?? 'UTC';
    this.#log.info(`${config.pipeline}: next run ${next ? `at ${formatIn(next, tz)}` : 'never (the pattern has no future match)'}`, {
      nextRun: next?.toISOString() ?? null, cron: config.schedule?.cron,
    });
  }

  async #catchUp(): Promise<void> {
    const { config } = this.#o;
    const previous = this.#cron?.previousRuns(1)[0];
    const last = await readLastStartedAt(this.connection.database.db, config.pipeline);
    // Never ran at all: nothing was missed (the first run is the first scheduled tick).
    if (!previous || !last || last.getTime() >= previous.getTime()) return;
    this.#log.info(`missed the run due at ${formatIn(previous, config.schedule!.timezone)} (last run started ${last.toISOString()}): running once now`);
    void this.#tick('missed');
  }
}

/** `2026-03-01 10:15:00 America/New_York` */
export function formatIn(date: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
    .formatToParts(date);
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')} ${timeZone}`;
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms); })]);
  } finally {
    clearTimeout(timer);
  }
}
