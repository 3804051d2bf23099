/**
 * The standalone emulator (`ordersync emulator --state FILE`) as a real child process, SIGKILLed
 * while writes are in flight and restarted: what it acknowledged is in its state file, ids are
 * never handed out twice, and a state file it cannot write makes it refuse writes at once.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPrng } from '../../src/emulator/create-prng.ts';
import type { EmulatorState } from '../../src/emulator/index.ts';
import { CREATE_ITEM, ORDER_BOARD, PELOTON_BOARD, postGraphql } from '../emulator/post-graphql.ts';
import { generateDemoOrders } from '../../src/db/seed-demo.ts';
import { createPgliteChaosDatabase, createPgliteTemplate } from './support/chaos-database.ts';
import { CHAOS_CUSTOMERS, writeChaosConfig } from './support/chaos-config.ts';
import { checkPromises } from './support/check-promises.ts';
import { killAllChildren, runCli, spawnCli } from './support/cli-child.ts';
import { KILL_SEED } from './support/kill-suite.ts';
import { startEmulatorChild, type EmulatorChild } from './support/emulator-child.ts';
import { createFigures } from './support/figures.ts';
import { scaled } from './support/scale.ts';

const KILLS = scaled(10, 30);
const WRITERS = 6;
const figures = createFigures(import.meta.filename);

async function readState(emulator: EmulatorChild): Promise<EmulatorState> {
  return (await (await fetch(`${emulator.baseUrl}/state.json`)).json()) as EmulatorState;
}

/** Writers creating items until the emulator dies; `acked` holds what it answered with an id. */
function startWriters(emulator: EmulatorChild, life: number, acked: Map<string, string>, onAck: () => void): { inFlight: () => number; done: Promise<void> } {
  let inFlight = 0;
  const writer = async (w: number): Promise<void> => {
    for (let n = 0; ; n++) {
      const name = `life${life}-w${w}-${n}`;
      inFlight++;
      let response;
      try {
        response = await postGraphql(emulator, CREATE_ITEM, { board: w % 2 ? ORDER_BOARD : PELOTON_BOARD, name });
      } catch {
        return; // killed: this write was never acknowledged
      } finally {
        inFlight--;
      }
      // 423: another writer of this board was executing; try the next name.
      if (response.status !== 200) continue;
      const id = response.body.data?.create_item?.id as string | undefined;
      if (!id) throw new Error(`create_item answered 200 without an id: ${JSON.stringify(response.body)}`);
      acked.set(id, name);
      onAck();
    }
  };
  return { inFlight: () => inFlight, done: Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w))).then(() => {}) };
}

describe('the emulator with a state file, SIGKILLed and restarted', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ordersync-emulator-durability-'));
  });
  afterEach(killAllChildren);
  afterAll(async () => {
    await killAllChildren();
    await rm(dir, { recursive: true, force: true });
    figures.flush();
  });

  it(`keeps every acknowledged item and never reuses an id across ${KILLS} kills during writes`, async () => {
    const stateFile = join(dir, 'kills.json');
    const random = createPrng(20_250_917);
    const acked = new Map<string, string>(); // id → name, over all lives
    let highestSeen = 0; // every id acknowledged or seen in the state before the current life
    let killedWithWritesInFlight = 0;
    for (let life = 0; life <= KILLS; life++) {
      const emulator = await startEmulatorChild(stateFile, dir);
      const state = await readState(emulator);
      const byId = new Map(state.items.map((item) => [item.id, item]));
      expect(byId.size, 'no id twice in the state').toBe(state.items.length);
      const missing = [...acked].filter(([id, name]) => byId.get(id)?.name !== name).map(([id, name]) => `${id} ${name}`);
      expect(missing, `acknowledged items missing after restart ${life}`).toEqual([]);
      for (const item of state.items) highestSeen = Math.max(highestSeen, Number(item.id));
      if (life === KILLS) {
        // Items the emulator executed (and maybe saved) but never acknowledged may exist; nothing else.
        const appliedNotAcked = state.items.filter((item) => !acked.has(item.id));
        expect(appliedNotAcked.every((item) => /^life\d+-w\d+-\d+$/.test(item.name))).toBe(true);
        const last = await postGraphql(emulator, CREATE_ITEM, { board: ORDER_BOARD, name: 'after the last kill' });
        expect(Number(last.body.data.create_item.id)).toBeGreaterThan(highestSeen);
        console.log(`emulator durability: ${KILLS} kills (${killedWithWritesInFlight} with writes in flight), ${acked.size} acknowledged items all kept, ${appliedNotAcked.length} applied but never acknowledged`);
        break;
      }

      const thisLife = new Map<string, string>();
      const killAfter = 5 + Math.floor(random() * 40);
      let acks = 0;
      const writers = startWriters(emulator, life, thisLife, () => {
        if (++acks !== killAfter) return;
        // Kill with writes in flight: executed by the emulator, not yet answered.
        setTimeout(() => {
          if (writers.inFlight() > 0) killedWithWritesInFlight++;
          emulator.child.kill();
        }, Math.floor(random() * 3));
      });
      await writers.done;
      await emulator.child.exited;
      const fresh = [...thisLife.keys()].map(Number);
      const reused = fresh.filter((id) => id <= highestSeen);
      expect(reused, `ids of life ${life} not above every id issued before (${highestSeen})`).toEqual([]);
      for (const [id, name] of thisLife) acked.set(id, name);
      figures.add({ killPointsTried: 1, emulatorKills: 1, recordsChecked: acked.size });
    }
    figures.add({ killPointsSurvived: KILLS, recordsLost: 0 });
    expect(killedWithWritesInFlight, 'kills that hit writes in flight').toBeGreaterThanOrEqual(Math.ceil(KILLS / 2));
  }, scaled(180_000, 600_000));

  it('lets a full sync, whose emulator is SIGKILLed and restarted under it, end with every promise kept', async () => {
    const template = await createPgliteTemplate(KILL_SEED);
    const work = await mkdtemp(join(dir, 'sync-'));
    try {
      const seeded = generateDemoOrders(KILL_SEED);
      const expected = { orders: seeded.orders.length, lines: seeded.lines.length };
      const db = await createPgliteChaosDatabase(template.dir, work);
      const { file } = await writeChaosConfig({ dir: work, dataDir: db.dataDir });
      const stateFile = join(work, 'emulator-state.json');
      const port = await freePort();
      // Latency widens the window between a write and its acknowledgement, where the kills land.
      const emulatorArgs = ['--latency-ms', '20'];
      let emulator = await startEmulatorChild(stateFile, work, [...emulatorArgs, '--port', String(port)]);
      const env = { ...db.env, MONDAY_API_URL: `http://127.0.0.1:${port}/v2`, MONDAY_API_TOKEN: emulator.token };
      const args = ['run', file, '--log-format', 'json'];
      const random = createPrng(7);
      const first = spawnCli(args, { cwd: work, env });
      let kills = 0;
      let firstEnded = false;
      void first.exited.then(() => (firstEnded = true));
      // Each kill lands right after a mutation was answered, with the sync's next writes on their way.
      let answered = 0;
      for (let k = 0; k < 3 && !firstEnded; k++) {
        const target = answered + 1 + Math.floor(random() * 4);
        while (!firstEnded && answered < target) {
          await sleep(10);
          answered = await answeredMutations(emulator).catch(() => answered);
        }
        if (firstEnded) break;
        emulator.child.kill();
        await emulator.child.exited;
        kills++;
        emulator = await startEmulatorChild(stateFile, work, [...emulatorArgs, '--port', String(port)]);
        answered = 0; // the request log starts empty again
      }
      await first.exited;
      let output = first.stdout() + first.stderr();
      for (let rerun = 0; rerun < 4; rerun++) {
        const run = await runCli(args, { cwd: work, env });
        output += run.stdout + run.stderr;
        if (run.code === 0 && !/[1-9]\d* pending/.test(run.stdout + run.stderr)) break;
      }
      const state = await readState(emulator);
      const boardFor = (customer: string): string => CHAOS_CUSTOMERS.find((c) => c.name === customer)?.board ?? ORDER_BOARD;
      const check = await db.use((kdb) => checkPromises(kdb, state, { tables: [{ headers: 'order_list', lines: 'order_list_lines', expected }], boardFor, final: true }));
      figures.add({ killPointsTried: kills, emulatorKills: kills, runs: 1, recordsChecked: check.records, duplicatesFound: check.duplicates.length, recordsLost: check.lost.length, disagreements: check.disagreements.length });
      expect(kills).toBeGreaterThan(0);
      expect(check, output.slice(-3000)).toMatchObject({ lost: [], unexplained: [], duplicates: [], disagreements: [], states: { PENDING: 0, FAILED: 0, SYNCED: expected.orders + expected.lines } });
      figures.add({ killPointsSurvived: kills });
    } finally {
      await killAllChildren();
      await rm(work, { recursive: true, force: true });
      await template.dispose();
    }
  }, scaled(240_000, 480_000));

  it('refuses writes with a 503 at once when its state file cannot be written, keeps serving reads, and recovers', async () => {
    // Tests run as root, where chmod does not stop a write: replace the file's directory with a file.
    const folder = join(dir, 'unwritable');
    await mkdir(folder);
    const stateFile = join(folder, 'state.json');
    const emulator = await startEmulatorChild(stateFile, dir);
    const kept = (await postGraphql(emulator, CREATE_ITEM, { board: ORDER_BOARD, name: 'kept' })).body.data.create_item.id as string;
    await rm(folder, { recursive: true });
    await writeFile(folder, 'not a directory');

    const refused = await postGraphql(emulator, CREATE_ITEM, { board: ORDER_BOARD, name: 'refused' });
    expect(refused.status).toBe(503);
    expect(refused.body.errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
    expect(refused.body.errors[0].message).toContain(`cannot write state file ${stateFile}`);
    expect(refused.body.errors[0].message).toMatch(/ENOTDIR/);
    const update = await postGraphql(emulator, `mutation { change_simple_column_value(board_id: ${ORDER_BOARD}, item_id: ${kept}, column_id: "name", value: "renamed") { id } }`);
    expect(update.status).toBe(503);
    expect(emulator.child.stderr()).toContain(`emulator: cannot write state file ${stateFile}`);

    const read = await postGraphql(emulator, `{ items(ids: [${kept}]) { name } }`);
    expect(read.status).toBe(200);
    expect(read.body.data.items).toEqual([{ name: 'kept' }]);
    const names = (await readState(emulator)).items.map((item) => item.name);
    expect(names, 'refused writes are not kept in memory').toEqual(['kept']);

    await rm(folder);
    await mkdir(folder);
    const again = await postGraphql(emulator, CREATE_ITEM, { board: ORDER_BOARD, name: 'after repair' });
    expect(again.status).toBe(200);
    expect(emulator.child.stderr()).toContain(`emulator: state file ${stateFile} can be written again`);
    figures.add({ badInputs: 1 });
  }, 60_000);
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function answeredMutations(emulator: EmulatorChild): Promise<number> {
  const log = (await (await fetch(`${emulator.baseUrl}/requests.json`)).json()) as { operation: string; status: number }[];
  return log.filter((entry) => entry.operation === 'mutation' && entry.status === 200).length;
}
