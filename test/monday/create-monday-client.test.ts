import { afterEach, describe, expect, it } from 'vitest';
import { createMondayClient, type MondayClientOptions } from '../../src/monday/create-monday-client.ts';
import type { MutationOp } from '../../src/monday/types.ts';
import { createFakeClock } from './fake-clock.ts';
import { aliasesOf, okBody, startScriptedServer, type ReceivedRequest, type ScriptedReply, type ScriptedServer } from './scripted-server.ts';

const TOKEN = 'tok-SECRET-123';
const BOARD = '9200517329';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function clientFor(reply: (request: ReceivedRequest, index: number) => ScriptedReply, options: Partial<MondayClientOptions> = {}) {
  server = await startScriptedServer(reply);
  const clock = createFakeClock();
  const logs: unknown[] = [];
  const logger = { debug: (...args: unknown[]) => logs.push(args), info: (...args: unknown[]) => logs.push(args), warn: (...args: unknown[]) => logs.push(args) };
  const client = createMondayClient({ url: server.url, token: TOKEN, apiVersion: '2026-07', sleep: clock.sleep, now: clock.now, random: () => 0.5, logger, ...options });
  return { client, clock, logs, requests: server.requests };
}

function createItem(key: string, name: string): MutationOp {
  return {
    key,
    field: 'create_item',
    args: { board_id: { type: 'ID!', value: BOARD }, item_name: { type: 'String!', value: name } },
    selection: 'id',
  };
}

/** Answers every alias with a fresh item id. */
function echoItems(request: ReceivedRequest): ScriptedReply {
  return { body: okBody(Object.fromEntries(aliasesOf(request.body.query).map((alias, i) => [alias, { id: String(100 + i) }]))) };
}

describe('createMondayClient transport', () => {
  it('posts GraphQL with the raw token, JSON content type, pinned API-Version and an Idempotency-Key', async () => {
    const { client, requests } = await clientFor(echoItems);
    await client.mutate(BOARD, [createItem('r1', 'A')]);
    const [request] = requests;
    expect(request?.method).toBe('POST');
    expect(request?.headers.authorization).toBe(TOKEN);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['api-version']).toBe('2026-07');
    expect(request?.headers['idempotency-key']).toMatch(/^[0-9a-f]{64}$/);
    expect(request?.body.variables).toEqual({ a0_board_id: BOARD, a0_item_name: 'A' });
  });

  it('sends reads without an Idempotency-Key, with variables always an object, and hides the injected complexity field', async () => {
    const { client, requests } = await clientFor(() => ({ body: okBody({ boards: [{ id: BOARD }] }) }));
    const result = await client.query<{ boards: { id: string }[] }>('query ($ids: [ID!]) { boards(ids: $ids) { id } }', { ids: [BOARD] });
    expect(result).toEqual({ data: { boards: [{ id: BOARD }] }, requestId: 'req-1' });
    await client.query('{ me { id } }');
    expect(requests[0]?.headers['idempotency-key']).toBeUndefined();
    expect(requests[0]?.body.query).toMatch(/complexity \{/);
    expect(requests[1]?.body.variables).toEqual({});
  });

  it('derives the same Idempotency-Key for the same write and a different one for another board, content or scope', async () => {
    const { client, requests } = await clientFor(echoItems);
    await client.mutate(BOARD, [createItem('r1', 'A')]);
    await client.mutate(BOARD, [createItem('r1', 'A')]);
    await client.mutate('1', [createItem('r1', 'A')]);
    await client.mutate(BOARD, [createItem('r1', 'B')]);
    await client.mutate(BOARD, [createItem('r1', 'A')], { idempotencyScope: 'run-2' });
    const keys = requests.map((request) => request.headers['idempotency-key']);
    expect(keys[0]).toBe(keys[1]);
    expect(new Set(keys).size).toBe(4);
  });

  it('splits ops into requests of at most maxOpsPerRequest, keeping results in order', async () => {
    const { client, requests } = await clientFor(echoItems, { maxOpsPerRequest: 2 });
    const results = await client.mutate(BOARD, ['r1', 'r2', 'r3'].map((key) => createItem(key, key)));
    expect(requests.map((request) => aliasesOf(request.body.query))).toEqual([['a0', 'a1'], ['a0']]);
    expect(results.map((result) => [result.key, result.ok])).toEqual([['r1', true], ['r2', true], ['r3', true]]);
    expect(client.stats()).toMatchObject({ requests: 2, mutations: 3, retries: 0, complexityUsed: 20_000 });
  });

  it('returns [] for no ops without sending anything', async () => {
    const { client, requests } = await clientFor(echoItems);
    expect(await client.mutate(BOARD, [])).toEqual([]);
    expect(requests).toHaveLength(0);
  });

  it('rejects bad options eagerly, without echoing the token', () => {
    expect(() => createMondayClient({ url: 'not a url', token: `${TOKEN}\n`, apiVersion: '2026-13', attemptsPerRequest: 0 })).toThrow(
      /url "not a url" is not a URL; token contains a line break; apiVersion "2026-13".*attemptsPerRequest must be an integer/,
    );
    expect(() => createMondayClient({ url: 'http://x', token: `${TOKEN}\n`, apiVersion: '2026-07' })).not.toThrow(new RegExp(TOKEN));
  });
});

describe('mutate maps every alias to its own result', () => {
  it('keeps partial data: a failed alias fails alone with monday’s code, the others succeed', async () => {
    const { client } = await clientFor(() => ({
      body: {
        data: { a0: { id: '1' }, a1: null, a2: { id: '3' }, complexity: { before: 1e6, after: 97e4, query: 30_000, reset_in_x_seconds: 40 } },
        errors: [
          {
            message: 'invalid value - label does not exist in column',
            path: ['a1'],
            locations: [{ line: 3, column: 3 }],
            extensions: { code: 'ColumnValueException', status_code: 200, error_data: { column_id: 'status' } },
          },
        ],
        extensions: { request_id: 'req-42' },
      },
    }));
    const results = await client.mutate(BOARD, [createItem('r1', 'A'), createItem('r2', 'B'), createItem('r3', 'C')]);
    expect(results.map((result) => result.ok)).toEqual([true, false, true]);
    const failed = results[1];
    if (failed?.ok !== false) throw new Error('expected r2 to fail');
    // The column monday names in error_data is kept in the message: the reader must know which column.
    expect(failed.error).toEqual({ class: 'permanent', code: 'ColumnValueException', message: 'invalid value - label does not exist in column (column_id status)', httpStatus: 200 });
    expect(failed.request).toEqual({
      document: 'a1: create_item(board_id: $a1_board_id, item_name: $a1_item_name) { id }',
      variables: { a1_board_id: BOARD, a1_item_name: 'B' },
      idempotencyKey: expect.stringMatching(/^[0-9a-f]{64}$/),
      apiVersion: '2026-07',
    });
    expect(failed.response).toMatchObject({ data: { a1: null }, errors: [{ path: ['a1'], extensions: { code: 'ColumnValueException' } }], request_id: 'req-42' });
    expect(results[2]).toMatchObject({ ok: true, data: { id: '3' }, response: { data: { a2: { id: '3' } }, request_id: 'req-42' }, attempts: 1 });
    expect(JSON.stringify(results)).not.toContain(TOKEN);
  });

  it('applies a path-less error to every op that has no data of its own', async () => {
    const { client } = await clientFor(() => ({
      body: { data: { a0: { id: '1' }, a1: null }, errors: [{ message: 'Something odd', extensions: { code: 'SOME_ERROR' } }] },
    }));
    const results = await client.mutate(BOARD, [createItem('r1', 'A'), createItem('r2', 'B')]);
    expect(results[0]).toMatchObject({ ok: true });
    expect(results[1]).toMatchObject({ ok: false, error: { class: 'permanent', code: 'SOME_ERROR' } });
  });

  it('fails every op permanently on a 200 with only path-less errors (e.g. a bad document)', async () => {
    const { client } = await clientFor(() => ({
      body: { errors: [{ message: 'Cannot query field "nope"', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] },
    }));
    const results = await client.mutate(BOARD, [createItem('r1', 'A'), createItem('r2', 'B')]);
    expect(results.map((result) => !result.ok && result.error.code)).toEqual(['GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_VALIDATION_FAILED']);
  });

  it('never lets the token reach logs', async () => {
    const { client, logs } = await clientFor((_request, index) => (index === 0 ? { status: 503, body: { error: TOKEN } } : echoItems(_request)));
    await client.mutate(BOARD, [createItem('r1', TOKEN)]);
    expect(logs.length).toBeGreaterThan(0);
    expect(JSON.stringify(logs)).not.toContain(TOKEN);
  });
});

describe('writes to one board are serial', () => {
  it('queues mutations per board while other boards proceed concurrently', async () => {
    const { client, requests } = await clientFor((request) => ({ ...echoItems(request), delayMs: 80 }));
    const byName = (name: string) => requests.find((request) => request.body.variables.a0_item_name === name)!;
    await Promise.all([
      client.mutate(BOARD, [createItem('a', 'A')]),
      client.mutate(BOARD, [createItem('b', 'B')]),
      client.mutate('42', [createItem('c', 'C')]),
    ]);
    expect(requests).toHaveLength(3);
    expect(byName('B').startedAt).toBeGreaterThanOrEqual(byName('A').endedAt);
    expect(byName('C').startedAt).toBeLessThan(byName('A').endedAt);
  });
});
