/**
 * Runs one pipeline once: for each customer, pages of pending records flow through
 * extract → transform → group-resolve → load; then the report stage renders the run.
 */
import type { PipelineConfig } from '../config/load-config.ts';
import { appendApiLog } from '../db/api-log.ts';
import type { Database } from '../db/open-database.ts';
import { closeAbandonedRuns, finishRunRecord, setRunReportPath, startRunRecord, touchRunRecord } from '../db/run-record.ts';
import type { RunStatus } from '../db/tables.ts';
import { MondayError, type MondayClient } from '../monday/types.ts';
import { describeRuntime } from '../runtime/index.ts';
import { withPipelineLock } from '../schedule/pipeline-lock.ts';
import { addToPlan, emptyPlan, type DryRunPlan } from './dry-run-plan.ts';
import type { Logger } from './logger.ts';
import type { EntityOutcome, LoadSink, PlannedRecord, PluginContext, ResolvedGroup, StageInstances, StageKind } from './plugin.ts';
import { createRunId } from './run-id.ts';
import { attachPreviousState, findRemovedLines, saveRecordStates } from './record-state.ts';
import { addCounts, CustomerStats, groupErrors, reconcileCounts, uniqueGroups } from './run-stats.ts';
import { deriveStatus, emptyCounts, type RunSummary, type StageTimings } from './run-summary.ts';
import { inStage, StageError } from './stage-error.ts';

/** Progress of one customer, for progress bars and log lines. */
export interface Progress {
  customer: string;
  done: number;
  total: number;
}

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
  reportPath: string | null;
  /** How the run row ended. */
  runStatus: RunStatus | null;
}

/** Runs the pipeline once under its lock; throws PipelineLockedError if another run holds it. */
export async function runPipeline(options: RunOptions): Promise<RunResult> {
  const { config, database, logger } = options;
  const now = options.now ?? (() => new Date());
  const dryRun = options.dryRun ?? false;
  const runId = createRunId(now());
  const signal = options.signal ?? new AbortController().signal;
  const log = logger.child({ run: runId, pipeline: config.pipeline });
  const unknown = (options.customers ?? []).filter((name) => !config.customers.some((c) => c.name === name));
  if (unknown.length > 0) throw new Error(`run: unknown customer ${unknown.join(', ')}; configured: ${config.customers.map((c) => c.name).join(', ')}`);
  const customers = config.customers.filter((c) => !options.customers?.length || options.customers.includes(c.name));
  const boardFor = (name: string): string => config.customers.find((c) => c.name === name)?.board ?? config.monday.board;
  const ctx: PluginContext = {
    db: database.db, monday: options.monday, logger: log, runId, pipeline: config.pipeline, signal, dryRun,
    force: options.force ?? false, retryFailed: options.retryFailed ?? false, configDir: config.dir, boardFor, now,
  };

  return withPipelineLock(database, config.pipeline, async () => {
    // Taken under the lock, so recorded run intervals of one pipeline never overlap.
    const startedAt = now();
    if (!dryRun) {
      const closed = await closeAbandonedRuns(database.db, config.pipeline, runId);
      if (closed.length > 0) log.warn(`closed ${closed.length} abandoned run(s); their records are picked up now`, { runs: closed });
      await startRunRecord(database.db, { id: runId, pipeline: config.pipeline, trigger: options.trigger ?? 'manual', startedAt });
    }
    log.info(`${dryRun ? 'dry run' : 'run'} started`, { customers: customers.map((c) => c.name), database: database.where, target: options.target });
    const timings: StageTimings = { extract: 0, transform: 0, 'group-resolve': 0, load: 0, report: 0 };
    const timed = async <T>(stage: StageKind, customer: string | undefined, fn: () => Promise<T> | T): Promise<T> => {
      const t0 = performance.now();
      try {
        return await inStage({ stage, plugin: config.stages[stage].use, runId, customer }, fn);
      } finally {
        timings[stage] += performance.now() - t0;
      }
    };
    const stages = {} as StageInstances;
    const results: ReturnType<CustomerStats['finish']>[] = [];
    const groups: ResolvedGroup[] = [];
    const plan = dryRun ? emptyPlan() : null;
    const statsBefore = options.monday.stats();
    let fatal: string | null = null;
    let source: StageInstances['extract'] | null = null;
    try {
      for (const kind of ['extract', 'transform', 'group-resolve', 'load'] as const) {
        const stage = config.stages[kind];
        (stages as unknown as Record<string, unknown>)[kind] = await timed(kind, undefined, () => stage.plugin.create(stage.options as never, ctx));
      }
      source = stages.extract;
      let left = options.limit ?? Number.POSITIVE_INFINITY;
      for (const customer of customers) {
        if (signal.aborted || left <= 0) break;
        const t0 = performance.now();
        const stats = new CustomerStats(customer.name, boardFor(customer.name));
        if (options.retryFailed && !dryRun) {
          const requeued = await timed('extract', customer.name, () => source!.requeueFailed(customer.name));
          if (requeued > 0) log.info(`${customer.name}: ${requeued} FAILED record(s) put back to PENDING`);
        }
        const total = Math.min(await timed('extract', customer.name, () => source!.count(customer.name)), left);
        let done = 0;
        options.onProgress?.({ customer: customer.name, done, total });
        const sink = createSink(ctx, source, stats, database, false);
        const removalSink = createSink(ctx, source, stats, database, true);
        const pages = source.pages(customer.name, { limit: Number.isFinite(left) ? left : undefined })[Symbol.asyncIterator]();
        while (!signal.aborted) {
          const next = await timed('extract', customer.name, () => pages.next());
          if (next.done) break;
          const page = next.value;
          const planned = await timed('transform', customer.name, () => page.map((r) => stages.transform.map(r, boardFor(customer.name))));
          const resolved = await timed('group-resolve', customer.name, () => stages['group-resolve'].resolve(planned));
          groups.push(...resolved);
          await timed('load', customer.name, () => attachPreviousState(database.db, planned));
          if (plan) addToPlan(plan, planned, resolved);
          else {
            await timed('group-resolve', customer.name, () => recordGroups(source!, customer.name, planned, resolved));
            await timed('load', customer.name, () => stages.load.load(planned, sink));
            if (stages.load.removeLines) {
              const removed = await findRemovedLines(database.db, planned);
              if (removed.length > 0) await timed('load', customer.name, () => stages.load.removeLines!(boardFor(customer.name), customer.name, removed, removalSink));
            }
            await touchRunRecord(database.db, runId);
          }
          done += page.length;
          left -= page.length;
          options.onProgress?.({ customer: customer.name, done, total });
        }
        const remaining = dryRun ? 0 : await source.count(customer.name);
        results.push(stats.finish(performance.now() - t0, remaining, config.thresholds));
      }
    } catch (error) {
      const monday = error instanceof StageError && error.cause instanceof MondayError ? error.cause : null;
      if (!monday || dryRun) {
        if (!dryRun) await finishRunRecord(database.db, runId, { status: 'FAILED', summary: null, error: (error as Error).message, finishedAt: now() });
        throw error;
      }
      // Auth and daily-limit stops: what was sent is settled, the rest stays PENDING for the next run.
      fatal = monday.message;
      log.error(`run stopped: ${monday.message}`);
    }

    if (!dryRun && source) {
      const tally = await source.tally(results.map((r) => r.customer));
      for (const result of results) {
        const mismatch = reconcileCounts(result, Object.fromEntries(tally.filter((t) => t.customer === result.customer).map((t) => [t.state, t.count])));
        if (mismatch) log.warn(`counts reconciled with the database: ${mismatch}`);
        result.status = deriveStatus(result.counts, config.thresholds);
      }
    }
    const finishedAt = now();
    const totals = results.reduce((sum, r) => addCounts(sum, r.counts), emptyCounts());
    const statsAfter = options.monday.stats();
    const durationMs = finishedAt.getTime() - startedAt.getTime();
    const summary: RunSummary = {
      runId, pipeline: config.pipeline, trigger: options.trigger ?? 'manual', dryRun,
      startedAt: startedAt.toISOString(), finishedAt: finishedAt.toISOString(), timezone: config.schedule?.timezone ?? 'UTC',
      status: fatal ? 'FAILED' : deriveStatus(totals, config.thresholds),
      nothingToDo: totals.processed === 0 && !fatal, thresholds: config.thresholds, totals, customers: results,
      groups: uniqueGroups(groups), errors: groupErrors(results),
      performance: {
        durationMs, recordsPerSecond: durationMs > 0 ? Math.round((totals.processed / durationMs) * 100_000) / 100 : 0,
        apiRequests: statsAfter.requests - statsBefore.requests, mutations: statsAfter.mutations - statsBefore.mutations,
        complexityUsed: statsAfter.complexityUsed - statsBefore.complexityUsed, retries: statsAfter.retries - statsBefore.retries,
        rateLimited: statsAfter.rateLimited - statsBefore.rateLimited, waitMs: statsAfter.waitMs - statsBefore.waitMs,
        stages: Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v)])) as StageTimings,
      },
      database: database.where, target: options.target, fatal, runtime: describeRuntime(),
    };
    if (dryRun) return { summary, plan, reportPath: null, runStatus: null };

    const runStatus: RunStatus = signal.aborted ? 'INTERRUPTED' : fatal ? 'FAILED' : summary.status;
    await finishRunRecord(database.db, runId, { status: runStatus, summary, error: fatal, finishedAt });
    log.info(`run finished: ${summary.status}`, { synced: totals.synced, failed: totals.failed, pending: totals.pending });
    const report = config.stages.report;
    const reportPath = await timed('report', undefined, async () => {
      const reporter = await report.plugin.create(report.options as never, ctx);
      return (await reporter.render(summary)).path;
    }).catch(async (error: unknown) => {
      await finishRunRecord(database.db, runId, { status: runStatus, summary, error: (error as Error).message, finishedAt });
      throw error;
    });
    // The report cannot contain its own rendering time; the stored summary (and re-renders) can.
    summary.performance.stages.report = Math.round(timings.report);
    await setRunReportPath(database.db, runId, reportPath, summary);
    return { summary, plan: null, reportPath, runStatus };
  });
}

/** Writes group titles and ids back to the source. */
async function recordGroups(source: StageInstances['extract'], customer: string, planned: PlannedRecord[], resolved: ResolvedGroup[]): Promise<void> {
  await source.recordGroupTitles(planned.filter((r) => r.item).map((r) => ({ key: r.source.key, title: r.groupTitle, reason: r.item?.problem ?? null })));
  for (const group of resolved) if (group.groupId) await source.assignGroup(customer, group.title, group.groupId);
}

/** The sink load writes through: attempts stamped before requests; outcomes to the api log, the source and the stats. */
function createSink(ctx: PluginContext, source: StageInstances['extract'], stats: CustomerStats, database: Database, removals: boolean): LoadSink {
  const attemptOf = new Map<string, string>();
  return {
    async attempt(mark) {
      for (const e of mark.entities) attemptOf.set(`${e.entity}:${e.key}`, mark.attemptId);
      await source.markAttempt(mark);
    },
    async settle(outcomes: EntityOutcome[]) {
      if (outcomes.length === 0) return;
      await appendApiLog(
        database.db,
        outcomes.filter((o) => o.request !== null).map((o) => ({
          runId: ctx.runId, attemptId: attemptOf.get(`${o.entity}:${o.key}`) ?? ctx.runId, entity: o.entity, recordKey: o.key,
          customer: o.customer, operation: operationOf(o.request), outcome: o.state, error: o.error, request: o.request, response: o.response,
        })),
      );
      await saveRecordStates(database.db, ctx.boardFor, outcomes);
      if (removals) {
        stats.result.counts.removed += outcomes.filter((o) => o.state === 'SYNCED').length;
        return;
      }
      await source.settle(outcomes);
      for (const o of outcomes) stats.add(o, o.order);
    },
  };
}

function operationOf(request: unknown): string {
  const doc = (request as { document?: string } | null)?.document ?? '';
  return /:\s*([a-z_]+)\s*\(/.exec(doc)?.[1] ?? 'unknown';
}
