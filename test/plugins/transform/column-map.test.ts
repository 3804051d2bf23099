import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../../plugins/transform/column-map.ts';
import type { SourceRecord, Transformer } from '../../../src/pipeline/index.ts';
import { BOARD, createPlain, deepFreeze, flagshipOptions, sourceLine, sourceRecord, testPlugin, type Plain } from '../support/plugin-harness.ts';

/** A clean flagship order, as the demo seeds them. */
const ORDER = {
  customer_name: 'GREYSON', customer_season: '2025 FALL', customer_style: 'Tour Polo 412', style_description: 'Tour polo in navy,\nrecycled blend',
  color: 'Navy', po_number: 'PO-123456', order_date: '2025-03-14', ex_factory_date: '2026-03-14', total_quantity: '1200', unit_price: '24.50',
  order_status: 'Open',
};

const order = (fields: Record<string, unknown> = {}, patch: Partial<SourceRecord> = {}): SourceRecord =>
  deepFreeze(sourceRecord('GRE-1001', { ...ORDER, ...fields }, {
    customer: 'GREYSON',
    lines: [sourceLine('GRE-1001-01', { order_number: 'GRE-1001', line_number: 1, size: 'S', quantity: '120' })],
    ...patch,
  }));

describe('column-map', () => {
  // Pure: the context has no database and a monday client that refuses every call.
  let plain: Plain;
  let transform: Transformer;
  beforeAll(async () => {
    plain = await createPlain();
    transform = await testPlugin(plugin, flagshipOptions('transform'), plain.context());
  });
  afterAll(async () => {
    await plain.close();
  });

  it('maps every configured column by its type, and names the item from its template', () => {
    const planned = transform.map(order(), BOARD);
    expect(planned.board).toBe(BOARD);
    expect(planned.item).toEqual({
      entity: 'item', key: 'GRE-1001', name: 'Tour Polo 412 Navy GRE-1001',
      columns: {
        text_mkr5ord0: 'GRE-1001',
        text_mkr5wya6: 'Tour Polo 412',
        long_text_mkr5nt8: { text: 'Tour polo in navy,\nrecycled blend' },
        text_mkr5dq1b: 'Navy',
        text_mkr5q6n2: 'PO-123456',
        dropdown_mkr542p2: { labels: ['GREYSON'] },
        dropdown_mkr5s3a1: { labels: ['2025 FALL'] },
        numeric_mktb1d19: '1200',
        numeric_mktb7c2p: '24.50',
        date_mkr5zp5: { date: '2025-03-14' },
        date_mkr5x1ex: { date: '2026-03-14' },
        status: { label: 'Open' },
      },
      mondayId: null, keyColumn: 'text_mkr5ord0', retryCount: 0, attemptId: null, problem: null, deferred: null, columnMeta: expect.any(Object),
    });
  });

  it('maps each line to a subitem named from subitemName, with its own key column', () => {
    const [sub] = transform.map(order(), BOARD).subitems;
    expect(sub).toEqual({
      entity: 'subitem', key: 'GRE-1001-01', name: 'S',
      columns: { text_mkr6a1sz: 'S', numeric_mkr6b2qt: '120', text_mkr6c3lk: 'GRE-1001-01' },
      mondayId: null, keyColumn: 'text_mkr6c3lk', retryCount: 0, attemptId: null, problem: null, deferred: null,
      columnMeta: {
        name: { type: 'name', owner: 'source', onConflict: null, field: null },
        text_mkr6a1sz: { type: 'text', owner: 'source', onConflict: null, field: 'size' },
        numeric_mkr6b2qt: { type: 'numbers', owner: 'source', onConflict: null, field: 'quantity' },
        text_mkr6c3lk: { type: 'text', owner: 'source', onConflict: null, field: null },
      },
    });
  });

  it('tells the load stage each column\'s owner and conflict policy, defaulting to the source and the stage\'s policy', async () => {
    const options = flagshipOptions('transform') as { columns: Record<string, object> };
    const owned = {
      ...options,
      columns: { ...options.columns, order_status: { id: 'status', type: 'status', owner: 'monday' }, po_number: { id: 'text_mkr5q6n2', type: 'text', owner: 'shared', onConflict: 'overwrite' } },
    };
    const t = await testPlugin(plugin, owned, plain.context());
    const meta = t.map(order(), BOARD).item!.columnMeta!;
    expect(meta.status).toEqual({ type: 'status', owner: 'monday', onConflict: null, field: 'order_status' });
    expect(meta.text_mkr5q6n2).toEqual({ type: 'text', owner: 'shared', onConflict: 'overwrite', field: 'po_number' });
    expect(meta.text_mkr5dq1b).toEqual({ type: 'text', owner: 'source', onConflict: null, field: 'color' });
    // A monday-owned column still gets its initial value when the item is created.
    expect(t.map(order(), BOARD).item!.columns.status).toEqual({ label: 'Open' });
  });

  it('refuses an owner or a policy it does not know', () => {
    const options = flagshipOptions('transform') as { columns: Record<string, object> };
    const bad = { ...options, columns: { ...options.columns, po_number: { id: 'text_mkr5q6n2', type: 'text', owner: 'people', onConflict: 'merge' } } };
    const result = v.safeParse(plugin.options, bad);
    expect(result.success).toBe(false);
    expect(result.issues!.map((i) => i.message)).toEqual(expect.arrayContaining(['owner is source, monday or shared', 'onConflict is flag, overwrite or keep-monday']));
  });

  it('makes a bad value the entity\'s problem, naming the column, and maps the rest', () => {
    const { item } = transform.map(order({ total_quantity: 'lots', order_date: '2025-02-30' }), BOARD);
    expect(item!.problem).toBe('total_quantity: "lots" is not a number; order_date: "2025-02-30" is not a real date (expected YYYY-MM-DD)');
    expect(item!.columns).not.toHaveProperty('numeric_mktb1d19');
    expect(item!.columns.text_mkr5wya6).toBe('Tour Polo 412');
  });

  it('fails a subitem alone when a required column is empty', () => {
    const record = order({}, {
      lines: [
        sourceLine('GRE-1001-01', { size: 'S', quantity: '' }),
        sourceLine('GRE-1001-02', { size: 'M', quantity: '24' }),
      ],
    });
    const { item, subitems } = transform.map(record, BOARD);
    expect(subitems.map((s) => s.problem)).toEqual(['quantity: required but empty', null]);
    expect(item!.problem).toBeNull();
  });

  it('leaves an empty column out of a new item, and clears it on an item already on monday', () => {
    const fresh = transform.map(order({ color: '' }), BOARD).item!;
    expect(fresh.columns).not.toHaveProperty('text_mkr5dq1b');
    expect(fresh.problem).toBeNull();
    const onMonday = transform.map(order({ color: null }, { mondayId: '1700' }), BOARD).item!;
    expect(onMonday.columns.text_mkr5dq1b).toBeNull();
    expect(onMonday.mondayId).toBe('1700');
  });

  it('refuses a name longer than monday\'s 255 characters, and an empty one', async () => {
    const long = transform.map(order({ customer_style: 'x'.repeat(300) }), BOARD).item!;
    expect(long.problem).toBe(`name: ${300 + ' Navy GRE-1001'.length} characters; monday allows 1–255 (built by {{customer_style}} {{color}} {{order_number}}; customer_style alone is 300)`);
    const unnamed = await testPlugin(plugin, { ...flagshipOptions('transform'), itemName: '{{po_number}}' }, plain.context());
    expect(unnamed.map(order({ po_number: null }), BOARD).item!.problem).toBe('name: template {{po_number}} gives an empty name');
  });

  it("writes the key column from its source column, else the record's own key", async () => {
    const transformWithKey = await testPlugin(plugin, { itemName: '{{color}}', key: { column: 'po_number', id: 'text_mkr5ord0' }, columns: {} }, plain.context());
    expect(transformWithKey.map(order(), BOARD).item!.columns).toEqual({ text_mkr5ord0: 'PO-123456' });
    expect(transformWithKey.map(order({ po_number: '' }), BOARD).item!.columns).toEqual({ text_mkr5ord0: 'GRE-1001' });
  });

  it('gives a SYNCED order on monday no item, only its pending lines as subitems', () => {
    const planned = transform.map(order({}, { state: 'SYNCED', mondayId: '1700', groupId: 'g_fall' }), BOARD);
    expect(planned.item).toBeNull();
    expect(planned.subitems.map((s) => s.key)).toEqual(['GRE-1001-01']);
    expect(planned.groupId).toBe('g_fall');
    expect(planned.groupTitle).toBeNull();
  });

  it('carries over what extract knew: monday id, retries, attempt, group id', () => {
    const planned = transform.map(order({}, { retryCount: 2, attemptId: 'run-7', groupId: 'g_fall' }), BOARD);
    expect(planned.item).toMatchObject({ retryCount: 2, attemptId: 'run-7' });
    expect(planned.groupId).toBe('g_fall');
    expect(planned.source.key).toBe('GRE-1001');
  });
});
