import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.ts';
import { CREATE_ITEM, ORDER_BOARD, postGraphql } from './post-graphql.ts';

const CREATE_GROUP = `mutation ($b: ID!, $n: String!, $r: String, $m: PositionRelative) {
  create_group(board_id: $b, group_name: $n, relative_to: $r, position_relative_method: $m) { id title }
}`;
const GROUPS = `query ($b: [ID!]) { boards(ids: $b) { groups { id title archived deleted } } }`;

describe('emulator groups', () => {
  const running: EmulatorHandle[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((emulator) => emulator.close()));
  });
  async function start(): Promise<EmulatorHandle> {
    const emulator = await startEmulator({ seed: 'demo' });
    running.push(emulator);
    return emulator;
  }

  it('starts each order board with the default group "topics" titled "Group Title"', async () => {
    const emulator = await start();
    const response = await postGraphql(emulator, GROUPS, { b: [ORDER_BOARD] });
    expect(response.body.data.boards[0].groups).toEqual([{ id: 'topics', title: 'Group Title', archived: false, deleted: false }]);
  });

  it('makes a second group when create_group is called twice with the same title, as monday does', async () => {
    const emulator = await start();
    const first = await postGraphql(emulator, CREATE_GROUP, { b: ORDER_BOARD, n: 'GREYSON 2025 FALL' });
    const second = await postGraphql(emulator, CREATE_GROUP, { b: ORDER_BOARD, n: 'GREYSON 2025 FALL' });
    expect(first.body.data.create_group.id).toMatch(/^group_mk[a-z0-9]{6}$/);
    expect(second.body.data.create_group.id).not.toBe(first.body.data.create_group.id);
    const groups = (await postGraphql(emulator, GROUPS, { b: [ORDER_BOARD] })).body.data.boards[0].groups;
    expect(groups.filter((group: { title: string }) => group.title === 'GREYSON 2025 FALL')).toHaveLength(2);
  });

  it('generates the same group ids in two runs with the same seed', async () => {
    const ids = [];
    for (const emulator of [await start(), await start()]) {
      ids.push((await postGraphql(emulator, CREATE_GROUP, { b: ORDER_BOARD, n: 'A' })).body.data.create_group.id);
    }
    expect(ids[0]).toBe(ids[1]);
  });

  it('puts a new group on top, so an item created without group_id lands in it', async () => {
    const emulator = await start();
    const group = (await postGraphql(emulator, CREATE_GROUP, { b: ORDER_BOARD, n: 'Newest' })).body.data.create_group;
    const item = await postGraphql(emulator, CREATE_ITEM, { board: ORDER_BOARD, name: 'No group given' });
    expect(item.body.data.create_item.group.id).toBe(group.id);
    const below = (await postGraphql(emulator, CREATE_GROUP, { b: ORDER_BOARD, n: 'Below', r: group.id, m: 'after_at' })).body.data.create_group;
    const titles = (await postGraphql(emulator, GROUPS, { b: [ORDER_BOARD] })).body.data.boards[0].groups.map((g: { id: string }) => g.id);
    expect(titles.slice(0, 2)).toEqual([group.id, below.id]);
  });

  it('rejects an item for a group that does not exist', async () => {
    const emulator = await start();
    const response = await postGraphql(emulator, CREATE_ITEM, { board: ORDER_BOARD, name: 'x', group: 'group_nope' });
    expect(response.body.data.create_item).toBeNull();
    expect(response.body.errors[0].extensions.code).toBe('ResourceNotFoundException');
  });

  it('archives and deletes groups with their items but never the last group', async () => {
    const emulator = await start();
    const group = (await postGraphql(emulator, CREATE_GROUP, { b: ORDER_BOARD, n: 'Old' })).body.data.create_group;
    const item = (await postGraphql(emulator, CREATE_ITEM, { board: ORDER_BOARD, name: 'inside', group: group.id })).body.data.create_item;
    const archive = await postGraphql(emulator, `mutation { archive_group(board_id: ${ORDER_BOARD}, group_id: "${group.id}") { id archived } }`);
    expect(archive.body.data.archive_group).toEqual({ id: group.id, archived: true });
    const state = (await postGraphql(emulator, `{ items(ids: [${item.id}]) { state } }`)).body.data.items[0].state;
    expect(state).toBe('archived');
    const listed = (await postGraphql(emulator, GROUPS, { b: [ORDER_BOARD] })).body.data.boards[0].groups.map((g: { id: string }) => g.id);
    expect(listed).toEqual(['topics']);
    const last = await postGraphql(emulator, `mutation { delete_group(board_id: ${ORDER_BOARD}, group_id: "topics") { id } }`);
    expect(last.body.errors[0].extensions.code).toBe('DeleteLastGroupException');
  });

  it('moves, archives and deletes items', async () => {
    const emulator = await start();
    const group = (await postGraphql(emulator, CREATE_GROUP, { b: ORDER_BOARD, n: 'Target' })).body.data.create_group;
    const item = (await postGraphql(emulator, CREATE_ITEM, { board: ORDER_BOARD, name: 'mover', group: 'topics' })).body.data.create_item;
    const moved = await postGraphql(emulator, `mutation ($i: ID, $g: String!) { move_item_to_group(item_id: $i, group_id: $g) { group { id } } }`, { i: item.id, g: group.id });
    expect(moved.body.data.move_item_to_group.group.id).toBe(group.id);
    const archived = await postGraphql(emulator, `mutation ($i: ID) { archive_item(item_id: $i) { state } }`, { i: item.id });
    expect(archived.body.data.archive_item.state).toBe('archived');
    const deleted = await postGraphql(emulator, `mutation ($i: ID) { delete_item(item_id: $i) { state } }`, { i: item.id });
    expect(deleted.body.data.delete_item.state).toBe('deleted');
    const again = await postGraphql(emulator, `mutation ($i: ID) { delete_item(item_id: $i) { id } }`, { i: item.id });
    expect(again.body.errors[0].extensions.code).toBe('ResourceNotFoundException');
  });
});
