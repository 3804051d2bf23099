import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.ts';
import { CREATE_ITEM, ORDER_BOARD, postGraphql } from './post-graphql.ts';

// Fidelity to monday's filters: items_page_by_column_values and items_page(query_params).
const BY_VALUES = `query ($c: [ItemsPageByColumnValuesQuery!]) { items_page_by_column_values(board_id: ${ORDER_BOARD}, columns: $c, limit: 50) { cursor items { name } } }`;
const PAGE = `query ($q: ItemsQuery, $cursor: String) { boards(ids: [${ORDER_BOARD}]) { items_page(limit: 50, query_params: $q, cursor: $cursor) { cursor items { name } } } }`;

describe('emulator item search fidelity', () => {
  let emulator: EmulatorHandle;
  const names = (response: { body: { data: Record<string, unknown> } }, path: 'by' | 'page'): string[] => {
    const data = response.body.data as { items_page_by_column_values?: { items: { name: string }[] }; boards?: { items_page: { items: { name: string }[] } }[] };
    const items = path === 'by' ? data.items_page_by_column_values!.items : data.boards![0]!.items_page.items;
    return items.map((item) => item.name);
  };
  beforeAll(async () => {
    emulator = await startEmulator({ seed: 'demo' });
    const rows = [
      { name: 'A', values: { text_mkr5q6n2: 'PO-1', dropdown_mkr542p2: { labels: ['GREYSON'] }, status: { label: 'Open' }, numeric_mktb1d19: '10' } },
      { name: 'B', values: { text_mkr5q6n2: 'PO-12', dropdown_mkr542p2: { labels: ['WHITE FOX'] }, status: { label: 'Shipped' }, numeric_mktb1d19: '250' } },
      { name: 'C', values: { text_mkr5q6n2: 'Po-1 extra', dropdown_mkr542p2: { labels: ['PELOTON', 'TITLE NINE'] }, status: { label: 'Shipped' }, numeric_mktb1d19: '40' } },
      { name: 'D', values: { text_mkr5q6n2: 'XY-9' } },
    ];
    for (const row of rows) {
      const created = await postGraphql(emulator, CREATE_ITEM, { board: ORDER_BOARD, name: row.name, values: JSON.stringify(row.values) });
      expect(created.body.errors).toBeUndefined();
    }
  });
  afterAll(() => emulator.close());

  it("matches a text column's whole value case-insensitively (API reference: items_page_by_column_values)", async () => {
    const response = await postGraphql(emulator, BY_VALUES, { c: [{ column_id: 'text_mkr5q6n2', column_values: ['po-1'] }] });
    expect(names(response, 'by')).toEqual(['A']);
  });

  it('matches a dropdown value against part of a label (API reference: items_page_by_column_values)', async () => {
    const response = await postGraphql(emulator, BY_VALUES, { c: [{ column_id: 'dropdown_mkr542p2', column_values: ['FOX'] }] });
    expect(names(response, 'by')).toEqual(['B']);
    const several = await postGraphql(emulator, BY_VALUES, { c: [{ column_id: 'dropdown_mkr542p2', column_values: ['NINE', 'GREY'] }] });
    expect(names(several, 'by')).toEqual(['A', 'C']);
  });

  it('trims a text value on write, so the trimmed key finds it (API reference: Text)', async () => {
    const created = await postGraphql(emulator, CREATE_ITEM, { board: ORDER_BOARD, name: 'Padded', values: JSON.stringify({ text_mkr5q6n2: '  PAD-7  ' }) });
    const id = created.body.data.create_item.id;
    const read = await postGraphql(emulator, `query ($i: [ID!]) { items(ids: $i) { column_values(ids: ["text_mkr5q6n2"]) { text value } } }`, { i: [id] });
    expect(read.body.data.items[0].column_values[0]).toEqual({ text: 'PAD-7', value: '"PAD-7"' });
    expect(names(await postGraphql(emulator, BY_VALUES, { c: [{ column_id: 'text_mkr5q6n2', column_values: ['PAD-7'] }] }), 'by')).toEqual(['Padded']);
  });

  it('takes label indexes for a status any_of rule, not label text (API reference: Status)', async () => {
    const byIndex = await postGraphql(emulator, PAGE, { q: { rules: [{ column_id: 'status', compare_value: [2], operator: 'any_of' }] } });
    expect(names(byIndex, 'page')).toEqual(['B', 'C']);
    const byText = await postGraphql(emulator, PAGE, { q: { rules: [{ column_id: 'status', compare_value: ['Shipped'], operator: 'any_of' }] } });
    expect(names(byText, 'page')).toEqual([]);
  });

  it('takes label ids for a dropdown any_of rule, not label text (API reference: Dropdown)', async () => {
    // PELOTON is label id 2, WHITE FOX id 3 in the demo board's Customer column.
    const byId = await postGraphql(emulator, PAGE, { q: { rules: [{ column_id: 'dropdown_mkr542p2', compare_value: [3, 2] }] } });
    expect(names(byId, 'page')).toEqual(['B', 'C']);
    const byText = await postGraphql(emulator, PAGE, { q: { rules: [{ column_id: 'dropdown_mkr542p2', compare_value: ['WHITE FOX'] }] } });
    expect(names(byText, 'page')).toEqual([]);
  });

  it('refuses query_params together with a cursor instead of ignoring the filter (API reference: items_page)', async () => {
    const first = await postGraphql(emulator, `{ boards(ids: [${ORDER_BOARD}]) { items_page(limit: 1) { cursor } } }`);
    const cursor = first.body.data.boards[0].items_page.cursor;
    expect(cursor).toEqual(expect.any(String));
    const both = await postGraphql(emulator, PAGE, { cursor, q: { rules: [{ column_id: 'status', compare_value: [2] }] } });
    expect(both.body.errors[0].extensions.code).toBe('InvalidArgumentException');
    expect(both.body.data.boards[0]).toBeNull();
  });

  it('refuses columns together with a cursor in items_page_by_column_values (API reference: items_page_by_column_values)', async () => {
    const query = `query ($c: [ItemsPageByColumnValuesQuery!], $cursor: String) { items_page_by_column_values(board_id: ${ORDER_BOARD}, columns: $c, cursor: $cursor, limit: 1) { cursor items { name } } }`;
    const first = await postGraphql(emulator, query, { c: [{ column_id: 'status', column_values: ['Shipped'] }] });
    const cursor = first.body.data.items_page_by_column_values.cursor;
    expect(cursor).toEqual(expect.any(String));
    const both = await postGraphql(emulator, query, { cursor, c: [{ column_id: 'status', column_values: ['Open'] }] });
    expect(both.body.errors[0].extensions.code).toBe('InvalidArgumentException');
    const cursorOnly = await postGraphql(emulator, query, { cursor });
    expect(cursorOnly.body.data.items_page_by_column_values.items).toEqual([{ name: 'C' }]);
  });

  it('accepts not_contains_text, number comparisons and between (API reference: Text, Numbers)', async () => {
    const notContains = await postGraphql(emulator, PAGE, { q: { rules: [{ column_id: 'text_mkr5q6n2', compare_value: ['po-1'], operator: 'not_contains_text' }] } });
    expect(names(notContains, 'page')).toEqual(['D', 'Padded']);
    const greater = await postGraphql(emulator, PAGE, { q: { rules: [{ column_id: 'numeric_mktb1d19', compare_value: [40], operator: 'greater_than' }] } });
    expect(names(greater, 'page')).toEqual(['B']);
    const lower = await postGraphql(emulator, PAGE, { q: { rules: [{ column_id: 'numeric_mktb1d19', compare_value: [40], operator: 'lower_than_or_equal' }] } });
    expect(names(lower, 'page')).toEqual(['A', 'C']);
    const between = await postGraphql(emulator, PAGE, { q: { rules: [{ column_id: 'numeric_mktb1d19', compare_value: [20, 300], operator: 'between' }] } });
    expect(names(between, 'page')).toEqual(['B', 'C']);
  });

  it('sorts by query_params.order_by (API reference: items_page)', async () => {
    const response = await postGraphql(emulator, PAGE, { q: { order_by: [{ column_id: 'numeric_mktb1d19', direction: 'desc' }] } });
    expect(names(response, 'page')).toEqual(['B', 'C', 'A', 'D', 'Padded']);
  });

  it('filters on the "group" pseudo-column by group id (API reference: items_page)', async () => {
    const group = await postGraphql(emulator, `mutation { create_group(board_id: ${ORDER_BOARD}, group_name: "Later") { id } }`);
    const groupId = group.body.data.create_group.id;
    await postGraphql(emulator, CREATE_ITEM, { board: ORDER_BOARD, name: 'In later', group: groupId });
    const inGroup = await postGraphql(emulator, PAGE, { q: { rules: [{ column_id: 'group', compare_value: [groupId], operator: 'any_of' }] } });
    expect(names(inGroup, 'page')).toEqual(['In later']);
    const outside = await postGraphql(emulator, PAGE, { q: { rules: [{ column_id: 'group', compare_value: [groupId], operator: 'not_any_of' }] } });
    expect(names(outside, 'page')).toEqual(['A', 'B', 'C', 'D', 'Padded']);
  });
});
