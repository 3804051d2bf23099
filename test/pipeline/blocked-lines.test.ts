/**
 * A new PENDING line under an order that is FAILED is never "nothing to sync": it is counted and
 * shown as blocked by its order (with the order's reason) in the summary, the customer report and
 * `ordersync records`, and it is sent once the order is retried.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../src/cli/wiring.ts';
import { startHarness, type SyncHarness } from '../support/sync-harness.ts';
import { dialects } from '../support/test-database.ts';

describe.each(dialects)('lines under a FAILED order on %s', (dialect) => {
  let h: SyncHarness;
  const db = (): SyncHarness['t']['database']['db'] => h.t.database.db;
  beforeAll(async () => {
    h = await startHarness(dialect, { seed: { customers: ['PELOTON'], ordersPerCustomer: 4, dirty: true } });
    h.config.customers = [{ name: 'PELOTON', board: '9609317401' }];
    h.config.stages.report.options = { ...(h.config.stages.report.options as object), onEmpty: 'write' };
  }, 60_000);
  afterAll(async () => h?.close());

  it('counts them as blocked with the order\'s reason, and sends them once the order is retried', async () => {
    await h.run();
    const failed = (await sql<{ k: string; e: string }>`select order_number as k, sync_error_message as e from order_list where sync_state = 'FAILED' order by 1 limit 1`.execute(db())).rows[0]!;
    expect(failed).toBeDefined();
    await sql`insert into order_list_lines (line_key, order_number, line_number, size, quantity) values (${`${failed.k}-99`}, ${failed.k}, 99, 'XXL', '5')`.execute(db());

    const next = await h.run();
    const customer = next.summary.customers.find((c) => c.customer === 'PELOTON')!;
    expect(customer.blocked).toEqual([{ order: failed.k, reason: failed.e, lines: expect.any(Number) }]);
    expect(customer.blocked[0]!.lines).toBeGreaterThanOrEqual(1);
    const report = await readFile(join(next.reportPath!, 'customer_reports', 'PELOTON.md'), 'utf8');
    expect(report).toContain('**Lines blocked by their FAILED order**');
    expect(report).toContain(`| ${failed.k} |`);

    // `ordersync records` reads the same: the line is PENDING, blocked by its order, with the order's reason.
    const source = await openSource(h.config, h.t.database, 'test');
    try {
      const { rows } = await source.records!({ orders: [failed.k] });
      expect(rows.find((r) => r.key === `${failed.k}-99`)).toMatchObject({ state: 'PENDING', reason: `blocked: its order failed — ${failed.e} (ordersync retry ${failed.k} sends them)` });
    } finally {
      await source.close();
    }

    // Fix the order and retry it: the line goes with it.
    await sql`update order_list set order_date = '2025-02-27', total_quantity = '10', customer_season = '2025 FALL', customer_style = 'Polo',
      sync_state = 'PENDING', retry_count = 0 where order_number = ${failed.k}`.execute(db());
    await sql`update order_list_lines set quantity = '5' where order_number = ${failed.k}`.execute(db());
    const retried = await h.run();
    const line = (await sql<{ s: string; id: string | null }>`select sync_state as s, monday_subitem_id as id from order_list_lines where line_key = ${`${failed.k}-99`}`.execute(db())).rows[0]!;
    expect(line.s).toBe('SYNCED');
    expect(line.id).not.toBeNull();
    expect(retried.summary.customers.find((c) => c.customer === 'PELOTON')!.blocked).toEqual([]);
  });
});
