import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.ts';
import type { EmulatorHandle, EmulatorOptions } from '../../src/emulator/index.ts';
import { createMondayClient, type MondayClientOptions } from '../../src/monday/create-monday-client.ts';
import { MondayError, type MutationOp } from '../../src/monday/types.ts';
import { sleep } from '../../src/monday/sleep.ts';

const BOARD = '9200517329';
/** How much later than its logged arrival the emulator may charge a request (parsing, validation). */
const ARRIVAL_SLACK_MS = 50;

let emu: EmulatorHandle | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function setup(emulator: EmulatorOptions = {}, client: Partial<MondayClientOptions> = {}) {
  emu = await startEmulator({ seed: 'demo', ...emulator });
  const monday = createMondayClient({ url: emu.url, token: emu.token, apiVersion: '2026-07', backoff: { baseMs: 20, maxMs: 200 }, ...client });
  return { emu, monday };
}

function createItem(key: string, columns: Record<string, unknown>): MutationOp {
  return {
    key,
    field: 'create_item',
    args: {
      board_id: { type: 'ID!', value: BOARD },
      group_id: { type: 'String', value: 'topics' },
      item_name: { type: 'String!', value: `Order ${key}` },
      column_values: { type: 'JSON', value: JSON.stringify(columns) },
    },
    selection: 'id name',
  };
}

const itemsNamed = (handle: EmulatorHandle, name: string) =>
  handle.snapshot().items.filter((item) => item.board_id === BOARD && item.name === name && item.state === 'active');

describe('monday client against the emulator', () => {
  it('maps a batch of 25 with two invalid values to 23 items and exactly those two permanent failures', async () => {
    const { emu, monday } = await setup();
    const ops = Array.from({ length: 25 }, (_, i) =>
      createItem(`r${i}`, { text_mkr5wya6: `STYLE-${i}`, numeric_mktb1d19: String(i * 10), status: { label: 'Open' }, date_mkr5zp5: { date: '2025-08-02' } }),
    );
    ops[7] = createItem('r7', { status: { label: 'No Such Label' } });
    ops[19] = createItem('r19', { numeric_mktb1d19: 'twelve' });
    const results = await monday.mutate<{ id: string; name: string }>(BOARD, ops);

    expect(emu.requestLog).toHaveLength(1);
    expect(results.filter((result) => result.ok)).toHaveLength(23);
    const failed = results.filter((result) => !result.ok);
    expect(failed.map((result) => result.key)).toEqual(['r7', 'r19']);
    for (const result of failed) {
      expect(result.ok === false && result.error).toMatchObject({ class: 'permanent', code: 'ColumnValueException' });
      expect(result.request.document).toMatch(new RegExp(`^a${result.key.slice(1)}: create_item\\(`));
      expect(Object.keys(result.request.variables).every((name) => name.startsWith(`a${result.key.slice(1)}_`))).toBe(true);
    }
    const created = results.flatMap((result) => (result.ok ? [result.data.id] : []));
    expect(new Set(created).size).toBe(23);
    expect(emu.snapshot().items.filter((item) => created.includes(item.id))).toHaveLength(23);
    expect(JSON.stringify(results)).not.toContain(emu.token);
  });

  it('runs 40 mutations under a small budget at the budget’s pace, with every 429 waited out', async () => {
    const budget = { points: 100_000, windowMs: 1_000, mutationCost: 10_000 };
    const { emu, monday } = await setup({ budget });
    const results = [];
    for (let batch = 0; batch < 8; batch += 1) {
      const ops = Array.from({ length: 5 }, (_, i) => createItem(`b${batch}-${i}`, { text_mkr5wya6: 'x' }));
      results.push(...(await monday.mutate(BOARD, ops)));
    }
    expect(results.every((result) => result.ok)).toBe(true);

    const mutations = emu.requestLog.filter((entry) => entry.operation === 'mutation');
    const committed = mutations.filter((entry) => entry.status === 200);
    const refused = mutations.filter((entry) => entry.status === 429);
    expect(committed.reduce((sum, entry) => sum + entry.mutations, 0)).toBe(40);
    expect(refused).toHaveLength(monday.stats().rateLimited);
    expect(refused).toHaveLength(0); // pacing, not bouncing
    // Never more than one window's budget inside any window: 400_000 points need at least 3 resets.
    // A window opens with the first call after the last one ended and lasts windowMs (API reference
    // "Rate limits"). The log holds arrival times; a window opens when its first call is charged, a
    // few milliseconds after it arrived (ARRIVAL_SLACK_MS).
    const windows: { at: number; points: number }[] = [];
    for (const entry of committed) {
      const open = windows.at(-1);
      if (open === undefined || entry.at >= open.at + budget.windowMs - ARRIVAL_SLACK_MS) windows.push({ at: entry.at, points: entry.complexity });
      else open.points += entry.complexity;
    }
    expect(windows.length).toBeGreaterThanOrEqual(4);
    for (const window of windows) expect(window.points).toBeLessThanOrEqual(budget.points);
    expect(committed.at(-1)!.at - committed[0]!.at).toBeGreaterThanOrEqual(3 * (budget.windowMs - ARRIVAL_SLACK_MS));
    expect(monday.stats()).toMatchObject({ requests: 8, mutations: 40, complexityUsed: 400_000 });
    // Each of the three waits lasts what is left of a window after the two requests that spent it.
    expect(monday.stats().waitMs).toBeGreaterThan(3 * (budget.windowMs - 200));
  });

  // API reference "Complexity" / "Rate limits": the budget is read from `complexity { before after
  // query reset_in_x_seconds }`; an exhausted budget answers 429 COMPLEXITY_BUDGET_EXHAUSTED.
  it('cuts a batch to what is left of a small budget window, sends the rest after the reset, and holds an unseen read back: no 429, no op lost', async () => {
    const budget = { points: 100_000, windowMs: 1_000, mutationCost: 10_000 };
    const { emu, monday } = await setup({ budget, faults: { latencyMs: 30 } });
    const batch = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => createItem(`${prefix}${i}`, { text_mkr5wya6: prefix }));
    const results = [
      ...(await monday.mutate(BOARD, batch('a', 3))),
      ...(await monday.mutate(BOARD, batch('b', 10))), // 7 fit what the first 3 left; 3 wait for the reset
      ...(await monday.mutate(BOARD, batch('c', 7))), // exactly what is left after those 3
    ];
    // A read the client has not seen yet, into a spent window: costed conservatively, it waits for the reset.
    await monday.query('query ($ids: [ID!]) { boards(ids: $ids) { groups { id title } } }', { ids: [BOARD] });

    expect(results.every((result) => result.ok)).toBe(true);
    expect(new Set(results.map((result) => (result.ok ? result.data.id : null))).size).toBe(20);
    expect(emu.snapshot().items.filter((item) => item.board_id === BOARD && /^Order [abc]\d+$/.test(item.name) && item.state === 'active')).toHaveLength(20);
    expect(emu.requestLog.filter((entry) => entry.status === 429)).toHaveLength(0);
    expect(emu.requestLog.filter((entry) => entry.operation === 'mutation').map((entry) => entry.mutations)).toEqual([3, 7, 3, 7]);
    const read = emu.requestLog.at(-1)!;
    expect(read.operation).toBe('query');
    // The read went out once the window of the last two mutation requests had ended.
    const lastWindowOpened = emu.requestLog.filter((entry) => entry.operation === 'mutation').at(-2)!.at;
    expect(read.at).toBeGreaterThanOrEqual(lastWindowOpened + budget.windowMs - ARRIVAL_SLACK_MS);
    expect(monday.stats()).toMatchObject({ rateLimited: 0, mutations: 20, requests: 5 });
  });

  it('splits a mutate() call too big for a small budget into requests that fit, and loses no op', async () => {
    const budget = { points: 200_000, windowMs: 1_000, mutationCost: 10_000 };
    const { emu, monday } = await setup({ budget });
    const ops = Array.from({ length: 40 }, (_, i) => createItem(`s${i}`, {}));
    const results = await monday.mutate(BOARD, ops);
    expect(results.map((result) => result.key)).toEqual(ops.map((op) => op.key));
    expect(results.every((result) => result.ok)).toBe(true);
    const committed = emu.requestLog.filter((entry) => entry.status === 200 && entry.mutations > 0);
    expect(committed.reduce((sum, entry) => sum + entry.mutations, 0)).toBe(40);
    expect(Math.max(...committed.map((entry) => entry.complexity))).toBeLessThanOrEqual(budget.points);
    expect(emu.requestLog.filter((entry) => entry.status === 429)).toHaveLength(0);
  });

  it('replays rather than re-applies a mutation whose response was lost after commit', async () => {
    const { emu, monday } = await setup(
      { faults: { dropAfterCommitRate: 1 } },
      {
        sleep: (ms, signal) => {
          emu?.setFaults({ dropAfterCommitRate: 0 }); // the first request dropped; the retry gets through
          return sleep(ms, signal);
        },
      },
    );
    const [result] = await monday.mutate(BOARD, [createItem('dup', { text_mkr5wya6: 'once' })]);

    expect(result).toMatchObject({ ok: true, attempts: 2, response: { replayed: true } });
    expect(emu.requestLog.map((entry) => [entry.status, entry.replayed])).toEqual([[0, false], [200, true]]);
    expect(new Set(emu.requestLog.map((entry) => entry.idempotencyKey)).size).toBe(1);
    expect(itemsNamed(emu, 'Order dup')).toHaveLength(1);
  });

  it('retries injected 5xx and a locked board, and reports a board that stays locked as transient', async () => {
    const { emu, monday } = await setup({ faults: { rate5xx: 0.5, seed: 7 } }, { attemptsPerRequest: 10 });
    const results = await monday.mutate(BOARD, [createItem('flaky', {})]);
    expect(results[0]?.ok).toBe(true);
    const statuses = emu.requestLog.map((entry) => entry.status);
    expect(statuses.filter((status) => status >= 500).length).toBeGreaterThan(0); // seed 7 draws at least one
    expect(statuses.at(-1)).toBe(200);
    expect(monday.stats().retries).toBe(statuses.length - 1);

    emu.setFaults({ lockedBoards: [BOARD] });
    const locked = await createMondayClient({ url: emu.url, token: emu.token, apiVersion: '2026-07', attemptsPerRequest: 2, backoff: { baseMs: 10 } }).mutate(BOARD, [
      createItem('locked', {}),
    ]);
    expect(locked[0]).toMatchObject({ ok: false, attempts: 2, error: { class: 'transient', code: 'RESOURCE_LOCKED', httpStatus: 423 } });
  });

  it('reads with query() and learns the read’s cost', async () => {
    const { monday } = await setup();
    const { data } = await monday.query<{ boards: { id: string; columns: { id: string }[] }[] }>(
      'query ($ids: [ID!]) { boards(ids: $ids) { id columns { id } } }',
      { ids: [BOARD] },
    );
    expect(data.boards[0]?.columns.map((column) => column.id)).toContain('status');
    expect(Object.keys(data)).toEqual(['boards']);
    expect(monday.stats().complexityUsed).toBeGreaterThan(0);
  });

  it('throws an auth MondayError for a wrong token, without the token in it', async () => {
    const { emu } = await setup();
    const wrong = 'wrong-token-XYZ';
    const monday = createMondayClient({ url: emu.url, token: wrong, apiVersion: '2026-07' });
    const error: unknown = await monday.mutate(BOARD, [createItem('x', {})]).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(MondayError);
    const info = (error as MondayError).info;
    expect(info).toMatchObject({ class: 'auth', httpStatus: 401 });
    expect((error as MondayError).message).toContain('check MONDAY_API_TOKEN');
    expect(JSON.stringify({ message: (error as MondayError).message, info })).not.toContain(wrong);
    expect(emu.requestLog).toHaveLength(1);
  });
});
