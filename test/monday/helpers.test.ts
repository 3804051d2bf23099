import { describe, expect, it } from 'vitest';
import { computeBackoffMs } from '../../src/monday/compute-backoff.ts';
import { createKeyedQueue } from '../../src/monday/keyed-queue.ts';
import { redact } from '../../src/monday/redact.ts';
import { withComplexityField } from '../../src/monday/with-complexity-field.ts';

describe('redact', () => {
  it('replaces secrets anywhere and blanks authorization keys', () => {
    const value = { headers: { Authorization: 'abc', 'API-Version': '2026-07' }, message: 'token abc rejected', list: ['xabcx', 3] };
    expect(redact(value, ['abc'])).toEqual({
      headers: { Authorization: '[redacted]', 'API-Version': '2026-07' },
      message: 'token [redacted] rejected',
      list: ['x[redacted]x', 3],
    });
    expect(value.message).toBe('token abc rejected');
  });
});

describe('withComplexityField', () => {
  it('adds complexity to the root of a single read', () => {
    const { document, injected } = withComplexityField('query Boards($ids: [ID!]) { boards(ids: $ids) { id } }');
    expect(injected).toBe(true);
    expect(document).toMatch(/boards\(ids: \$ids\) \{\s+id\s+\}\s+complexity \{\s+before\s+after\s+query\s+reset_in_x_seconds\s+\}/);
  });

  it('leaves documents alone that already ask for it, hold several operations, or do not parse', () => {
    for (const document of ['{ complexity { after } me { id } }', 'query A { me { id } } query B { me { id } }', '{ me {']) {
      expect(withComplexityField(document)).toEqual({ document, injected: false });
    }
  });
});

describe('computeBackoffMs', () => {
  it('doubles from baseMs up to maxMs, jittering the upper half', () => {
    const steps = [1, 2, 3, 4, 5, 6, 7].map((retry) => computeBackoffMs(retry, { baseMs: 500, maxMs: 30_000 }, () => 1));
    expect(steps).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000]);
    expect(computeBackoffMs(3, { baseMs: 500, maxMs: 30_000 }, () => 0)).toBe(1000);
  });
});

describe('createKeyedQueue', () => {
  it('runs tasks of one key in order even when one fails', async () => {
    const queue = createKeyedQueue();
    const order: string[] = [];
    const slow = (name: string, ms: number, fail = false) => async () => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      order.push(name);
      if (fail) throw new Error(name);
      return name;
    };
    const results = await Promise.allSettled([queue.run('b', slow('1', 30, true)), queue.run('b', slow('2', 1)), queue.run('c', slow('3', 1))]);
    expect(order).toEqual(['3', '1', '2']);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
  });
});
