/**
 * Adopt before create: a record with no monday id is looked up by its key column before it is
 * created, so a second database against the same board (a restore, a switch) adopts every item
 * and subitem instead of duplicating them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/db/seed-demo.ts';
import { silentLogger } from '../../src/pipeline/logger.ts';
import { runPipeline } from '../../src/pipeline/run-pipeline.ts';
import { findDuplicates } from '../chaos/support/check-promises.ts';
import { startHarness, type SyncHarness } from '../support/sync-harness.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../support/test-database.ts';

describe.each(dialects)('a second database against the same board on %s', (dialect) => {
  let h: SyncHarness;
  let other: TestDatabase;
  const seed = { customers: ['GREYSON', 'PELOTON'], ordersPerCustomer: 4, dirty: false };
  beforeAll(async () => {
    h = await startHarness(dialect, { seed });
    h.config.customers = [{ name: 'GREYSON' }, { name: 'PELOTON', board: '9609317401' }];
    other = await createTestDatabase(dialect);
    await seedDemo(other.database.db, seed);
  }, 120_000);
  afterAll(async () => {
    await other?.dispose();
    await h?.close();
  });

  it('adopts every order and line already on the board: 0 new items, 0 duplicates', async () => {
    const first = await h.run();
    expect(first.summary.totals).toMatchObject({ failed: 0, pending: 0 });
    const records = first.summary.totals.synced;
    const onBoard = h.emulator.snapshot().items.filter((i) => i.state === 'active').length;
    const from = h.emulator.requestLog.length;
    const switched = await runPipeline({ config: h.config, database: other.database, monday: h.monday, target: h.emulator.url, logger: silentLogger });
    expect(switched.summary.totals).toMatchObject({ synced: records, adopted: records, created: 0, failed: 0 });
    expect(h.emulator.snapshot().items.filter((i) => i.state === 'active').length).toBe(onBoard);
    expect(findDuplicates(h.emulator.snapshot())).toEqual([]);
    // The lookups: per board one read for its batch of items and one for the subitems under the adopted
    // parents (2 boards, 4 orders each: one batch), and one read that learns a subitems board's id.
    const reads = h.emulator.requestLog.slice(from).filter((r) => r.operation === 'query' && /items_page_by_column_values|subitems/.test(r.document)).length;
    expect(reads).toBeGreaterThanOrEqual(4);
    expect(reads).toBeLessThanOrEqual(5);
  });
});
