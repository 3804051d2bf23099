import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.ts';
import { ORDER_BOARD, postGraphql } from './post-graphql.ts';

const ITEMS = 60;

describe('emulator reads and pagination', () => {
  let emulator: EmulatorHandle;
  beforeAll(async () => {
    emulator = await startEmulator({ seed: 'demo' });
    const fields = Array.from({ length: ITEMS }, (_, i) => {
      const values = JSON.stringify(JSON.stringify({ text_mkr5ord0: `PO-${1000 + i}`, status: { label: i % 2 === 0 ? 'Open' : 'Shipped' } }));
      return `a${i}: create_item(board_id: ${ORDER_BOARD}, item_name: "Order ${i}", column_values: ${values}) { id }`;
    });
    const created = await postGraphql(emulator, `mutation { ${fields.join('\n')} }`);
    expect(created.body.errors).toBeUndefined();
  });
  afterAll(() => emulator.close());

  it('pages through a board with items_page and next_items_page until the cursor is null', async () => {
    const first = await postGraphql(emulator, `{ boards(ids: [${ORDER_BOARD}]) { items_page(limit: 25) { cursor items { id name } } } }`);
    let page = first.body.data.boards[0].items_page;
    const names: string[] = page.items.map((item: { name: string }) => item.name);
    const sizes = [page.items.length];
    while (page.cursor) {
      const next = await postGraphql(emulator, `query ($c: String!) { next_items_page(cursor: $c, limit: 25) { cursor items { id name } } }`, { c: page.cursor });
      page = next.body.data.next_items_page;
      names.push(...page.items.map((item: { name: string }) => item.name));
      sizes.push(page.items.length);
    }
    expect(sizes).toEqual([25, 25, 10]);
    expect(names).toEqual(Array.from({ length: ITEMS }, (_, i) => `Order ${i}`));
  });

  it('serves the same page again for a reused cursor and rejects an unknown one', async () => {
    const first = await postGraphql(emulator, `{ boards(ids: [${ORDER_BOARD}]) { items_page(limit: 50) { cursor } } }`);
    const cursor = first.body.data.boards[0].items_page.cursor;
    const query = `query ($c: String!) { next_items_page(cursor: $c) { items { name } } }`;
    const a = await postGraphql(emulator, query, { c: cursor });
    const b = await postGraphql(emulator, query, { c: cursor });
    expect(a.body.data.next_items_page.items).toHaveLength(10);
    expect(b.body.data).toEqual(a.body.data);
    const unknown = await postGraphql(emulator, query, { c: 'not-a-cursor' });
    expect(unknown.body.errors[0].extensions.code).toBe('CursorException');
  });

  it('refuses a page size above 500', async () => {
    const response = await postGraphql(emulator, `{ boards(ids: [${ORDER_BOARD}]) { items_page(limit: 501) { cursor } } }`);
    expect(response.body.errors[0].path).toEqual(['boards', 0, 'items_page']);
  });

  it('finds an item by a text column with items_page_by_column_values', async () => {
    const query = `query ($b: ID!, $c: [ItemsPageByColumnValuesQuery!]) {
      items_page_by_column_values(board_id: $b, columns: $c, limit: 5) { cursor items { name column_values(ids: ["text_mkr5ord0"]) { text } } }
    }`;
    const response = await postGraphql(emulator, query, { b: ORDER_BOARD, c: [{ column_id: 'text_mkr5ord0', column_values: ['PO-1042'] }] });
    expect(response.body.data.items_page_by_column_values).toEqual({ cursor: null, items: [{ name: 'Order 42', column_values: [{ text: 'PO-1042' }] }] });
    const none = await postGraphql(emulator, query, { b: ORDER_BOARD, c: [{ column_id: 'text_mkr5ord0', column_values: ['PO-9999'] }] });
    expect(none.body.data.items_page_by_column_values.items).toEqual([]);
  });

  it('combines columns with AND and values with OR in items_page_by_column_values', async () => {
    const query = `query ($c: [ItemsPageByColumnValuesQuery!]) { items_page_by_column_values(board_id: ${ORDER_BOARD}, columns: $c, limit: 50) { items { name } } }`;
    const response = await postGraphql(emulator, query, {
      c: [
        { column_id: 'text_mkr5ord0', column_values: ['PO-1001', 'PO-1002', 'PO-1003'] },
        { column_id: 'status', column_values: ['Shipped'] },
      ],
    });
    expect(response.body.data.items_page_by_column_values.items.map((item: { name: string }) => item.name)).toEqual(['Order 1', 'Order 3']);
  });

  it('filters items_page with query_params rules (a status rule takes label indexes: 2 is Shipped)', async () => {
    const query = `{ boards(ids: [${ORDER_BOARD}]) { items_page(limit: 100, query_params: { rules: [{ column_id: "status", compare_value: [2] }] }) { items { id } } } }`;
    const response = await postGraphql(emulator, query);
    expect(response.body.data.boards[0].items_page.items).toHaveLength(ITEMS / 2);
  });

  it('pages groups and lists boards with their columns', async () => {
    const response = await postGraphql(emulator, `{ boards(ids: [${ORDER_BOARD}]) { items_count top_group { id items_page(limit: 1) { items { name } } } } }`);
    expect(response.body.data.boards[0]).toEqual({ items_count: ITEMS, top_group: { id: 'topics', items_page: { items: [{ name: 'Order 0' }] } } });
  });
});
