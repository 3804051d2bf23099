import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeItems, startHarness, type SyncHarness } from '../support/sync-harness.ts';

describe('stopping a run', () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startHarness('pglite', { seed: { customers: ['GREYSON'], ordersPerCustomer: 60, dirty: false }, emulator: { faults: { latencyMs: 150 } } });
    h.config.customers = [{ name: 'GREYSON' }];
    h.config.stages.load.options = { ...(h.config.stages.load.options as object), batchSize: 10 };
  });
  afterAll(async () => h?.close());

  it('finishes and writes back the batch in flight, marks the run INTERRUPTED, and the next run completes exactly once', async () => {
    const controller = new AbortController();
    const watcher = setInterval(() => {
      if (h.emulator.requestLog.some((r) => r.document.includes('create_item('))) controller.abort();
    }, 5);
    const result = await h.run({ signal: controller.signal }).finally(() => clearInterval(watcher));
    expect(result.runStatus).toBe('INTERRUPTED');
    const unsettled = await sql<{ n: number }>`select count(*)::int as n from order_list where sync_attempted_at is not null and sync_state = 'PENDING' and monday_item_id is null`.execute(h.t.database.db);
    expect(unsettled.rows[0]!.n).toBe(0);
    const synced = await sql<{ n: number }>`select count(*)::int as n from order_list where sync_state = 'SYNCED'`.execute(h.t.database.db);
    expect(synced.rows[0]!.n).toBeGreaterThan(0);
    expect(synced.rows[0]!.n).toBeLessThan(60);
    await h.run();
    const keys = activeItems(h).filter((i) => !i.parent_item_id).map((i) => i.column_values.text_mkr5ord0);
    expect(keys).toHaveLength(60);
    expect(new Set(keys).size).toBe(60);
  });
});
