/**
 * Write-back of monday-owned columns: a person's edit on the board reaches the database on the next
 * run, is never sent back to monday and never re-marks its row PENDING; the read pages through
 * items_page (API reference "items_page", "Last Updated") and its mark moves only after a commit.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postAsPerson } from '../emulator/post-graphql.ts';
import { startHarness, type SyncHarness } from '../support/sync-harness.ts';
import { dialects } from '../support/test-database.ts';

const CHANGE = `mutation ($b: ID!, $i: ID!, $v: JSON!) { change_multiple_column_values(board_id: $b, item_id: $i, column_values: $v) { id } }`;

type Log = SyncHarness['emulator']['requestLog'][number];
const since = (h: SyncHarness, from: number): Log[] => h.emulator.requestLog.slice(from);

describe.each(dialects)('write-back of monday-owned columns on %s', (dialect) => {
  let h: SyncHarness;
  const db = (): SyncHarness['t']['database']['db'] => h.t.database.db;
  const header = async (order: string): Promise<{ monday_status: string | null; monday_updated_at: Date | null; sync_state: string; last_run_id: string; monday_item_id: string }> =>
    (await sql<{ monday_status: string | null; monday_updated_at: Date | null; sync_state: string; last_run_id: string; monday_item_id: string }>`select monday_status, monday_updated_at, sync_state, last_run_id, monday_item_id from order_list where order_number = ${order}`.execute(db())).rows[0]!;
  const setStatus = async (order: string, label: string): Promise<void> => {
    const row = await header(order);
    const r = await postAsPerson(h.emulator, CHANGE, { b: h.config.monday.board, i: row.monday_item_id, v: JSON.stringify({ status: { label } }) });
    expect(r.body.errors).toBeUndefined();
  };

  beforeAll(async () => {
    h = await startHarness(dialect, { seed: { customers: ['GREYSON'], ordersPerCustomer: 6, dirty: false } });
    h.config.customers = [{ name: 'GREYSON' }];
    h.config.writeBack = { items: { columns: { status: 'monday_status' }, updatedAt: 'monday_updated_at' }, pageSize: 2, overlapSeconds: 60 };
    // Runs that only write back have no record to sync: keep their report to read the write-back line.
    h.config.stages.report.options = { ...(h.config.stages.report.options as object), onEmpty: 'write' };
    await h.run();
    // A user's own trigger that marks an order PENDING when monday_status changes, except in ordersync's write-back.
    await sql`create or replace function mark_pending_on_status() returns trigger language plpgsql as $$
      begin
        if current_setting('ordersync.write_back', true) is distinct from 'on' then new.sync_state := 'PENDING'; end if;
        return new;
      end $$`.execute(db());
    await sql`create trigger mark_pending_on_status before update of monday_status on order_list for each row execute function mark_pending_on_status()`.execute(db());
  }, 60_000);
  afterAll(async () => h?.close());

  it('writes the Status a person set to order_list.monday_status, sends nothing to monday and leaves the row SYNCED', async () => {
    await h.run(); // the first complete read takes in what the board holds now
    // GRE-1001 went to monday as Open (its order_status): the person ships it.
    const before = await header('GRE-1001');
    expect(before.monday_status).toBe('Open');
    await setStatus('GRE-1001', 'Shipped');
    const from = h.emulator.requestLog.length;
    const result = await h.run();
    const after = await header('GRE-1001');
    expect(after.monday_status).toBe('Shipped');
    expect(after.monday_updated_at).not.toBeNull();
    expect(after.sync_state).toBe('SYNCED');
    // Not re-sent: no mutation at all in this run, and the row was not part of it.
    expect(since(h, from).filter((r) => r.operation === 'mutation')).toHaveLength(0);
    expect(after.last_run_id).toBe(before.last_run_id);
    expect(result.summary.writtenBack?.rowsChanged).toBe(1);
    expect(await readFile(join(result.reportPath!, '_SYNC_SUMMARY.md'), 'utf8')).toMatch(/Written back from monday: 1 row\(s\) from \d+ item\(s\) people changed\./);
    // The next run finds nothing new to write and still sends nothing.
    const again = h.emulator.requestLog.length;
    const rerun = await h.run();
    expect(rerun.summary.writtenBack?.rowsChanged).toBe(0);
    expect(since(h, again).filter((r) => r.operation === 'mutation')).toHaveLength(0);
  });

  it('pages through items_page: every changed item of 6 is read, 2 per page', async () => {
    // Cancelled is a status none of them has yet (the first complete read took in each order_status).
    for (const order of ['GRE-1001', 'GRE-1002', 'GRE-1004', 'GRE-1005', 'GRE-1006']) await setStatus(order, 'Cancelled');
    const from = h.emulator.requestLog.length;
    const result = await h.run();
    const statuses = (await sql<{ s: string | null }>`select monday_status as s from order_list order by order_number`.execute(db())).rows.map((r) => r.s);
    expect(statuses).toEqual(['Cancelled', 'Cancelled', 'Shipped', 'Cancelled', 'Cancelled', 'Cancelled']);
    expect(result.summary.writtenBack?.rowsChanged).toBe(5);
    const reads = since(h, from).filter((r) => r.document.includes('column_values(ids: $columns)'));
    expect(reads.filter((r) => r.document.includes('next_items_page')).length).toBeGreaterThanOrEqual(2);
    expect(reads[0]!.document).toContain('query_params: $query');
    expect(JSON.stringify(reads[0]!.variables)).toContain('__last_updated__');
  });

  it('moves the mark only after a page is committed: a failure on page 2 re-reads from there next run', async () => {
    for (const order of ['GRE-1001', 'GRE-1002', 'GRE-1003', 'GRE-1004', 'GRE-1005', 'GRE-1006']) await setStatus(order, 'In Production');
    // The third item (page 2 of 2-item pages) cannot be written: its transaction fails.
    const third = (await header('GRE-1003')).monday_item_id;
    await sql.raw(`create or replace function refuse_third() returns trigger language plpgsql as $$ begin
      if new.monday_item_id = '${third}' then raise exception 'disk full'; end if; return new; end $$`).execute(db());
    await sql`create trigger refuse_third before update on order_list for each row execute function refuse_third()`.execute(db());
    const markBefore = (await db().selectFrom('ordersync_write_back_marks').selectAll().executeTakeFirstOrThrow());
    const failed = await h.run();
    expect(failed.summary.warnings.some((w) => w.includes('write-back stopped') && w.includes('disk full'))).toBe(true);
    const statuses = async (): Promise<(string | null)[]> => (await sql<{ s: string | null }>`select monday_status as s from order_list order by order_number`.execute(db())).rows.map((r) => r.s);
    expect((await statuses()).filter((s) => s === 'In Production')).toHaveLength(2);
    const markAfter = await db().selectFrom('ordersync_write_back_marks').selectAll().executeTakeFirstOrThrow();
    expect(new Date(markAfter.since!).getTime()).toBe(new Date(markBefore.since!).getTime());
    expect(markAfter.cursor).not.toBeNull();

    await sql`drop trigger refuse_third on order_list`.execute(db());
    const from = h.emulator.requestLog.length;
    const recovered = await h.run();
    expect(await statuses()).toEqual(Array(6).fill('In Production'));
    expect(recovered.summary.writtenBack?.rowsChanged).toBe(4);
    // Resumed from the stored cursor, not from the first page.
    const reads = since(h, from).filter((r) => r.document.includes('column_values(ids: $columns)'));
    expect(reads[0]!.document).toContain('next_items_page');
    const done = await db().selectFrom('ordersync_write_back_marks').selectAll().executeTakeFirstOrThrow();
    expect(done.cursor).toBeNull();
    expect(new Date(done.since!).getTime()).toBeGreaterThan(new Date(markBefore.since!).getTime());
  });

  it('writes subitem columns back to the lines table, converted to its column types', async () => {
    await sql`drop trigger if exists mark_pending_on_status on order_list`.execute(db());
    await sql`alter table order_list_lines add column if not exists monday_size text, add column if not exists monday_quantity integer`.execute(db());
    h.config.writeBack = { ...h.config.writeBack!, subitems: { columns: { text_mkr6a1sz: 'monday_size', numeric_mkr6b2qt: 'monday_quantity' } } };
    const line = (await sql<{ id: string; key: string }>`select monday_subitem_id as id, line_key as key from order_list_lines order by line_key limit 1`.execute(db())).rows[0]!;
    const subitemsBoard = h.emulator.snapshot().boards.find((b) => b.parent_board_id === h.config.monday.board)!.id;
    const r = await postAsPerson(h.emulator, CHANGE, { b: subitemsBoard, i: line.id, v: JSON.stringify({ text_mkr6a1sz: 'XXL (by hand)', numeric_mkr6b2qt: '77' }) });
    expect(r.body.errors).toBeUndefined();
    const from = h.emulator.requestLog.length;
    await h.run();
    const row = (await sql<{ monday_size: string; monday_quantity: number; sync_state: string }>`select monday_size, monday_quantity, sync_state from order_list_lines where line_key = ${line.key}`.execute(db())).rows[0]!;
    expect(row).toEqual({ monday_size: 'XXL (by hand)', monday_quantity: 77, sync_state: 'SYNCED' });
    expect(since(h, from).filter((x) => x.operation === 'mutation')).toHaveLength(0);
    expect(since(h, from).some((x) => JSON.stringify(x.variables).includes(subitemsBoard))).toBe(true);
  });

  it('starts the read over when its stored cursor has expired on monday, or is older than monday keeps cursors', async () => {
    const board = h.config.monday.board;
    const reads = async (): Promise<Log[]> => {
      const from = h.emulator.requestLog.length;
      const result = await h.run();
      expect(result.summary.warnings.filter((w) => w.includes('write-back'))).toEqual([]);
      const mark = await db().selectFrom('ordersync_write_back_marks').selectAll().where('board_id', '=', board).executeTakeFirstOrThrow();
      expect(mark.cursor).toBeNull();
      return since(h, from).filter((r) => r.document.includes('column_values(ids: $columns)'));
    };
    const minutesAgo = (n: number): Date => new Date(Date.now() - n * 60_000);
    // monday answers CursorException for a cursor it no longer knows: the read begins again.
    await db().updateTable('ordersync_write_back_marks').set({ cursor: 'no-longer-known', cursor_at: minutesAgo(1), read_started_at: minutesAgo(2) }).where('board_id', '=', board).execute();
    const expired = await reads();
    expect(expired[0]).toMatchObject({ variables: expect.objectContaining({ cursor: 'no-longer-known' }), error: expect.stringContaining('CursorException') });
    expect(expired[1]!.document).toContain('items_page(limit: $limit, query_params: $query)');
    // A cursor taken 2 hours ago is not even tried (monday keeps cursors 60 minutes).
    await db().updateTable('ordersync_write_back_marks').set({ cursor: 'two-hours-old', cursor_at: minutesAgo(120), read_started_at: minutesAgo(121) }).where('board_id', '=', board).execute();
    const from = h.emulator.requestLog.length;
    const stale = await reads();
    expect(stale[0]!.document).toContain('items_page(limit: $limit, query_params: $query)');
    expect(since(h, from).some((r) => JSON.stringify(r.variables).includes('two-hours-old'))).toBe(false);
  });
});
