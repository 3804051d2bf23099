import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.ts';
import { CREATE_ITEM, ORDER_BOARD, postGraphql } from './post-graphql.ts';

describe('emulator state file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ordersync-emulator-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps boards, groups and items across a restart', async () => {
    const stateFile = join(dir, 'state.json');
    const first = await startEmulator({ stateFile });
    const group = (await postGraphql(first, `mutation { create_group(board_id: ${ORDER_BOARD}, group_name: "GREYSON 2025 FALL") { id } }`)).body.data.create_group.id;
    const item = (await postGraphql(first, CREATE_ITEM, { board: ORDER_BOARD, name: 'kept', group })).body.data.create_item.id;
    await first.close();

    const saved = JSON.parse(await readFile(stateFile, 'utf8'));
    expect(saved.items.map((entry: { id: string }) => entry.id)).toEqual([item]);

    const second = await startEmulator({ stateFile });
    try {
      const read = await postGraphql(second, `{ items(ids: [${item}]) { name group { id title } } }`);
      expect(read.body.data.items[0]).toEqual({ name: 'kept', group: { id: group, title: 'GREYSON 2025 FALL' } });
      const next = (await postGraphql(second, CREATE_ITEM, { board: ORDER_BOARD, name: 'new' })).body.data.create_item.id;
      expect(Number(next)).toBeGreaterThan(Number(item));
    } finally {
      await second.close();
    }
  });

  it('saves a debounced copy while running', async () => {
    const stateFile = join(dir, 'state.json');
    const emulator = await startEmulator({ stateFile });
    try {
      await postGraphql(emulator, CREATE_ITEM, { board: ORDER_BOARD, name: 'soon saved' });
      await new Promise((resolve) => setTimeout(resolve, 600));
      const saved = JSON.parse(await readFile(stateFile, 'utf8'));
      expect(saved.items.map((entry: { name: string }) => entry.name)).toEqual(['soon saved']);
    } finally {
      await emulator.close();
    }
  });

  it('refuses a state file that is not an emulator state', async () => {
    const stateFile = join(dir, 'state.json');
    await writeFile(stateFile, '{"hello": "world"}');
    await expect(startEmulator({ stateFile })).rejects.toThrow(/not an emulator state/);
  });

  it('starts empty with seed "empty"', async () => {
    const emulator = await startEmulator({ seed: 'empty' });
    try {
      expect(emulator.snapshot()).toEqual({ version: 1, boards: [], items: [] });
    } finally {
      await emulator.close();
    }
  });
});
