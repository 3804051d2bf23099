/**
 * One served pipeline: its croner job (`protect: true`, so a run never overlaps the previous
 * one), its retention job, a run per tick under the cross-process pipeline lock, metrics,
 * notifications and what `/healthz` shows about it.
 */
import { Cron } from 'croner';
import type { PipelineConfig } from '../config/load-config.ts';
import { runOwner } from '../db/run-record.ts';
import type { Logger } from '../pipeline/logger.ts';
import type { PipelineConnection } from './connection-pool.ts';
import { formatInZone } from './format-in-zone.ts';
import { createNotifier, readPreviousHealth, type Notifier, type RunHealth } from './notifier.ts';
import type { RetainApiLogResult } from './retain-api-log.ts';
import { scheduleRetention, type RetentionJob } from './retention-job.ts';
import { runScheduled, type InFlightRun, type RunReason, type TickOutcome } from './run-scheduled.ts';
import { readLastStartedAt, readRunState, type RunInfo } from './run-state.ts';
import type { SkipReason, SyncMetrics } from './sync-metrics.ts';
import { withTimeout } from './with-timeout.ts';

/** How long `/healthz` waits for a pipeline's database to answer before it reports it down. */
const HEALTH_PING_MS = 1_000;

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
  /** Whether the pipeline's database answered a trivial query within a second. */
  database: 'up' | 'down';
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
  #retention: RetentionJob | null = null;
  #current: Promise<TickOutcome> | null = null;
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
    this.#retention = scheduleRetention({ config, database: this.connection.database, logger: this.#log, metrics, stopSignal: this.#o.stopSignal });
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
    await Promise.all([this.#current?.catch(() => {}), this.#retention?.idle()]);
  }

  /** What `/healthz` shows; the run history comes from the database (so it includes other processes' runs). */
  async health(): Promise<PipelineHealth> {
    const { config } = this.#o;
    const inFlight = this.#o.inFlight.get(config.pipeline);
    let state: Awaited<ReturnType<typeof readRunState>> = { last: this.#last, running: null };
    // A cheap bounded check first: no query is left queued behind a database that is down.
    const up = await this.connection.database.ping(HEALTH_PING_MS);
    if (up) {
      try {
        state = await withTimeout(readRunState(this.connection.database.db, config.pipeline), 2_000);
      } catch (error) {
        this.#log.debug(`healthz: run history unavailable: ${(error as Error).message}`);
      }
    }
    const next = this.nextRun();
    return {
      pipeline: config.pipeline, file: config.file, scheduled: Boolean(config.schedule), cron: config.schedule?.cron ?? null,
      timezone: config.schedule?.timezone ?? null, nextRun: next?.toISOString() ?? null,
      running: inFlight ? { since: inFlight.since.toISOString(), reason: inFlight.reason, runId: state.running?.owner === runOwner ? state.running.id : null } : null,
      lastRun: state.last, database: up ? 'up' : 'down', health: this.#health,
    };
  }

  /** Applies api-log retention now (it also runs on `retention.cron`). */
  runRetention(): Promise<RetainApiLogResult | null> {
    return this.#retention?.runNow() ?? Promise.resolve(null);
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
    this.#o.metrics.setInProgress(this.config.pipeline, true);
    const result = await runScheduled({ ...this.#o, notifier: this.#notifier, run });
    if (!result.outcome.ran) return this.#skipped(result.outcome.reason, undefined, result.outcome.why);
    if (result.health) this.#health = result.health;
    if (result.last) this.#last = result.last;
    return result.outcome;
  }

  #skipped(reason: SkipReason, going?: InFlightRun, lockMessage?: string): TickOutcome {
    const { config, metrics } = this.#o;
    metrics.recordSkip(config.pipeline, reason);
    const running = going ?? this.#o.inFlight.get(config.pipeline);
    const why = reason === 'locked'
      ? lockMessage ?? 'another process holds the pipeline lock'
      : `the previous run is still going${running ? ` (since ${running.since.toISOString()})` : ''}`;
    this.#log.info(`skipped a tick of ${config.pipeline}: ${why}`, { skipped: reason });
    return { ran: false, reason, why };
  }

  #announceNext(): void {
    const { config, metrics } = this.#o;
    const next = this.nextRun();
    metrics.setNextRun(config.pipeline, next);
    const tz = config.schedule?.timezone ?? 'UTC';
    this.#log.info(`${config.pipeline}: next run ${next ? `at ${formatInZone(next, tz)}` : 'never (the pattern has no future match)'}`, {
      nextRun: next?.toISOString() ?? null, cron: config.schedule?.cron,
    });
  }

  async #catchUp(): Promise<void> {
    const { config } = this.#o;
    const previous = this.#cron?.previousRuns(1)[0];
    const last = await readLastStartedAt(this.connection.database.db, config.pipeline);
    // Never ran at all: nothing was missed (the first run is the first scheduled tick).
    if (!previous || !last || last.getTime() >= previous.getTime()) return;
    this.#log.info(`missed the run due at ${formatInZone(previous, config.schedule!.timezone)} (last run started ${last.toISOString()}): running once now`);
    void this.#tick('missed');
  }
}
