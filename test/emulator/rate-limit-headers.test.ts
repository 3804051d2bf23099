import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../src/emulator/index.ts';
import { CREATE_ITEM, ORDER_BOARD, postGraphql } from './post-graphql.ts';

/** Splits an IETF structured-field list into name → parameters. */
function parseList(header: string | null): Map<string, Map<string, string>> {
  const entries = new Map<string, Map<string, string>>();
  for (const item of (header ?? '').split(',')) {
    const [name = '', ...params] = item.split(';').map((part) => part.trim());
    entries.set(name.replace(/^"|"$/g, ''), new Map(params.map((param) => param.split('=') as [string, string])));
  }
  return entries;
}

describe('emulator rate-limit headers', () => {
  const running: EmulatorHandle[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((emulator) => emulator.close()));
  });
  async function start(options: EmulatorOptions): Promise<EmulatorHandle> {
    const emulator = await startEmulator(options);
    running.push(emulator);
    return emulator;
  }

  it('names the policies minuteRate, concurrency and complexityMinute with qu= units (API reference: Rate limits)', async () => {
    const emulator = await start({});
    const response = await postGraphql(emulator, '{ complexity { query } }');
    const policy = parseList(response.headers.get('ratelimit-policy'));
    expect([...policy.keys()]).toEqual(['minuteRate', 'concurrency', 'complexityMinute']);
    expect(policy.get('minuteRate')).toEqual(new Map([['q', '5000'], ['w', '60'], ['qu', '"requests"']]));
    expect(policy.get('concurrency')!.get('q')).toBe('40');
    expect(policy.get('complexityMinute')!.get('q')).toBe('10000000');
    for (const entry of policy.values()) expect(entry.get('qu')).toEqual(expect.any(String));
  });

  it('sends t (seconds to reset) only for a policy that is exceeded (API reference: Rate limits)', async () => {
    const emulator = await start({ budget: { points: 15_000, mutationCost: 10_000 } });
    const ok = await postGraphql(emulator, CREATE_ITEM, { board: ORDER_BOARD, name: 'n0' });
    const state = parseList(ok.headers.get('ratelimit'));
    expect([...state.keys()]).toEqual(['minuteRate', 'concurrency', 'complexityMinute']);
    for (const entry of state.values()) expect(entry.has('t')).toBe(false);
    expect(state.get('complexityMinute')!.get('r')).toBe('5000');
    const refused = await postGraphql(emulator, CREATE_ITEM, { board: ORDER_BOARD, name: 'n1' });
    expect(refused.status).toBe(429);
    const after = parseList(refused.headers.get('ratelimit'));
    expect(Number(after.get('complexityMinute')!.get('t'))).toBeGreaterThanOrEqual(1);
    expect(after.get('minuteRate')!.has('t')).toBe(false);
  });

  it('sends t on minuteRate once the request window is used up (API reference: Rate limits)', async () => {
    const emulator = await start({ limits: { requestsPerMinute: 2 } });
    await postGraphql(emulator, '{ complexity { query } }');
    const last = await postGraphql(emulator, '{ complexity { query } }');
    expect(parseList(last.headers.get('ratelimit')).get('minuteRate')).toEqual(new Map([['r', '0'], ['t', '60']]));
  });
});
