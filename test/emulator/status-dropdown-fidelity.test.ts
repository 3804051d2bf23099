import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.ts';
import { CREATE_ITEM, ORDER_BOARD, postGraphql } from './post-graphql.ts';

// Fidelity of status, dropdown and subitems column values: how they are written, read back and refused.
const READ = `query ($i: [ID!]) { items(ids: $i) { id column_values(ids: ["status", "dropdown_mkr542p2", "subitems"]) {
  id text value ... on StatusValue { index label } ... on DropdownValue { values { id label } } } } }`;

describe('emulator status and dropdown fidelity', () => {
  let emulator: EmulatorHandle;
  beforeAll(async () => {
    emulator = await startEmulator({ seed: 'demo' });
  });
  afterAll(() => emulator.close());

  async function create(values: unknown, labels = false) {
    return postGraphql(emulator, CREATE_ITEM, { board: ORDER_BOARD, name: 'Item', values: JSON.stringify(values), labels });
  }
  async function read(id: string): Promise<Record<string, Record<string, unknown>>> {
    const response = await postGraphql(emulator, READ, { i: [id] });
    expect(response.body.errors).toBeUndefined();
    return Object.fromEntries(response.body.data.items[0].column_values.map((value: { id: string }) => [value.id, value]));
  }

  it('reads a numeric status label {"label": "2"} as the index 2 (API reference: Status)', async () => {
    const created = await create({ status: { label: '2' } }, true);
    expect(created.body.errors).toBeUndefined();
    expect((await read(created.body.data.create_item.id)).status).toMatchObject({ index: 2, label: 'Shipped', text: 'Shipped' });
    const labels = emulator.snapshot().boards.find((board) => board.id === ORDER_BOARD)!.columns.find((column) => column.id === 'status')!.settings.labels!;
    expect(labels.map((label) => label.name)).not.toContain('2');
    const missing = await create({ status: { label: '17' } }, true);
    expect(missing.body.errors[0].extensions.code).toBe('ColumnValueException');
  });

  it('reads an empty status or dropdown as text null and an empty dropdown as values [] (API reference: Status, Dropdown)', async () => {
    const created = await create({});
    const values = await read(created.body.data.create_item.id);
    expect(values.status).toMatchObject({ text: null, value: null, index: null, label: null });
    expect(values.dropdown_mkr542p2).toMatchObject({ text: null, value: null, values: [] });
  });

  it("reads the subitems column's value as null since 2025-04 (API reference: Subitems; changelog 2025-04)", async () => {
    const parent = (await create({})).body.data.create_item.id;
    const sub = await postGraphql(emulator, `mutation ($p: ID!) { create_subitem(parent_item_id: $p, item_name: "S") { id } }`, { p: parent });
    expect(sub.body.errors).toBeUndefined();
    expect((await read(parent)).subitems).toMatchObject({ value: null });
    const through = await postGraphql(emulator, `query ($i: [ID!]) { items(ids: $i) { subitems { id } } }`, { i: [parent] });
    expect(through.body.data.items[0].subitems).toEqual([{ id: sub.body.data.create_subitem.id }]);
  });

  it('names a status column "color" in ColumnValueException error_data.column_type (API reference: Error handling)', async () => {
    const response = await create({ status: { label: 'Lost In Space' } });
    expect(response.body.errors[0].extensions).toMatchObject({ code: 'ColumnValueException', error_data: { column_id: 'status', column_type: 'color' } });
  });

  it("lists the column's existing labels when a dropdown label is missing (API reference: Error handling)", async () => {
    const response = await create({ dropdown_mkr542p2: { labels: ['NOBODY'] } });
    const error = response.body.errors[0];
    expect(error.extensions.code).toBe('ColumnValueException');
    expect(error.extensions.error_data.existing_labels).toEqual(['GREYSON', 'PELOTON', 'WHITE FOX', 'SUMMERSALT', 'TITLE NINE']);
    expect(error.message).toContain('GREYSON');
  });

  it('clears a dropdown with {"labels": []} (API reference: Dropdown)', async () => {
    const id = (await create({ dropdown_mkr542p2: { labels: ['GREYSON'] } })).body.data.create_item.id;
    const change = `mutation ($i: ID, $v: JSON!) { change_multiple_column_values(board_id: ${ORDER_BOARD}, item_id: $i, column_values: $v) { id } }`;
    const cleared = await postGraphql(emulator, change, { i: id, v: JSON.stringify({ dropdown_mkr542p2: { labels: [] } }) });
    expect(cleared.body.errors).toBeUndefined();
    expect((await read(id)).dropdown_mkr542p2).toMatchObject({ text: null, value: null, values: [] });
  });
});
