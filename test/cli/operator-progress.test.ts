/** The progress line: a real ETA (never cli-progress' `LLs`), and the time spent waiting on monday's limits. */
import { describe, expect, it } from 'vitest';
import { createProgressView, progressFigures } from '../../src/cli/progress.ts';
import { createLogger } from '../../src/pipeline/logger.ts';

describe('progress figures', () => {
  it('say ETA — before there is a rate, then a duration, and 0 at the end', () => {
    expect(progressFigures({ customer: 'A', done: 0, total: 500 }, 0, 0).eta).toBe('ETA —');
    expect(progressFigures({ customer: 'A', done: 0, total: 500 }, 3, 0).eta).toBe('ETA —');
    expect(progressFigures({ customer: 'A', done: 100, total: 500 }, 10, 0)).toEqual({ rate: 10, eta: 'ETA 40.00s', waited: '0.00s' });
    expect(progressFigures({ customer: 'A', done: 100, total: 1000 }, 10, 65_000)).toEqual({ rate: 10, eta: 'ETA 1m 30s', waited: '1m 05s' });
    expect(progressFigures({ customer: 'A', done: 500, total: 500 }, 10, 0).eta).toBe('ETA 0.00s');
    for (const done of [0, 1, 499]) expect(progressFigures({ customer: 'A', done, total: 500 }, 0.001, 0).eta).not.toMatch(/L|NaN|Infinity/);
  });

  it('log the time waited on limits when stderr is not a terminal', () => {
    const lines: string[] = [];
    let waitMs = 1_000;
    const view = createProgressView(createLogger({ format: 'json', write: (l) => lines.push(l) }), () => ({ requests: 0, mutations: 0, retries: 0, rateLimited: 0, complexityUsed: 0, waitMs }));
    view.update({ customer: 'GREYSON', done: 0, total: 2 });
    waitMs = 3_500;
    view.update({ customer: 'GREYSON', done: 2, total: 2 });
    view.stop();
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: 'GREYSON: 2/2 orders', waitedOnLimitsMs: 2_500 });
  });
});

describe('pretty log lines', () => {
  it('start with the time of day', () => {
    const lines: string[] = [];
    createLogger({ format: 'pretty', write: (l) => lines.push(l) }).warn('careful', { n: 1 });
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d WARN careful {2}n=1$/);
  });
});
