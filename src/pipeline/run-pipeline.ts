/**
 * Runs one pipeline once: the lifecycle (lock, run row, finish), a page loop per customer
 * (sync-customer.ts), the summary (build-summary.ts) and the report.
 */
import { ConfigError } from '../config/config-issue.ts';
import type { PipelineConfig } from '../config/load-config.ts';
import type { Database } from '../db/open-database.ts';
import { withPipelineLock } from '../db/pipeline-lock.ts';
import { finishRunRecord, setRunReportPath, startRunRecord } from '../db/run-record.ts';
import type { RunStatus } from '../db/tables.ts';
import { MondayError, type MondayClient } from '../monday/types.ts';
import { RunStopError, type Extractor, type Reporter, type ResolvedGroup, type StageKind, type WriteBack } from './contract/index.ts';
import { createPluginContext } from './create-context.ts';
import { createPageStages, createStage } from './create-stages.ts';
import { emptyPlan, type DryRunPlan } from './dry-run-plan.ts';
import type { Logger } from './logger.ts';
import { buildSummary } from './build-summary.ts';
import { describeUnconfigured, runPreflight, type PreflightReport } from './preflight.ts';
import { createRunGuard, endAfterOutage, isDatabaseLoss, takeOverAbandoned, type RunGuard } from './run-guard.ts';
import { createRunId } from './run-id.ts';
import { reconcileCounts } from './run-stats.ts';
import { deriveStatus, type CustomerResult, type RunSummary } from './run-summary.ts';
import { StageError } from './stage-error.ts';
import { createStageTimer, type StageTimer } from './stage-timer.ts';
import { syncCustomer, type Progress, type RunScope } from './sync-customer.ts';
import { runWriteBack, type WriteBackResult } from './write-back/run-write-back.ts';

export type { Progress } from './sync-customer.ts';

/** What one run needs. */
export interface RunOptions {
  config: PipelineConfig;
  database: Database;
  monday: MondayClient;
  /** Where monday is, for reports (no token). */
  target: string;
  logger: Logger;
  trigger?: 'manual' | 'schedule';
  dryRun?: boolean;
  /** Only these customers (default: all configured). */
  customers?: string[];
  /** At most this many orders in this run. */
  limit?: number;
  /** Resend everything regardless of fingerprints. */
  force?: boolean;
  /** Put FAILED records back to PENDING first and retry them even if unchanged. */
  retryFailed?: boolean;
  signal?: AbortSignal;
  now?: () => Date;
  onProgress?: (progress: Progress) => void;
}

/** What a run produced. */
export interface RunResult {
  summary: RunSummary;
  plan: DryRunPlan | null;
  /** The report's folder, as stored with the run. */
  reportPath: string | null;
  /** The report file a person opens first. */
  reportEntry: string | null;
  /** How the run row ended. */
  runStatus: RunStatus | null;
}

/** Runs the pipeline once under its lock; throws PipelineLockedError if another run holds it. */
export async function runPipeline(options: RunOptions): Promise<RunResult> {
  const { config, database } = options;
  const runId = createRunId((options.now ?? (() => new Date()))());
  const log = options.logger.child({ run: runId, pipeline: config.pipeline });
  const unknown = (options.customers ?? []).filter((name) => !config.customers.some((c) => c.name === name));
  if (unknown.length > 0) throw new Error(`run: unknown customer ${unknown.join(', ')}; configured: ${config.customers.map((c) => c.name).join(', ')}`);
  const customers = config.customers.filter((c) => !options.customers?.length || options.customers.includes(c.name));
  // A lost database ends the run with its own error (exit 4), after closing the run row if it comes back in time.
  const outage = { database, url: config.database.url, log, signal: options.signal };
  const recorded = { row: false };
  try {
    return await withPipelineLock(database, config.pipeline, async (lock) => {
      const guard = createRunGuard(lock, database, log, options.signal);
      try {
        return await runLocked(options, { runId, log, customers, guard, recorded });
      } catch (error) {
        return await endAfterOutage(error, { ...outage, runId: recorded.row ? runId : null, guard });
      } finally {
        guard.stop();
      }
    });
  } catch (error) {
    // Taking or giving back the lock met the outage: the row (if any) was dealt with above.
    return endAfterOutage(error, { ...outage, runId: null, guard: null });
  }
}

/** The run itself, under the lock. */
async function runLocked(
  options: RunOptions, run: { runId: string; log: Logger; customers: PipelineConfig['customers']; guard: RunGuard; recorded: { row: boolean } },
): Promise<RunResult> {
  const { config, database } = options;
  const { runId, log, customers, guard } = run;
  const now = options.now ?? (() => new Date());
  const dryRun = options.dryRun ?? false;
  const ctx = createPluginContext({
    db: database.db, monday: options.monday, logger: log, runId, pipeline: config.pipeline, signal: guard.signal, dryRun,
    force: options.force, retryFailed: options.retryFailed, configDir: config.dir, now,
    boardFor: (name) => config.customers.find((c) => c.name === name)?.board ?? config.monday.board,
  });
  // Taken under the lock, so recorded run intervals of one pipeline never overlap.
  const startedAt = now();
  // Before anything is written: a config that points at nothing stops here, every problem located.
  let fatal: string | null = null;
  const preflight = await runPreflight(config, createPluginContext({ ...ctx, dryRun: true }), customers.map((c) => c.name)).catch((error: unknown) => {
    // monday refused us outright (token, daily limit): the run is recorded as stopped, with the reason.
    if (!(error instanceof MondayError)) throw error;
    fatal = error.message;
    return { issues: [], unconfigured: [], warnings: [], requests: 0, durationMs: 0 } satisfies PreflightReport;
  });
  if (preflight.issues.length > 0) throw new ConfigError(preflight.issues);
  for (const u of preflight.unconfigured) log.warn(describeUnconfigured(u));
  for (const w of preflight.warnings) log.warn(w);
  if (!dryRun) {
    await takeOverAbandoned(database, config.pipeline, runId, log);
    await startRunRecord(database.db, { id: runId, pipeline: config.pipeline, trigger: options.trigger ?? 'manual', startedAt });
    run.recorded.row = true;
    guard.beat(runId);
  }
  log.info(`${dryRun ? 'dry run' : 'run'} started`, { customers: customers.map((c) => c.name), database: database.where, target: options.target });
  const plugins = Object.fromEntries(Object.entries(config.stages).map(([kind, s]) => [kind, s.use])) as Record<StageKind, string>;
  const timer = createStageTimer(runId, plugins);
  const groups: ResolvedGroup[] = [];
  const results: CustomerResult[] = [];
  const plan = dryRun ? emptyPlan() : null;
  const statsBefore = options.monday.stats();
  let reporter: Reporter | null = null;
  let notReached = { customers: [] as string[], remaining: 0 };
  let outstandingFailed: number | null = null;
  let writtenBack: WriteBackResult | null = null;
  const failRun = async (error: unknown): Promise<never> => {
    // A lost database is not a failed run: endAfterOutage closes the row as INTERRUPTED.
    if (!dryRun && !isDatabaseLoss(database, error)) await finishRunRecord(database.db, runId, { status: 'FAILED', summary: null, error: (error as Error).message, finishedAt: now() });
    throw error;
  };
  try {
    // Created first: a report stage that cannot start fails the run before anything is written.
    reporter = dryRun ? null : await timer.stage('report', undefined, () => createStage(config.stages.report, ctx));
    if (fatal) log.error(`run stopped: ${fatal}`);
    else {
      const stages = await createPageStages(config.stages, ctx, timer);
      try {
        // People's edits on monday reach the database first (never re-marking a row PENDING).
        if (!dryRun && config.writeBack) {
          const boards = [...new Set(customers.map((c) => ctx.boardFor(c.name)))];
          writtenBack = await timer.core(() => runWriteBack({ config: config.writeBack!, monday: options.monday, db: database.db, pipeline: config.pipeline, boards, source: stages.extract, logger: log, signal: ctx.signal, now }));
          log.info(`written back ${writtenBack.rowsChanged} row(s) from ${writtenBack.itemsRead} item(s) people changed on monday`, { ...writtenBack });
        }
        const scope: RunScope = { ctx, db: database.db, stages, timer, plan, groups, sampleSize: reporter?.sampleSize ?? 0, thresholds: config.thresholds, onProgress: options.onProgress, fence: guard.fence };
        fatal = await syncCustomers(scope, customers.map((c) => c.name), options.limit ?? Number.POSITIVE_INFINITY, results);
        if (!dryRun) await reconcileWithDatabase(stages.extract.writeBack, results, config.thresholds, log, timer);
        notReached = await countNotReached(stages.extract, customers.map((c) => c.name), results, dryRun, timer);
        outstandingFailed = dryRun ? null : await countOutstanding(stages.extract.writeBack, customers.map((c) => c.name), log, timer);
      } finally {
        await stages.extract.close();
      }
    }
  } catch (error) {
    return failRun(error);
  }

  const interrupted = ctx.signal.aborted;
  // A lost lock ends the run INTERRUPTED, with the reason where every surface shows it.
  fatal = guard.lost() ?? fatal;
  const summary = buildSummary({
    runId, pipeline: config.pipeline, trigger: options.trigger ?? 'manual', dryRun, startedAt, finishedAt: now(),
    timezone: config.schedule?.timezone ?? 'UTC', thresholds: config.thresholds, customers: results, groups,
    monday: { before: statsBefore, after: options.monday.stats() }, stages: timer.timings(),
    database: database.where, target: options.target, fatal, preflight, interrupted,
    notReached: notReached.customers, notReachedRemaining: notReached.remaining, outstandingFailed,
  });
  if (writtenBack) {
    summary.writtenBack = { itemsRead: writtenBack.itemsRead, rowsChanged: writtenBack.rowsChanged, skipped: writtenBack.skipped };
    summary.warnings.push(...writtenBack.problems.map((p) => `write-back stopped for ${p}`));
  }
  if (dryRun || !reporter) return { summary, plan, reportPath: null, reportEntry: null, runStatus: null };

  // One status on every surface: the run row, the log line, the summary, run.json, the CLI and its exit code.
  const runStatus: RunStatus = summary.status;
  const finishedAt = new Date(summary.finishedAt);
  await finishRunRecord(database.db, runId, { status: runStatus, summary, error: fatal, finishedAt });
  // Every line of a run that did not succeed says why, in pretty and JSON logs alike.
  const why = summary.fatal ?? (summary.status !== 'FAILED' && summary.status !== 'PARTIAL' ? null : summary.errors[0] ? `${summary.errors[0].count} record(s): ${summary.errors[0].reason}` : null);
  log[summary.status === 'SUCCESS' ? 'info' : 'warn'](`run finished: ${summary.status}${why ? ` — ${why}` : ''}`, {
    synced: summary.totals.synced, failed: summary.totals.failed, pending: summary.totals.pending, ...(why ? { reason: why } : {}),
    ...(summary.notReached.length > 0 ? { notReached: summary.notReached, remaining: summary.remaining } : {}),
  });
  // A run with nothing to do leaves its row (and the log line), not a report, unless the report stage wants one.
  if (summary.nothingToDo && !reporter.writesEmptyRuns) {
    log.info('nothing to do: no report written (the report stage can be asked to write one, e.g. onEmpty: write)');
    return { summary, plan: null, reportPath: null, reportEntry: null, runStatus };
  }
  const written = await timer.stage('report', undefined, () => reporter!.render(summary)).catch(async (error: unknown) => {
    await finishRunRecord(database.db, runId, { status: runStatus, summary, error: (error as Error).message, finishedAt });
    throw error;
  });
  // The report cannot contain its own rendering time; the stored summary (and re-renders) can.
  summary.performance.stages = timer.timings();
  await setRunReportPath(database.db, runId, written.path, summary);
  return { summary, plan: null, reportPath: written.path, reportEntry: written.entry, runStatus };
}

/** Customers the run never started, and how many orders they still have pending (their extract count). */
async function countNotReached(
  extract: Extractor, selected: string[], results: CustomerResult[], dryRun: boolean, timer: StageTimer,
): Promise<{ customers: string[]; remaining: number }> {
  const customers = selected.filter((name) => !results.some((r) => r.customer === name));
  let remaining = 0;
  if (!dryRun) for (const customer of customers) remaining += await timer.stage('extract', customer, () => extract.count(customer));
  return { customers, remaining };
}

/** FAILED records earlier runs left (null when the source cannot tell, or the count fails). */
async function countOutstanding(writeBack: WriteBack, customers: string[], log: Logger, timer: StageTimer): Promise<number | null> {
  if (!writeBack.outstanding) return null;
  try {
    return await timer.stage('extract', undefined, () => writeBack.outstanding!(customers));
  } catch (error) {
    log.warn(`could not count FAILED records of earlier runs: ${(error as Error).message}`);
    return null;
  }
}

/** Syncs each customer in turn into `results`; returns the reason when monday stopped the run (auth, daily limit). */
async function syncCustomers(scope: RunScope, customers: string[], limit: number, results: CustomerResult[]): Promise<string | null> {
  let left = limit;
  // The customer an error stopped part-way, with what it did (set by syncCustomer).
  const stoppedIn: { result: CustomerResult | null } = { result: null };
  try {
    for (const customer of customers) {
      if (scope.ctx.signal.aborted || left <= 0) break;
      stoppedIn.result = null;
      const { result, orders } = await syncCustomer({ ...scope, onStopped: (p) => { stoppedIn.result = p; } }, customer, left);
      results.push(result);
      left -= orders;
    }
    return null;
  } catch (error) {
    const stop = error instanceof StageError && (error.cause instanceof MondayError || error.cause instanceof RunStopError) ? error.cause : null;
    if (!stop || scope.ctx.dryRun) throw error;
    // What was sent is settled; the rest stays PENDING for the next run. The customer it stopped in
    // is counted with what it did (the database's tally gives its numbers), not as "not reached".
    const stopped = stoppedIn.result;
    if (stopped) {
      stopped.remaining = await scope.stages.extract.count(stopped.customer).catch(() => 0);
      results.push(stopped);
    }
    scope.ctx.logger.error(`run stopped: ${stop.message}`);
    return stop.message;
  }
}

/** Replaces each customer's state counts with the database's own tally (the numbers reports must match). */
async function reconcileWithDatabase(
  writeBack: WriteBack,
  results: CustomerResult[],
  thresholds: { success: number; partial: number },
  log: Logger,
  timer: StageTimer,
): Promise<void> {
  const tally = await timer.stage('extract', undefined, () => writeBack.tally(results.map((r) => r.customer)));
  for (const result of results) {
    const mismatch = reconcileCounts(result, Object.fromEntries(tally.filter((t) => t.customer === result.customer).map((t) => [t.state, t.count])));
    if (mismatch) log.warn(`counts reconciled with the database: ${mismatch}`);
    result.status = deriveStatus(result.counts, thresholds);
  }
}
