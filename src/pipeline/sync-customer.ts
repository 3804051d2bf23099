/** One customer's part of a run: pages of pending records through transform, group-resolve and load. */
import type { Kysely } from 'kysely';
import { touchRunRecord } from '../db/run-record.ts';
import type { EngineTables } from '../db/tables.ts';
import type { PluginContext, ResolvedGroup, StageInstances } from './contract/index.ts';
import { applyGroups } from './apply-groups.ts';
import { createSink } from './create-sink.ts';
import { addToPlan, type DryRunPlan } from './dry-run-plan.ts';
import { findRemovedLines, hasRecordStates, withPreviousState } from './record-state.ts';
import { CustomerStats } from './run-stats.ts';
import type { CustomerResult } from './run-summary.ts';
import type { StageTimer } from './stage-timer.ts';

/** Progress of one customer, for progress bars and log lines. */
export interface Progress {
  customer: string;
  done: number;
  total: number;
}

/** What every customer of one run shares. */
export interface RunScope {
  ctx: PluginContext;
  db: Kysely<EngineTables>;
  stages: Omit<StageInstances, 'report'>;
  timer: StageTimer;
  /** The dry run's plan (null in a real run). */
  plan: DryRunPlan | null;
  /** Groups touched so far. */
  groups: ResolvedGroup[];
  /** Synced records kept per customer as a sample (the report's choice). */
  sampleSize: number;
  thresholds: { success: number; partial: number };
  onProgress?: (progress: Progress) => void;
  /** Throws when the run may no longer send (its lock is lost); called before every batch. */
  fence: () => Promise<void>;
  /** Told what a customer did before an error stopped it part-way (a stopped run still counts it). */
  onStopped?: (partial: CustomerResult) => void;
}

/** Syncs (or plans) at most `limit` orders of one customer; returns its result and how many orders it read. */
export async function syncCustomer(scope: RunScope, customer: string, limit: number): Promise<{ result: CustomerResult; orders: number }> {
  const { ctx, db, stages, timer } = scope;
  const t0 = performance.now();
  const board = ctx.boardFor(customer);
  const stats = new CustomerStats(customer, board, scope.sampleSize);
  const source = stages.extract;
  if (ctx.retryFailed && !ctx.dryRun) {
    const requeued = await timer.stage('extract', customer, () => source.writeBack.requeueFailed(customer));
    if (requeued > 0) ctx.logger.info(`${customer}: ${requeued} FAILED record(s) put back to PENDING`);
  }
  const total = Math.min(await timer.stage('extract', customer, () => source.count(customer)), limit);
  let done = 0;
  scope.onProgress?.({ customer, done, total });
  let settled = 0;
  const sink = createSink({
    ctx, db, writeBack: source.writeBack, timer, customer, toSource: true, fence: scope.fence,
    onOutcome: (o) => {
      stats.add(o, o.order);
      // Progress moves per batch as orders settle, not once per page.
      if (o.entity === 'item') scope.onProgress?.({ customer, done: Math.min(total, done + ++settled), total });
    },
  });
  const removals = createSink({
    ctx, db, writeBack: source.writeBack, timer, customer, toSource: false, fence: scope.fence,
    onOutcome: (o) => {
      if (o.state === 'SYNCED') stats.result.counts.removed++;
    },
  });
  // A dry run writes nothing: when nothing is remembered at its start, no page needs a state lookup.
  const remembered = ctx.dryRun ? await timer.core(() => hasRecordStates(db)) : true;
  const pages = source.pages(customer, { limit: Number.isFinite(limit) ? limit : undefined })[Symbol.asyncIterator]();
  try {
    while (!ctx.signal.aborted) {
      const next = await timer.stage('extract', customer, () => pages.next());
      if (next.done) break;
      const page = next.value;
      settled = 0;
      const mapped = await timer.stage('transform', customer, () => page.map((r) => stages.transform.map(r, board)));
      const resolution = await timer.stage('group-resolve', customer, () => stages['group-resolve'].resolve(mapped));
      scope.groups.push(...resolution.groups);
      const planned = await timer.core(() => withPreviousState(db, applyGroups(mapped, resolution.assignments), { dryRun: ctx.dryRun, remembered }));
      const plan = await timer.stage('load', customer, () => stages.load.plan(planned));
      if (scope.plan) addToPlan(scope.plan, page.length, resolution.groups, plan.steps);
      else {
        const titles = planned.flatMap((r) => (r.item ? [{ key: r.source.key, title: r.groupTitle }] : []));
        const ids = resolution.groups.flatMap((g) => (g.groupId ? [{ title: g.title, groupId: g.groupId }] : []));
        await timer.stage('extract', customer, () => source.writeBack.recordGroups(customer, titles, ids));
        await timer.stage('load', customer, () => stages.load.load(plan, sink));
        if (stages.load.removeLines) {
          const removed = await timer.core(() => findRemovedLines(db, planned));
          if (removed.length > 0) await timer.stage('load', customer, () => stages.load.removeLines!(board, customer, removed, removals));
        }
        await timer.core(() => touchRunRecord(db, ctx.runId));
      }
      done += page.length;
      scope.onProgress?.({ customer, done, total });
    }
  } catch (error) {
    scope.onStopped?.(stats.finish(performance.now() - t0, 0, scope.thresholds));
    throw error;
  } finally {
    await pages.return?.();
  }
  const remaining = ctx.dryRun ? 0 : await timer.stage('extract', customer, () => source.count(customer));
  const blocked = source.blocked ? await timer.stage('extract', customer, () => source.blocked!(customer)) : [];
  const lines = blocked.reduce((sum, b) => sum + b.lines, 0);
  if (lines > 0) ctx.logger.warn(`${customer}: ${lines} PENDING line(s) wait under ${blocked.length} FAILED order(s); ordersync retry <order> sends them`, { orders: blocked.slice(0, 10).map((b) => b.order) });
  stats.result.blocked = blocked;
  return { result: stats.finish(performance.now() - t0, remaining, scope.thresholds), orders: done };
}
