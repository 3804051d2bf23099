import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadPipelineConfig, type PipelineConfig } from '../../src/config/load-config.ts';
import { registry } from '../../src/cli/wiring.ts';
import { resetDemo, seedDemo } from '../../src/db/seed-demo.ts';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.ts';
import { startHealthServer } from '../../src/schedule/health-server.ts';
import { startScheduler, type Scheduler } from '../../src/schedule/scheduler.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../support/test-database.ts';
import { connectTo, eventually, makeTempDir, overlappingRuns, readRuns, writePipelineFile, type LogLine, type PipelineFileOptions } from './serve-support.ts';

describe.each(dialects)('the scheduler on %s', (dialect) => {
  let t: TestDatabase;
  let tmp: Awaited<ReturnType<typeof makeTempDir>>;
  let emulator: EmulatorHandle;
  const open: { close(): Promise<unknown> }[] = [];
  const db = (): TestDatabase['database']['db'] => t.database.db;

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    tmp = await makeTempDir();
  });
  afterAll(async () => {
    await t?.dispose();
    await tmp?.remove();
  });
  beforeEach(async () => {
    await resetDemo(db());
    emulator = await startEmulator({ seed: 'demo' });
    open.push(emulator);
    return async () => {
      for (const handle of open.splice(0).reverse()) await handle.close();
    };
  });

  const load = async (name: string, options: PipelineFileOptions): Promise<PipelineConfig> =>
    loadPipelineConfig(await writePipelineFile(tmp.dir, `${name}.yaml`, { pipeline: name, ...options }), {
      registry,
      env: { MONDAY_API_URL: emulator.url, MONDAY_API_TOKEN: emulator.token },
    });
  const start = async (configs: PipelineConfig[], lines: LogLine[] = []): Promise<Scheduler> => {
    const scheduler = await startScheduler({ configs, connect: connectTo(t.database), log: { format: 'json', write: (l) => lines.push(JSON.parse(l) as LogLine) } });
    open.push({ close: () => scheduler.stop(10_000) });
    return scheduler;
  };

  it('never overlaps a run that outlasts its one-second cron interval, and logs each skipped tick', async () => {
    await seedDemo(db(), { customers: ['GREYSON', 'PELOTON'], ordersPerCustomer: 6 });
    emulator.setFaults({ latencyMs: 250 });
    const lines: LogLine[] = [];
    const scheduler = await start([await load('every-second', { cron: '* * * * * *', customers: ['GREYSON', 'PELOTON'] })], lines);
    await eventually(async () => (await readRuns(db(), 'every-second')).filter((r) => r.finishedAt !== null).length >= 3, 120_000, 'three finished runs');
    await scheduler.stop(10_000);

    const runs = await readRuns(db(), 'every-second');
    // The premise: at least one run took longer than the interval between ticks.
    expect(runs.some((r) => r.finishedAt! - r.startedAt > 1_000)).toBe(true);
    expect(overlappingRuns(runs)).toEqual([]);
    const skipped = lines.filter((l) => l.skipped === 'overlap');
    expect(skipped.length).toBeGreaterThan(0);
    expect(skipped[0]!.msg).toMatch(/skipped a tick of every-second: the previous run is still going/);
    expect(scheduler.metrics.render()).toMatch(/ordersync_runs_skipped_total\{pipeline="every-second",reason="overlap"\} [1-9]/);
  }, 180_000);

  it('makes up a run missed while down once with missed: once, and not with skip or when it never ran', async () => {
    const threeDaysAgo = new Date(Date.now() - 3 * 86_400_000);
    for (const pipeline of ['catch-up', 'no-catch-up']) {
      await db().insertInto('ordersync_runs').values({
        id: `old-${pipeline}`, pipeline, trigger: 'schedule', status: 'SUCCESS', dry_run: false, started_at: threeDaysAgo,
        finished_at: threeDaysAgo, heartbeat_at: threeDaysAgo, owner: 'elsewhere:1',
      }).execute();
    }
    const lines: LogLine[] = [];
    const daily = { cron: '0 3 * * *', customers: ['GREYSON'] };
    const scheduler = await start([
      await load('catch-up', { ...daily, missed: 'once' }),
      await load('no-catch-up', { ...daily, missed: 'skip' }),
      await load('never-ran', { ...daily, missed: 'once' }),
    ], lines);
    await eventually(async () => (await readRuns(db(), 'catch-up')).filter((r) => r.finishedAt !== null).length === 2, 60_000, 'the make-up run');
    await scheduler.stop(10_000);

    expect(lines.find((l) => l.pipeline === 'catch-up' && /missed the run due at .* running once now/.test(l.msg))).toBeTruthy();
    expect((await readRuns(db(), 'catch-up')).map((r) => r.id)).toHaveLength(2);
    expect((await readRuns(db(), 'no-catch-up')).map((r) => r.id)).toEqual(['old-no-catch-up']);
    expect(await readRuns(db(), 'never-ran')).toEqual([]);
  });

  it('answers /healthz and /metrics with current numbers during and after a run', async () => {
    await seedDemo(db(), { customers: ['GREYSON', 'PELOTON'], ordersPerCustomer: 5 });
    emulator.setFaults({ latencyMs: 150 });
    const scheduler = await start([await load('health', { cron: '0 0 1 1 *', customers: ['GREYSON', 'PELOTON'] })]);
    const server = await startHealthServer({ port: 0, health: () => scheduler.health(), metrics: () => scheduler.metrics.render() });
    open.push(server);
    const get = async (path: string): Promise<Response> => fetch(`${server.url}${path}`);
    const healthz = async (): Promise<{ running: string[]; pipelines: Record<string, any>[] }> => (await get('/healthz')).json() as never;

    const before = await healthz();
    expect(before.pipelines[0]).toMatchObject({ pipeline: 'health', scheduled: true, cron: '0 0 1 1 *', running: null, lastRun: null });
    expect(new Date(before.pipelines[0]!.nextRun).getTime()).toBeGreaterThan(Date.now());

    const outcome = scheduler.runNow('health');
    let during: Awaited<ReturnType<typeof healthz>> | null = null;
    await eventually(async () => {
      during = await healthz();
      return Boolean(during.pipelines[0]!.running?.runId);
    }, 60_000, 'the run to show in /healthz');
    expect(during!.running).toEqual(['health']);
    expect(during!.pipelines[0]!.running.runId).toMatch(/^\d{12}-SYNC-[0-9A-F]{8}$/);
    const metricsDuring = await (await get('/metrics')).text();
    expect(metricsDuring).toContain('ordersync_run_in_progress{pipeline="health"} 1');

    const result = await outcome;
    expect(result.ran).toBe(true);
    const after = await healthz();
    expect(after.running).toEqual([]);
    expect(after.pipelines[0]).toMatchObject({ running: null, lastRun: { id: during!.pipelines[0]!.running.runId } });
    const status = after.pipelines[0]!.lastRun.status as string;
    expect(['SUCCESS', 'PARTIAL', 'FAILED']).toContain(status);

    const response = await get('/metrics');
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const metrics = await response.text();
    const value = (pattern: string): number => Number(new RegExp(`^${pattern.replace(/[{}"]/g, '\\$&')} (\\S+)$`, 'm').exec(metrics)?.[1] ?? NaN);
    const synced = await sql<{ n: number }>`select (select count(*) from order_list where sync_state = 'SYNCED') + (select count(*) from order_list_lines where sync_state = 'SYNCED') as n`.execute(db());
    const failed = await sql<{ n: number }>`select (select count(*) from order_list where sync_state = 'FAILED') + (select count(*) from order_list_lines where sync_state = 'FAILED') as n`.execute(db());
    expect(value('ordersync_run_in_progress{pipeline="health"}')).toBe(0);
    expect(value(`ordersync_runs_total{pipeline="health",status="${status}"}`)).toBe(1);
    expect(value('ordersync_records_total{pipeline="health",outcome="synced"}')).toBe(Number(synced.rows[0]!.n));
    expect(value('ordersync_records_total{pipeline="health",outcome="failed"}')).toBe(Number(failed.rows[0]!.n));
    expect(value('ordersync_api_requests_total{pipeline="health"}')).toBe(emulator.requestLog.length);
    expect(value('ordersync_complexity_used_total{pipeline="health"}')).toBeGreaterThan(0);
    expect(value('ordersync_run_duration_seconds_count{pipeline="health"}')).toBe(1);
    expect(metrics).toMatch(/^# TYPE ordersync_rate_limited_total counter$/m);
    expect(metrics).toMatch(/^# TYPE ordersync_rate_limit_wait_seconds_total counter$/m);
    expect((await get('/nope')).status).toBe(404);
  }, 120_000);

  it('calls the webhook once when the pipeline turns bad and once when it recovers, across a restart', async () => {
    const calls: { text: string; blocks?: unknown[] }[] = [];
    const receiver: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString(); }).on('end', () => {
        calls.push(JSON.parse(body) as { text: string });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    open.push({ close: () => new Promise((r) => receiver.close(r)) });
    const webhook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/services/T000/B000/SECRET-HOOK-TOKEN`;
    const customers = ['GREYSON', 'PELOTON', 'SUMMERSALT', 'WHITE FOX'];
    // Every record must sync for SUCCESS: the demo's dirty rows make a run FAILED.
    const config = await load('alerts', { customers, thresholds: { success: 100, partial: 100 }, notify: { webhook } });
    const lines: LogLine[] = [];

    await seedDemo(db(), { customers: ['GREYSON', 'PELOTON'], ordersPerCustomer: 6 });
    const first = await start([config], lines);
    expect(await first.runNow('alerts')).toMatchObject({ status: 'FAILED' });
    expect(await first.runNow('alerts')).toMatchObject({ ran: true }); // nothing to do: says nothing about health
    await first.stop(10_000);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.text).toMatch(/pipeline alerts turned bad — FAILED/);
    expect(Array.isArray(calls[0]!.blocks)).toBe(true);

    const second = await start([config], lines);
    await seedDemo(db(), { customers: ['SUMMERSALT'], ordersPerCustomer: 6 });
    expect(await second.runNow('alerts')).toMatchObject({ status: 'FAILED' });
    expect(calls).toHaveLength(1); // still bad after the restart: no second alert
    await seedDemo(db(), { customers: ['WHITE FOX'], ordersPerCustomer: 4, dirty: false });
    expect(await second.runNow('alerts')).toMatchObject({ status: 'SUCCESS' });
    expect(await second.runNow('alerts')).toMatchObject({ ran: true });
    await second.stop(10_000);

    expect(calls).toHaveLength(2);
    expect(calls[1]!.text).toMatch(/pipeline alerts recovered — SUCCESS/);
    const logged = JSON.stringify(lines);
    expect(logged).toContain(`notified 127.0.0.1:${(receiver.address() as AddressInfo).port}`);
    expect(logged).not.toContain('SECRET-HOOK-TOKEN');
  });
});
