import { afterEach, describe, expect, it } from 'vitest';
import { BudgetPacer } from '../../src/monday/budget-pacer.ts';
import { createMondayClient } from '../../src/monday/create-monday-client.ts';
import type { MutationOp } from '../../src/monday/types.ts';
import { createFakeClock, type FakeClock } from './fake-clock.ts';
import { aliasesOf, startScriptedServer, type ScriptedServer } from './scripted-server.ts';

const BOARD = '9200517329';
const op = (key: string): MutationOp => ({
  key,
  field: 'create_item',
  args: { board_id: { type: 'ID!', value: BOARD }, item_name: { type: 'String!', value: key } },
  selection: 'id',
});

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A scripted monday that charges `cost` per alias against `points` per `windowMs`, on the test's clock. */
async function startBudgetServer(clock: FakeClock, budget: { points: number; windowMs: number; cost: number }) {
  let windowStart: number | null = null;
  let used = 0;
  const log: { at: number; status: number; after: number }[] = [];
  server = await startScriptedServer((request) => {
    const now = clock.now();
    if (windowStart === null || now - windowStart >= budget.windowMs) {
      windowStart = now;
      used = 0;
    }
    const aliases = aliasesOf(request.body.query);
    const cost = aliases.length * budget.cost;
    const resetIn = Math.ceil((windowStart + budget.windowMs - now) / 1000);
    if (used + cost > budget.points) {
      log.push({ at: now, status: 429, after: budget.points - used });
      return { status: 429, body: { errors: [{ message: 'Complexity budget exhausted', extensions: { code: 'COMPLEXITY_BUDGET_EXHAUSTED', retry_in_seconds: resetIn } }] } };
    }
    const before = budget.points - used;
    used += cost;
    log.push({ at: now, status: 200, after: budget.points - used });
    const data = Object.fromEntries(aliases.map((alias) => [alias, { id: alias }]));
    return { body: { data: { ...data, complexity: { before, after: budget.points - used, query: cost, reset_in_x_seconds: resetIn } } } };
  });
  /** Spends budget as another client of the same account would. */
  const spend = (points: number): void => {
    used += points;
  };
  return { url: server.url, log, spend };
}

describe('BudgetPacer', () => {
  it('holds a request back until the window resets when its estimate exceeds what is left', async () => {
    const clock = createFakeClock();
    const pacer = new BudgetPacer(clock, 30_000);
    pacer.observe({ before: 100_000, after: 20_000, query: 30_000, resetInSeconds: 2 }, { mutations: 3 });
    expect(pacer.estimateMutations(2)).toBe(20_000);
    expect((await pacer.acquire(20_000)).waitedMs).toBe(0);
    const slot = await pacer.acquire(10_000); // 20_000 reserved by the first: 0 left
    expect(slot.waitedMs).toBe(2_100);
    expect(pacer.maxMutationsPerRequest()).toBe(10);
  });

  it('keeps the tightest reset of a window: each whole-second reading is an upper bound', async () => {
    const clock = createFakeClock();
    const pacer = new BudgetPacer(clock, 10_000);
    pacer.observe({ before: 100_000, after: 60_000, query: 40_000, resetInSeconds: 3 }, { mutations: 4 });
    await clock.sleep(700);
    // 2.3 s left in truth, read as 3 s: the first reading's bound (3 s from the start) is tighter.
    pacer.observe({ before: 60_000, after: 0, query: 60_000, resetInSeconds: 3 }, { mutations: 6 });
    expect(pacer.msUntilReset()).toBe(2_300 + 100);
  });

  it('reads the complexity budget from IETF RateLimit headers when the body has none', async () => {
    const clock = createFakeClock();
    const pacer = new BudgetPacer(clock, 10_000);
    pacer.observeHeaders(new Headers({ RateLimit: '"minute";r=900;t=20, "complexity";r=5000;t=4', 'RateLimit-Policy': '"complexity";q=1000000;w=60' }));
    expect(pacer.msUntilReset()).toBe(4_100);
    expect((await pacer.acquire(6_000)).waitedMs).toBe(4_100);
  });
});

describe('budget pacing against a budget-enforcing server', () => {
  it('runs 40 mutations at the budget’s pace without bouncing off a 429', async () => {
    const clock = createFakeClock();
    const { url, log } = await startBudgetServer(clock, { points: 100_000, windowMs: 2_000, cost: 10_000 });
    const client = createMondayClient({ url, token: 't', apiVersion: '2026-07', sleep: clock.sleep, now: clock.now });
    const results = [];
    for (let batch = 0; batch < 8; batch += 1) {
      results.push(...(await client.mutate(BOARD, Array.from({ length: 5 }, (_, i) => op(`r${batch * 5 + i}`)))));
    }
    expect(results.filter((result) => result.ok)).toHaveLength(40);
    expect(log.filter((entry) => entry.status === 429)).toHaveLength(0);
    expect(client.stats()).toMatchObject({ requests: 8, rateLimited: 0, complexityUsed: 400_000 });
    // Two requests of 50_000 fit a window; each later pair waits for the next one.
    expect(clock.sleeps).toEqual([2_100, 2_100, 2_100]);
  });

  it('sizes requests so that one fits a window once the cost is known', async () => {
    const clock = createFakeClock();
    const { url, log } = await startBudgetServer(clock, { points: 100_000, windowMs: 2_000, cost: 10_000 });
    const client = createMondayClient({ url, token: 't', apiVersion: '2026-07', sleep: clock.sleep, now: clock.now });
    const requestSizes = () => server!.requests.map((request) => aliasesOf(request.body.query).length);
    await client.mutate(BOARD, [op('first')]);
    const results = await client.mutate(BOARD, Array.from({ length: 25 }, (_, i) => op(`r${i}`)));
    expect(results.every((result) => result.ok)).toBe(true);
    expect(log.map((entry) => entry.status)).toEqual([200, 200, 200, 200]);
    // 1 op, then the 25 in requests that each fit a whole window (10, 10, 5), each waiting for a reset.
    expect(requestSizes()).toEqual([1, 10, 10, 5]);
    expect(clock.sleeps).toEqual([2_100, 2_100, 2_100]);
  });

  it('waits out a 429 when someone else spent the budget, without using up attempts', async () => {
    const clock = createFakeClock();
    const { url, log, spend } = await startBudgetServer(clock, { points: 100_000, windowMs: 2_000, cost: 10_000 });
    const client = createMondayClient({ url, token: 't', apiVersion: '2026-07', sleep: clock.sleep, now: clock.now, attemptsPerRequest: 1 });
    await client.mutate(BOARD, [op('first')]);
    spend(85_000);
    const results = await client.mutate(BOARD, Array.from({ length: 5 }, (_, i) => op(`r${i}`)));
    expect(results.every((result) => result.ok)).toBe(true);
    expect(log.map((entry) => entry.status)).toEqual([200, 429, 200]);
    expect(clock.sleeps).toEqual([2_000]);
    expect(client.stats()).toMatchObject({ rateLimited: 1, retries: 1, waitMs: 2_000 });
  });

  it('splits a request that bounces off a fresh window instead of waiting for resets that cannot help', async () => {
    const clock = createFakeClock();
    const { url, log } = await startBudgetServer(clock, { points: 100_000, windowMs: 2_000, cost: 10_000 });
    const client = createMondayClient({ url, token: 't', apiVersion: '2026-07', sleep: clock.sleep, now: clock.now, mutationCostEstimate: 1 });
    const results = await client.mutate(BOARD, Array.from({ length: 24 }, (_, i) => op(`r${i}`)));
    expect(results.every((result) => result.ok)).toBe(true);
    // No budget known (no RateLimit headers, optimistic estimate): each size gets one wait for a fresh
    // window, bounces off it too, and is halved.
    expect(server!.requests.map((request) => aliasesOf(request.body.query).length)).toEqual([24, 24, 12, 12, 6, 6, 6, 6]);
    expect(log.map((entry) => entry.status)).toEqual([429, 429, 429, 429, 200, 200, 200, 200]);
    expect(client.stats().mutations).toBe(24);
  });

  it('splits a request over the per-request complexity cap', async () => {
    server = await startScriptedServer((request) => {
      const aliases = aliasesOf(request.body.query);
      if (aliases.length > 4) {
        return { body: { errors: [{ message: `Query has complexity of ${aliases.length * 10}, which exceeds max complexity of 40`, extensions: { code: 'maxComplexityExceeded' } }] } };
      }
      return { body: { data: Object.fromEntries(aliases.map((alias) => [alias, { id: alias }])) } };
    });
    const client = createMondayClient({ url: server.url, token: 't', apiVersion: '2026-07' });
    const results = await client.mutate(BOARD, Array.from({ length: 10 }, (_, i) => op(`r${i}`)));
    expect(results.every((result) => result.ok)).toBe(true);
    expect(server.requests.map((request) => aliasesOf(request.body.query).length)).toEqual([10, 5, 2, 2, 2, 2, 2]);
  });

  it('does not count the complexity of a replayed response', async () => {
    server = await startScriptedServer(() => ({
      headers: { 'idempotency-replayed': 'true' },
      body: { data: { a0: { id: '1' }, complexity: { before: 100, after: 0, query: 100, reset_in_x_seconds: 50 } } },
    }));
    const clock = createFakeClock();
    const client = createMondayClient({ url: server.url, token: 't', apiVersion: '2026-07', sleep: clock.sleep, now: clock.now });
    const [first] = await client.mutate(BOARD, [op('r1')]);
    await client.mutate(BOARD, [op('r1')]);
    expect(first?.response).toMatchObject({ replayed: true });
    expect(client.stats().complexityUsed).toBe(0);
    expect(clock.sleeps).toEqual([]);
  });
});
