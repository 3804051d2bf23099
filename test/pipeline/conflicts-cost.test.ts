/**
 * What the conflict check costs: one `items(ids)` read per 100 updated records of a page (monday API
 * reference "Items": at most 100 ids per query), costed like any read; a no-op rerun reads nothing.
 * Prints requests and complexity per 1,000 updated records (the emulator's complexity estimate).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutationsSince } from '../support/sent-ops.ts';
import { startHarness, type SyncHarness } from '../support/sync-harness.ts';

const ORDERS = 250;
const LINES = 750;

describe('the cost of the conflict check (PGlite, emulator over HTTP)', () => {
  let h: SyncHarness;
  const db = (): SyncHarness['t']['database']['db'] => h.t.database.db;
  const readsSince = (from: number): SyncHarness['emulator']['requestLog'] =>
    h.emulator.requestLog.slice(from).filter((r) => r.operation === 'query' && /items\(ids: \$ids, limit: \$limit\)/.test(r.document));

  beforeAll(async () => {
    h = await startHarness('pglite', { seed: { customers: ['GREYSON'], ordersPerCustomer: ORDERS, dirty: false }, emulator: { requestLogLimit: 100_000 } });
    h.config.customers = [{ name: 'GREYSON' }];
    await h.run();
  }, 300_000);
  afterAll(async () => h?.close());

  it('reads 1,000 updated records in 11 requests (one per 100 items, then per 100 subitems) and nothing on a no-op rerun', async () => {
    await sql`update order_list set total_quantity = (total_quantity::int + 1)::text, sync_state = 'PENDING'`.execute(db());
    await sql`update order_list_lines set quantity = (quantity::int + 1)::text, sync_state = 'PENDING'
      where line_key in (select line_key from order_list_lines order by line_key limit ${LINES})`.execute(db());
    let from = h.emulator.requestLog.length;
    const result = await h.run();
    expect(result.summary.totals.updated).toBe(ORDERS + LINES);
    const reads = readsSince(from);
    expect(reads).toHaveLength(Math.ceil(ORDERS / 100) + Math.ceil(LINES / 100));
    const complexity = reads.reduce((sum, r) => sum + r.complexity, 0);
    const all = h.emulator.requestLog.slice(from);
    console.log(`conflict read per ${ORDERS + LINES} updated records: ${reads.length} requests, complexity ${complexity} ` +
      `(${Math.round(complexity / reads.length)} per read); the whole run: ${all.length} requests, complexity ${all.reduce((s, r) => s + r.complexity, 0)}`);

    await sql`update order_list set sync_state = 'PENDING'`.execute(db());
    from = h.emulator.requestLog.length;
    await h.run();
    expect(mutationsSince(h, from)).toHaveLength(0);
    expect(readsSince(from)).toHaveLength(0);
  }, 300_000);
});
