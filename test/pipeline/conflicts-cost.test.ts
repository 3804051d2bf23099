/**
 * What the conflict check costs, in requests: one `items(ids)` read per 100 updated records of a
 * page (monday API reference "Items": `ids` takes at most 100 ids per query), and none on a no-op
 * rerun. The per-1,000-records complexity is measured by `npm run bench` ("wave-2 reads").
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyRequest } from '../../bench/read-kinds.ts';
import { mutationsSince } from '../support/sent-ops.ts';
import { startHarness, type SyncHarness } from '../support/sync-harness.ts';

const ORDERS = 120;

describe('the cost of the conflict check (PGlite, emulator over HTTP)', () => {
  let h: SyncHarness;
  const db = (): SyncHarness['t']['database']['db'] => h.t.database.db;
  const conflictReadsSince = (from: number): SyncHarness['emulator']['requestLog'] =>
    h.emulator.requestLog.slice(from).filter((r) => classifyRequest(r) === 'conflict');

  beforeAll(async () => {
    // Headers only (no lines), and a budget that never waits: the count of reads is what matters here.
    h = await startHarness('pglite', { seed: { customers: ['GREYSON'], ordersPerCustomer: ORDERS, dirty: false }, emulator: { budget: { points: 1_000_000_000 } } });
    h.config.customers = [{ name: 'GREYSON' }];
    await sql`delete from order_list_lines`.execute(db());
    await h.run();
  }, 120_000);
  afterAll(async () => h?.close());

  it(`reads ${ORDERS} updated items in 2 requests (one per 100 ids) and nothing on a no-op rerun`, async () => {
    await sql`update order_list set total_quantity = (total_quantity::int + 1)::text, sync_state = 'PENDING'`.execute(db());
    let from = h.emulator.requestLog.length;
    const result = await h.run();
    expect(result.summary.totals.updated).toBe(ORDERS);
    const reads = conflictReadsSince(from);
    expect(reads.map((r) => (r.variables.ids as unknown[]).length)).toEqual([100, ORDERS - 100]);

    await sql`update order_list set sync_state = 'PENDING'`.execute(db());
    from = h.emulator.requestLog.length;
    await h.run();
    expect(mutationsSince(h, from)).toHaveLength(0);
    expect(conflictReadsSince(from)).toHaveLength(0);
  }, 120_000);
});
