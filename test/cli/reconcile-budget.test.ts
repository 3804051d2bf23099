/**
 * Reconcile pages through a board within monday's limits: a page of items with their subitems that
 * costs more than one query may (API reference "Rate limits": at most 5,000,000 points per query;
 * here the emulator's cap is lowered) is asked again at half the size, until it fits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcilePipeline } from '../../src/reconcile/reconcile-pipeline.ts';
import { startHarness, type SyncHarness } from '../support/sync-harness.ts';
import { dialects } from '../support/test-database.ts';

describe.each(dialects)('reconcile within the per-query complexity cap on %s', (dialect) => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startHarness(dialect, {
      seed: { customers: ['GREYSON'], ordersPerCustomer: 12, dirty: false },
      emulator: { budget: { maxQueryComplexity: 80_000 } },
    });
    h.config.customers = [{ name: 'GREYSON' }];
    h.config.stages.load.options = { ...(h.config.stages.load.options as object), batchSize: 2 };
    await h.run();
  }, 60_000);
  afterAll(async () => h?.close());

  it('halves the page size when monday refuses a page as too complex, and still reads every item', async () => {
    const from = h.emulator.requestLog.length;
    const report = await reconcilePipeline({ config: h.config, database: h.t.database, monday: h.monday, pageSize: 100 });
    const refused = h.emulator.requestLog.slice(from).filter((r) => r.error?.includes('maxComplexityExceeded'));
    expect(refused.length).toBeGreaterThan(0);
    expect(report.drift).toBe(false);
    expect(report.boards[0]!.groups.reduce((n, g) => n + g.board.items, 0)).toBe(12);
    expect(h.emulator.requestLog.slice(from).every((r) => r.complexity <= 80_000)).toBe(true);
  });
});
