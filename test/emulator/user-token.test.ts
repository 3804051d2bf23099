/**
 * A person editing the board: the emulator's second token authenticates another user of the same
 * account, so tests change items through the GraphQL API as a person would. monday's API reference
 * ("Users" — `me` is the user the API token belongs to; "Items" — `creator_id`, `updated_at`) is
 * what these fields answer to.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.ts';
import { CREATE_ITEM, ORDER_BOARD, postAsPerson, postGraphql } from './post-graphql.ts';

const ME = 'query { me { id name } }';
const ITEM = 'query ($ids: [ID!]) { items(ids: $ids) { id creator_id creator { id } updated_at column_values(ids: ["text_mkr5q6n2"]) { text } } }';
const CHANGE = `mutation ($b: ID!, $i: ID!, $v: JSON!) { change_multiple_column_values(board_id: $b, item_id: $i, column_values: $v) { id } }`;

describe('emulator: a person edits the board with the user token', () => {
  const running: EmulatorHandle[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((emulator) => emulator.close()));
  });
  async function start(options: Parameters<typeof startEmulator>[0] = {}): Promise<EmulatorHandle> {
    const emulator = await startEmulator({ seed: 'demo', ...options });
    running.push(emulator);
    return emulator;
  }

  it('answers `me` with the user each token belongs to, and refuses any other token', async () => {
    const emulator = await start();
    const owner = await postGraphql(emulator, ME);
    const person = await postAsPerson(emulator, ME);
    expect(owner.body.data.me.id).toBe('1');
    expect(person.body.data.me.id).toBe('2');
    const stranger = await postGraphql({ url: emulator.url, token: 'not-a-token' }, ME);
    expect(stranger.status).toBe(401);
  });

  it("keeps the integration as an item's creator while the person's edit is the last change", async () => {
    const emulator = await start();
    const created = await postGraphql(emulator, CREATE_ITEM, { board: ORDER_BOARD, name: 'GREYSON order 1', group: 'topics', values: JSON.stringify({ text_mkr5q6n2: 'PO-1' }) });
    const id = created.body.data.create_item.id as string;
    const edit = await postAsPerson(emulator, CHANGE, { b: ORDER_BOARD, i: id, v: JSON.stringify({ text_mkr5q6n2: 'PO-BY-HAND' }) });
    expect(edit.body.errors).toBeUndefined();
    const read = await postGraphql(emulator, ITEM, { ids: [id] });
    const item = read.body.data.items[0];
    expect(item.creator_id).toBe('1');
    expect(item.creator.id).toBe('1');
    expect(item.column_values[0].text).toBe('PO-BY-HAND');
    const stored = emulator.snapshot().items.find((candidate) => candidate.id === id)!;
    expect(stored.updated_by).toBe('2');
    expect(emulator.requestLog.at(-2)?.userId).toBe('2');
  });

  it('takes the user token as an option and refuses one equal to the API token', async () => {
    const emulator = await start({ userToken: 'person-secret' });
    expect(emulator.userToken).toBe('person-secret');
    expect((await postAsPerson(emulator, ME)).body.data.me.id).toBe('2');
    await expect(startEmulator({ token: 'same', userToken: 'same' })).rejects.toThrow(/userToken/);
  });
});
