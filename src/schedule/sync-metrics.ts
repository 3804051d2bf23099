/** The metrics `ordersync serve` exposes on `/metrics`, fed by finished runs and the live monday client totals. */
import type { ClientStats } from '../monday/types.ts';
import type { RunSummary } from '../pipeline/run-summary.ts';
import { MetricsRegistry } from './metrics-registry.ts';

/** Upper bounds (seconds) of the run-duration histogram. */
export const RUN_DURATION_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600];

/** Why a tick did not start a run. */
export type SkipReason = 'overlap' | 'locked';

/** The sync metrics of one serve process. */
export class SyncMetrics {
  readonly registry = new MetricsRegistry();
  readonly #runs = this.registry.counter('ordersync_runs_total', 'Runs finished by this process, by pipeline and final status (SUCCESS, PARTIAL, FAILED, INTERRUPTED).');
  readonly #skipped = this.registry.counter('ordersync_runs_skipped_total', 'Scheduled ticks that did not run: overlap (the previous run was still going) or locked (another process holds the pipeline lock).');
  readonly #records = this.registry.counter('ordersync_records_total', 'Records (orders and order lines) processed by runs of this process, by outcome (synced, failed, pending).');
  readonly #requests = this.registry.counter('ordersync_api_requests_total', 'HTTP requests sent to monday.com (including retries).');
  readonly #complexity = this.registry.counter('ordersync_complexity_used_total', 'monday.com complexity points used.');
  readonly #rateLimited = this.registry.counter('ordersync_rate_limited_total', 'monday.com responses that were rate limits.');
  readonly #waited = this.registry.counter('ordersync_rate_limit_wait_seconds_total', 'Seconds spent waiting on rate limits, budget pacing and backoff.');
  readonly #duration = this.registry.histogram('ordersync_run_duration_seconds', 'Duration of finished runs.', RUN_DURATION_BUCKETS);
  readonly #inProgress = this.registry.gauge('ordersync_run_in_progress', '1 while a run of the pipeline is going in this process, else 0.');
  readonly #lastFinished = this.registry.gauge('ordersync_last_run_finished_timestamp_seconds', 'When the last run of this process finished (Unix seconds).');
  readonly #nextRun = this.registry.gauge('ordersync_next_run_timestamp_seconds', 'When the next scheduled run is due (Unix seconds); 0 when not scheduled.');
  readonly #retention = this.registry.counter('ordersync_api_log_retained_total', 'api-log rows moved to the archive or deleted by the retention job, by mode.');
  /** Totals of clients that were replaced (config reload), so the counters never go down. */
  readonly #retired = new Map<string, ClientStats>();
  readonly #clients = new Map<string, () => ClientStats>();

  constructor() {
    this.registry.onCollect(() => {
      for (const pipeline of new Set([...this.#retired.keys(), ...this.#clients.keys()])) {
        const total = addStats(this.#retired.get(pipeline), this.#clients.get(pipeline)?.());
        this.#requests.set({ pipeline }, total.requests);
        this.#complexity.set({ pipeline }, total.complexityUsed);
        this.#rateLimited.set({ pipeline }, total.rateLimited);
        this.#waited.set({ pipeline }, total.waitMs / 1000);
      }
    });
  }

  /** Declares a pipeline so its series exist (at zero) before its first run. */
  addPipeline(pipeline: string, stats: () => ClientStats): void {
    const previous = this.#clients.get(pipeline);
    if (previous) this.#retired.set(pipeline, addStats(this.#retired.get(pipeline), previous()));
    this.#clients.set(pipeline, stats);
    this.#inProgress.set({ pipeline }, 0);
  }

  /** Marks a run as started or ended. */
  setInProgress(pipeline: string, running: boolean): void {
    this.#inProgress.set({ pipeline }, running ? 1 : 0);
  }

  /** Records a finished run (summary null when the run threw before it had one). */
  recordRun(pipeline: string, status: string, durationSeconds: number, summary: RunSummary | null): void {
    this.#runs.inc({ pipeline, status });
    this.#duration.observe({ pipeline }, durationSeconds);
    this.#lastFinished.set({ pipeline }, Math.round(Date.now() / 1000));
    if (!summary) return;
    this.#records.inc({ pipeline, outcome: 'synced' }, summary.totals.synced);
    this.#records.inc({ pipeline, outcome: 'failed' }, summary.totals.failed);
    this.#records.inc({ pipeline, outcome: 'pending' }, summary.totals.pending);
  }

  /** Records a tick that did not run. */
  recordSkip(pipeline: string, reason: SkipReason): void {
    this.#skipped.inc({ pipeline, reason });
  }

  /** Records when the next run is due. */
  setNextRun(pipeline: string, at: Date | null): void {
    this.#nextRun.set({ pipeline }, at ? Math.round(at.getTime() / 1000) : 0);
  }

  /** Records rows handled by the retention job. */
  recordRetention(pipeline: string, mode: 'archive' | 'delete', rows: number): void {
    this.#retention.inc({ pipeline, mode }, rows);
  }

  /** The Prometheus text of every metric. */
  render(): string {
    return this.registry.render();
  }
}

function addStats(a: ClientStats | undefined, b: ClientStats | undefined): ClientStats {
  const zero: ClientStats = { requests: 0, mutations: 0, retries: 0, rateLimited: 0, waitMs: 0, complexityUsed: 0 };
  const x = a ?? zero;
  const y = b ?? zero;
  return {
    requests: x.requests + y.requests, mutations: x.mutations + y.mutations, retries: x.retries + y.retries,
    rateLimited: x.rateLimited + y.rateLimited, waitMs: x.waitMs + y.waitMs, complexityUsed: x.complexityUsed + y.complexityUsed,
  };
}
