import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeItems, startHarness, type SyncHarness } from '../support/sync-harness.ts';
import { dialects } from '../support/test-database.ts';

describe.each(dialects)('a sync under injected faults on %s', (dialect) => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startHarness(dialect, {
      seed: { customers: ['GREYSON', 'PELOTON'], ordersPerCustomer: 12, dirty: false },
      emulator: { faults: { rate5xx: 0.15, rate429: 0.08, dropAfterCommitRate: 0.1, seed: 7 } },
      client: { attemptsPerRequest: 3 },
    });
    h.config.customers = [{ name: 'GREYSON' }, { name: 'PELOTON' }];
  });
  afterAll(async () => h?.close());

  it('completes within a few runs with nothing lost and nothing duplicated', async () => {
    let runs = 0;
    let pending = Number.POSITIVE_INFINITY;
    while (pending > 0 && runs < 6) {
      await h.run();
      runs++;
      pending = (await sql<{ n: number }>`select (select count(*) from order_list where sync_state <> 'SYNCED') + (select count(*) from order_list_lines where sync_state <> 'SYNCED') as n`.execute(h.t.database.db)).rows[0]!.n;
      pending = Number(pending);
    }
    expect(pending).toBe(0);
    // Exactly once on monday: one item per order key, one subitem per line key.
    const items = activeItems(h);
    const orderKeys = items.filter((i) => !i.parent_item_id).map((i) => String(i.column_values.text_mkr5ord0));
    const lineKeys = items.filter((i) => i.parent_item_id).map((i) => String(i.column_values.text_mkr6c3lk));
    expect(orderKeys).toHaveLength(24);
    expect(new Set(orderKeys).size).toBe(24);
    const lineCount = Number((await sql<{ n: number }>`select count(*)::int as n from order_list_lines`.execute(h.t.database.db)).rows[0]!.n);
    expect(lineKeys).toHaveLength(lineCount);
    expect(new Set(lineKeys).size).toBe(lineCount);
    const groupTitles = h.emulator.snapshot().boards.flatMap((b) => b.groups.filter((g) => !g.deleted).map((g) => `${b.id}:${g.title}`));
    expect(new Set(groupTitles).size).toBe(groupTitles.length);
  });

  it('tells the story of the faults in the request log and the client\'s retries', async () => {
    const statuses = new Set(h.emulator.requestLog.map((r) => r.status));
    expect([...statuses].some((s) => s >= 500 || s === 0)).toBe(true);
    expect(h.monday.stats().retries).toBeGreaterThan(0);
    expect(h.emulator.requestLog.some((r) => r.replayed)).toBe(true);
  });
});
