import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeItems, startHarness, type SyncHarness } from '../support/sync-harness.ts';
import { dialects } from '../support/test-database.ts';
import { mutationsSince, sentOps } from '../support/sent-ops.ts';

describe.each(dialects)('incremental sync on %s', (dialect) => {
  let h: SyncHarness;
  const db = (): SyncHarness['t']['database']['db'] => h.t.database.db;
  beforeAll(async () => {
    h = await startHarness(dialect, { seed: { customers: ['GREYSON', 'PELOTON'], ordersPerCustomer: 6, dirty: false }, client: { attemptsPerRequest: 2 } });
    h.config.customers = [{ name: 'GREYSON' }, { name: 'PELOTON' }];
    h.config.stages.extract.options = { ...(h.config.stages.extract.options as object), retryBackoffSeconds: 0 };
    h.config.stages.load.options = { ...(h.config.stages.load.options as object), removedLines: 'archive' };
    await h.run();
  });
  afterAll(async () => h?.close());

  it('sends nothing for records upstream re-marked PENDING without a change, and reports them unchanged', async () => {
    await sql`update order_list set sync_state = 'PENDING', action_type = 'UPDATE'`.execute(db());
    await sql`update order_list_lines set sync_state = 'PENDING'`.execute(db());
    const total = Number((await sql<{ n: number }>`select (select count(*) from order_list) + (select count(*) from order_list_lines) as n`.execute(db())).rows[0]!.n);
    const from = h.emulator.requestLog.length;
    const result = await h.run();
    expect(mutationsSince(h, from)).toHaveLength(0);
    expect(result.summary.totals.unchanged).toBe(total);
    const states = await sql<{ s: string }>`select sync_state as s from order_list union all select sync_state from order_list_lines`.execute(db());
    expect(states.rows.every((r) => r.s === 'SYNCED')).toBe(true);
    const summary = await readFile(join(result.reportPath!, '_SYNC_SUMMARY.md'), 'utf8');
    expect(summary).toContain(`${total} unchanged (no API call)`);
  });

  it('sends exactly 3 item updates and 1 subitem update carrying only the changed columns', async () => {
    await sql`update order_list set color = 'Electric Blue', sync_state = 'PENDING' where order_number in ('GRE-1001', 'GRE-1002', 'PEL-1103')`.execute(db());
    await sql`update order_list_lines set quantity = '999', sync_state = 'PENDING' where line_key = 'GRE-1004-01'`.execute(db());
    const from = h.emulator.requestLog.length;
    const result = await h.run();
    const ops = sentOps(h, from);
    const items = ops.filter((o) => o.columns && 'text_mkr5dq1b' in o.columns);
    expect(ops).toHaveLength(4);
    expect(ops.every((o) => o.field === 'change_multiple_column_values')).toBe(true);
    expect(items).toHaveLength(3);
    // The item name template includes the color, so the name changes too; nothing else is sent.
    for (const item of items) expect(Object.keys(item.columns!).sort()).toEqual(['name', 'text_mkr5dq1b']);
    expect(ops.find((o) => o.columns && 'numeric_mkr6b2qt' in o.columns)!.columns).toEqual({ numeric_mkr6b2qt: '999' });
    expect(result.summary.totals.updated).toBe(4);
    const board = activeItems(h);
    expect(board.find((i) => i.column_values.text_mkr6c3lk === 'GRE-1004-01')!.column_values.numeric_mkr6b2qt).toBe('999');
  });

  it('moves an item when its group title changes', async () => {
    await sql`update order_list set customer_season = '2026 SUMMER', sync_state = 'PENDING' where order_number = 'GRE-1003'`.execute(db());
    const from = h.emulator.requestLog.length;
    const result = await h.run();
    expect(sentOps(h, from).map((o) => o.field).sort()).toEqual(['change_multiple_column_values', 'create_group', 'move_item_to_group']);
    const row = (await sql<{ monday_item_id: string; group_id: string }>`select monday_item_id, group_id from order_list where order_number = 'GRE-1003'`.execute(db())).rows[0]!;
    expect(activeItems(h).find((i) => i.id === row.monday_item_id)!.group_id).toBe(row.group_id);
    expect(result.summary.groups.find((g) => g.title === 'GREYSON 2026 SUMMER')?.origin).toBe('created');
  });

  it('retries a record that failed transiently on the next run, without any upstream change', async () => {
    await sql`update order_list set po_number = 'PO-LOCKED', sync_state = 'PENDING' where order_number = 'GRE-1005'`.execute(db());
    h.emulator.setFaults({ lockedBoards: [h.config.monday.board] });
    await h.run({ customers: ['GREYSON'] });
    const after = (await sql<{ sync_state: string; retry_count: number; sync_error_message: string }>`select sync_state, retry_count, sync_error_message from order_list where order_number = 'GRE-1005'`.execute(db())).rows[0]!;
    expect(after).toMatchObject({ sync_state: 'PENDING', retry_count: 1 });
    expect(after.sync_error_message).toMatch(/lock/i);
    h.emulator.setFaults({});
    await h.run({ customers: ['GREYSON'] });
    const healed = (await sql<{ sync_state: string; retry_count: number }>`select sync_state, retry_count from order_list where order_number = 'GRE-1005'`.execute(db())).rows[0]!;
    expect(healed).toMatchObject({ sync_state: 'SYNCED', retry_count: 0 });
    const log = await db().selectFrom('ordersync_api_log').select(['outcome']).where('record_key', '=', 'GRE-1005').orderBy('id').execute();
    expect(log.map((l) => l.outcome).slice(-2)).toEqual(['PENDING', 'SYNCED']);
  });

  it('does not retry a permanent failure until the row changes, unless asked with --retry-failed', async () => {
    await sql`update order_list set order_status = 'Lost At Sea', sync_state = 'PENDING' where order_number = 'PEL-1104'`.execute(db());
    await h.run({ customers: ['PELOTON'] });
    const failed = (await sql<{ sync_state: string }>`select sync_state from order_list where order_number = 'PEL-1104'`.execute(db())).rows[0]!;
    expect(failed.sync_state).toBe('FAILED');
    await sql`update order_list set sync_state = 'PENDING' where order_number = 'PEL-1104'`.execute(db());
    let from = h.emulator.requestLog.length;
    await h.run({ customers: ['PELOTON'] });
    expect(mutationsSince(h, from)).toHaveLength(0);
    const still = (await sql<{ sync_state: string; sync_error_message: string }>`select sync_state, sync_error_message from order_list where order_number = 'PEL-1104'`.execute(db())).rows[0]!;
    expect(still.sync_state).toBe('FAILED');
    expect(still.sync_error_message).toMatch(/^unchanged since it failed: ColumnValueException/);
    from = h.emulator.requestLog.length;
    await h.run({ customers: ['PELOTON'], retryFailed: true });
    expect(sentOps(h, from).map((o) => o.field)).toEqual(['change_multiple_column_values']);
  });

  it('archives the subitem of a line removed upstream', async () => {
    const line = (await sql<{ monday_subitem_id: string }>`select monday_subitem_id from order_list_lines where line_key = 'GRE-1006-02'`.execute(db())).rows[0]!;
    await sql`delete from order_list_lines where line_key = 'GRE-1006-02'`.execute(db());
    await sql`update order_list set sync_state = 'PENDING' where order_number = 'GRE-1006'`.execute(db());
    const from = h.emulator.requestLog.length;
    const result = await h.run({ customers: ['GREYSON'] });
    expect(sentOps(h, from).map((o) => o.field)).toEqual(['archive_item']);
    expect(h.emulator.snapshot().items.find((i) => i.id === line.monday_subitem_id)!.state).toBe('archived');
    expect(result.summary.totals.removed).toBe(1);
  });

  it('archives the item of an order cancelled upstream when configured to', async () => {
    const load = h.config.stages.load.options as object;
    h.config.stages.load.options = { ...load, cancelledOrders: 'archive' };
    try {
      const row = (await sql<{ monday_item_id: string }>`select monday_item_id from order_list where order_number = 'PEL-1102'`.execute(db())).rows[0]!;
      await sql`update order_list set action_type = 'CANCEL', sync_state = 'PENDING' where order_number = 'PEL-1102'`.execute(db());
      const from = h.emulator.requestLog.length;
      await h.run({ customers: ['PELOTON'] });
      expect(sentOps(h, from).map((o) => o.field)).toEqual(['archive_item']);
      expect(h.emulator.snapshot().items.find((i) => i.id === row.monday_item_id)!.state).toBe('archived');
      const after = (await sql<{ sync_state: string }>`select sync_state from order_list where order_number = 'PEL-1102'`.execute(db())).rows[0]!;
      expect(after.sync_state).toBe('SYNCED');
    } finally {
      h.config.stages.load.options = load;
    }
  });

  it('resends in full with --force', async () => {
    await sql`update order_list set sync_state = 'PENDING' where order_number = 'GRE-1001'`.execute(db());
    const from = h.emulator.requestLog.length;
    await h.run({ customers: ['GREYSON'], force: true });
    const [op] = sentOps(h, from);
    expect(op!.field).toBe('change_multiple_column_values');
    expect(Object.keys(op!.columns!).length).toBeGreaterThan(5);
  });
});

describe.each(dialects)('the changes extract mode on %s', (dialect) => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startHarness(dialect, { seed: { customers: ['GREYSON'], ordersPerCustomer: 4, dirty: false } });
    h.config.customers = [{ name: 'GREYSON' }];
    h.config.stages.extract.options = { ...(h.config.stages.extract.options as object), mode: 'changes' };
  });
  afterAll(async () => h?.close());

  it('syncs rows with no stored fingerprint, then sends nothing until a row really changes', async () => {
    const first = await h.run();
    expect(first.summary.totals.created).toBe(first.summary.totals.processed);
    let from = h.emulator.requestLog.length;
    const second = await h.run();
    expect(mutationsSince(h, from)).toHaveLength(0);
    expect(second.summary.totals.unchanged).toBe(first.summary.totals.processed);
    await sql`update order_list set po_number = 'PO-CHANGED' where order_number = 'GRE-1002'`.execute(h.t.database.db);
    from = h.emulator.requestLog.length;
    const third = await h.run();
    expect(sentOps(h, from)).toEqual([expect.objectContaining({ field: 'change_multiple_column_values', columns: { text_mkr5q6n2: 'PO-CHANGED' } })]);
    expect(third.summary.totals.updated).toBe(1);
  });
});
