// monday's documentation behind these tests: API reference "Complexity"
// (https://developer.monday.com/api-reference/reference/complexity: `complexity { before query after
// reset_in_x_seconds }` at the root of any query or mutation; reset_in_x_seconds is "how long (in
// seconds) before your complexity budget is reset") and "Rate limits"
// (https://developer.monday.com/api-reference/docs/rate-limits: COMPLEXITY_BUDGET_EXHAUSTED is a 429
// with retry_in_seconds).
import { afterEach, describe, expect, it } from 'vitest';
import { BudgetPacer, type PacerEstimates } from '../../src/monday/budget-pacer.ts';
import { createMondayClient } from '../../src/monday/create-monday-client.ts';
import { cutToFit } from '../../src/monday/send-mutations.ts';
import type { MutationOp } from '../../src/monday/types.ts';
import { createFakeClock, type FakeClock } from './fake-clock.ts';
import { aliasesOf, startScriptedServer, type ReceivedRequest, type ScriptedReply, type ScriptedServer } from './scripted-server.ts';

const BOARD = '9200517329';
const op = (key: string): MutationOp => ({
  key,
  field: 'create_item',
  args: { board_id: { type: 'ID!', value: BOARD }, item_name: { type: 'String!', value: key } },
  selection: 'id',
});
const ops = (prefix: string, count: number): MutationOp[] => Array.from({ length: count }, (_, i) => op(`${prefix}${i}`));
const ESTIMATES: PacerEstimates = { mutationCost: 30_000, readCost: 100_000, resetMarginMs: 20 };
const reading = (before: number, after: number, query: number, resetInSeconds: number) => ({ before, after, query, resetInSeconds });

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/**
 * A scripted monday that charges `cost` per alias against `points` per `windowMs` on the test's
 * clock, answers `complexity` as monday does, replays a repeated Idempotency-Key without charging,
 * and can drop the answer of chosen requests after charging them (a response lost after commit).
 */
async function startBudgetServer(clock: FakeClock, budget: { points: number; windowMs: number; cost: number }, dropAnswerOf: (index: number) => boolean = () => false) {
  let windowStart: number | null = null;
  let used = 0;
  const log: { at: number; status: number; after: number; aliases: number; key: string }[] = [];
  const answered = new Map<string, ScriptedReply>();
  server = await startScriptedServer((request: ReceivedRequest, index) => {
    const key = String(request.headers['idempotency-key'] ?? '');
    const cached = answered.get(key);
    if (cached) return { ...cached, headers: { 'idempotency-replayed': 'true' } };
    const now = clock.now();
    if (windowStart === null || now - windowStart >= budget.windowMs) {
      windowStart = now;
      used = 0;
    }
    const aliases = aliasesOf(request.body.query);
    const cost = aliases.length * budget.cost;
    const resetIn = Math.ceil((windowStart + budget.windowMs - now) / 1000);
    if (used + cost > budget.points) {
      log.push({ at: now, status: 429, after: budget.points - used, aliases: aliases.length, key });
      return { status: 429, body: { errors: [{ message: 'Complexity budget exhausted', extensions: { code: 'COMPLEXITY_BUDGET_EXHAUSTED', retry_in_seconds: resetIn } }] } };
    }
    const before = budget.points - used;
    used += cost;
    log.push({ at: now, status: 200, after: budget.points - used, aliases: aliases.length, key });
    const data = Object.fromEntries(aliases.map((alias) => [alias, { id: alias }]));
    const reply: ScriptedReply = { body: { data: { ...data, complexity: { before, after: budget.points - used, query: cost, reset_in_x_seconds: resetIn } } } };
    if (key) answered.set(key, reply);
    return dropAnswerOf(index) ? { drop: true } : reply;
  });
  /** Spends budget as another client of the same account would. */
  const spend = (points: number): void => {
    used += points;
  };
  const sizes = (): number[] => server!.requests.map((request) => aliasesOf(request.body.query).length);
  return { url: server.url, log, spend, sizes };
}

describe('BudgetPacer', () => {
  it('holds a request back until the window resets when its estimate exceeds what is left', async () => {
    const clock = createFakeClock();
    const pacer = new BudgetPacer(clock, ESTIMATES);
    pacer.observe(reading(100_000, 20_000, 30_000, 2), { sentAt: clock.now(), receivedAt: clock.now(), mutations: 3 });
    expect(pacer.estimateMutations(2)).toBe(20_000);
    expect((await pacer.acquire(20_000)).waitedMs).toBe(0);
    const slot = await pacer.acquire(10_000); // 20_000 reserved by the first: 0 left
    expect(slot.waitedMs).toBe(2_000 + 20);
    expect(pacer.maxMutationsPerRequest()).toBe(10);
  });

  it('counts the reset from the answer’s arrival until a few round trips have shown how quick the way back is', () => {
    const clock = createFakeClock();
    const pacer = new BudgetPacer(clock, ESTIMATES);
    pacer.observe(reading(100_000, 90_000, 10_000, 2), { sentAt: clock.now() - 300, receivedAt: clock.now(), mutations: 1 });
    expect(pacer.msUntilReset()).toBe(2_000 + 20);
  });

  it('counts reset_in_x_seconds from when the request left, not from when its answer came back', () => {
    const clock = createFakeClock();
    const pacer = new BudgetPacer(clock, ESTIMATES);
    // Three answers (enough to know the quickest round trip), each sent 300 ms ago, reset in 2 s: the
    // reset is 1.7 s from now, woken 20 ms after.
    for (const left of [30_000, 20_000, 10_000]) {
      pacer.observe(reading(left + 10_000, left, 10_000, 2), { sentAt: clock.now() - 300, receivedAt: clock.now(), mutations: 1 });
    }
    expect(pacer.msUntilReset()).toBe(1_700 + 20);
  });

  it('keeps the extra delay of a slow request in the bound, so a cold first connection cannot make the reset look early', async () => {
    const clock = createFakeClock();
    const pacer = new BudgetPacer(clock, ESTIMATES);
    const t0 = clock.now();
    // The first request took 400 ms (a cold connection: 300 ms more on the way there than later ones).
    pacer.observe(reading(100_000, 90_000, 10_000, 6), { sentAt: t0, receivedAt: t0 + 400, mutations: 1 });
    await clock.sleep(500);
    pacer.observe(reading(90_000, 80_000, 10_000, 6), { sentAt: t0 + 500, receivedAt: t0 + 600, mutations: 1 });
    pacer.observe(reading(80_000, 70_000, 10_000, 6), { sentAt: t0 + 500, receivedAt: t0 + 600, mutations: 1 });
    // Counted from its send time alone the first reading says t0 + 6,000; with its 300 ms extra, t0 + 6,300.
    expect(pacer.msUntilReset()).toBe(6_300 + 20 - 500);
  });

  it('keeps the tightest reset of a window: each whole-second reading is an upper bound', async () => {
    const clock = createFakeClock();
    const pacer = new BudgetPacer(clock, ESTIMATES);
    pacer.observe(reading(100_000, 60_000, 40_000, 3), { sentAt: clock.now(), receivedAt: clock.now(), mutations: 4 });
    await clock.sleep(700);
    // 2.3 s left in truth, read as 3 s: the first reading's bound (3 s from the start) is tighter.
    pacer.observe(reading(60_000, 0, 60_000, 3), { sentAt: clock.now(), receivedAt: clock.now(), mutations: 6 });
    expect(pacer.msUntilReset()).toBe(2_300 + 20);
  });

  it('moves into the next window at the reset and does not let a late answer from before it drag the new window back', async () => {
    const clock = createFakeClock();
    const pacer = new BudgetPacer(clock, ESTIMATES);
    const t0 = clock.now();
    pacer.observe(reading(100_000, 0, 100_000, 1), { sentAt: t0, receivedAt: t0, mutations: 10 });
    expect((await pacer.acquire(10_000)).waitedMs).toBe(1_020);
    // Sent in the old window, answered now: it says nothing about the new one.
    pacer.observe(reading(0, 0, 0, 1), { sentAt: t0 + 500, receivedAt: clock.now() });
    expect((await pacer.acquire(90_000)).waitedMs).toBe(0);
  });

  it('notices a reset it was not told about: a later request found more budget than an earlier one left', async () => {
    const clock = createFakeClock();
    const pacer = new BudgetPacer(clock, ESTIMATES);
    const t0 = clock.now();
    pacer.observe(reading(100_000, 10_000, 90_000, 5), { sentAt: t0, receivedAt: t0, mutations: 9 });
    // Within the window's first four seconds a reset is impossible: more budget there is not a new window.
    pacer.observe(reading(50_000, 40_000, 10_000, 4), { sentAt: t0 + 1_000, receivedAt: t0 + 1_000, mutations: 1 });
    expect((await pacer.acquire(20_000)).waitedMs).toBeGreaterThan(0);
    const pacer2 = new BudgetPacer(clock, ESTIMATES);
    const t1 = clock.now();
    pacer2.observe(reading(100_000, 10_000, 90_000, 5), { sentAt: t1, receivedAt: t1, mutations: 9 });
    pacer2.observe(reading(100_000, 90_000, 10_000, 6), { sentAt: t1 + 4_500, receivedAt: t1 + 4_500, mutations: 1 });
    await clock.sleep(4_500);
    expect((await pacer2.acquire(80_000)).waitedMs).toBe(0);
    expect(pacer2.msUntilReset()).toBe(6_000 + 20);
  });

  it('never sends into a window it knows is spent: an unseen read costs the conservative estimate, a seen one what it cost last time', async () => {
    const clock = createFakeClock();
    const pacer = new BudgetPacer(clock, ESTIMATES);
    pacer.observe(reading(100_000, 5_000, 95_000, 2), { sentAt: clock.now(), receivedAt: clock.now(), mutations: 19 });
    expect(pacer.estimateRead('query { boards { id } }')).toBe(100_000);
    expect((await pacer.acquire(pacer.estimateRead('query { boards { id } }'))).waitedMs).toBe(2_020);
    pacer.observe(reading(100_000, 97_000, 3_000, 2), { sentAt: clock.now(), receivedAt: clock.now(), documentKey: 'query { boards { id } }' });
    expect(pacer.estimateRead('query { boards { id } }')).toBe(3_000);
    // A request thought free still counts one point: into a spent window it waits too.
    pacer.observe(reading(3_000, 0, 3_000, 1), { sentAt: clock.now(), receivedAt: clock.now(), documentKey: 'other' });
    expect((await pacer.acquire(0)).waitedMs).toBe(1_020);
  });

  it('reads the complexity budget from IETF RateLimit headers when the body has none, and a reset only where `t` is sent', async () => {
    const clock = createFakeClock();
    const pacer = new BudgetPacer(clock, ESTIMATES);
    pacer.observeHeaders(new Headers({ RateLimit: '"minuteRate";r=900, "complexityMinute";r=5000', 'RateLimit-Policy': '"complexityMinute";q=1000000;w=60' }), clock.now());
    expect(pacer.msUntilReset()).toBeNull();
    expect(pacer.limit()).toBe(1_000_000);
    pacer.observeHeaders(new Headers({ RateLimit: '"minuteRate";r=900, "complexityMinute";r=5000;t=4', 'RateLimit-Policy': '"complexityMinute";q=1000000;w=60' }), clock.now());
    expect(pacer.msUntilReset()).toBe(4_020);
    expect((await pacer.acquire(6_000)).waitedMs).toBe(4_020);
  });

  it('counts readings from their answers’ arrival once a 429 shows its send-time view was too early', async () => {
    const clock = createFakeClock();
    const pacer = new BudgetPacer(clock, ESTIMATES);
    const t0 = clock.now();
    for (const left of [70_000, 60_000, 50_000]) {
      pacer.observe(reading(left + 10_000, left, 10_000, 2), { sentAt: t0 - 300, receivedAt: t0, mutations: 1 });
    }
    const slot = await pacer.acquire(10_000);
    expect(slot.informed).toBe(true);
    slot.release();
    await clock.sleep(300);
    expect(pacer.msUntilReset()).toBe(2_000 - 300 - 300 + 20); // counted from t0 - 300
    pacer.observeExhausted({ sentAt: t0, receivedAt: t0 + 300 }, 2_000, slot.informed);
    expect(pacer.msUntilReset()).toBe(2_000 - 300 + 20); // counted from the first answer's arrival, t0
    expect((await pacer.acquire(1)).waitedMs).toBe(2_000 - 300 + 20);
  });
});

describe('cutToFit', () => {
  it('sends all that is wanted when it fits, what fits when that is at least the minimum cut, else all after the reset', () => {
    expect(cutToFit(25, 30, 5)).toBe(25);
    expect(cutToFit(25, 22, 5)).toBe(22);
    expect(cutToFit(25, 5, 5)).toBe(5);
    expect(cutToFit(25, 4, 5)).toBe(25);
    expect(cutToFit(3, 2, 5)).toBe(3);
    expect(cutToFit(25, Infinity, 5)).toBe(25);
  });
});

describe('budget pacing against a budget-enforcing server', () => {
  it('cuts a batch that does not fit what is left of the window to what fits and sends the rest after the reset, in order', async () => {
    const clock = createFakeClock();
    const { url, log, sizes } = await startBudgetServer(clock, { points: 100_000, windowMs: 2_000, cost: 10_000 });
    const client = createMondayClient({ url, token: 't', apiVersion: '2026-07', sleep: clock.sleep, now: clock.now });
    await client.mutate(BOARD, ops('first', 3));
    const batch = ops('r', 10);
    const results = await client.mutate(BOARD, batch);
    expect(results.map((result) => result.key)).toEqual(batch.map((o) => o.key));
    expect(results.every((result) => result.ok)).toBe(true);
    expect(sizes()).toEqual([3, 7, 3]);
    expect(log.map((entry) => entry.status)).toEqual([200, 200, 200]);
    // 7 fill the first window; the last 3 go 20 ms after it resets, not a whole batch later.
    expect(clock.sleeps).toEqual([2_020]);
    // Each piece is its own request with its own key, derived from what that piece does.
    expect(new Set(log.map((entry) => entry.key)).size).toBe(3);
    const pieceKeys = results.map((result) => result.request.idempotencyKey);
    expect(new Set(pieceKeys.slice(0, 7)).size).toBe(1);
    expect(pieceKeys[7]).not.toBe(pieceKeys[0]);
  });

  it('does not cut below minCutOps: a batch of which only a few ops fit waits whole for the reset', async () => {
    const clock = createFakeClock();
    const { url, log, sizes } = await startBudgetServer(clock, { points: 100_000, windowMs: 2_000, cost: 10_000 });
    const client = createMondayClient({ url, token: 't', apiVersion: '2026-07', sleep: clock.sleep, now: clock.now, minCutOps: 5 });
    await client.mutate(BOARD, ops('first', 8));
    const results = await client.mutate(BOARD, ops('r', 5));
    expect(results.every((result) => result.ok)).toBe(true);
    expect(sizes()).toEqual([8, 5]);
    expect(log.map((entry) => entry.status)).toEqual([200, 200]);
    expect(clock.sleeps).toEqual([2_020]);
  });

  it('resends a cut piece whose answer was lost with the same key (replayed, never re-cut), then the rest', async () => {
    const clock = createFakeClock();
    const { url, log, sizes } = await startBudgetServer(clock, { points: 100_000, windowMs: 2_000, cost: 10_000 }, (index) => index === 1);
    const client = createMondayClient({ url, token: 't', apiVersion: '2026-07', sleep: clock.sleep, now: clock.now, random: () => 0 });
    await client.mutate(BOARD, ops('first', 3));
    const results = await client.mutate(BOARD, ops('r', 10));
    expect(results.every((result) => result.ok)).toBe(true);
    expect(sizes()).toEqual([3, 7, 7, 3]);
    const keys = server!.requests.map((request) => request.headers['idempotency-key']);
    expect(keys[2]).toBe(keys[1]);
    expect(new Set(keys).size).toBe(3);
    // The lost piece counts as spent: the rest waits for the reset instead of bouncing off a 429.
    expect(log.map((entry) => entry.status)).toEqual([200, 200, 200]);
    expect(log.map((entry) => entry.aliases)).toEqual([3, 7, 3]);
  });

  it('runs 40 mutations at the budget’s pace without bouncing off a 429', async () => {
    const clock = createFakeClock();
    const { url, log } = await startBudgetServer(clock, { points: 100_000, windowMs: 2_000, cost: 10_000 });
    const client = createMondayClient({ url, token: 't', apiVersion: '2026-07', sleep: clock.sleep, now: clock.now });
    const results = [];
    for (let batch = 0; batch < 8; batch += 1) results.push(...(await client.mutate(BOARD, ops(`b${batch}-`, 5))));
    expect(results.filter((result) => result.ok)).toHaveLength(40);
    expect(log.filter((entry) => entry.status === 429)).toHaveLength(0);
    expect(client.stats()).toMatchObject({ requests: 8, rateLimited: 0, complexityUsed: 400_000 });
    // Two requests of 50_000 fill a window; each later pair goes 20 ms after its reset.
    expect(clock.sleeps).toEqual([2_020, 2_020, 2_020]);
  });

  it('sizes requests to a whole window once the cost is known, and fills what is left of the first', async () => {
    const clock = createFakeClock();
    const { url, log, sizes } = await startBudgetServer(clock, { points: 100_000, windowMs: 2_000, cost: 10_000 });
    const client = createMondayClient({ url, token: 't', apiVersion: '2026-07', sleep: clock.sleep, now: clock.now });
    await client.mutate(BOARD, [op('first')]);
    const results = await client.mutate(BOARD, ops('r', 25));
    expect(results.every((result) => result.ok)).toBe(true);
    expect(log.map((entry) => entry.status)).toEqual([200, 200, 200, 200]);
    // 1 op, then 9 that fill the first window, then a whole window (10), then the last 6.
    expect(sizes()).toEqual([1, 9, 10, 6]);
    expect(clock.sleeps).toEqual([2_020, 2_020]);
  });

  it('waits out a 429 when someone else spent the budget, without using up attempts', async () => {
    const clock = createFakeClock();
    const { url, log, spend } = await startBudgetServer(clock, { points: 100_000, windowMs: 2_000, cost: 10_000 });
    const client = createMondayClient({ url, token: 't', apiVersion: '2026-07', sleep: clock.sleep, now: clock.now, attemptsPerRequest: 1 });
    await client.mutate(BOARD, [op('first')]);
    spend(85_000);
    const results = await client.mutate(BOARD, ops('r', 5));
    expect(results.every((result) => result.ok)).toBe(true);
    expect(log.map((entry) => entry.status)).toEqual([200, 429, 200]);
    expect(clock.sleeps).toEqual([2_020]);
    expect(client.stats()).toMatchObject({ rateLimited: 1, retries: 1, waitMs: 2_020 });
  });

  it('splits a request that bounces off a fresh window instead of waiting for resets that cannot help', async () => {
    const clock = createFakeClock();
    const { url, log, sizes } = await startBudgetServer(clock, { points: 100_000, windowMs: 2_000, cost: 10_000 });
    const client = createMondayClient({ url, token: 't', apiVersion: '2026-07', sleep: clock.sleep, now: clock.now, mutationCostEstimate: 1 });
    const results = await client.mutate(BOARD, ops('r', 24));
    expect(results.every((result) => result.ok)).toBe(true);
    // No budget known (no RateLimit headers, optimistic estimate): each size gets one wait for a fresh
    // window, bounces off it too, and is halved.
    expect(sizes()).toEqual([24, 24, 12, 12, 6, 6, 6, 6]);
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
    const results = await client.mutate(BOARD, ops('r', 10));
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
