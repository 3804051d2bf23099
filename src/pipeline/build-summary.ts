/** Builds a run's summary from its customer results, groups, client statistics and timings. */
import type { ClientStats } from '../monday/types.ts';
import { describeRuntime } from '../runtime/index.ts';
import type { ResolvedGroup } from './contract/index.ts';
import type { PreflightReport } from './preflight.ts';
import { addCounts, groupErrors, sumConflicts, uniqueGroups } from './run-stats.ts';
import { deriveStatus, emptyCounts, type CustomerResult, type RunSummary, type StageTimings } from './run-summary.ts';

/** What a summary is built from. */
export interface SummaryInput {
  runId: string;
  pipeline: string;
  trigger: 'manual' | 'schedule';
  dryRun: boolean;
  startedAt: Date;
  finishedAt: Date;
  timezone: string;
  thresholds: { success: number; partial: number };
  customers: CustomerResult[];
  groups: ResolvedGroup[];
  /** Client statistics at the start and the end of the run. */
  monday: { before: ClientStats; after: ClientStats };
  stages: StageTimings;
  database: string;
  target: string;
  fatal: string | null;
  preflight: PreflightReport;
  /** A stop signal ended the run early. */
  interrupted?: boolean;
  /** Selected customers the run never started. */
  notReached?: string[];
  /** Orders still pending for customers not reached (their `count`); reached customers carry their own `remaining`. */
  notReachedRemaining?: number;
  /** FAILED records left by earlier runs; null when unknown. */
  outstandingFailed?: number | null;
}

/** The run's summary: totals, status (one word for every surface), error groups and performance. */
export function buildSummary(input: SummaryInput): RunSummary {
  const totals = input.customers.reduce((sum, r) => addCounts(sum, r.counts), emptyCounts());
  const { before, after } = input.monday;
  const durationMs = input.finishedAt.getTime() - input.startedAt.getTime();
  const notReached = input.notReached ?? [];
  // The customer a stop signal cut short says so; its unsent records are not failures.
  const cut = input.interrupted ? input.customers.at(-1) : undefined;
  if (cut && cut.remaining > 0) cut.status = 'INTERRUPTED';
  return {
    runId: input.runId, pipeline: input.pipeline, trigger: input.trigger, dryRun: input.dryRun,
    startedAt: input.startedAt.toISOString(), finishedAt: input.finishedAt.toISOString(), timezone: input.timezone,
    status: input.interrupted ? 'INTERRUPTED' : input.fatal ? 'FAILED' : deriveStatus(totals, input.thresholds),
    nothingToDo: totals.processed === 0 && !input.fatal && !input.interrupted && notReached.length === 0,
    notReached,
    remaining: input.customers.reduce((sum, c) => sum + c.remaining, input.notReachedRemaining ?? 0),
    outstandingFailed: input.outstandingFailed ?? null,
    thresholds: input.thresholds, totals, customers: input.customers,
    groups: uniqueGroups(input.groups), errors: groupErrors(input.customers),
    performance: {
      durationMs, recordsPerSecond: durationMs > 0 ? Math.round((totals.processed / durationMs) * 100_000) / 100 : 0,
      apiRequests: after.requests - before.requests, mutations: after.mutations - before.mutations,
      complexityUsed: after.complexityUsed - before.complexityUsed, retries: after.retries - before.retries,
      rateLimited: after.rateLimited - before.rateLimited, waitMs: after.waitMs - before.waitMs,
      stages: input.stages,
      preflight: { requests: input.preflight.requests, durationMs: input.preflight.durationMs },
    },
    conflicts: sumConflicts(input.customers),
    unconfigured: input.preflight.unconfigured,
    warnings: input.preflight.warnings,
    database: input.database, target: input.target, fatal: input.fatal, runtime: describeRuntime(),
  };
}
