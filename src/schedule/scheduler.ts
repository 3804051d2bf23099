/**
 * The scheduler of `ordersync serve`: one PipelineJob per pipeline file, reloadable (a valid
 * edit reschedules, an invalid one is rejected by the caller before it gets here), and a
 * graceful stop that lets runs finish the batch in flight within a deadline.
 */
import type { PipelineConfig } from '../config/load-config.ts';
import { createLogger, type Logger, type LoggerOptions } from '../pipeline/logger.ts';
import type { Connect, ConnectionPool } from './connection-pool.ts';
import { PipelineJob, type PipelineHealth } from './pipeline-job.ts';
import type { InFlightRun, TickOutcome } from './run-scheduled.ts';
import { SyncMetrics } from './sync-metrics.ts';
import { settlesWithin } from './with-timeout.ts';

/** What the scheduler needs. */
export interface SchedulerOptions {
  configs: PipelineConfig[];
  /** Log format, level and sink; each pipeline adds its own secrets (token, password, webhook). */
  log?: Omit<LoggerOptions, 'secrets'>;
  /** Opens a pipeline's database and monday target; closed at stop. Either this or `connect`. */
  pool?: ConnectionPool;
  /** Opens a pipeline's database and monday target (a caller-owned connection, e.g. in tests). */
  connect?: Connect;
  metrics?: SyncMetrics;
}

/** The `/healthz` document. */
export interface SchedulerHealth {
  /** `degraded` while a pipeline's database is down (`/healthz` answers 503 then, and while stopping). */
  status: 'ok' | 'degraded' | 'stopping';
  startedAt: string;
  /** Pipelines with a run going in this process. */
  running: string[];
  pipelines: PipelineHealth[];
}

/** How a stop went. */
export interface StopResult {
  /** Runs were still going when the deadline passed (their requests were aborted). */
  timedOut: boolean;
  /** Pipelines whose run was asked to stop. */
  interrupted: string[];
}

/** A running scheduler. */
export interface Scheduler {
  readonly metrics: SyncMetrics;
  /** The jobs, by pipeline name. */
  jobs(): ReadonlyMap<string, PipelineJob>;
  /** Runs a pipeline now (skipped if a run of it is going). */
  runNow(pipeline: string): Promise<TickOutcome>;
  /** Replaces the served pipelines: added ones start, removed ones stop, changed ones are rescheduled. */
  reload(configs: PipelineConfig[]): Promise<void>;
  health(): Promise<SchedulerHealth>;
  /** Stops scheduling, asks runs to stop after their batch, waits up to `timeoutMs`, closes everything. */
  stop(timeoutMs: number): Promise<StopResult>;
}

/** Starts a job per pipeline; resolves once all are scheduled (missed runs are started, not awaited). */
export async function startScheduler(options: SchedulerOptions): Promise<Scheduler> {
  const metrics = options.metrics ?? new SyncMetrics();
  const pool = options.pool ?? null;
  const connect = options.connect ?? pool?.connect;
  if (!connect) throw new Error('serve: the scheduler needs a connection pool or a connect function');
  const base = createLogger(options.log ?? {});
  const inFlight = new Map<string, InFlightRun>();
  const stopping = new AbortController();
  const jobs = new Map<string, PipelineJob>();
  const startedAt = new Date().toISOString();

  const loggerFor = (config: PipelineConfig): Logger =>
    createLogger({ ...options.log, secrets: [...config.secrets, ...(config.notify?.webhook ? [config.notify.webhook] : [])] }, { pipeline: config.pipeline });

  const createJob = async (config: PipelineConfig, catchUp: boolean): Promise<PipelineJob> => {
    const logger = loggerFor(config);
    const connection = await connect(config, logger);
    const job = new PipelineJob({ config, connection, logger, metrics, inFlight, stopSignal: stopping.signal });
    try {
      await job.start({ catchUp });
    } catch (error) {
      job.stopScheduling();
      await connection.release();
      throw error;
    }
    return job;
  };
  /** Stops a job's schedule now; gives its connection back once its run (if any) is over. */
  const retire = async (job: PipelineJob): Promise<void> => {
    job.stopScheduling();
    await job.idle();
    await job.connection.release();
  };

  try {
    for (const config of options.configs) jobs.set(config.pipeline, await createJob(config, true));
  } catch (error) {
    for (const job of jobs.values()) await retire(job);
    await pool?.closeAll();
    throw error;
  }

  return {
    metrics,
    jobs: () => jobs,
    runNow: (pipeline) => {
      const job = jobs.get(pipeline);
      if (!job) throw new Error(`scheduler: no pipeline ${pipeline}; serving ${[...jobs.keys()].join(', ')}`);
      return job.runNow('manual');
    },
    async reload(configs) {
      const wanted = new Map(configs.map((c) => [c.pipeline, c]));
      for (const [name, job] of [...jobs]) {
        if (wanted.has(name)) continue;
        jobs.delete(name);
        base.info(`reload: ${name} is no longer configured; unscheduled (a run in progress finishes)`, { pipeline: name });
        void retire(job);
      }
      for (const config of configs) {
        const old = jobs.get(config.pipeline);
        if (old && fingerprint(old.config) === fingerprint(config)) continue;
        try {
          // The new job starts first: if its database cannot be opened, the old one keeps running.
          // Both scheduled for a moment is harmless: runs of one pipeline share one in-flight slot.
          const job = await createJob(config, false);
          jobs.set(config.pipeline, job);
          base.info(`reload: ${config.pipeline} ${old ? 'rescheduled with its new config' : 'added'}`, { pipeline: config.pipeline, file: config.file });
          if (old) void retire(old);
        } catch (error) {
          loggerFor(config).error(`reload: ${config.pipeline} could not start with its new config${old ? ', keeping the old one' : ''}: ${(error as Error).message}`);
        }
      }
    },
    async health() {
      const pipelines = await Promise.all([...jobs.values()].map((job) => job.health()));
      const status = stopping.signal.aborted ? 'stopping' : pipelines.some((p) => p.database === 'down') ? 'degraded' : 'ok';
      return { status, startedAt, running: [...inFlight.keys()], pipelines };
    },
    async stop(timeoutMs) {
      stopping.abort();
      for (const job of jobs.values()) job.stopScheduling();
      const runs = [...inFlight.entries()];
      for (const [, run] of runs) run.soft.abort();
      if (runs.length > 0) base.info(`stopping: asked ${runs.map(([name]) => name).join(', ')} to stop after the batch in flight (up to ${Math.round(timeoutMs / 1000)} s)`);
      const all = Promise.all([...runs.map(([, run]) => run.done.catch(() => {})), ...[...jobs.values()].map((job) => job.idle())]);
      const timedOut = !(await settlesWithin(all, timeoutMs));
      if (timedOut) {
        base.warn(`stopping: runs still going after ${Math.round(timeoutMs / 1000)} s; aborting their requests (the next run picks up their records)`);
        for (const [, run] of runs) run.hard.abort();
        await settlesWithin(all, 5_000);
      }
      for (const job of jobs.values()) await job.connection.release().catch(() => {});
      jobs.clear();
      await pool?.closeAll();
      return { timedOut, interrupted: runs.map(([name]) => name) };
    },
  };
}

/** What makes two configs of a pipeline the same for scheduling: everything but the loaded plugin objects. */
function fingerprint(config: PipelineConfig): string {
  const stages = Object.fromEntries(Object.entries(config.stages).map(([kind, stage]) => [kind, { use: stage.use, options: stage.options }]));
  return JSON.stringify({ ...config, stages });
}
