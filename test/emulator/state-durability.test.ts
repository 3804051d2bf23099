import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startEmulator } from '../../src/emulator/index.ts';
import { StateFile } from '../../src/emulator/state-file.ts';
import { CREATE_ITEM, ORDER_BOARD, PELOTON_BOARD, postGraphql } from './post-graphql.ts';

const savedIds = (file: string): Set<string> => new Set((JSON.parse(readFileSync(file, 'utf8')) as { items: { id: string }[] }).items.map((item) => item.id));

describe('emulator state file durability', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ordersync-durability-'));
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await rm(dir, { recursive: true, force: true });
  });

  it('has every concurrently created item in the file before its response, with far fewer saves than requests', async () => {
    const stateFile = join(dir, 'state.json');
    const emulator = await startEmulator({ stateFile });
    const saves = vi.spyOn(StateFile.prototype, 'save');
    try {
      const N = 40;
      const notSavedAtResponse: string[] = [];
      const ids = await Promise.all(Array.from({ length: N }, async (_, n) => {
        for (;;) {
          const response = await postGraphql(emulator, CREATE_ITEM, { board: n % 2 ? ORDER_BOARD : PELOTON_BOARD, name: `concurrent ${n}` });
          if (response.status === 423) continue; // another write of the board was executing
          const id = response.body.data.create_item.id as string;
          if (!savedIds(stateFile).has(id)) notSavedAtResponse.push(id);
          return id;
        }
      }));
      expect(new Set(ids).size).toBe(N);
      expect(notSavedAtResponse).toEqual([]);
      expect(saves.mock.calls.length).toBeGreaterThan(0);
      expect(saves.mock.calls.length).toBeLessThan(N);
      console.log(`group commit: ${N} concurrent creates, ${saves.mock.calls.length} saves`);
    } finally {
      await emulator.close();
    }
  });

  it('starts above the reserved ids even when the file lost the items that used them', async () => {
    const stateFile = join(dir, 'state.json');
    const first = await startEmulator({ stateFile });
    const before = (await postGraphql(first, CREATE_ITEM, { board: ORDER_BOARD, name: 'before' })).body.data.create_item.id as string;
    await first.close();
    const saved = JSON.parse(await readFile(stateFile, 'utf8'));
    expect(saved.item_ids_reserved_through).toBeGreaterThan(Number(before));
    // As if the save of later items never happened: the file still holds only `before`.
    const second = await startEmulator({ stateFile });
    try {
      const next = (await postGraphql(second, CREATE_ITEM, { board: ORDER_BOARD, name: 'next' })).body.data.create_item.id as string;
      expect(Number(next)).toBeGreaterThan(saved.item_ids_reserved_through);
    } finally {
      await second.close();
    }
  });

  it('loads a state file written before id reservations and reserves from then on', async () => {
    const stateFile = join(dir, 'old.json');
    const seeded = await startEmulator({ seed: 'demo' });
    const boards = seeded.snapshot().boards;
    await seeded.close();
    const old = { id: '9800000123', board_id: ORDER_BOARD, group_id: 'topics', name: 'old', parent_item_id: null, column_values: {}, state: 'active', created_at: '2025-01-01T00:00:00Z', updated_at: '2025-01-01T00:00:00Z' };
    await writeFile(stateFile, JSON.stringify({ version: 1, boards, items: [old] }));
    const emulator = await startEmulator({ stateFile });
    try {
      expect((await postGraphql(emulator, `{ items(ids: [${old.id}]) { name } }`)).body.data.items).toEqual([{ name: 'old' }]);
      const next = (await postGraphql(emulator, CREATE_ITEM, { board: ORDER_BOARD, name: 'new' })).body.data.create_item.id as string;
      expect(Number(next)).toBeGreaterThan(Number(old.id));
      expect(JSON.parse(await readFile(stateFile, 'utf8')).item_ids_reserved_through).toBeGreaterThan(Number(next));
    } finally {
      await emulator.close();
    }
  });

  it('refuses every write with a 503 and says so once when the state file cannot be written from the start, while reads work', async () => {
    const blocker = join(dir, 'a-file');
    await writeFile(blocker, 'x');
    const stateFile = join(blocker, 'state.json'); // its parent is a regular file, even for root
    const warnings: string[] = [];
    const emulator = await startEmulator({ stateFile, warn: (message) => warnings.push(message) });
    try {
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(`emulator: cannot write state file ${stateFile}`);
      for (const query of [CREATE_ITEM, `mutation { create_group(board_id: ${ORDER_BOARD}, group_name: "G") { id } }`]) {
        const refused = await postGraphql(emulator, query, { board: ORDER_BOARD, name: 'refused' });
        expect(refused.status).toBe(503);
        expect(refused.body.errors[0]).toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE', status_code: 503 } });
        expect(refused.body.errors[0].message).toMatch(/cannot write state file .*ENOTDIR.*the write was not applied/);
      }
      const read = await postGraphql(emulator, `{ boards(ids: [${ORDER_BOARD}]) { groups { title } items_page { items { id } } } }`);
      expect(read.status).toBe(200);
      expect(read.body.data.boards[0]).toEqual({ groups: [{ title: 'Group Title' }], items_page: { items: [] } });
      expect(warnings).toHaveLength(1);
    } finally {
      await emulator.close();
    }
  });

  it('answers an Idempotency-Key retry of a refused write by executing it again, not by replaying the refusal', async () => {
    const stateFile = join(dir, 'sub', 'state.json');
    await writeFile(join(dir, 'sub'), 'x');
    const emulator = await startEmulator({ stateFile, warn: () => {} });
    try {
      const headers = { 'Idempotency-Key': 'k-1' };
      expect((await postGraphql(emulator, CREATE_ITEM, { board: ORDER_BOARD, name: 'once' }, headers)).status).toBe(503);
      await rm(join(dir, 'sub'));
      await mkdir(join(dir, 'sub'));
      const retried = await postGraphql(emulator, CREATE_ITEM, { board: ORDER_BOARD, name: 'once' }, headers);
      expect(retried.status).toBe(200);
      expect(retried.headers.get('Idempotency-Replayed')).toBeNull();
      expect(savedIds(stateFile).has(retried.body.data.create_item.id)).toBe(true);
    } finally {
      await emulator.close();
    }
  });

  it('writes no file and keeps the state document unchanged without a state file', async () => {
    const saves = vi.spyOn(StateFile.prototype, 'save');
    const emulator = await startEmulator();
    try {
      expect((await postGraphql(emulator, CREATE_ITEM, { board: ORDER_BOARD, name: 'x' })).status).toBe(200);
      const snapshot = emulator.snapshot();
      expect(Object.keys(snapshot)).toEqual(['version', 'boards', 'items']);
      expect(snapshot.items.map((item) => item.id)).toEqual(['9800000001']);
      expect(saves).not.toHaveBeenCalled();
    } finally {
      await emulator.close();
    }
  });
});
