import { ApiClient } from '@mondaydotcomorg/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.ts';
import { CREATE_ITEM, ORDER_BOARD, postGraphql } from './post-graphql.ts';

// Documents that are valid on monday and must run on the emulator too.
describe('emulator accepts valid monday documents', () => {
  let emulator: EmulatorHandle;
  let itemId: string;
  beforeAll(async () => {
    emulator = await startEmulator({ seed: 'demo' });
    itemId = (await postGraphql(emulator, CREATE_ITEM, { board: ORDER_BOARD, name: 'Polo' })).body.data.create_item.id;
  });
  afterAll(() => emulator.close());

  it('reads Column.settings as JSON, the replacement of settings_str (API reference: Columns)', async () => {
    const response = await postGraphql(emulator, `{ boards(ids: [${ORDER_BOARD}]) { columns(ids: ["status", "dropdown_mkr542p2"]) { id settings settings_str } } }`);
    expect(response.body.errors).toBeUndefined();
    const [dropdown, status] = response.body.data.boards[0].columns;
    expect(status.settings.labels).toMatchObject({ 0: 'Open', 2: 'Shipped' });
    expect(dropdown.settings.labels).toContainEqual({ id: 1, name: 'GREYSON' });
    expect(JSON.parse(status.settings_str)).toEqual(status.settings);
  });

  it('answers me (API reference: Me)', async () => {
    const response = await postGraphql(emulator, '{ me { id name email } }');
    expect(response.body.data.me).toEqual({ id: expect.any(String), name: expect.any(String), email: expect.stringContaining('@') });
  });

  it('changes one value with change_column_value and change_simple_column_value (API reference: Column values)', async () => {
    const json = `mutation ($i: ID, $v: JSON!) { change_column_value(board_id: ${ORDER_BOARD}, item_id: $i, column_id: "status", value: $v) { id } }`;
    expect((await postGraphql(emulator, json, { i: itemId, v: JSON.stringify({ label: 'Shipped' }) })).body.errors).toBeUndefined();
    const simple = `mutation ($i: ID, $v: String) { change_simple_column_value(board_id: ${ORDER_BOARD}, item_id: $i, column_id: "dropdown_mkr542p2", value: $v) { id } }`;
    expect((await postGraphql(emulator, simple, { i: itemId, v: 'GREYSON,PELOTON' })).body.errors).toBeUndefined();
    const item = emulator.snapshot().items.find((candidate) => candidate.id === itemId)!;
    expect(item.column_values.status).toEqual({ index: 2 });
    expect(item.column_values.dropdown_mkr542p2).toEqual({ ids: [1, 2] });
    expect((await postGraphql(emulator, simple, { i: itemId, v: null })).body.errors).toBeUndefined();
    expect(emulator.snapshot().items.find((candidate) => candidate.id === itemId)!.column_values.dropdown_mkr542p2).toBeUndefined();
  });

  it('validates the text and number rule operators, order_by and the group pseudo-column (API reference: items_page)', async () => {
    const query = `{ boards(ids: [${ORDER_BOARD}]) { items_page(limit: 5, query_params: {
      rules: [
        { column_id: "text_mkr5wya6", compare_value: ["x"], operator: not_contains_text }
        { column_id: "numeric_mktb1d19", compare_value: [1], operator: greater_than_or_equals }
        { column_id: "numeric_mktb1d19", compare_value: [100], operator: lower_than }
        { column_id: "group", compare_value: ["topics"], operator: any_of }
      ]
      operator: or
      order_by: [{ column_id: "numeric_mktb1d19", direction: desc }]
    }) { items { id } } } }`;
    const response = await postGraphql(emulator, query);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.boards[0].items_page.items).toEqual([{ id: itemId }]);
  });

  it("runs the official client's getMeOp, changeColumnValueOp and changeSimpleColumnValueOp unchanged over HTTP (@mondaydotcomorg/api 14)", async () => {
    const client = new ApiClient({ token: emulator.token, endpoint: emulator.url, apiVersion: '2026-10' });
    const me = await client.operations.getMeOp();
    expect(me.me).toMatchObject({ id: expect.any(String), name: expect.any(String), email: expect.any(String) });
    const changed = await client.operations.changeColumnValueOp({ boardId: ORDER_BOARD, itemId, columnId: 'text_mkr5wya6', value: JSON.stringify('Hello, world!') });
    expect(changed.change_column_value?.id).toBe(itemId);
    const simple = await client.operations.changeSimpleColumnValueOp({ boardId: ORDER_BOARD, itemId, columnId: 'status', value: 'Cancelled' });
    expect(simple.change_simple_column_value?.id).toBe(itemId);
    const item = emulator.snapshot().items.find((candidate) => candidate.id === itemId)!;
    expect(item.column_values.text_mkr5wya6).toBe('Hello, world!');
    expect(item.column_values.status).toEqual({ index: 3 });
  });
});
