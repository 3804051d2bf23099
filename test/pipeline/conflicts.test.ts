/**
 * People's edits on the board (issue #18): a person edits, moves, deletes and archives items through
 * the emulator's second token, the way monday's UI would, and the next run must respect it.
 * monday API reference "Items": `items(ids)` answers each item's `state` (active, archived, deleted)
 * and `group`; `column_values { id type value text }` is what the conflict check compares.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatConflictsTable } from '../../src/cli/commands/records.ts';
import { main } from '../../src/cli/main.ts';
import { captureOutput } from '../support/capture-output.ts';
import { listConflicts } from '../../src/pipeline/conflict-log.ts';
import { postAsPerson } from '../emulator/post-graphql.ts';
import { sentOps } from '../support/sent-ops.ts';
import { startHarness, type SyncHarness } from '../support/sync-harness.ts';
import { dialects } from '../support/test-database.ts';

const PO = 'text_mkr5q6n2';
const QUANTITY = 'numeric_mktb1d19';
const COLOR = 'text_mkr5dq1b';
const CHANGE = 'mutation ($b: ID!, $i: ID!, $v: JSON!) { change_multiple_column_values(board_id: $b, item_id: $i, column_values: $v) { id } }';

const io = captureOutput();

describe.each(dialects)('people edit the board on %s', (dialect) => {
  let h: SyncHarness;
  const db = (): SyncHarness['t']['database']['db'] => h.t.database.db;
  const board = (): string => String(h.config.monday.board);
  const row = async (order: string): Promise<{ monday_item_id: string; sync_state: string; sync_error_message: string | null; group_id: string }> =>
    (await sql<{ monday_item_id: string; sync_state: string; sync_error_message: string | null; group_id: string }>`select monday_item_id, sync_state, sync_error_message, group_id from order_list where order_number = ${order}`.execute(db())).rows[0]!;
  const item = (id: string): ReturnType<SyncHarness['emulator']['snapshot']>['items'][number] => h.emulator.snapshot().items.find((i) => i.id === id)!;
  const cell = (id: string, column: string): unknown => item(id).column_values[column];
  /** A person edits an item on the board (the emulator's user token). */
  const personSets = async (id: string, values: Record<string, unknown>): Promise<void> => {
    const r = await postAsPerson(h.emulator, CHANGE, { b: board(), i: id, v: JSON.stringify(values) });
    expect(r.body.errors).toBeUndefined();
  };
  const person = async (query: string, variables: Record<string, unknown>): Promise<{ data: Record<string, { id: string }> }> => {
    const r = await postAsPerson(h.emulator, query, variables);
    expect(r.body.errors).toBeUndefined();
    return r.body;
  };
  /** Upstream changes an order (and marks it PENDING, as the ERP's trigger does). */
  const upstream = async (order: string, set: Record<string, string>): Promise<void> => {
    for (const [column, value] of Object.entries(set)) {
      await sql`update order_list set ${sql.ref(column)} = ${value}, sync_state = 'PENDING' where order_number = ${order}`.execute(db());
    }
  };
  const conflictRows = async (order: string): Promise<{ request: unknown; error: string | null }[]> =>
    db().selectFrom('ordersync_api_log').select(['request', 'error']).where('operation', '=', 'conflict').where('record_key', '=', order).orderBy('id').execute();
  const opsFor = (from: number, id: string): ReturnType<typeof sentOps> => sentOps(h, from).filter((op) => op.itemId === id);
  /** Runs with changed stage options, then puts them back. */
  const withOptions = async <T>(stage: 'transform' | 'load', patch: (o: Record<string, unknown>) => Record<string, unknown>, body: () => Promise<T>): Promise<T> => {
    const before = h.config.stages[stage].options as Record<string, unknown>;
    h.config.stages[stage].options = patch(structuredClone(before));
    try {
      return await body();
    } finally {
      h.config.stages[stage].options = before;
    }
  };
  const column = (field: string, extra: Record<string, unknown>) => (o: Record<string, unknown>): Record<string, unknown> => {
    const columns = o.columns as Record<string, Record<string, unknown>>;
    return { ...o, columns: { ...columns, [field]: { ...columns[field], ...extra } } };
  };

  beforeAll(async () => {
    h = await startHarness(dialect, { seed: { customers: ['GREYSON'], ordersPerCustomer: 9, dirty: false } });
    h.config.customers = [{ name: 'GREYSON' }];
    await h.run();
  }, 60_000);
  afterAll(async () => h?.close());

  it("keeps a person's PO Number when upstream changes PO Number and quantity, sends the quantity, and reports one conflict everywhere", async () => {
    const { monday_item_id: id } = await row('GRE-1001');
    await personSets(id, { [PO]: 'PO-BY-HAND' });
    await upstream('GRE-1001', { po_number: 'PO-ERP-2', total_quantity: '777' });
    const from = h.emulator.requestLog.length;
    const result = await h.run();
    expect(cell(id, PO)).toBe('PO-BY-HAND');
    expect(String(cell(id, QUANTITY))).toBe('777');
    const [op] = opsFor(from, id);
    expect(Object.keys(op!.columns!)).toContain(QUANTITY);
    expect(Object.keys(op!.columns!)).not.toContain(PO);
    expect((await row('GRE-1001')).sync_state).toBe('SYNCED');

    const example = { order: 'GRE-1001', column: 'po_number', ours: 'PO-ERP-2', theirs: 'PO-BY-HAND', policy: 'flag' };
    expect(result.summary.conflicts).toEqual({ count: 1, examples: [expect.objectContaining(example)] });
    expect(result.summary.customers[0]!.conflicts!.count).toBe(1);
    const summary = await readFile(join(result.reportPath!, '_SYNC_SUMMARY.md'), 'utf8');
    expect(summary).toContain('| GRE-1001 | po\\_number | PO-ERP-2 | PO-BY-HAND | flag |');
    expect(summary).toMatch(/\| GREYSON \| 1 \|/);
    const customerReport = await readFile(join(result.reportPath!, 'customer_reports', 'GREYSON.md'), 'utf8');
    expect(customerReport).toContain('| GRE-1001 | GRE-1001 | po\\_number | PO-ERP-2 | PO-BY-HAND | flag |');

    const logged = await conflictRows('GRE-1001');
    expect(logged).toHaveLength(1);
    expect(logged[0]!.request).toMatchObject({ order: 'GRE-1001', column: PO, field: 'po_number', ours: 'PO-ERP-2', theirs: 'PO-BY-HAND', policy: 'flag' });
    const listed = await listConflicts(db(), { orders: ['GRE-1001'], limit: 50 });
    expect(listed.total).toBe(1);
    expect(formatConflictsTable(listed.rows)).toMatch(/GRE-1001 +GRE-1001 +GREYSON +po_number \(text_mkr5q6n2\) +PO-ERP-2 +PO-BY-HAND +flag/);

    if (h.t.url) {
      // The command itself, against this database (an in-memory PGlite cannot be opened twice).
      const saved = process.env.DATABASE_URL;
      process.env.DATABASE_URL = h.t.url;
      try {
        expect(await main(['records', '--conflicts', '--order', 'GRE-1001', '--config', 'config/order-list.yaml'])).toBe(0);
        expect(io.out).toMatch(/ORDER +RECORD +CUSTOMER +COLUMN +OURS +THEIRS \(MONDAY\) +POLICY/);
        expect(io.out).toMatch(/GRE-1001 .*po_number \(text_mkr5q6n2\) +PO-ERP-2 +PO-BY-HAND +flag/);
        expect(io.out).toContain('1 conflict');
      } finally {
        process.env.DATABASE_URL = saved;
      }
    }

    // Re-marked without a change: nothing is sent, read or flagged again.
    await sql`update order_list set sync_state = 'PENDING' where order_number = 'GRE-1001'`.execute(db());
    const again = h.emulator.requestLog.length;
    await h.run();
    expect(opsFor(again, id)).toEqual([]);
    expect(await conflictRows('GRE-1001')).toHaveLength(1);
    expect(cell(id, PO)).toBe('PO-BY-HAND');
  });

  it("leaves a person's edit of a column that did not change upstream as it is, with no conflict", async () => {
    const { monday_item_id: id } = await row('GRE-1002');
    await personSets(id, { [COLOR]: 'Hand Red' });
    await upstream('GRE-1002', { total_quantity: '555' });
    const from = h.emulator.requestLog.length;
    const result = await h.run();
    expect(cell(id, COLOR)).toBe('Hand Red');
    expect(String(cell(id, QUANTITY))).toBe('555');
    expect(Object.keys(opsFor(from, id)[0]!.columns!)).toEqual([QUANTITY]);
    expect(result.summary.conflicts!.count).toBe(0);
  });

  it("keeps a person's edit of a subitem's quantity the same way, and names the line and its order", async () => {
    const line = (await sql<{ line_key: string; monday_subitem_id: string }>`select line_key, monday_subitem_id from order_list_lines where order_number = 'GRE-1002' order by line_key limit 1`.execute(db())).rows[0]!;
    const sub = item(line.monday_subitem_id);
    const r = await postAsPerson(h.emulator, CHANGE, { b: sub.board_id, i: sub.id, v: JSON.stringify({ numeric_mkr6b2qt: '1' }) });
    expect(r.body.errors).toBeUndefined();
    await sql`update order_list_lines set quantity = '2', sync_state = 'PENDING' where line_key = ${line.line_key}`.execute(db());
    const result = await h.run();
    expect(String(cell(sub.id, 'numeric_mkr6b2qt'))).toBe('1');
    expect(result.summary.conflicts!.examples).toEqual([{ order: 'GRE-1002', entity: 'subitem', key: line.line_key, column: 'quantity', ours: '2', theirs: '1', policy: 'flag' }]);
  });

  it("writes the ERP's value over the person's with onConflict: overwrite, and still records the conflict", async () => {
    const { monday_item_id: id } = await row('GRE-1003');
    await personSets(id, { [PO]: 'PO-HAND-3' });
    await upstream('GRE-1003', { po_number: 'PO-ERP-3' });
    const result = await withOptions('load', (o) => ({ ...o, onConflict: 'overwrite' }), () => h.run());
    expect(cell(id, PO)).toBe('PO-ERP-3');
    expect(result.summary.conflicts!.examples).toEqual([expect.objectContaining({ order: 'GRE-1003', ours: 'PO-ERP-3', theirs: 'PO-HAND-3', policy: 'overwrite' })]);
  });

  it("keeps monday's value as the new baseline with a column's keep-monday, so the next upstream change goes through without a conflict", async () => {
    const { monday_item_id: id } = await row('GRE-1004');
    await personSets(id, { [PO]: 'PO-HAND-4' });
    await upstream('GRE-1004', { po_number: 'PO-ERP-4' });
    await withOptions('transform', column('po_number', { onConflict: 'keep-monday' }), async () => {
      const first = await h.run();
      expect(cell(id, PO)).toBe('PO-HAND-4');
      expect(first.summary.conflicts!.examples).toEqual([expect.objectContaining({ order: 'GRE-1004', policy: 'keep-monday' })]);
      const state = await db().selectFrom('ordersync_record_state').select('monday_values').where('entity', '=', 'item').where('record_key', '=', 'GRE-1004').executeTakeFirstOrThrow();
      expect(state.monday_values).toEqual({ [PO]: 'PO-HAND-4' });
      await upstream('GRE-1004', { po_number: 'PO-ERP-4B' });
      const second = await h.run();
      expect(cell(id, PO)).toBe('PO-ERP-4B');
      expect(second.summary.conflicts!.count).toBe(0);
    });
  });

  it('never updates a monday-owned column, not even with --force, while the rest of the order is sent', async () => {
    const { monday_item_id: id } = await row('GRE-1005');
    await personSets(id, { status: { label: 'Shipped' } });
    await upstream('GRE-1005', { order_status: 'Cancelled', total_quantity: '4242' });
    await withOptions('transform', column('order_status', { owner: 'monday' }), async () => {
      let from = h.emulator.requestLog.length;
      await h.run();
      expect(Object.keys(opsFor(from, id)[0]!.columns!)).toEqual([QUANTITY]);
      await sql`update order_list set sync_state = 'PENDING' where order_number = 'GRE-1005'`.execute(db());
      from = h.emulator.requestLog.length;
      await h.run({ force: true });
      const forced = Object.keys(opsFor(from, id)[0]!.columns!);
      expect(forced.length).toBeGreaterThan(5);
      expect(forced).not.toContain('status');
    });
    const read = await postAsPerson(h.emulator, 'query ($i: [ID!]) { items(ids: $i) { column_values(ids: ["status"]) { text } } }', { i: [id] });
    expect(read.body.data.items[0].column_values[0].text).toBe('Shipped');
  });

  it("resends in full with --force but keeps a person's edit under the flag policy, and says so in --help", async () => {
    const { monday_item_id: id } = await row('GRE-1006');
    await personSets(id, { [PO]: 'PO-HAND-6' });
    await sql`update order_list set sync_state = 'PENDING' where order_number = 'GRE-1006'`.execute(db());
    const from = h.emulator.requestLog.length;
    const result = await h.run({ force: true });
    const sent = Object.keys(opsFor(from, id)[0]!.columns!);
    expect(sent.length).toBeGreaterThan(5);
    expect(sent).not.toContain(PO);
    expect(cell(id, PO)).toBe('PO-HAND-6');
    expect(result.summary.conflicts!.examples).toEqual([expect.objectContaining({ order: 'GRE-1006', theirs: 'PO-HAND-6', policy: 'flag' })]);
    const { command } = await import('../../src/cli/commands/run.ts');
    expect(command.help).toMatch(/--force[\s\S]*conflict policy[\s\S]*still holds/);
  });

  it('fails an order whose item a person deleted with the reason and when it was noticed; recreate makes a new one, one per key', async () => {
    const old = (await row('GRE-1007')).monday_item_id;
    const lines = h.emulator.snapshot().items.filter((i) => i.parent_item_id === old && i.state === 'active').length;
    expect(lines).toBeGreaterThan(0);
    await person('mutation ($i: ID!) { delete_item(item_id: $i) { id } }', { i: old });
    await upstream('GRE-1007', { total_quantity: '1234' });
    let from = h.emulator.requestLog.length;
    await h.run();
    const failed = await row('GRE-1007');
    expect(failed.sync_state).toBe('FAILED');
    expect(failed.sync_error_message).toMatch(/^deleted on monday by a person \(noticed \d{4}-\d\d-\d\dT[\d:.]+Z\)/);
    expect(opsFor(from, old)).toEqual([]);

    await upstream('GRE-1007', { total_quantity: '1235' });
    await withOptions('load', (o) => ({ ...o, onMissing: 'recreate' }), async () => {
      from = h.emulator.requestLog.length;
      await h.run();
      const now = await row('GRE-1007');
      expect(now.sync_state).toBe('SYNCED');
      expect(now.monday_item_id).not.toBe(old);
      expect(sentOps(h, from).map((op) => op.field)).toContain('create_item');
      const holding = h.emulator.snapshot().items.filter((i) => i.state === 'active' && i.column_values.text_mkr5ord0 === 'GRE-1007');
      expect(holding.map((i) => i.id)).toEqual([now.monday_item_id]);
      // Its lines were not pending: they wait for the next run, which creates them under the new item.
      await h.run();
      const subitems = h.emulator.snapshot().items.filter((i) => i.parent_item_id === now.monday_item_id && i.state === 'active');
      expect(subitems).toHaveLength(lines);
      const states = await sql<{ s: string; parent: string }>`select sync_state as s, parent_item_id as parent from order_list_lines where order_number = 'GRE-1007'`.execute(db());
      expect(states.rows.every((r) => r.s === 'SYNCED' && r.parent === now.monday_item_id)).toBe(true);
    });
  });

  it('fails an order whose item a person archived, saying so', async () => {
    const { monday_item_id: id } = await row('GRE-1008');
    await person('mutation ($i: ID!) { archive_item(item_id: $i) { id } }', { i: id });
    await upstream('GRE-1008', { total_quantity: '99' });
    await h.run();
    const failed = await row('GRE-1008');
    expect(failed.sync_state).toBe('FAILED');
    expect(failed.sync_error_message).toMatch(/^archived on monday by a person/);
  });

  it('does not move back an item a person moved to another group, unless its group title changes upstream', async () => {
    const before = await row('GRE-1009');
    const group = await person('mutation ($b: ID!, $n: String!) { create_group(board_id: $b, group_name: $n) { id } }', { b: board(), n: 'On hold (by hand)' });
    const hold = group.data.create_group!.id;
    await person('mutation ($i: ID!, $g: String!) { move_item_to_group(item_id: $i, group_id: $g) { id } }', { i: before.monday_item_id, g: hold });
    await upstream('GRE-1009', { total_quantity: '321' });
    let from = h.emulator.requestLog.length;
    await h.run();
    expect(item(before.monday_item_id).group_id).toBe(hold);
    expect(sentOps(h, from).map((op) => op.field)).not.toContain('move_item_to_group');

    await upstream('GRE-1009', { customer_season: '2026 SUMMER' });
    from = h.emulator.requestLog.length;
    await h.run();
    const after = await row('GRE-1009');
    expect(after.group_id).not.toBe(before.group_id);
    expect(item(before.monday_item_id).group_id).toBe(after.group_id);
    expect(sentOps(h, from).map((op) => op.field)).toContain('move_item_to_group');
  });
});
