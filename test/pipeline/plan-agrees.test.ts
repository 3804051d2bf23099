/**
 * One load decision: the dry run prints the same plan the run then executes, so `--dry-run`
 * says what the run does — plain, with --force, with --retry-failed and for cancelled orders.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DryRunPlan } from '../../src/pipeline/dry-run-plan.ts';
import type { RunOptions } from '../../src/pipeline/run-pipeline.ts';
import type { RecordCounts } from '../../src/pipeline/run-summary.ts';
import { startHarness, type SyncHarness } from '../support/sync-harness.ts';
import { dialects } from '../support/test-database.ts';

/** What the plan says the run will count. */
function expected(plan: DryRunPlan): Pick<RecordCounts, 'created' | 'updated' | 'unchanged' | 'failed' | 'pending'> {
  const sum = (f: (c: DryRunPlan['items']) => number): number => f(plan.items) + f(plan.subitems);
  return {
    created: sum((c) => c.create),
    // An archive of a cancelled order is a change on monday, counted with the updates.
    updated: sum((c) => c.update + c.archive),
    unchanged: sum((c) => c.unchanged),
    failed: plan.invalid.length,
    pending: plan.deferred.length,
  };
}

const counted = (t: RecordCounts): ReturnType<typeof expected> => ({ created: t.created, updated: t.updated, unchanged: t.unchanged, failed: t.failed, pending: t.pending });

describe.each(dialects)('the dry run plans what the run does on %s', (dialect) => {
  let h: SyncHarness;
  const db = (): SyncHarness['t']['database']['db'] => h.t.database.db;
  /** Plans, then runs with the same options; returns both. */
  const planThenRun = async (options: Partial<RunOptions> = {}): Promise<{ plan: ReturnType<typeof expected>; run: ReturnType<typeof expected> }> => {
    const dry = await h.run({ ...options, dryRun: true });
    const real = await h.run(options);
    return { plan: expected(dry.plan!), run: counted(real.summary.totals) };
  };

  /** Marks two SYNCED orders PENDING again, unchanged. */
  const remarkTwo = async (): Promise<void> => {
    await sql`update order_list set sync_state = 'PENDING' where order_number in (
      select order_number from order_list where sync_state = 'SYNCED' order by order_number limit 2)`.execute(db());
  };

  beforeAll(async () => {
    h = await startHarness(dialect, { seed: { customers: ['GREYSON', 'PELOTON'], ordersPerCustomer: 5, dirty: true } });
    h.config.customers = [{ name: 'GREYSON' }, { name: 'PELOTON' }];
    h.config.stages.extract.options = { ...(h.config.stages.extract.options as object), retryBackoffSeconds: 0 };
  }, 60_000);
  afterAll(async () => h?.close());

  it('agrees on a first sync with invalid rows', async () => {
    const { plan, run } = await planThenRun();
    expect(plan.created).toBeGreaterThan(0);
    expect(plan.failed).toBeGreaterThan(0);
    expect(run).toEqual(plan);
  });

  it('agrees with --force on records re-marked PENDING without a change (all resent, none unchanged)', async () => {
    await remarkTwo();
    const { plan, run } = await planThenRun({ force: true });
    expect(plan.updated).toBeGreaterThanOrEqual(2);
    expect(plan.unchanged).toBe(0);
    expect(run).toEqual(plan);
  });

  it('agrees without --force on the same re-marked records (unchanged, nothing sent)', async () => {
    await remarkTwo();
    const { plan, run } = await planThenRun();
    expect(plan.unchanged).toBeGreaterThanOrEqual(2);
    expect(plan.updated).toBe(0);
    expect(run).toEqual(plan);
  });

  it('agrees with --retry-failed on records that failed for good and did not change', async () => {
    const failedBefore = Number((await sql<{ n: number }>`select count(*)::int as n from order_list where sync_state = 'FAILED'`.execute(db())).rows[0]!.n);
    expect(failedBefore).toBeGreaterThan(0);
    // The dry run does not requeue, so it plans over the same FAILED rows the real run requeues first.
    await sql`update order_list set sync_state = 'PENDING' where sync_state = 'FAILED'`.execute(db());
    await sql`update order_list_lines set sync_state = 'PENDING' where sync_state = 'FAILED'`.execute(db());
    const { plan, run } = await planThenRun({ retryFailed: true });
    expect(plan.failed).toBeGreaterThan(0);
    expect(run).toEqual(plan);
  });

  it('agrees on an unchanged failure without --retry-failed (still failed, nothing sent)', async () => {
    await sql`update order_list set sync_state = 'PENDING' where sync_state = 'FAILED'`.execute(db());
    const dry = await h.run({ dryRun: true });
    expect(dry.plan!.items['still-failed'] + dry.plan!.items.invalid).toBeGreaterThan(0);
    const real = await h.run();
    expect(counted(real.summary.totals)).toEqual(expected(dry.plan!));
  });

  it('agrees on cancelled orders archived on monday', async () => {
    const load = h.config.stages.load.options as Record<string, unknown>;
    h.config.stages.load.options = { ...load, cancelledOrders: 'archive' };
    try {
      await sql`update order_list set action_type = 'CANCEL', sync_state = 'PENDING' where order_number in ('GRE-1002', 'PEL-1102')`.execute(db());
      const { plan, run } = await planThenRun();
      expect(plan.updated).toBe(2);
      expect(run).toEqual(plan);
    } finally {
      h.config.stages.load.options = load;
    }
  });
});
