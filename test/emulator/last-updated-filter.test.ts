/**
 * `items_page` filtered by the last updated pseudo-column, as the API reference "Last Updated"
 * (developer.monday.com/api-reference/reference/last-updated) documents it: `column_id:
 * "__last_updated__"`, `compare_attribute: "UPDATED_AT"`, compared by day; the filter rides on the
 * cursor ("items_page": a cursor holds its listing's filter).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.ts';
import { createSeedState } from '../../src/emulator/seed-state.ts';
import type { ItemState } from '../../src/emulator/types.ts';
import { ORDER_BOARD, postAsPerson, postGraphql } from './post-graphql.ts';

const PAGE = `query ($b: [ID!], $q: ItemsQuery, $limit: Int!) { boards(ids: $b) { items_page(limit: $limit, query_params: $q) { cursor items { id updated_at } } } }`;
const NEXT = 'query ($c: String!) { next_items_page(cursor: $c, limit: 1) { cursor items { id } } }';
const rule = (operator: string, ...values: string[]) => ({ rules: [{ column_id: '__last_updated__', compare_attribute: 'UPDATED_AT', operator, compare_value: values }] });

function item(id: string, updatedAt: string): ItemState {
  return { id, board_id: ORDER_BOARD, group_id: 'topics', name: `item ${id}`, parent_item_id: null, column_values: {}, state: 'active', created_at: '2026-01-01T00:00:00Z', updated_at: updatedAt, creator_id: '1', updated_by: '1' };
}

describe('emulator: items_page on __last_updated__', () => {
  let emulator: EmulatorHandle;
  const ids = async (query: unknown, limit = 100): Promise<string[]> => {
    const r = await postGraphql(emulator, PAGE, { b: [ORDER_BOARD], q: query, limit });
    expect(r.body.errors).toBeUndefined();
    return r.body.data.boards[0].items_page.items.map((i: { id: string }) => i.id);
  };
  beforeAll(async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'ordersync-last-updated-')), 'state.json');
    const state = createSeedState('demo');
    state.items.push(item('101', '2026-01-05T10:00:00Z'), item('102', '2026-03-10T23:59:59Z'), item('103', '2026-03-11T00:00:01Z'));
    await writeFile(file, JSON.stringify(state));
    emulator = await startEmulator({ seed: 'demo', stateFile: file });
  });
  afterAll(async () => emulator?.close());

  it('compares by day: greater_than_or_equals, greater_than, lower_than and between an EXACT day', async () => {
    expect(await ids(rule('greater_than_or_equals', 'EXACT', '2026-03-10'))).toEqual(['102', '103']);
    expect(await ids(rule('greater_than', 'EXACT', '2026-03-10'))).toEqual(['103']);
    expect(await ids(rule('lower_than', 'EXACT', '2026-03-10'))).toEqual(['101']);
    expect(await ids(rule('between', 'EXACT', '2026-01-01', 'EXACT', '2026-03-10'))).toEqual(['101', '102']);
  });

  it("counts a person's edit as a change of today", async () => {
    const r = await postAsPerson(emulator, 'mutation ($b: ID!, $i: ID!, $v: JSON!) { change_multiple_column_values(board_id: $b, item_id: $i, column_values: $v) { id } }',
      { b: ORDER_BOARD, i: '101', v: JSON.stringify({ text_mkr5q6n2: 'PO-9' }) });
    expect(r.body.errors).toBeUndefined();
    expect(await ids(rule('any_of', 'TODAY'))).toEqual(['101']);
  });

  it('keeps the filter on the cursor across pages', async () => {
    const first = await postGraphql(emulator, PAGE, { b: [ORDER_BOARD], q: rule('greater_than_or_equals', 'EXACT', '2026-03-10'), limit: 1 });
    const page = first.body.data.boards[0].items_page;
    expect(page.items).toHaveLength(1);
    const seen = [page.items[0].id];
    let cursor: string | null = page.cursor;
    while (cursor) {
      const next = await postGraphql(emulator, NEXT, { c: cursor });
      seen.push(...next.body.data.next_items_page.items.map((i: { id: string }) => i.id));
      cursor = next.body.data.next_items_page.cursor;
    }
    expect(seen.sort()).toEqual(['101', '102', '103']);
  });

  it('refuses a compare value that is not a day', async () => {
    const r = await postGraphql(emulator, PAGE, { b: [ORDER_BOARD], q: rule('greater_than', 'last tuesday'), limit: 10 });
    expect(r.body.errors[0].extensions.code).toBe('InvalidArgumentException');
  });
});
