import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import plugin from '../../../plugins/extract/postgres-pending.ts';
import { resetDemo } from '../../../src/db/seed-demo.ts';
import type { EntityOutcome, Extractor, SourceRecord } from '../../../src/pipeline/index.ts';
import { dialects } from '../../support/test-database.ts';
import { RUN_ID, createPlain, flagshipOptions, insertRows, selectRows, testPlugin, type Plain } from '../support/plugin-harness.ts';

/** ACME orders A-01..A-05 (inserted out of key order), each with lines 1..n (inserted backwards); one BETA order. */
async function seedOrders(plain: Plain): Promise<void> {
  const orders = ['A-03', 'A-01', 'A-05', 'A-02', 'A-04'];
  await insertRows(plain.db, 'order_list', [
    ...orders.map((order_number) => ({ order_number, customer_name: 'ACME', customer_season: '2025 FALL' })),
    { order_number: 'B-01', customer_name: 'BETA', customer_season: '2025 FALL' },
  ]);
  for (const order of [...orders, 'B-01']) {
    const n = Number(order.slice(-1)) % 3 + 1;
    for (let i = n; i >= 1; i--) {
      await insertRows(plain.db, 'order_list_lines', [{ line_key: `${order}-${i}`, order_number: order, line_number: i, size: `S${i}`, quantity: '12' }]);
    }
  }
}

async function readAll(source: Extractor, customer = 'ACME', limit?: number): Promise<SourceRecord[][]> {
  const pages: SourceRecord[][] = [];
  for await (const page of source.pages(customer, { limit })) pages.push(page);
  return pages;
}

const outcome = (patch: Partial<EntityOutcome> & Pick<EntityOutcome, 'entity' | 'key' | 'state'>): EntityOutcome => ({
  order: patch.key, customer: 'ACME', action: 'create', mondayId: null, parentItemId: null, groupId: null, groupTitle: null, name: null,
  error: null, operation: null, request: null, response: null, apiStatus: null, attempts: 1, ...patch,
});

const setState = (table: string, key: string, keys: string[], state: string) =>
  sql`update ${sql.table(table)} set sync_state = ${state} where ${sql.ref(key)} = any(${keys})`;

describe.each(dialects)('postgres-pending on %s', (dialect) => {
  let plain: Plain;
  beforeAll(async () => {
    plain = await createPlain({ dialect });
  }, 120_000);
  afterAll(async () => {
    await plain?.close();
  });
  beforeEach(async () => {
    await resetDemo(plain.db);
    await seedOrders(plain);
  });

  const create = (options: Record<string, unknown> = {}) => testPlugin(plugin, { ...flagshipOptions('extract'), ...options }, plain.context());

  it('reads a customer\'s pending orders in key order, each with its lines in line order', async () => {
    const source = await create();
    const records = (await readAll(source)).flat();
    expect(records.map((r) => r.key)).toEqual(['A-01', 'A-02', 'A-03', 'A-04', 'A-05']);
    const a02 = records[1]!;
    expect(a02).toMatchObject({ customer: 'ACME', state: 'PENDING', mondayId: null, retryCount: 0, action: 'CREATE', lastError: null });
    expect(a02.fields).toMatchObject({ order_number: 'A-02', customer_season: '2025 FALL' });
    expect(a02.lines.map((l) => l.key)).toEqual(['A-02-1', 'A-02-2', 'A-02-3']);
    expect(a02.lines[0]!.fields).toMatchObject({ size: 'S1', quantity: '12' });
    expect(Object.keys(a02.lines[0]!.fields)).not.toContain('ordersync_send_line__');
    expect(a02.lineKeys).toEqual(['A-02-1', 'A-02-2', 'A-02-3']);
    expect(await source.count('ACME')).toBe(5);
    expect((await readAll(source, 'BETA')).flat().map((r) => r.key)).toEqual(['B-01']);
  });

  it('honours pageSize: pages of at most pageSize headers, none empty', async () => {
    const source = await create({ pageSize: 2 });
    expect((await readAll(source)).map((page) => page.map((r) => r.key))).toEqual([['A-01', 'A-02'], ['A-03', 'A-04'], ['A-05']]);
  });

  it('stops after limit orders', async () => {
    const source = await create({ pageSize: 2 });
    expect((await readAll(source, 'ACME', 3)).map((page) => page.map((r) => r.key))).toEqual([['A-01', 'A-02'], ['A-03']]);
  });

  it('brings a SYNCED order along only while some of its lines are pending, with just those lines', async () => {
    await setState('order_list', 'order_number', ['A-01', 'A-02', 'A-03', 'A-04', 'A-05'], 'SYNCED').execute(plain.db);
    await sql`update order_list set monday_item_id = '111' where order_number = 'A-05'`.execute(plain.db);
    await setState('order_list_lines', 'line_key', ['A-05-1', 'A-02-1', 'A-02-2', 'A-02-3'], 'SYNCED').execute(plain.db);
    const source = await create();
    const records = (await readAll(source)).flat();
    // every line synced → stays behind; A-05: one line synced → comes with its other, pending lines.
    // SYNCED with every line pending (their subitems have yet to be sent).
    expect(records.map((r) => r.key)).toEqual(['A-01', 'A-03', 'A-04', 'A-05']);
    const a05 = records[3]!;
    expect(a05).toMatchObject({ state: 'SYNCED', mondayId: '111' });
    expect(a05.lines.map((l) => l.key)).toEqual(['A-05-2', 'A-05-3']);
    expect(a05.lineKeys).toEqual(['A-05-1', 'A-05-2', 'A-05-3']);
    expect(await source.count('ACME')).toBe(4);
  });

  it('leaves FAILED orders behind, and sends a pending order\'s FAILED lines again', async () => {
    await setState('order_list', 'order_number', ['A-01'], 'FAILED').execute(plain.db);
    await setState('order_list_lines', 'line_key', ['A-02-2'], 'FAILED').execute(plain.db);
    const records = (await readAll(await create())).flat();
    expect(records.map((r) => r.key)).not.toContain('A-01');
    expect(records.find((r) => r.key === 'A-02')!.lines.map((l) => [l.key, l.state])).toEqual([['A-02-1', 'PENDING'], ['A-02-2', 'FAILED'], ['A-02-3', 'PENDING']]);
  });

  it('spaces retries: a row that failed transiently just now waits retryBackoffSeconds', async () => {
    await sql`update order_list set retry_count = 1, sync_attempted_at = now() where order_number = 'A-01'`.execute(plain.db);
    expect((await readAll(await create())).flat().map((r) => r.key)).not.toContain('A-01');
    expect((await readAll(await create({ retryBackoffSeconds: 0 }))).flat().map((r) => r.key)).toContain('A-01');
  });

  describe('writeBack', () => {
    it('markAttempt stamps exactly the named header and lines with the attempt and the run', async () => {
      const source = await create();
      await source.writeBack.markAttempt({ attemptId: `${RUN_ID}-1`, entities: [{ entity: 'item', key: 'A-02' }, { entity: 'subitem', key: 'A-03-1' }] });
      const headers = await selectRows(plain.db, 'order_list', 'order_number', 'order_number, attempt_id, last_run_id, sync_attempted_at is not null as stamped');
      expect(headers.filter((r) => r.stamped)).toEqual([{ order_number: 'A-02', attempt_id: `${RUN_ID}-1`, last_run_id: RUN_ID, stamped: true }]);
      const lines = await selectRows(plain.db, 'order_list_lines', 'line_key', 'line_key, attempt_id, last_run_id');
      expect(lines.filter((r) => r.attempt_id !== null)).toEqual([{ line_key: 'A-03-1', attempt_id: `${RUN_ID}-1`, last_run_id: RUN_ID }]);
      // A header still PENDING with an attempt and no monday id is one to look up before creating.
      const again = (await readAll(source)).flat();
      expect(again.find((r) => r.key === 'A-02')!.attemptId).toBe(`${RUN_ID}-1`);
      expect(again.find((r) => r.key === 'A-03')!.lines[0]!.attemptId).toBe(`${RUN_ID}-1`);
    });

    it('settle writes each outcome to its own row: state, ids, error, payloads, retry count', async () => {
      const source = await create();
      await source.writeBack.settle([
        outcome({ entity: 'item', key: 'A-01', state: 'SYNCED', mondayId: '9001', groupId: 'g1', groupTitle: 'ACME 2025 FALL', name: 'Polo A-01', request: { q: 1 }, response: { id: '9001' }, apiStatus: 'ok' }),
        outcome({ entity: 'item', key: 'A-02', state: 'PENDING', error: 'HTTP_503: unavailable', request: { q: 2 }, response: null, apiStatus: 'HTTP_503' }),
        outcome({ entity: 'item', key: 'A-03', state: 'FAILED', action: 'skip', error: 'order_date: not a real date', apiStatus: 'invalid' }),
        outcome({ entity: 'subitem', key: 'A-01-1', order: 'A-01', state: 'SYNCED', mondayId: '9002', parentItemId: '9001', request: { q: 3 }, response: { id: '9002' }, apiStatus: 'ok' }),
      ]);
      const headers = await selectRows(plain.db, 'order_list', 'order_number',
        `order_number, sync_state, monday_item_id, group_id, group_name, item_name, sync_error_message, retry_count, api_status,
         api_request_payload, last_run_id, sync_completed_at is not null as completed`);
      expect(headers.slice(0, 4)).toEqual([
        { order_number: 'A-01', sync_state: 'SYNCED', monday_item_id: '9001', group_id: 'g1', group_name: 'ACME 2025 FALL', item_name: 'Polo A-01', sync_error_message: null, retry_count: 0, api_status: 'ok', api_request_payload: { q: 1 }, last_run_id: RUN_ID, completed: true },
        // Sent and failed transiently: one more retry counted.
        { order_number: 'A-02', sync_state: 'PENDING', monday_item_id: null, group_id: null, group_name: null, item_name: null, sync_error_message: 'HTTP_503: unavailable', retry_count: 1, api_status: 'HTTP_503', api_request_payload: { q: 2 }, last_run_id: RUN_ID, completed: false },
        // Never sent: no retry counted, no payload.
        { order_number: 'A-03', sync_state: 'FAILED', monday_item_id: null, group_id: null, group_name: null, item_name: null, sync_error_message: 'order_date: not a real date', retry_count: 0, api_status: 'invalid', api_request_payload: null, last_run_id: RUN_ID, completed: false },
        { order_number: 'A-04', sync_state: 'PENDING', monday_item_id: null, group_id: null, group_name: null, item_name: null, sync_error_message: null, retry_count: 0, api_status: null, api_request_payload: null, last_run_id: null, completed: false },
      ]);
      const lines = await selectRows(plain.db, 'order_list_lines', 'line_key', 'line_key, sync_state, monday_subitem_id, parent_item_id');
      expect(lines.filter((l) => l.sync_state !== 'PENDING')).toEqual([{ line_key: 'A-01-1', sync_state: 'SYNCED', monday_subitem_id: '9002', parent_item_id: '9001' }]);
    });

    it('settle keeps the neighbours of a row the database refuses, and writes that one without its payloads', async () => {
      const source = await create();
      // jsonb refuses \u0000: the batch's transaction fails on the middle row.
      await source.writeBack.settle([
        outcome({ entity: 'item', key: 'A-01', state: 'SYNCED', mondayId: '9001', request: { ok: 1 }, response: { id: '9001' } }),
        outcome({ entity: 'item', key: 'A-02', state: 'SYNCED', mondayId: '9002', request: { bad: 'nul\u0000byte' }, response: { id: '9002' } }),
        outcome({ entity: 'item', key: 'A-03', state: 'SYNCED', mondayId: '9003', request: { ok: 3 }, response: { id: '9003' } }),
      ]);
      const rows = await selectRows(plain.db, 'order_list', 'order_number', 'order_number, sync_state, monday_item_id, api_request_payload, sync_error_message');
      expect(rows.slice(0, 3).map((r) => [r.order_number, r.sync_state, r.monday_item_id, r.api_request_payload])).toEqual([
        ['A-01', 'SYNCED', '9001', { ok: 1 }],
        ['A-02', 'SYNCED', '9002', null],
        ['A-03', 'SYNCED', '9003', { ok: 3 }],
      ]);
      expect(rows[1]!.sync_error_message).toMatch(/^could not write the outcome back: /);
      expect(rows[0]!.sync_error_message).toBeNull();
    });

    it('recordGroups names the page\'s orders and gives every PENDING order of the customer with that title its id', async () => {
      await sql`update order_list set group_name = 'ACME 2025 FALL' where order_number in ('A-04', 'A-05', 'B-01')`.execute(plain.db);
      await setState('order_list', 'order_number', ['A-05'], 'SYNCED').execute(plain.db);
      const source = await create();
      await source.writeBack.recordGroups('ACME', [{ key: 'A-01', title: 'ACME 2025 FALL' }, { key: 'A-02', title: 'ACME 2026 SPRING' }, { key: 'A-03', title: null }],
        [{ title: 'ACME 2025 FALL', groupId: 'g_fall' }]);
      const rows = await selectRows(plain.db, 'order_list', 'order_number', 'order_number, group_name, group_id');
      expect(rows).toEqual([
        { order_number: 'A-01', group_name: 'ACME 2025 FALL', group_id: 'g_fall' },
        { order_number: 'A-02', group_name: 'ACME 2026 SPRING', group_id: null },
        { order_number: 'A-03', group_name: null, group_id: null },
        // Not on this page, same title, PENDING: gets the id too.
        { order_number: 'A-04', group_name: 'ACME 2025 FALL', group_id: 'g_fall' },
        // SYNCED: its group is monday's business now.
        { order_number: 'A-05', group_name: 'ACME 2025 FALL', group_id: null },
        // Another customer's group of the same title is another group.
        { order_number: 'B-01', group_name: 'ACME 2025 FALL', group_id: null },
      ]);
    });

    it('requeueFailed puts the customer\'s FAILED headers and lines back to PENDING and says how many', async () => {
      await sql`update order_list set sync_state = 'FAILED', retry_count = 5 where order_number in ('A-01', 'B-01')`.execute(plain.db);
      await sql`update order_list_lines set sync_state = 'FAILED', retry_count = 2 where line_key in ('A-02-1', 'B-01-1')`.execute(plain.db);
      await setState('order_list', 'order_number', ['A-03'], 'SYNCED').execute(plain.db);
      const source = await create();
      expect(await source.writeBack.requeueFailed('ACME')).toBe(2);
      const headers = await selectRows(plain.db, 'order_list', 'order_number', 'order_number, sync_state, retry_count');
      expect(headers.map((r) => `${r.order_number}:${r.sync_state}:${r.retry_count}`)).toEqual(['A-01:PENDING:0', 'A-02:PENDING:0', 'A-03:SYNCED:0', 'A-04:PENDING:0', 'A-05:PENDING:0', 'B-01:FAILED:5']);
      const lines = await selectRows(plain.db, 'order_list_lines', 'line_key', 'line_key, sync_state, retry_count');
      expect(lines.filter((l) => l.line_key === 'A-02-1' || l.line_key === 'B-01-1')).toEqual([
        { line_key: 'A-02-1', sync_state: 'PENDING', retry_count: 0 },
        { line_key: 'B-01-1', sync_state: 'FAILED', retry_count: 2 },
      ]);
      expect(await source.writeBack.requeueFailed('ACME')).toBe(0);
    });

    it('tally counts the rows this run touched, by customer and state, headers and lines alike', async () => {
      await sql`update order_list set last_run_id = 'an-earlier-run', sync_state = 'SYNCED' where order_number = 'A-05'`.execute(plain.db);
      const source = await create();
      await source.writeBack.settle([
        outcome({ entity: 'item', key: 'A-01', state: 'SYNCED' }),
        outcome({ entity: 'subitem', key: 'A-01-1', order: 'A-01', state: 'SYNCED' }),
        outcome({ entity: 'item', key: 'A-02', state: 'FAILED' }),
        outcome({ entity: 'item', key: 'B-01', customer: 'BETA', state: 'PENDING' }),
      ]);
      const sorted = (rows: { customer: string; state: string; count: number }[]) => [...rows].sort((a, b) => `${a.customer}${a.state}`.localeCompare(`${b.customer}${b.state}`));
      expect(sorted(await source.writeBack.tally(['ACME']))).toEqual([{ customer: 'ACME', state: 'FAILED', count: 1 }, { customer: 'ACME', state: 'SYNCED', count: 2 }]);
      expect(sorted(await source.writeBack.tally(['ACME', 'BETA']))).toContainEqual({ customer: 'BETA', state: 'PENDING', count: 1 });
    });
  });
});
