/**
 * Reconcile after a chaos-style sync: requests that committed on monday and then lost their
 * connection, 5xx and 429 answers, a client that gives up after one attempt (records left attempted
 * but unsettled, as after a crash), then recovery runs without faults — the board and the database
 * agree exactly, and reconcile says so.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcilePipeline } from '../../src/reconcile/reconcile-pipeline.ts';
import { startHarness, type SyncHarness } from '../support/sync-harness.ts';
import { dialects } from '../support/test-database.ts';

describe.each(dialects)('reconcile after a run with faults on %s', (dialect) => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startHarness(dialect, {
      seed: { customers: ['GREYSON', 'PELOTON'], ordersPerCustomer: 10, dirty: false },
      emulator: { faults: { rate5xx: 0.1, rate429: 0.05, dropAfterCommitRate: 0.3, seed: 11 } },
      client: { attemptsPerRequest: 1 },
    });
    h.config.customers = [{ name: 'GREYSON' }, { name: 'PELOTON', board: '9609317401' }];
    h.config.stages.extract.options = { ...(h.config.stages.extract.options as object), retryBackoffSeconds: 0 };
    h.config.writeBack = { items: { columns: { status: 'monday_status' }, updatedAt: 'monday_updated_at' }, pageSize: 5, overlapSeconds: 60 };
  }, 60_000);
  afterAll(async () => h?.close());

  it('finds no drift once recovery runs have settled what the faults left behind', async () => {
    // Runs under faults may stop early (a failed read with one attempt stops them); what they sent must end settled.
    for (let i = 0; i < 4 && !h.emulator.requestLog.some((r) => r.status === 0); i++) await h.run().catch(() => {});
    h.emulator.setFaults({});
    const unsettled = async (): Promise<number> => Number((await sql<{ n: number }>`select (select count(*) from order_list where sync_state <> 'SYNCED') + (select count(*) from order_list_lines where sync_state <> 'SYNCED') as n`.execute(h.t.database.db)).rows[0]!.n);
    expect(h.emulator.requestLog.some((r) => r.status === 0)).toBe(true); // connections were dropped after commits
    for (let i = 0; i < 4 && (await unsettled()) > 0; i++) await h.run();
    expect(await unsettled()).toBe(0);
    const report = await reconcilePipeline({ config: h.config, database: h.t.database, monday: h.monday, pageSize: 7 });
    expect(report.boards.flatMap((b) => b.findings)).toEqual([]);
    expect(report.groupsDiffering).toBe(0);
    expect(report.drift).toBe(false);
    // Every order is on its board once: the counts agree per group and sum to the source.
    const items = report.boards.flatMap((b) => b.groups).reduce((n, g) => n + g.board.items, 0);
    expect(items).toBe(20);
  });
});
