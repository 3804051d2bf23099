import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeItems, dumpTable, startHarness, type SyncHarness } from '../support/sync-harness.ts';
import { dialects } from '../support/test-database.ts';

interface Header { order_number: string; customer_name: string; sync_state: string; monday_item_id: string | null; group_id: string | null; group_name: string | null; sync_error_message: string | null; api_request_payload: unknown; api_response_payload: unknown; item_name: string | null }
interface Line { line_key: string; order_number: string; sync_state: string; monday_subitem_id: string | null; parent_item_id: string | null; sync_error_message: string | null; quantity: string }

describe.each(dialects)('the demo sync on %s', (dialect) => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startHarness(dialect);
  });
  afterAll(async () => h?.close());

  const headers = async (): Promise<Header[]> => (await sql<Header>`select * from order_list order by order_number`.execute(h.t.database.db)).rows;
  const lines = async (): Promise<Line[]> => (await sql<Line>`select * from order_list_lines order by line_key`.execute(h.t.database.db)).rows;

  it('plans in --dry-run without changing the database or the emulator', async () => {
    const before = { orders: await dumpTable(h, 'order_list', 'order_number'), lines: await dumpTable(h, 'order_list_lines', 'line_key'), runs: await dumpTable(h, 'ordersync_runs', 'id'), groups: await dumpTable(h, 'ordersync_groups', 'title'), board: h.emulator.snapshot() };
    const mutationsBefore = h.emulator.requestLog.filter((r) => r.operation === 'mutation').length;
    const result = await h.run({ dryRun: true });
    expect(result.plan).not.toBeNull();
    expect(result.plan!.items.create).toBe(37);
    expect(result.plan!.groups.filter((g) => g.origin === 'planned')).toHaveLength(10);
    expect(result.plan!.invalid.map((i) => i.reason).join('\n')).toMatch(/not a real date/);
    expect(result.reportPath).toBeNull();
    expect(await dumpTable(h, 'order_list', 'order_number')).toEqual(before.orders);
    expect(await dumpTable(h, 'order_list_lines', 'line_key')).toEqual(before.lines);
    expect(await dumpTable(h, 'ordersync_runs', 'id')).toEqual(before.runs);
    expect(await dumpTable(h, 'ordersync_groups', 'title')).toEqual(before.groups);
    expect(h.emulator.snapshot()).toEqual(before.board);
    expect(h.emulator.requestLog.filter((r) => r.operation === 'mutation').length).toBe(mutationsBefore);
  });

  it('syncs every valid order as an item in its group and every line as a subitem under it', async () => {
    const result = await h.run();
    expect(result.runStatus).not.toBeNull();
    const hs = await headers();
    const synced = hs.filter((r) => r.sync_state === 'SYNCED');
    expect(synced).toHaveLength(37);
    const items = new Map(activeItems(h).map((i) => [i.id, i]));
    const snapshot = h.emulator.snapshot();
    for (const row of synced) {
      const item = items.get(row.monday_item_id!);
      expect(item, row.order_number).toBeDefined();
      expect(item!.parent_item_id).toBeNull();
      expect(item!.group_id).toBe(row.group_id);
      const board = snapshot.boards.find((b) => b.id === item!.board_id)!;
      expect(board.groups.find((g) => g.id === item!.group_id)?.title).toBe(row.group_name);
      expect(row.group_name).toBe(`${row.customer_name} ${row.group_name!.slice(row.customer_name.length + 1)}`);
      expect(item!.name).toBe(row.item_name);
      expect(item!.column_values.text_mkr5ord0).toBe(row.order_number);
    }
    const ls = await lines();
    const syncedLines = ls.filter((l) => l.sync_state === 'SYNCED');
    for (const line of syncedLines) {
      const sub = items.get(line.monday_subitem_id!);
      expect(sub, line.line_key).toBeDefined();
      expect(sub!.parent_item_id).toBe(line.parent_item_id);
      expect(hs.find((x) => x.order_number === line.order_number)!.monday_item_id).toBe(line.parent_item_id);
    }
    // Database and emulator agree record for record: nothing on the board that the database does not know.
    expect(activeItems(h).length).toBe(synced.length + syncedLines.length);
    expect(new Set(activeItems(h).map((i) => i.id)).size).toBe(activeItems(h).length);
  });

  it('fails the dirty rows alone, each with a readable reason, and never sends them', async () => {
    const failed = (await headers()).filter((r) => r.sync_state === 'FAILED');
    const reasons = failed.map((r) => r.sync_error_message).join('\n');
    expect(failed).toHaveLength(3);
    expect(reasons).toMatch(/order_date: "2025-02-30" is not a real date/);
    expect(reasons).toMatch(/no group title: empty customer_season, aag_season/);
    expect(reasons).toMatch(/name: \d+ characters; monday allows 1–255/);
    for (const row of failed) expect(row.monday_item_id).toBeNull();
    const badLine = (await lines()).find((l) => l.quantity === 'TWELVE')!;
    expect(badLine.sync_state).toBe('FAILED');
    expect(badLine.sync_error_message).toBe('quantity: "TWELVE" is not a number');
    const sentNames = h.emulator.requestLog.flatMap((r) => Object.values(r.variables)).map(String);
    expect(sentNames.some((v) => v.includes('2025-02-30') || v.includes('TWELVE'))).toBe(false);
  });

  it('stores each record\'s own request and response, not the whole batch\'s', async () => {
    const synced = (await headers()).filter((r) => r.sync_state === 'SYNCED');
    for (const row of synced.slice(0, 10)) {
      const request = row.api_request_payload as { document: string; variables: Record<string, unknown> };
      const response = row.api_response_payload as Record<string, unknown>;
      expect(request.document).toMatch(/^a\d+: create_item\(/);
      expect(Object.values(request.variables)).toContain(row.item_name);
      expect(JSON.stringify(request)).not.toContain(h.emulator.token);
      const text = JSON.stringify(response);
      expect(text).toContain(row.monday_item_id!);
      // Exactly one alias's data in it.
      expect(text.match(/"id"/g)?.length ?? 0).toBe(1);
    }
    const log = await h.t.database.db.selectFrom('ordersync_api_log').select(['record_key', 'operation', 'outcome']).execute();
    expect(log.filter((l) => l.operation === 'create_item' && l.outcome === 'SYNCED')).toHaveLength(37);
  });

  it('writes a summary whose numbers reconcile with the database', async () => {
    const run = await h.t.database.db.selectFrom('ordersync_runs').selectAll().where('dry_run', '=', false).orderBy('started_at', 'desc').executeTakeFirstOrThrow();
    const summary = run.summary as { customers: { customer: string; counts: { synced: number; failed: number; pending: number; processed: number } }[] };
    const counts = await sql<{ customer: string; state: string; n: number }>`
      select customer, state, count(*)::int as n from (
        select customer_name as customer, sync_state as state, last_run_id from order_list
        union all select h.customer_name, l.sync_state, l.last_run_id from order_list_lines l join order_list h using (order_number)
      ) t where last_run_id = ${run.id} group by customer, state`.execute(h.t.database.db);
    for (const c of summary.customers) {
      const n = (state: string): number => counts.rows.find((r) => r.customer === c.customer && r.state === state)?.n ?? 0;
      expect({ synced: c.counts.synced, failed: c.counts.failed, pending: c.counts.pending }).toEqual({ synced: n('SYNCED'), failed: n('FAILED'), pending: n('PENDING') });
    }
  });

  it('sends nothing on a rerun with nothing pending but the preflight reads, and says there was nothing to do', async () => {
    const before = h.emulator.requestLog.length;
    const result = await h.run();
    expect(result.summary.nothingToDo).toBe(true);
    expect(result.summary.status).toBe('SUCCESS');
    const sent = h.emulator.requestLog.slice(before);
    // Preflight: one read of both order boards, one of their subitems boards, one of the API version; nothing else.
    expect(sent.map((r) => r.operation)).toEqual(['query', 'query', 'query']);
    expect(result.summary.performance.preflight.requests).toBe(3);
  });
});
