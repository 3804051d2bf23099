import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type SyncHarness } from '../support/sync-harness.ts';
import { dialects } from '../support/test-database.ts';

describe.each(dialects)('one bad row on %s', (dialect) => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startHarness(dialect, { seed: { customers: ['GREYSON'], ordersPerCustomer: 25, dirty: false } });
    h.config.customers = [{ name: 'GREYSON' }];
    // Two values the transform accepts but monday rejects: a status label the column does not have.
    await sql`update order_list set order_status = 'Lost At Sea' where order_number in ('GRE-1007', 'GRE-1019')`.execute(h.t.database.db);
  });
  afterAll(async () => h?.close());

  it('syncs 23 of a batch of 25 and fails exactly the 2 that monday rejected, with monday\'s error', async () => {
    const result = await h.run();
    const rows = (await sql<{ order_number: string; sync_state: string; sync_error_message: string | null; api_status: string | null }>`
      select order_number, sync_state, sync_error_message, api_status from order_list order by order_number`.execute(h.t.database.db)).rows;
    expect(rows.filter((r) => r.sync_state === 'SYNCED')).toHaveLength(23);
    const failed = rows.filter((r) => r.sync_state === 'FAILED');
    expect(failed.map((r) => r.order_number)).toEqual(['GRE-1007', 'GRE-1019']);
    for (const f of failed) {
      expect(f.api_status).toBe('ColumnValueException');
      expect(f.sync_error_message).toMatch(/^ColumnValueException: .*label/);
    }
    const itemRequests = h.emulator.requestLog.filter((r) => r.operation === 'mutation' && r.document.includes('create_item('));
    expect(itemRequests).toHaveLength(1);
    expect(itemRequests[0]!.mutations).toBe(25);
    expect(result.summary.customers[0]!.counts.failed).toBeGreaterThanOrEqual(2);
  });

  it('marks the lines of a rejected order FAILED with the order\'s reason, and syncs the neighbours\' lines', async () => {
    const lines = (await sql<{ order_number: string; sync_state: string; sync_error_message: string | null }>`
      select order_number, sync_state, sync_error_message from order_list_lines`.execute(h.t.database.db)).rows;
    for (const line of lines) {
      if (['GRE-1007', 'GRE-1019'].includes(line.order_number)) {
        expect(line.sync_state).toBe('FAILED');
        expect(line.sync_error_message).toMatch(/^not sent: its order failed — ColumnValueException/);
      } else expect(line.sync_state).toBe('SYNCED');
    }
  });
});
