import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../src/emulator/index.ts';
import { CREATE_ITEM, ORDER_BOARD, PELOTON_BOARD, postGraphql } from './post-graphql.ts';

describe('emulator idempotency and faults', () => {
  const running: EmulatorHandle[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((emulator) => emulator.close()));
  });
  async function start(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
    const emulator = await startEmulator(options);
    running.push(emulator);
    return emulator;
  }
  const itemNames = (emulator: EmulatorHandle) => emulator.snapshot().items.map((item) => item.name);

  it('replays a repeated Idempotency-Key request without applying it twice', async () => {
    const emulator = await start();
    const headers = { 'Idempotency-Key': 'order-GR-1001-create' };
    const first = await postGraphql(emulator, CREATE_ITEM, { board: ORDER_BOARD, name: 'once' }, headers);
    const second = await postGraphql(emulator, CREATE_ITEM, { board: ORDER_BOARD, name: 'once' }, headers);
    expect(first.headers.get('idempotency-replayed')).toBeNull();
    expect(second.headers.get('idempotency-replayed')).toBe('true');
    expect(second.body).toEqual(first.body);
    expect(itemNames(emulator)).toEqual(['once']);
    expect(emulator.requestLog.map((entry) => entry.replayed)).toEqual([false, true]);
    await postGraphql(emulator, CREATE_ITEM, { board: ORDER_BOARD, name: 'once' });
    expect(itemNames(emulator)).toEqual(['once', 'once']);
  });

  it('answers 409 IDEMPOTENCY_CONFLICT with Retry-After while the first request with the key is still running', async () => {
    const emulator = await start({ faults: { latencyMs: 300 } });
    const headers = { 'Idempotency-Key': 'slow-key' };
    const [first, second] = await Promise.all([
      postGraphql(emulator, CREATE_ITEM, { board: ORDER_BOARD, name: 'slow' }, headers),
      new Promise((resolve) => setTimeout(resolve, 50)).then(() => postGraphql(emulator, CREATE_ITEM, { board: ORDER_BOARD, name: 'slow' }, headers)),
    ]);
    expect(first.status).toBe(200);
    expect(second.status).toBe(409);
    expect(second.body.errors[0].extensions.code).toBe('IDEMPOTENCY_CONFLICT');
    expect(second.headers.get('retry-after')).toBe('1');
    expect(itemNames(emulator)).toEqual(['slow']);
  });

  it('applies the mutation but drops the connection with dropAfterCommit; the keyed retry replays', async () => {
    const emulator = await start({ faults: { dropAfterCommitRate: 1 } });
    const headers = { 'Idempotency-Key': 'dropped-1' };
    await expect(postGraphql(emulator, CREATE_ITEM, { board: ORDER_BOARD, name: 'committed' }, headers)).rejects.toThrow();
    expect(itemNames(emulator)).toEqual(['committed']);
    expect(emulator.requestLog.at(-1)).toMatchObject({ status: 0, error: 'dropped after commit', mutations: 1 });
    emulator.setFaults({});
    const retry = await postGraphql(emulator, CREATE_ITEM, { board: ORDER_BOARD, name: 'committed' }, headers);
    expect(retry.headers.get('idempotency-replayed')).toBe('true');
    expect(retry.body.data.create_item.name).toBe('committed');
    expect(itemNames(emulator)).toEqual(['committed']);
  });

  it('answers 423 for writes to locked boards and writes nothing', async () => {
    const emulator = await start({ faults: { lockedBoards: [ORDER_BOARD] } });
    const locked = await postGraphql(emulator, CREATE_ITEM, { board: ORDER_BOARD, name: 'blocked' });
    expect(locked.status).toBe(423);
    expect(locked.headers.get('retry-after')).toBe('1');
    expect((await postGraphql(emulator, CREATE_ITEM, { board: PELOTON_BOARD, name: 'other board' })).status).toBe(200);
    expect((await postGraphql(emulator, `{ boards(ids: [${ORDER_BOARD}]) { id } }`)).status).toBe(200);
    expect(itemNames(emulator)).toEqual(['other board']);
  });

  it('answers 423 to a second write to a board while the first is in flight', async () => {
    const emulator = await start({ faults: { latencyMs: 300 } });
    const [first, second, other] = await Promise.all([
      postGraphql(emulator, CREATE_ITEM, { board: ORDER_BOARD, name: 'first' }),
      new Promise((resolve) => setTimeout(resolve, 50)).then(() => postGraphql(emulator, CREATE_ITEM, { board: ORDER_BOARD, name: 'second' })),
      postGraphql(emulator, CREATE_ITEM, { board: PELOTON_BOARD, name: 'other' }),
    ]);
    expect([first.status, second.status, other.status]).toEqual([200, 423, 200]);
    expect(itemNames(emulator).sort()).toEqual(['first', 'other']);
  });

  it('injects 5xx and 429 faults before executing, reproducibly for a seed', async () => {
    const run = async () => {
      const emulator = await start({ faults: { rate5xx: 0.3, rate429: 0.3, seed: 42 } });
      const statuses = [];
      for (let i = 0; i < 30; i += 1) statuses.push((await postGraphql(emulator, CREATE_ITEM, { board: ORDER_BOARD, name: `n${i}` })).status);
      return { statuses, created: emulator.snapshot().items.length };
    };
    const a = await run();
    const b = await run();
    expect(a.statuses).toEqual(b.statuses);
    expect(new Set(a.statuses).has(429)).toBe(true);
    expect(a.statuses.some((status) => status >= 500)).toBe(true);
    expect(a.created).toBe(a.statuses.filter((status) => status === 200).length);
  });

  it('shapes an injected 429 like monday and serves 502 as a gateway HTML page', async () => {
    const emulator = await start({ faults: { rate429: 1 } });
    const limited = await postGraphql(emulator, CREATE_ITEM, { board: ORDER_BOARD, name: 'x' });
    expect(limited.status).toBe(429);
    expect(limited.body.errors[0].extensions).toMatchObject({ code: 'MINUTE_RATE_LIMIT_EXCEEDED', retry_in_seconds: expect.any(Number) });
    emulator.setFaults({ rate5xx: 1, seed: 7 });
    const statuses = new Set<number>();
    for (let i = 0; i < 20; i += 1) {
      const response = await postGraphql(emulator, CREATE_ITEM, { board: ORDER_BOARD, name: 'x' });
      statuses.add(response.status);
      if (response.status === 502) expect(typeof response.body).toBe('string');
    }
    expect([...statuses].sort()).toEqual([500, 502, 503]);
    expect(emulator.snapshot().items).toHaveLength(0);
  });

  it('adds latencyMs to every request', async () => {
    const emulator = await start({ faults: { latencyMs: 200 } });
    const started = Date.now();
    await postGraphql(emulator, '{ complexity { query } }');
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });
});
