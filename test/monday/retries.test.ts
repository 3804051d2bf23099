import { afterEach, describe, expect, it } from 'vitest';
import { createMondayClient, type MondayClientOptions } from '../../src/monday/create-monday-client.ts';
import { MondayError, type MutationOp } from '../../src/monday/types.ts';
import { createFakeClock } from './fake-clock.ts';
import { aliasesOf, okBody, startScriptedServer, type ReceivedRequest, type ScriptedReply, type ScriptedServer } from './scripted-server.ts';

const TOKEN = 'tok-SECRET-123';
const BOARD = '9200517329';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function clientFor(replies: (request: ReceivedRequest, index: number) => ScriptedReply, options: Partial<MondayClientOptions> = {}) {
  server = await startScriptedServer(replies);
  const clock = createFakeClock();
  const client = createMondayClient({ url: server.url, token: TOKEN, apiVersion: '2026-07', sleep: clock.sleep, now: clock.now, random: () => 1, ...options });
  return { client, clock, requests: server.requests };
}

/** Replies from a list, then keeps answering with the last one; `ok` answers every alias. */
function script(...steps: (ScriptedReply | 'ok')[]) {
  return (request: ReceivedRequest, index: number): ScriptedReply => {
    const step = steps[Math.min(index, steps.length - 1)] as ScriptedReply | 'ok';
    if (step !== 'ok') return step;
    return { body: okBody(Object.fromEntries(aliasesOf(request.body.query).map((alias) => [alias, { id: `${index}-${alias}` }]))) };
  };
}

const op = (key: string): MutationOp => ({
  key,
  field: 'create_item',
  args: { board_id: { type: 'ID!', value: BOARD }, item_name: { type: 'String!', value: key } },
  selection: 'id',
});

const rateLimited = (code: string, retryInSeconds?: number, headers?: Record<string, string>): ScriptedReply => ({
  status: 429,
  headers,
  body: { errors: [{ message: 'Rate limit', extensions: { code, ...(retryInSeconds === undefined ? {} : { retry_in_seconds: retryInSeconds }) } }] },
});

async function rejection(promise: Promise<unknown>): Promise<MondayError> {
  const error: unknown = await promise.then(() => undefined, (reason: unknown) => reason);
  if (!(error instanceof MondayError)) throw new Error(`expected a MondayError, got ${String(error)}`);
  return error;
}

describe('rate limits (429)', () => {
  it('waits retry_in_seconds and retries without using up attempts', async () => {
    const { client, clock, requests } = await clientFor(
      script(rateLimited('COMPLEXITY_BUDGET_EXHAUSTED', 7), rateLimited('MINUTE_RATE_LIMIT_EXCEEDED', 2), rateLimited('maxConcurrencyExceeded', 1), 'ok'),
      { attemptsPerRequest: 1 },
    );
    const results = await client.mutate(BOARD, [op('r1')]);
    expect(results[0]).toMatchObject({ ok: true, attempts: 4 });
    // The budget's wait ends resetMarginMs (20) after the reset it was told; the others wait as told.
    expect(clock.sleeps).toEqual([7020, 2000, 1000]);
    expect(new Set(requests.map((request) => request.headers['idempotency-key'])).size).toBe(1);
    expect(client.stats()).toMatchObject({ requests: 4, retries: 3, rateLimited: 3, waitMs: 10_020 });
  });

  it('honours Retry-After when the body gives no retry_in_seconds (older spellings, matched on the status)', async () => {
    const { client, clock } = await clientFor(script(rateLimited('ComplexityException', undefined, { 'retry-after': '3' }), 'ok'));
    expect((await client.mutate(BOARD, [op('r1')]))[0]?.ok).toBe(true);
    expect(clock.sleeps).toEqual([3020]);
  });

  it('treats a complexity-budget error inside a 200 body (older API) as a rate limit', async () => {
    const legacy: ScriptedReply = {
      body: {
        error_code: 'ComplexityException',
        status_code: 429,
        error_message: 'Complexity budget exhausted, query cost 30001 budget remaining 19986 out of 1000000 reset in 3 seconds',
        errors: ['Complexity budget exhausted, query cost 30001 budget remaining 19986 out of 1000000 reset in 3 seconds'],
      },
    };
    const inErrors: ScriptedReply = {
      body: { data: null, errors: [{ message: 'Complexity budget exhausted, reset in 5 seconds', extensions: { code: 'ComplexityException' } }] },
    };
    const { client, clock } = await clientFor(script(legacy, inErrors, 'ok'));
    expect((await client.mutate(BOARD, [op('r1')]))[0]?.ok).toBe(true);
    expect(clock.sleeps).toEqual([3020, 5020]);
    expect(client.stats().rateLimited).toBe(2);
  });

  it('does not wait on the per-query complexity cap, which waiting cannot fix', async () => {
    const tooBig: ScriptedReply = {
      body: { errors: [{ message: 'Query has complexity of 6000000, which exceeds max complexity of 5000000', extensions: { code: 'ComplexityException' } }] },
    };
    const { client, requests } = await clientFor(script(tooBig));
    expect((await client.mutate(BOARD, [op('r1')]))[0]).toMatchObject({ ok: false, error: { class: 'permanent', code: 'ComplexityException' } });
    expect(requests).toHaveLength(1);
  });

  it('gives up as rate-limit once the total wait cap would be exceeded', async () => {
    const { client, clock } = await clientFor(script(rateLimited('MINUTE_RATE_LIMIT_EXCEEDED', 40)), { maxRateLimitWaitMs: 100_000 });
    const [result] = await client.mutate(BOARD, [op('r1'), op('r2')]);
    expect(result).toMatchObject({ ok: false, attempts: 3, error: { class: 'rate-limit', code: 'MINUTE_RATE_LIMIT_EXCEEDED', httpStatus: 429 } });
    expect(clock.sleeps).toEqual([40_000, 40_000]);
  });

  it('throws daily-limit so the caller stops cleanly', async () => {
    const { client, requests } = await clientFor(script(rateLimited('DAILY_LIMIT_EXCEEDED', 3600)));
    const error = await rejection(client.mutate(BOARD, [op('r1')]));
    expect(error.info).toMatchObject({ class: 'daily-limit', code: 'DAILY_LIMIT_EXCEEDED', httpStatus: 429 });
    expect(requests).toHaveLength(1);
  });
});

describe('transient failures', () => {
  it('backs off exponentially on 503 and 423 and reuses the Idempotency-Key', async () => {
    const { client, clock, requests } = await clientFor(script({ status: 503, body: {} }, { status: 423, body: {} }, { status: 502 }, 'ok'), {
      backoff: { baseMs: 100, maxMs: 300 },
    });
    expect((await client.mutate(BOARD, [op('r1')]))[0]).toMatchObject({ ok: true, attempts: 4 });
    expect(clock.sleeps).toEqual([100, 200, 300]);
    expect(new Set(requests.map((request) => request.headers['idempotency-key'])).size).toBe(1);
  });

  it('jitters the upper half of each backoff step', async () => {
    const { client, clock } = await clientFor(script({ status: 500 }, 'ok'), { random: () => 0, backoff: { baseMs: 1000 } });
    await client.mutate(BOARD, [op('r1')]);
    expect(clock.sleeps).toEqual([500]);
  });

  it('retries a 409 IDEMPOTENCY_CONFLICT after its Retry-After', async () => {
    const conflict: ScriptedReply = { status: 409, headers: { 'retry-after': '2' }, body: { errors: [{ message: 'in progress', extensions: { code: 'IDEMPOTENCY_CONFLICT' } }] } };
    const { client, clock } = await clientFor(script(conflict, 'ok'), { backoff: { baseMs: 100 } });
    expect((await client.mutate(BOARD, [op('r1')]))[0]?.ok).toBe(true);
    expect(clock.sleeps).toEqual([2000]);
  });

  it('retries a dropped connection and a timeout', async () => {
    const { client, requests } = await clientFor(script({ drop: true }, { delayMs: 1500, body: {} }, 'ok'), { timeoutMs: 300 });
    const [result] = await client.mutate(BOARD, [op('r1')]);
    expect(result).toMatchObject({ ok: true, attempts: 3 });
    expect(new Set(requests.map((request) => request.headers['idempotency-key'])).size).toBe(1);
  });

  it('returns every op as failed transient after attemptsPerRequest, without throwing', async () => {
    const { client, requests } = await clientFor(script({ status: 503, body: { errors: [{ message: 'Service unavailable' }] } }), { attemptsPerRequest: 3 });
    const results = await client.mutate(BOARD, [op('r1'), op('r2')]);
    expect(requests).toHaveLength(3);
    for (const result of results) {
      expect(result).toMatchObject({ ok: false, attempts: 3, error: { class: 'transient', code: 'HTTP_503', httpStatus: 503 }, response: { status: 503 } });
    }
  });

  it('reports a timeout as transient TIMEOUT once attempts run out', async () => {
    const { client } = await clientFor(script({ delayMs: 1000, body: {} }), { timeoutMs: 100, attemptsPerRequest: 2 });
    const [result] = await client.mutate(BOARD, [op('r1')]);
    expect(result).toMatchObject({ ok: false, error: { class: 'transient', code: 'TIMEOUT', httpStatus: null } });
  });
});

describe('auth and reads', () => {
  it('throws auth on 401 with a clear message and without the token', async () => {
    const { client, requests } = await clientFor(script({ status: 401, body: { errors: [{ message: `Not Authenticated ${TOKEN}` }] } }));
    const error = await rejection(client.mutate(BOARD, [op('r1')]));
    expect(error.info.class).toBe('auth');
    expect(error.message).toContain('monday rejected the API token (401) — check MONDAY_API_TOKEN');
    expect(JSON.stringify({ message: error.message, info: error.info })).not.toContain(TOKEN);
    expect(requests).toHaveLength(1);
  });

  it('query() retries transient failures and then returns data', async () => {
    const { client } = await clientFor(script({ status: 500 }, { body: okBody({ me: { id: '1' } }) }));
    expect((await client.query('{ me { id } }')).data).toEqual({ me: { id: '1' } });
  });

  it('query() throws transient after exhausting retries and permanent on GraphQL errors', async () => {
    const failing = await clientFor(script({ status: 503 }), { attemptsPerRequest: 2 });
    expect((await rejection(failing.client.query('{ me { id } }'))).info).toMatchObject({ class: 'transient', code: 'HTTP_503' });
    await server?.close();
    const invalid = await clientFor(script({ body: { errors: [{ message: 'Field nope', extensions: { code: 'undefinedField' } }] } }));
    expect((await rejection(invalid.client.query('{ nope }'))).info).toMatchObject({ class: 'permanent', code: 'undefinedField' });
  });

  it('stops waiting when the caller aborts', async () => {
    server = await startScriptedServer(script(rateLimited('MINUTE_RATE_LIMIT_EXCEEDED', 30)));
    const controller = new AbortController();
    const client = createMondayClient({
      url: server.url,
      token: TOKEN,
      apiVersion: '2026-07',
      sleep: (_ms, signal) => {
        controller.abort(new Error('shutting down'));
        return Promise.reject(signal?.reason);
      },
    });
    await expect(client.mutate(BOARD, [op('r1')], { signal: controller.signal })).rejects.toThrow('shutting down');
  });
});

describe('commits before a failure are not lost', () => {
  it('hands the finished chunks’ results over on a daily-limit stop', async () => {
    const { client } = await clientFor(script('ok', rateLimited('DAILY_LIMIT_EXCEEDED', 60)), { maxOpsPerRequest: 1 });
    const error = await rejection(client.mutate(BOARD, [op('r1'), op('r2')]));
    expect(error.info.class).toBe('daily-limit');
    expect(error.completed.map((result) => [result.key, result.ok])).toEqual([['r1', true]]);
  });
});

describe('request-wide errors in a 200 body', () => {
  it('retries a path-less server error when no alias ran', async () => {
    const serverError: ScriptedReply = { body: { data: null, errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR', status_code: 500 } }] } };
    const { client, requests } = await clientFor(script(serverError, 'ok'), { backoff: { baseMs: 10 } });
    expect((await client.mutate(BOARD, [op('r1')]))[0]?.ok).toBe(true);
    expect(requests).toHaveLength(2);
  });

  it('never spins on a zero retry hint', async () => {
    const { client, clock } = await clientFor(script(rateLimited('MAX_CONCURRENCY_EXCEEDED', 0), 'ok'));
    await client.mutate(BOARD, [op('r1')]);
    expect(clock.sleeps).toEqual([500]);
  });
});

describe('a request that may have committed', () => {
  it('is only ever resent whole (same Idempotency-Key), never split into new requests', async () => {
    const budget = rateLimited('COMPLEXITY_BUDGET_EXHAUSTED', 1);
    const { client, requests } = await clientFor(script({ drop: true }, budget, budget, budget, 'ok'), { backoff: { baseMs: 10 } });
    const results = await client.mutate(BOARD, [op('r1'), op('r2')]);
    expect(results.every((result) => result.ok)).toBe(true);
    expect(requests.map((request) => aliasesOf(request.body.query).length)).toEqual([2, 2, 2, 2, 2]);
    expect(new Set(requests.map((request) => request.headers['idempotency-key'])).size).toBe(1);
  });
});
