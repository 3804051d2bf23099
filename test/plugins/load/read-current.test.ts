/**
 * The read before updates, against the emulator over HTTP. monday API reference "Items": `ids`
 * takes at most 100 ids and `limit` defaults to 25 (so the limit is sent); every item answers its
 * `state` (active, archived, deleted); an id monday does not return counts as deleted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_READ_IDS, readCurrent } from '../../../plugins/load/read-current.ts';
import { startEmulator, type EmulatorHandle } from '../../../src/emulator/index.ts';
import { createMondayClient } from '../../../src/monday/create-monday-client.ts';
import type { MondayClient } from '../../../src/pipeline/index.ts';
import { CREATE_ITEM, ORDER_BOARD, postAsPerson, postGraphql } from '../../emulator/post-graphql.ts';

describe('readCurrent', () => {
  let emulator: EmulatorHandle;
  let monday: MondayClient;
  const create = async (po: string): Promise<string> => {
    const r = await postGraphql(emulator, CREATE_ITEM, { board: ORDER_BOARD, name: `order ${po}`, group: 'topics', values: JSON.stringify({ text_mkr5q6n2: po, numeric_mktb1d19: '12.50' }) });
    return r.body.data.create_item.id as string;
  };
  beforeAll(async () => {
    emulator = await startEmulator({ seed: 'demo' });
    monday = createMondayClient({ url: emulator.url, token: emulator.token, apiVersion: '2026-07' });
  });
  afterAll(async () => emulator?.close());

  it('answers every id: its state, group and asked columns, or missing when monday returns nothing', async () => {
    const [active, deleted, archived] = [await create('PO-A'), await create('PO-D'), await create('PO-R')];
    await postAsPerson(emulator, 'mutation ($i: ID!) { delete_item(item_id: $i) { id } }', { i: deleted });
    await postAsPerson(emulator, 'mutation ($i: ID!) { archive_item(item_id: $i) { id } }', { i: archived });
    const read = await readCurrent({ monday }, [active, deleted, archived, '999999999'], ['text_mkr5q6n2', 'numeric_mktb1d19', 'name']);
    const now = read.items.get(active)!;
    expect(now).toMatchObject({ state: 'active', name: 'order PO-A', groupId: 'topics' });
    expect(now.columns.get('text_mkr5q6n2')).toMatchObject({ type: 'text', text: 'PO-A' });
    expect(now.columns.get('numeric_mktb1d19')).toMatchObject({ type: 'numbers' });
    expect(read.items.get(deleted)!.state).toMatch(/deleted|missing/);
    expect(read.items.get(archived)!.state).toBe('archived');
    expect(read.items.get('999999999')!.state).toBe('missing');
    expect(read.request).toHaveLength(1);
    expect(read.request[0]!.variables).toMatchObject({ limit: 4, columns: ['numeric_mktb1d19', 'text_mkr5q6n2'] });
  });

  it('splits more than 100 ids into reads of at most 100, each with its limit', async () => {
    const ids = Array.from({ length: MAX_READ_IDS + 5 }, (_, i) => String(900_000_000 + i));
    const read = await readCurrent({ monday }, ids, []);
    expect(read.request.map((r) => (r.variables.ids as string[]).length)).toEqual([100, 5]);
    expect(read.request.map((r) => r.variables.limit)).toEqual([100, 5]);
    expect([...read.items.values()].every((i) => i.state === 'missing')).toBe(true);
  });
});
