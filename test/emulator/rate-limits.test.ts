import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../src/emulator/index.ts';
import { CREATE_ITEM, ORDER_BOARD, postGraphql } from './post-graphql.ts';

const COMPLEXITY = '{ complexity { before after query reset_in_x_seconds } }';

describe('emulator rate limits and complexity', () => {
  const running: EmulatorHandle[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((emulator) => emulator.close()));
  });
  async function start(options: EmulatorOptions): Promise<EmulatorHandle> {
    const emulator = await startEmulator(options);
    running.push(emulator);
    return emulator;
  }

  it('reports before/after/query/reset_in_x_seconds consistent with the budget', async () => {
    const emulator = await start({ budget: { points: 100_000, mutationCost: 30_000 } });
    const first = await postGraphql(emulator, `mutation { a: create_item(board_id: ${ORDER_BOARD}, item_name: "x") { id } complexity { before after query reset_in_x_seconds } }`);
    expect(first.body.data.complexity).toEqual({ before: 100_000, after: 70_000, query: 30_000, reset_in_x_seconds: 60 });
    const second = await postGraphql(emulator, COMPLEXITY);
    expect(second.body.data.complexity).toMatchObject({ before: 70_000, after: 70_000, query: 0 });
  });

  it('answers 429 COMPLEXITY_BUDGET_EXHAUSTED with retry_in_seconds and Retry-After, does nothing, and succeeds after the window', async () => {
    const emulator = await start({ budget: { points: 25_000, mutationCost: 10_000, windowMs: 1500 } });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await postGraphql(emulator, CREATE_ITEM, { board: ORDER_BOARD, name: `n${i}` })).status);
    expect(statuses).toEqual([200, 200, 429]);
    const refused = emulator.requestLog.at(-1)!;
    expect(refused).toMatchObject({ status: 429, mutations: 0, complexity: 0 });
    const again = await postGraphql(emulator, CREATE_ITEM, { board: ORDER_BOARD, name: 'refused' });
    expect(again.status).toBe(429);
    expect(again.body.errors[0].extensions).toMatchObject({ code: 'COMPLEXITY_BUDGET_EXHAUSTED', retry_in_seconds: expect.any(Number) });
    expect(again.body.errors[0].extensions.retry_in_seconds).toBeGreaterThanOrEqual(1);
    expect(Number(again.headers.get('retry-after'))).toBe(again.body.errors[0].extensions.retry_in_seconds);
    expect(emulator.snapshot().items.map((item) => item.name)).toEqual(['n0', 'n1']);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect((await postGraphql(emulator, CREATE_ITEM, { board: ORDER_BOARD, name: 'later' })).status).toBe(200);
  });

  it('refuses a single query above maxQueryComplexity without charging it', async () => {
    const emulator = await start({ budget: { maxQueryComplexity: 1_000 } });
    const response = await postGraphql(emulator, `{ boards(ids: [${ORDER_BOARD}]) { items_page(limit: 500) { items { id column_values { id text } } } } }`);
    expect(response.status).toBe(200);
    expect(response.body.errors[0].extensions.code).toBe('maxComplexityExceeded');
    expect((await postGraphql(emulator, COMPLEXITY)).body.data.complexity.before).toBe(10_000_000);
  });

  it('refuses a request bigger than a whole window of budget as too complex instead of answering 429 forever', async () => {
    const emulator = await start({ budget: { points: 50_000, mutationCost: 10_000 } });
    const fields = Array.from({ length: 6 }, (_, i) => `a${i}: create_item(board_id: ${ORDER_BOARD}, item_name: "n${i}") { id }`);
    const response = await postGraphql(emulator, `mutation { ${fields.join(' ')} }`);
    expect(response.status).toBe(200);
    expect(response.body.errors[0].extensions).toMatchObject({ code: 'maxComplexityExceeded', complexity: 60_000, max_complexity: 50_000 });
    expect(emulator.snapshot().items).toHaveLength(0);
  });

  it('charges reads by fields times page size', async () => {
    const emulator = await start({});
    const small = await postGraphql(emulator, `{ boards(ids: [${ORDER_BOARD}]) { items_page(limit: 10) { items { id name } } } complexity { query } }`);
    const large = await postGraphql(emulator, `{ boards(ids: [${ORDER_BOARD}]) { items_page(limit: 500) { items { id name } } } complexity { query } }`);
    expect(large.body.data.complexity.query).toBeGreaterThan(small.body.data.complexity.query * 40);
  });

  it('answers 429 MINUTE_RATE_LIMIT_EXCEEDED past requestsPerMinute', async () => {
    const emulator = await start({ limits: { requestsPerMinute: 3 } });
    const responses = [];
    for (let i = 0; i < 4; i += 1) responses.push(await postGraphql(emulator, COMPLEXITY));
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 429]);
    expect(responses[3]!.body.errors[0].extensions.code).toBe('MINUTE_RATE_LIMIT_EXCEEDED');
    expect(responses[3]!.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('answers 429 MAX_CONCURRENCY_EXCEEDED when too many requests are in flight', async () => {
    const emulator = await start({ limits: { maxConcurrency: 2 }, faults: { latencyMs: 300 } });
    const responses = await Promise.all(Array.from({ length: 4 }, () => postGraphql(emulator, COMPLEXITY)));
    const codes = responses.map((response) => (response.status === 429 ? response.body.errors[0].extensions.code : response.status)).sort();
    expect(codes).toEqual([200, 200, 'MAX_CONCURRENCY_EXCEEDED', 'MAX_CONCURRENCY_EXCEEDED']);
  });

  it('answers 429 DAILY_LIMIT_EXCEEDED past dailyCalls', async () => {
    const emulator = await start({ limits: { dailyCalls: 2 } });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push(await postGraphql(emulator, COMPLEXITY));
    expect(statuses.map((response) => response.status)).toEqual([200, 200, 429]);
    expect(statuses[2]!.body.errors[0].extensions.code).toBe('DAILY_LIMIT_EXCEEDED');
  });
});
