import { describe, expect, it } from 'vitest';
import { emptyCounts } from '../../src/pipeline/run-summary.ts';
import { isLoopbackHost, startHealthServer } from '../../src/schedule/health-server.ts';
import { MetricsRegistry } from '../../src/schedule/metrics-registry.ts';
import { formatNotice, judgeRun } from '../../src/schedule/notifier.ts';

describe('the metrics registry', () => {
  it('renders counters, gauges and cumulative histogram buckets in the Prometheus text format', () => {
    const registry = new MetricsRegistry();
    const runs = registry.counter('x_runs_total', 'Runs.');
    const busy = registry.gauge('x_busy', 'Busy.');
    const took = registry.histogram('x_seconds', 'Took.', [1, 10]);
    runs.inc({ pipeline: 'a "quoted"\\name', status: 'SUCCESS' });
    runs.inc({ status: 'SUCCESS', pipeline: 'a "quoted"\\name' }, 2);
    busy.set({ pipeline: 'a' }, 1);
    took.observe({ pipeline: 'a' }, 0.5);
    took.observe({ pipeline: 'a' }, 5);
    took.observe({ pipeline: 'a' }, 50);
    expect(registry.render()).toBe([
      '# HELP x_runs_total Runs.', '# TYPE x_runs_total counter',
      'x_runs_total{pipeline="a \\"quoted\\"\\\\name",status="SUCCESS"} 3',
      '# HELP x_busy Busy.', '# TYPE x_busy gauge', 'x_busy{pipeline="a"} 1',
      '# HELP x_seconds Took.', '# TYPE x_seconds histogram',
      'x_seconds_bucket{pipeline="a",le="1"} 1', 'x_seconds_bucket{pipeline="a",le="10"} 2', 'x_seconds_bucket{pipeline="a",le="+Inf"} 3',
      'x_seconds_sum{pipeline="a"} 55.5', 'x_seconds_count{pipeline="a"} 3', '',
    ].join('\n'));
  });

  it('never lets a counter go down and refuses a metric declared twice', () => {
    const registry = new MetricsRegistry();
    const total = registry.counter('y_total', 'Y.');
    total.set({}, 5);
    total.set({}, 3);
    total.inc({}, -1);
    expect(registry.render()).toContain('y_total 5\n');
    expect(() => registry.gauge('y_total', 'again')).toThrow(/declared twice/);
  });
});

describe('the health endpoint', () => {
  it('listens on loopback only', async () => {
    expect(['127.0.0.1', '127.8.0.1', '::1', '[::1]', 'localhost'].map(isLoopbackHost)).toEqual([true, true, true, true, true]);
    expect(['0.0.0.0', '::', '192.168.1.10', 'example.com'].map(isLoopbackHost)).toEqual([false, false, false, false]);
    await expect(startHealthServer({ host: '0.0.0.0', port: 0, health: async () => ({}), metrics: () => '' })).rejects.toThrow(/refusing to listen on 0\.0\.0\.0/);
  });

  it('says so when its port is taken', async () => {
    const first = await startHealthServer({ port: 0, health: async () => ({ ok: true }), metrics: () => 'm 1\n' });
    try {
      await expect(startHealthServer({ port: first.port, health: async () => ({}), metrics: () => '' })).rejects.toThrow(`health: port ${first.port} on 127.0.0.1 is in use`);
      expect(await (await fetch(`${first.url}/healthz`)).json()).toEqual({ ok: true });
    } finally {
      await first.close();
    }
  });
});

describe('run verdicts for notifications', () => {
  const counts = (synced: number, failed: number): ReturnType<typeof emptyCounts> => ({ ...emptyCounts(), processed: synced + failed, synced, failed });

  it('calls FAILED bad, and PARTIAL bad only below notify.onPartialBelow', () => {
    expect(judgeRun({ status: 'FAILED', totals: null, nothingToDo: false })).toBe('bad');
    expect(judgeRun({ status: 'SUCCESS', totals: counts(10, 0), nothingToDo: false })).toBe('good');
    expect(judgeRun({ status: 'PARTIAL', totals: counts(85, 15), nothingToDo: false })).toBe('good');
    expect(judgeRun({ status: 'PARTIAL', totals: counts(85, 15), nothingToDo: false }, 90)).toBe('bad');
    expect(judgeRun({ status: 'PARTIAL', totals: counts(92, 8), nothingToDo: false }, 90)).toBe('good');
  });

  it('lets interrupted runs and runs with nothing to do say nothing', () => {
    expect(judgeRun({ status: 'INTERRUPTED', totals: counts(1, 9), nothingToDo: false })).toBeNull();
    expect(judgeRun({ status: 'SUCCESS', totals: counts(0, 0), nothingToDo: true })).toBeNull();
  });

  it('formats a Slack-compatible body with text and blocks', () => {
    const body = formatNotice({ pipeline: 'order-list', health: 'bad', status: 'PARTIAL', runId: 'R1', totals: counts(85, 15), error: null, reportPath: '/r/R1' });
    expect(body.text).toBe('❌ ordersync: pipeline order-list turned bad — PARTIAL\nrun R1: 85 synced, 15 failed, 0 pending (85% synced)\nreport: /r/R1');
    expect(body.blocks).toHaveLength(2);
  });
});
