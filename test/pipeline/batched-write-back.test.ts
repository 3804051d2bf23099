/**
 * The write-back in batches: attempt stamps, outcomes, api-log rows and record states are written
 * with one statement per kind per batch, counted by kysely's own log hook (every statement the
 * connection sends, BEGIN/COMMIT included), and a row the database refuses still fails alone.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as v from 'valibot';
import plugin, { type PostgresPendingOptions } from '../../plugins/extract/postgres-pending.ts';
import { settleBatchStatement, settleRowStatement } from '../../plugins/extract/settle-outcomes.ts';
import { appendApiLog } from '../../src/db/api-log.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { openDatabase, type Database } from '../../src/db/open-database.ts';
import { resetDemo, seedDemo } from '../../src/db/seed-demo.ts';
import { createStatementCounter, type StatementCounter } from '../../src/db/statement-counter.ts';
import type { EngineTables } from '../../src/db/tables.ts';
import { startEmulator } from '../../src/emulator/index.ts';
import { createMondayClient } from '../../src/monday/create-monday-client.ts';
import { createPluginContext } from '../../src/pipeline/create-context.ts';
import { createSink } from '../../src/pipeline/create-sink.ts';
import type { EntityOutcome, Extractor, PluginContext } from '../../src/pipeline/index.ts';
import { silentLogger } from '../../src/pipeline/logger.ts';
import { saveRecordStates } from '../../src/pipeline/record-state.ts';
import { runPipeline } from '../../src/pipeline/run-pipeline.ts';
import { createStageTimer } from '../../src/pipeline/stage-timer.ts';
import { BOARD, CONFIG_DIR, RUN_ID, flagshipOptions, insertRows, selectRows, testPlugin } from '../plugins/support/plugin-harness.ts';
import { flagshipConfig } from '../support/sync-harness.ts';
import { createPostgresDatabase, dialects } from '../support/test-database.ts';

/** A fresh migrated database whose every statement the counter sees. */
async function countedDatabase(dialect: 'pglite' | 'postgres', counter: StatementCounter): Promise<{ database: Database; dispose(): Promise<void> }> {
  const log = (event: Parameters<StatementCounter['log']>[0]): void => counter.log(event);
  if (dialect === 'pglite') {
    const database = await openDatabase({ dataDir: 'memory://', log });
    await migrateToLatest(database.db);
    return { database, dispose: () => database.close() };
  }
  const pg = await createPostgresDatabase();
  const database = await openDatabase({ url: pg.url, log });
  await migrateToLatest(database.db);
  return { database, dispose: async () => { await database.close(); await pg.drop(); } };
}

const ORDERS = Array.from({ length: 25 }, (_, i) => `W-${String(i + 1).padStart(2, '0')}`);

/** 25 ACME orders W-01..W-25 with two lines each (W-01-1, W-01-2, …). */
async function seedOrders(db: Kysely<EngineTables>): Promise<void> {
  await resetDemo(db);
  await insertRows(db, 'order_list', ORDERS.map((order_number) => ({ order_number, customer_name: 'ACME', customer_season: '2025 FALL' })));
  await insertRows(db, 'order_list_lines', ORDERS.flatMap((order) => [1, 2].map((n) => ({ line_key: `${order}-${n}`, order_number: order, line_number: n }))));
}

const outcome = (patch: Partial<EntityOutcome> & Pick<EntityOutcome, 'entity' | 'key' | 'state'>): EntityOutcome => ({
  order: patch.key.slice(0, 4), customer: 'ACME', action: 'create', mondayId: null, parentItemId: null, groupId: null, groupTitle: null, name: null,
  error: null, operation: 'create_item', request: null, response: null, apiStatus: null, attempts: 1, ...patch,
});

const synced = (entity: 'item' | 'subitem', key: string, id: string): EntityOutcome => outcome({
  entity, key, state: 'SYNCED', mondayId: id, parentItemId: entity === 'subitem' ? `p-${key.slice(0, 4)}` : null,
  request: { query: `create ${key}` }, response: { id }, apiStatus: 'ok', fingerprint: `fp-${key}`, values: { name: key },
});

describe.each(dialects)('the write-back in batches on %s', (dialect) => {
  const counter = createStatementCounter();
  let opened: { database: Database; dispose(): Promise<void> };
  let db: Kysely<EngineTables>;
  let ctx: PluginContext;
  let source: Extractor;
  beforeAll(async () => {
    opened = await countedDatabase(dialect, counter);
    db = opened.database.db;
    ctx = createPluginContext({ db, logger: silentLogger, runId: RUN_ID, pipeline: 'order-list', configDir: CONFIG_DIR, boardFor: () => BOARD });
    source = await testPlugin(plugin, flagshipOptions('extract'), ctx);
  }, 120_000);
  afterAll(async () => opened?.dispose());
  beforeEach(async () => {
    await seedOrders(db);
    counter.reset();
  });

  it('writes a batch of 25 through the sink with one statement per kind: stamp, api log, record states, outcomes', async () => {
    const timer = createStageTimer(RUN_ID, { extract: 'postgres-pending', transform: 'column-map', 'group-resolve': 'monday-groups', load: 'monday-items', report: 'executive-summary' });
    const seen: EntityOutcome[] = [];
    const sink = createSink({ ctx, db, writeBack: source.writeBack, toSource: true, fence: async () => {}, onOutcome: (o) => seen.push(o), timer, customer: 'ACME' });
    await sink.attempt({ attemptId: `${RUN_ID}-1`, entities: ORDERS.map((key) => ({ entity: 'item', key })) });
    expect(counter.byKind()).toEqual({ 'update order_list': 1 });
    counter.reset();
    await sink.settle(ORDERS.map((key, i) => synced('item', key, `90${i}`)));
    expect(counter.byKind()).toEqual({ 'insert into ordersync_api_log': 1, 'insert into ordersync_record_state': 1, 'update order_list': 1 });
    expect(seen).toHaveLength(25);
    // What the one statement of each kind wrote: every row of the batch.
    const rows = await selectRows(db, 'order_list', 'order_number', 'order_number, sync_state, monday_item_id, attempt_id');
    expect(rows.every((r, i) => r.sync_state === 'SYNCED' && r.monday_item_id === `90${i}` && r.attempt_id === `${RUN_ID}-1`)).toBe(true);
    const log = await sql<{ n: number; attempts: number }>`select count(*)::int as n, count(distinct attempt_id)::int as attempts from ordersync_api_log`.execute(db);
    expect(log.rows[0]).toEqual({ n: 25, attempts: 1 });
    const states = await sql<{ n: number }>`select count(*)::int as n from ordersync_record_state where entity = 'item' and fingerprint like 'fp-W-%'`.execute(db);
    expect(states.rows[0]!.n).toBe(25);
  });

  it('settles items and lines of one batch with one UPDATE per table and no transaction', async () => {
    await source.writeBack.settle([...ORDERS.slice(0, 3).map((k, i) => synced('item', k, `1${i}`)), ...['W-01-1', 'W-01-2', 'W-02-1'].map((k, i) => synced('subitem', k, `2${i}`))]);
    expect(counter.byKind()).toEqual({ 'update order_list': 1, 'update order_list_lines': 1 });
    const lines = await selectRows(db, 'order_list_lines', 'line_key', 'line_key, sync_state, monday_subitem_id, parent_item_id');
    expect(lines.slice(0, 3)).toEqual([
      { line_key: 'W-01-1', sync_state: 'SYNCED', monday_subitem_id: '20', parent_item_id: 'p-W-01' },
      { line_key: 'W-01-2', sync_state: 'SYNCED', monday_subitem_id: '21', parent_item_id: 'p-W-01' },
      { line_key: 'W-02-1', sync_state: 'SYNCED', monday_subitem_id: '22', parent_item_id: 'p-W-02' },
    ]);
  });

  it('writes column for column what one UPDATE per outcome writes, keeping what an outcome does not replace', async () => {
    // Rows that already hold ids, a group, payloads, a retry count and a completion time.
    const before = sql`update order_list set monday_item_id = 'old-id', group_id = 'g-old', group_name = 'OLD', item_name = 'Old name', retry_count = 2,
      api_request_payload = '{"old": "request"}', api_response_payload = '{"old": "response"}', api_status = 'old', sync_error_message = 'old error',
      sync_completed_at = '2020-01-01T00:00:00Z'`;
    const beforeLines = sql`update order_list_lines set monday_subitem_id = 'old-sub', parent_item_id = 'old-parent', retry_count = 3,
      api_request_payload = '[1]', api_response_payload = '[2]', sync_completed_at = '2020-01-01T00:00:00Z'`;
    const outcomes: EntityOutcome[] = [
      outcome({ entity: 'item', key: 'W-01', state: 'SYNCED', mondayId: 'new-1', groupId: 'g-new', groupTitle: 'NEW', name: 'New name', request: { q: 1 }, response: { id: 'new-1' }, apiStatus: 'ok', attempts: 3 }),
      // Sent, transient failure: its attempts become the retry count; no response.
      outcome({ entity: 'item', key: 'W-02', state: 'PENDING', error: 'HTTP_503: unavailable', request: [{ q: 2 }, { q: 3 }], response: null, apiStatus: 'HTTP_503', attempts: 4 }),
      // Not sent: payloads, retry count and ids stay.
      outcome({ entity: 'item', key: 'W-03', state: 'FAILED', action: 'skip', error: 'order_date: not a real date', apiStatus: 'invalid' }),
      // Sent, permanent failure: payloads replaced, retry count kept.
      outcome({ entity: 'item', key: 'W-04', state: 'FAILED', error: 'ColumnValueException: no such label', request: { q: 4 }, response: { error: 'x' }, apiStatus: 'ColumnValueException', attempts: 9 }),
      // Not sent, still waiting: nothing but state, reason and run.
      outcome({ entity: 'item', key: 'W-05', state: 'PENDING', action: 'skip', error: 'waits for its group', apiStatus: 'waiting' }),
      // Quotes, backslashes, newlines and non-ASCII travel as they are.
      outcome({ entity: 'item', key: 'W-06', state: 'SYNCED', mondayId: '6', name: 'It\'s "6"\\\n— ✓ 😀', request: { q: 'a,b{c}\\"' }, response: { text: 'x\ny' }, apiStatus: 'ok' }),
      outcome({ entity: 'subitem', key: 'W-01-1', state: 'SYNCED', mondayId: 's-1', parentItemId: 'new-1', request: { s: 1 }, response: { id: 's-1' }, apiStatus: 'ok' }),
      outcome({ entity: 'subitem', key: 'W-01-2', state: 'FAILED', error: 'not sent: its order failed', apiStatus: 'invalid' }),
      outcome({ entity: 'subitem', key: 'W-02-1', state: 'PENDING', error: 'HTTP_502', request: { s: 2 }, response: null, apiStatus: 'HTTP_502', attempts: 2 }),
    ];
    const snapshot = async () => ({
      headers: await selectRows(db, 'order_list', 'order_number', `order_number, sync_state, monday_item_id, group_id, group_name, item_name, retry_count, api_request_payload,
        api_response_payload, api_status, sync_error_message, last_run_id, sync_completed_at = '2020-01-01T00:00:00Z' as completion_kept`),
      lines: await selectRows(db, 'order_list_lines', 'line_key', `line_key, sync_state, monday_subitem_id, parent_item_id, retry_count, api_request_payload, api_response_payload,
        api_status, sync_error_message, last_run_id, sync_completed_at = '2020-01-01T00:00:00Z' as completion_kept`),
    });
    const tables = flagshipTables();
    await before.execute(db);
    await beforeLines.execute(db);
    for (const entity of ['item', 'subitem']) await settleBatchStatement(tables, outcomes.filter((o) => o.entity === entity), RUN_ID).execute(db);
    const batched = await snapshot();
    await seedOrders(db);
    await before.execute(db);
    await beforeLines.execute(db);
    for (const out of outcomes) await settleRowStatement(tables, out, RUN_ID).execute(db);
    const oneByOne = await snapshot();
    expect(batched).toEqual(oneByOne);
    // Not vacuous: the cases differ from each other as the comments above say.
    expect(batched.headers.slice(0, 5).map((r) => [r.order_number, r.sync_state, r.monday_item_id, r.retry_count, r.api_request_payload, r.completion_kept])).toEqual([
      ['W-01', 'SYNCED', 'new-1', 0, { q: 1 }, false],
      ['W-02', 'PENDING', 'old-id', 4, [{ q: 2 }, { q: 3 }], true],
      ['W-03', 'FAILED', 'old-id', 2, { old: 'request' }, true],
      ['W-04', 'FAILED', 'old-id', 2, { q: 4 }, true],
      ['W-05', 'PENDING', 'old-id', 2, { old: 'request' }, true],
    ]);
    expect(batched.headers[1]!.api_response_payload).toBeNull();
    expect(batched.headers[5]!.item_name).toBe('It\'s "6"\\\n— ✓ 😀');
    expect(batched.headers[6]).toMatchObject({ order_number: 'W-07', sync_state: 'PENDING', last_run_id: null, completion_kept: true });
  });

  it('fails a row the database refuses alone, with the reason, and settles its neighbours', async () => {
    await sql`alter table order_list_lines add constraint refuses_this_id check (monday_subitem_id is distinct from 'refused')`.execute(db);
    await sql`alter table order_list_lines alter column parent_item_id type varchar(12)`.execute(db);
    try {
      counter.reset();
      await source.writeBack.settle([
        synced('subitem', 'W-01-1', 's-1'),
        // A check the line table has: refused with the id, and again without the payloads.
        synced('subitem', 'W-01-2', 'refused'),
        // jsonb refuses \u0000: written without its payloads, still SYNCED, with the reason.
        { ...synced('subitem', 'W-02-1', 's-3'), request: { bad: 'nul\u0000byte' } },
        // Longer than its varchar column.
        { ...synced('subitem', 'W-02-2', 's-4'), parentItemId: 'p'.repeat(20) },
        synced('subitem', 'W-03-1', 's-5'),
      ]);
      // The batch statement, then one per row; again without payloads for the 3 refused; the state alone for the 2 refused again.
      expect(counter.byKind()).toEqual({ 'update order_list_lines': 1 + 5 + 3 + 2 });
      const lines = await selectRows(db, 'order_list_lines', 'line_key', 'line_key, sync_state, monday_subitem_id, parent_item_id, api_request_payload, sync_error_message, last_run_id');
      expect(lines.slice(0, 5).map((l) => [l.line_key, l.sync_state, l.monday_subitem_id, l.api_request_payload])).toEqual([
        ['W-01-1', 'SYNCED', 's-1', { query: 'create W-01-1' }],
        ['W-01-2', 'FAILED', null, null],
        ['W-02-1', 'SYNCED', 's-3', null],
        ['W-02-2', 'FAILED', null, null],
        ['W-03-1', 'SYNCED', 's-5', { query: 'create W-03-1' }],
      ]);
      expect(lines[0]!.sync_error_message).toBeNull();
      expect(lines[1]!.sync_error_message).toMatch(/^could not write the outcome back: .*refuses_this_id/);
      expect(lines[2]!.sync_error_message).toMatch(/^could not write the outcome back: .*(Unicode|\\u0000)/);
      expect(lines[3]!.sync_error_message).toMatch(/^could not write the outcome back: value too long for type character varying\(12\)/);
      expect(lines.slice(0, 5).every((l) => l.last_run_id === RUN_ID)).toBe(true);
    } finally {
      await sql`alter table order_list_lines drop constraint refuses_this_id`.execute(db);
      await sql`alter table order_list_lines alter column parent_item_id type text`.execute(db);
    }
  });

  it('writes two outcomes of one row in one batch in order, the second building on the first', async () => {
    await source.writeBack.settle([
      synced('item', 'W-01', 'first-id'),
      outcome({ entity: 'item', key: 'W-01', state: 'PENDING', error: 'HTTP_503', request: { again: 1 }, response: null, apiStatus: 'HTTP_503', attempts: 2 }),
      synced('item', 'W-02', 'other'),
    ]);
    const rows = await selectRows(db, 'order_list', 'order_number', 'order_number, sync_state, monday_item_id, retry_count, sync_completed_at is not null as completed');
    expect(rows.slice(0, 2)).toEqual([
      { order_number: 'W-01', sync_state: 'PENDING', monday_item_id: 'first-id', retry_count: 2, completed: true },
      { order_number: 'W-02', sync_state: 'SYNCED', monday_item_id: 'other', retry_count: 0, completed: true },
    ]);
  });

  it('records the group titles of a page and the ids of all its titles with two statements, however many titles', async () => {
    await sql`update order_list set group_name = 'ACME T3' where order_number = 'W-25'`.execute(db);
    counter.reset();
    const titles = ORDERS.slice(0, 24).map((key, i) => ({ key, title: `ACME T${i % 4}` }));
    const ids = [0, 1, 2, 3].map((n) => ({ title: `ACME T${n}`, groupId: `g${n}` }));
    await source.writeBack.recordGroups('ACME', titles, ids);
    expect(counter.byKind()).toEqual({ 'update order_list': 2 });
    const rows = await selectRows(db, 'order_list', 'order_number', 'order_number, group_name, group_id');
    expect(rows.map((r) => `${r.group_name}:${r.group_id}`)).toEqual([...ORDERS.slice(0, 24).map((_, i) => `ACME T${i % 4}:g${i % 4}`), 'ACME T3:g3']);
  });

  describe('record states', () => {
    const states = () => selectRows(db, 'ordersync_record_state', 'record_key', 'entity, record_key, parent_key, board_id, monday_id, group_id, fingerprint, "values", failed_fingerprint, synced_at is not null as synced');

    it('saves a batch with one upsert and one delete, SYNCED and FAILED alike', async () => {
      await sql`insert into ordersync_record_state (entity, record_key, parent_key, board_id, monday_id, group_id, fingerprint, "values", failed_fingerprint, synced_at) values
        ('item', 'W-02', null, 'old-board', 'id-2', 'g-2', 'fp-old', '{"name": "old"}', null, now()),
        ('item', 'W-03', null, 'old-board', 'id-3', 'g-3', 'fp-3', '{"name": "three"}', 'fp-bad', now()),
        ('subitem', 'W-09-1', 'W-09', 'old-board', 's-9', null, 'fp-9', null, null, now())`.execute(db);
      counter.reset();
      await saveRecordStates(db, () => BOARD, [
        { ...synced('item', 'W-01', 'id-1'), groupId: 'g-1' },
        // A permanent failure of a known row: its failure remembered, what monday holds kept.
        outcome({ entity: 'item', key: 'W-02', state: 'FAILED', request: { q: 1 }, mondayId: 'id-2', fingerprint: 'fp-failed' }),
        // A success after a failure: the failure forgotten.
        { ...synced('item', 'W-03', 'id-3'), groupId: 'g-3b' },
        outcome({ entity: 'subitem', key: 'W-09-1', state: 'SYNCED', action: 'archive', mondayId: 's-9', request: { a: 1 }, fingerprint: 'removed' }),
        // Not remembered: unchanged, not sent, no fingerprint.
        outcome({ entity: 'item', key: 'W-04', state: 'SYNCED', action: 'unchanged', fingerprint: 'fp-4' }),
        outcome({ entity: 'item', key: 'W-05', state: 'FAILED', action: 'skip', fingerprint: 'fp-5' }),
        outcome({ entity: 'item', key: 'W-06', state: 'SYNCED', request: { q: 6 } }),
      ]);
      expect(counter.byKind()).toEqual({ 'delete from ordersync_record_state': 1, 'insert into ordersync_record_state': 1 });
      expect(await states()).toEqual([
        { entity: 'item', record_key: 'W-01', parent_key: null, board_id: BOARD, monday_id: 'id-1', group_id: 'g-1', fingerprint: 'fp-W-01', values: { name: 'W-01' }, failed_fingerprint: null, synced: true },
        { entity: 'item', record_key: 'W-02', parent_key: null, board_id: 'old-board', monday_id: 'id-2', group_id: 'g-2', fingerprint: 'fp-old', values: { name: 'old' }, failed_fingerprint: 'fp-failed', synced: true },
        { entity: 'item', record_key: 'W-03', parent_key: null, board_id: 'old-board', monday_id: 'id-3', group_id: 'g-3b', fingerprint: 'fp-W-03', values: { name: 'W-03' }, failed_fingerprint: null, synced: true },
      ]);
    });

    it('saves a new FAILED entity with its id and failure only, and a line with its order', async () => {
      await saveRecordStates(db, () => BOARD, [
        outcome({ entity: 'item', key: 'W-07', state: 'FAILED', request: { q: 7 }, mondayId: 'id-7', fingerprint: 'fp-7' }),
        synced('subitem', 'W-07-1', 's-7'),
      ]);
      expect(await states()).toEqual([
        { entity: 'item', record_key: 'W-07', parent_key: null, board_id: BOARD, monday_id: 'id-7', group_id: null, fingerprint: null, values: null, failed_fingerprint: 'fp-7', synced: false },
        { entity: 'subitem', record_key: 'W-07-1', parent_key: 'W-07', board_id: BOARD, monday_id: 's-7', group_id: null, fingerprint: 'fp-W-07-1', values: { name: 'W-07-1' }, failed_fingerprint: null, synced: true },
      ]);
    });

    it('saves two outcomes of one entity in one batch in order (one statement cannot touch a row twice)', async () => {
      await saveRecordStates(db, () => BOARD, [
        synced('item', 'W-08', 'id-8'),
        outcome({ entity: 'item', key: 'W-08', state: 'FAILED', request: { q: 8 }, mondayId: 'id-8', fingerprint: 'fp-8-failed' }),
        synced('item', 'W-09', 'id-9'),
      ]);
      expect(counter.byKind()).toEqual({ 'insert into ordersync_record_state': 2 });
      expect((await states()).map((s) => [s.record_key, s.fingerprint, s.failed_fingerprint])).toEqual([['W-08', 'fp-W-08', 'fp-8-failed'], ['W-09', 'fp-W-09', null]]);
    });

    it('splits a batch larger than PostgreSQL\'s 65,535 bind parameters allow (11 a row) into statements of 5,000 rows', async () => {
      await saveRecordStates(db, () => BOARD, Array.from({ length: 5_001 }, (_, i) => synced('item', `X-${i}`, `${i}`)));
      expect(counter.byKind()).toEqual({ 'insert into ordersync_record_state': 2 });
      const n = await sql<{ n: number }>`select count(*)::int as n from ordersync_record_state`.execute(db);
      expect(n.rows[0]!.n).toBe(5_001);
    });
  });

  it('appends the api log of a batch with one insert, and one per 6,000 rows past PostgreSQL\'s 65,535 bind parameters (10 a row)', async () => {
    const entry = (i: number) => ({ runId: RUN_ID, attemptId: `${RUN_ID}-1`, entity: 'item', recordKey: `X-${i}`, customer: 'ACME', operation: 'create_item', outcome: 'SYNCED' as const, error: null, request: { i }, response: [{ id: i }] });
    await appendApiLog(db, Array.from({ length: 25 }, (_, i) => entry(i)));
    expect(counter.byKind()).toEqual({ 'insert into ordersync_api_log': 1 });
    counter.reset();
    await appendApiLog(db, Array.from({ length: 6_001 }, (_, i) => entry(i)));
    expect(counter.byKind()).toEqual({ 'insert into ordersync_api_log': 2 });
    const rows = await sql<{ n: number; last: unknown }>`select count(*)::int as n, (array_agg(response order by id desc))[1] as last from ordersync_api_log`.execute(db);
    expect(rows.rows[0]).toEqual({ n: 6_026, last: [{ id: 6_000 }] });
  });
});

describe.each(dialects)('the demo sync on %s, counted', (dialect) => {
  it('makes a few statements per batch, not two per record: one api-log insert and one record-state upsert per mutation request', async () => {
    const counter = createStatementCounter();
    const opened = await countedDatabase(dialect, counter);
    const emulator = await startEmulator({ seed: 'demo' });
    try {
      const seeded = await seedDemo(opened.database.db);
      const config = await flagshipConfig(emulator, await mkdtemp(join(tmpdir(), 'ordersync-reports-')));
      const monday = createMondayClient({ url: emulator.url, token: emulator.token, apiVersion: '2026-07', backoff: { baseMs: 20, maxMs: 200 } });
      counter.reset();
      const result = await runPipeline({ config, database: opened.database, monday, target: emulator.url, logger: silentLogger });
      expect(result.runStatus).not.toBeNull();
      const kinds = counter.byKind();
      // Batches are the requests that write items or subitems (group creations are not settled through the sink).
      const batches = emulator.requestLog.filter((r) => r.operation === 'mutation' && r.status === 200 && !r.document.includes('create_group')).length;
      expect(batches).toBeGreaterThan(5);
      expect(kinds['insert into ordersync_api_log']).toBe(batches);
      expect(kinds['insert into ordersync_record_state']).toBe(batches);
      const records = seeded.orders + seeded.lines;
      // Before batching: 2.2 statements per record (one upsert and one update each); now a few per batch of up to 25.
      expect(counter.total() / records).toBeLessThan(1);
      expect((kinds['update order_list'] ?? 0) + (kinds['update order_list_lines'] ?? 0)).toBeLessThan(records / 2);
    } finally {
      await emulator.close();
      await opened.dispose();
    }
  }, 120_000);
});

/** The flagship source tables as postgres-pending's checked options name them. */
function flagshipTables(): PostgresPendingOptions {
  return v.parse(plugin.options, flagshipOptions('extract'));
}
