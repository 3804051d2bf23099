import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.ts';
import { CREATE_ITEM, ORDER_BOARD, ORDER_SUBITEMS_BOARD, listItems, postGraphql } from './post-graphql.ts';

const VALID = {
  text_mkr5wya6: 'GR-1001',
  long_text_mkr5nt8: { text: 'Merino polo' },
  dropdown_mkr542p2: { labels: ['GREYSON'] },
  dropdown_mkr5s3a1: { labels: ['2025 FALL'] },
  numeric_mktb1d19: '120',
  numeric_mktb7c2p: 18.5,
  date_mkr5zp5: { date: '2025-08-02' },
  status: { label: 'Open' },
};

async function createItem(emulator: EmulatorHandle, values: unknown, extra: Record<string, unknown> = {}) {
  return postGraphql(emulator, CREATE_ITEM, { board: ORDER_BOARD, name: 'Polo', values: values === undefined ? undefined : JSON.stringify(values), ...extra });
}

describe('emulator column values', () => {
  let emulator: EmulatorHandle;
  beforeAll(async () => {
    emulator = await startEmulator({ seed: 'demo' });
  });
  afterAll(() => emulator.close());

  it('runs a batch of 25 aliases in order: 23 valid ones commit, the 2 invalid ones are null with their own errors', async () => {
    const before = (await listItems(emulator, ORDER_BOARD)).length;
    const definitions: string[] = [];
    const fields: string[] = [];
    const variables: Record<string, unknown> = {};
    for (let i = 0; i < 25; i += 1) {
      const values = i === 7 ? { ...VALID, status: { label: 'Lost In Space' } } : i === 19 ? { ...VALID, numeric_mktb1d19: 'a dozen' } : VALID;
      definitions.push(`$v${i}: JSON`);
      fields.push(`a${i}: create_item(board_id: ${ORDER_BOARD}, item_name: "Batch ${i}", column_values: $v${i}) { id }`);
      variables[`v${i}`] = JSON.stringify(values);
    }
    const response = await postGraphql(emulator, `mutation (${definitions.join(', ')}) { ${fields.join('\n')} }`, variables);
    expect(response.status).toBe(200);
    const nulls = Object.entries(response.body.data).filter(([, value]) => value === null).map(([alias]) => alias);
    expect(nulls).toEqual(['a7', 'a19']);
    expect(response.body.errors).toHaveLength(2);
    expect(response.body.errors.map((error: { path: string[] }) => error.path)).toEqual([['a7'], ['a19']]);
    for (const error of response.body.errors) expect(error.extensions.code).toBe('ColumnValueException');
    expect(response.body.errors[0].message).toBe('invalid value - label does not exist in column');
    expect((await listItems(emulator, ORDER_BOARD)).length).toBe(before + 23);
  });

  it('stores values and reads them back with monday text and JSON value', async () => {
    const created = await createItem(emulator, { ...VALID, date_mkr5x1ex: '2025-09-15' });
    const id = created.body.data.create_item.id;
    expect(id).toMatch(/^\d+$/);
    const read = await postGraphql(emulator, `query ($ids: [ID!]) { items(ids: $ids) { name column_values { id text value ... on StatusValue { label index } } } }`, { ids: [id] });
    const values = Object.fromEntries(read.body.data.items[0].column_values.map((value: { id: string }) => [value.id, value]));
    expect(values.status).toMatchObject({ text: 'Open', label: 'Open', index: 0 });
    expect(values.dropdown_mkr542p2.text).toBe('GREYSON');
    expect(values.numeric_mktb7c2p).toMatchObject({ text: '18.5', value: '"18.5"' });
    expect(JSON.parse(values.date_mkr5x1ex.value)).toEqual({ date: '2025-09-15' });
    expect(values.text_mkr5ord0).toMatchObject({ text: '', value: null });
  });

  it('rejects a value JSON-encoded twice', async () => {
    const response = await createItem(emulator, { status: JSON.stringify({ label: 'Open' }) });
    expect(response.body.data.create_item).toBeNull();
    expect(response.body.errors[0].extensions.code).toBe('ColumnValueException');
  });

  it('rejects an unknown column id, naming it', async () => {
    const response = await createItem(emulator, { text_doesnotexist: 'x' });
    expect(response.body.errors[0].extensions).toMatchObject({ code: 'InvalidColumnIdException', error_data: { column_id: 'text_doesnotexist' } });
  });

  it('rejects an unknown board with ResourceNotFoundException (API reference: Error handling)', async () => {
    const response = await postGraphql(emulator, CREATE_ITEM, { board: '1234', name: 'x' });
    expect(response.body.errors[0].extensions).toMatchObject({ code: 'ResourceNotFoundException', status_code: 200 });
  });

  it('treats dropdown labels as case-sensitive and creates missing labels only when asked', async () => {
    const wrongCase = await createItem(emulator, { dropdown_mkr542p2: { labels: ['Greyson'] } });
    expect(wrongCase.body.errors[0].extensions.code).toBe('ColumnValueException');
    const created = await createItem(emulator, { dropdown_mkr5s3a1: { labels: ['2027 RESORT'] }, status: { label: 'On Hold' } }, { labels: true });
    expect(created.body.errors).toBeUndefined();
    const columns = await postGraphql(emulator, `{ boards(ids: [${ORDER_BOARD}]) { columns(ids: ["dropdown_mkr5s3a1", "status"]) { id settings_str } } }`);
    const [season, status] = columns.body.data.boards[0].columns;
    expect(JSON.parse(season.settings_str).labels.map((label: { name: string }) => label.name)).toContain('2027 RESORT');
    expect(Object.values(JSON.parse(status.settings_str).labels)).toContain('On Hold');
  });

  it('accepts only real calendar dates', async () => {
    for (const date of ['2025-02-30', '2025-13-01', '08/02/2025']) {
      const response = await createItem(emulator, { date_mkr5zp5: { date } });
      expect(response.body.errors?.[0].extensions.code, date).toBe('ColumnValueException');
    }
    expect((await createItem(emulator, { date_mkr5zp5: { date: '2024-02-29', time: '22:32:00' } })).body.errors).toBeUndefined();
  });

  it('limits item names to 1–255 characters', async () => {
    for (const name of ['', 'x'.repeat(256)]) {
      const response = await postGraphql(emulator, CREATE_ITEM, { board: ORDER_BOARD, name });
      expect(response.body.errors[0].extensions.code).toBe('ItemNameTooLongException');
    }
  });

  it('changes values, renames with {"name": ...} and clears with null, "" or {}', async () => {
    const id = (await createItem(emulator, VALID)).body.data.create_item.id;
    const change = `mutation ($b: ID!, $i: ID, $v: JSON!) { change_multiple_column_values(board_id: $b, item_id: $i, column_values: $v) { name column_values(ids: ["status", "text_mkr5wya6", "long_text_mkr5nt8"]) { id text } } }`;
    const response = await postGraphql(emulator, change, { b: ORDER_BOARD, i: id, v: JSON.stringify({ name: 'Renamed', status: null, text_mkr5wya6: '', long_text_mkr5nt8: {} }) });
    expect(response.body.data.change_multiple_column_values.name).toBe('Renamed');
    // An empty status reads as text null; empty text columns read as "".
    expect(response.body.data.change_multiple_column_values.column_values.map((value: { text: string }) => value.text)).toEqual(['', '', null]);
  });

  it('puts subitems on the subitems board with its own columns', async () => {
    const parent = (await createItem(emulator, VALID)).body.data.create_item.id;
    const create = `mutation ($p: ID!, $v: JSON) { create_subitem(parent_item_id: $p, item_name: "M", column_values: $v) { id board { id type } parent_item { id } } }`;
    const ok = await postGraphql(emulator, create, { p: parent, v: JSON.stringify({ text_mkr6a1sz: 'M', numeric_mkr6b2qt: '40', text_mkr6c3lk: 'GR-1001-1' }) });
    expect(ok.body.data.create_subitem).toMatchObject({ board: { id: ORDER_SUBITEMS_BOARD, type: 'sub_items_board' }, parent_item: { id: parent } });
    const wrongBoard = await postGraphql(emulator, create, { p: parent, v: JSON.stringify({ text_mkr5wya6: 'x' }) });
    expect(wrongBoard.body.errors[0].extensions.code).toBe('InvalidColumnIdException');
    const read = await postGraphql(emulator, `query ($i: [ID!]) { items(ids: $i) { subitems { name column_values(ids: ["numeric_mkr6b2qt"]) { text } } } }`, { i: [parent] });
    expect(read.body.data.items[0].subitems).toEqual([{ name: 'M', column_values: [{ text: '40' }] }]);
  });

  it('refuses the item beyond the per-board limit with ItemsLimitationException', async () => {
    const small = await startEmulator({ itemsPerBoard: 2 });
    try {
      const results = [];
      for (let i = 0; i < 3; i += 1) results.push(await postGraphql(small, CREATE_ITEM, { board: ORDER_BOARD, name: `n${i}` }));
      expect(results.map((result) => result.body.errors?.[0].extensions.code ?? 'ok')).toEqual(['ok', 'ok', 'ItemsLimitationException']);
    } finally {
      await small.close();
    }
  });
});
