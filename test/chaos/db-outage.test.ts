/**
 * Database faults are errors, not crashes: `run` and `serve` as child processes against a private
 * PostgreSQL cluster that is stopped mid-run, stopped for good, or has its ordersync backends
 * terminated. Each time: no crash (no TypeError), the documented exit code (4: the database was
 * lost; 5: the run stopped because its lock's session ended), a message naming host and database
 * and never the password, no run row left RUNNING after the next run, every key once on monday,
 * and the next run finishing the rest.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoOrders, type DemoSeedOptions } from '../../src/db/seed-demo.ts';
import { eventually, spawnServe, writePipelineFile } from '../schedule/serve-support.ts';
import { killAllChildren, spawnCli, type CliChild } from './support/cli-child.ts';
import { startChaosTarget, type ChaosTarget } from './support/chaos-target.ts';
import { createSecrets } from './support/find-secrets.ts';
import { createFigures } from './support/figures.ts';
import { runToEnd } from './support/kill-run.ts';
import { findPostgresBin, startPrivateCluster, type PrivateCluster } from './support/private-cluster.ts';

const bin = findPostgresBin();
if (!bin) console.warn('db-outage: skipped — no PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql');

const SEED: DemoSeedOptions = { customers: ['GREYSON', 'PELOTON', 'WHITE FOX'], ordersPerCustomer: 4, dirty: false };
const SERVE_SEED: DemoSeedOptions = { customers: ['GREYSON', 'WHITE FOX'], ordersPerCustomer: 4, dirty: false };
const PROGRESS = /: \d+\/\d+ orders/;
const secrets = createSecrets();
const figures = createFigures(import.meta.filename);

describe.skipIf(!bin)('database outages (private PostgreSQL cluster, child processes)', () => {
  let cluster: PrivateCluster;
  const targets: ChaosTarget[] = [];
  beforeAll(async () => {
    cluster = await startPrivateCluster(bin!);
  }, 60_000);
  afterEach(async () => {
    await killAllChildren();
    await cluster.start().catch(() => {});
  });
  afterAll(async () => {
    figures.flush();
    await killAllChildren();
    for (const t of targets) await t.close();
    await cluster?.dispose();
  });

  const target = async (seed = SEED, config = {}): Promise<ChaosTarget> => {
    const orders = generateDemoOrders(seed);
    const t = await startChaosTarget({
      source: { open: () => cluster.createDatabase(seed, secrets.password) }, token: secrets.token,
      expected: { orders: orders.orders.length, lines: orders.lines.length }, faults: { latencyMs: 120 }, config: { pageSize: 3, batchSize: 3, ...config },
    });
    targets.push(t);
    return t;
  };
  const runChild = (t: ChaosTarget): CliChild => spawnCli(['run', t.config, '--log-format', 'json'], { cwd: t.cwd, env: t.env });
  const runRows = (t: ChaosTarget): Promise<{ id: string; status: string; error: string | null }[]> =>
    t.db.use(async (db) => (await sql<{ id: string; status: string; error: string | null }>`select id, status, error from ordersync_runs order by started_at`.execute(db)).rows);
  /** The next run finishes the rest: every record SYNCED exactly once, nothing lost, reports agree, no secret anywhere. */
  const expectRecovered = async (t: ChaosTarget, outputs: Record<string, string>): Promise<void> => {
    const rest = await runToEnd(t);
    outputs['the next run'] = rest.output;
    expect(rest.exit, rest.output.slice(-2_000)).toEqual({ code: 0, signal: null });
    const { check, scan } = await t.finalCheck([secrets.password, secrets.token], outputs);
    figures.add({ databaseOutages: 1, runs: 2, recordsChecked: check.records, duplicatesFound: check.duplicates.length, recordsLost: check.lost.length, disagreements: check.disagreements.length, secretsFound: scan.leaks.length });
    expect({ lost: check.lost, duplicates: check.duplicates, disagreements: check.disagreements, unexplained: check.unexplained }).toEqual({ lost: [], duplicates: [], disagreements: [], unexplained: [] });
    expect(check.states).toMatchObject({ PENDING: 0, FAILED: 0 });
    expect(scan.leaks).toEqual([]);
  };
  const where = (t: ChaosTarget): RegExp => new RegExp(`PostgreSQL at 127\\.0\\.0\\.1:${cluster.port}, database "${new URL(t.env.DATABASE_URL).pathname.slice(1)}" as user "postgres"`);

  it('run: PostgreSQL stopped for 10 s mid-run ends with exit 4 naming host and database, the run INTERRUPTED with the reason; the next run finishes the rest exactly once', async () => {
    const t = await target();
    const child = runChild(t);
    const outage = new Promise<void>((resolve, reject) => child.onLine(PROGRESS, () => {
      cluster.stop().then(() => sleep(10_000)).then(() => cluster.start()).then(resolve, reject);
    }));
    const exit = await child.exited;
    await outage;
    const output = child.stdout() + child.stderr();
    expect(output).not.toMatch(/TypeError/);
    expect(exit, output.slice(-2_000)).toEqual({ code: 4, signal: null });
    expect(child.stderr()).toMatch(new RegExp(`ordersync run: db: run \\S+ lost the database \\(${where(t).source}\\): .*; the run is recorded as INTERRUPTED`));
    const [row] = await runRows(t);
    expect(row).toMatchObject({ status: 'INTERRUPTED', error: expect.stringMatching(where(t)) });
    await expectRecovered(t, { 'the run that lost the database': output });
  }, 120_000);

  it('run: its ordersync backends terminated mid-run ends the run INTERRUPTED with the reason (exit 4, or 5 when only the lock\'s session noticed); the next run finishes the rest exactly once', async () => {
    const t = await target();
    const child = runChild(t);
    const terminated = new Promise<number>((resolve, reject) => child.onLine(PROGRESS, () => {
      cluster.terminateOrdersync().then(resolve, reject);
    }));
    const exit = await child.exited;
    expect(await terminated).toBeGreaterThan(0);
    const output = child.stdout() + child.stderr();
    expect(output).not.toMatch(/TypeError/);
    expect([4, 5], output.slice(-2_000)).toContain(exit.code);
    const [row] = await runRows(t);
    expect(row!.status).toBe('INTERRUPTED');
    expect(row!.error).toMatch(exit.code === 4 ? where(t) : /pipeline lock was lost/);
    await expectRecovered(t, { 'the run whose backends were terminated': output });
  }, 120_000);

  it('run: a database that does not come back leaves the row to the next run, which closes it as INTERRUPTED and finishes the rest; SIGTERM ends the wait at once (exit 4)', async () => {
    const t = await target();
    const child = runChild(t);
    child.onLine(PROGRESS, () => void cluster.stop());
    child.onLine(/waiting up to 30 s for the database/, () => process.kill(child.pid, 'SIGTERM'));
    const exit = await child.exited;
    const output = child.stdout() + child.stderr();
    expect(output).not.toMatch(/TypeError/);
    expect(exit, output.slice(-2_000)).toEqual({ code: 4, signal: null });
    expect(child.stderr()).toMatch(/a stop signal ended the wait for the database; the run stays RUNNING until the next run closes it as INTERRUPTED/);
    await cluster.start();
    const [left] = await runRows(t);
    expect(left!.status).toBe('RUNNING');
    await expectRecovered(t, { 'the run that gave up on the database': output });
    const [closed] = await runRows(t);
    expect(closed).toMatchObject({ id: left!.id, status: 'INTERRUPTED', error: expect.stringMatching(/stopped without finishing .*lost the database/) });
  }, 120_000);

  it('serve: logs the lost database, answers /healthz 503 while it is down, recovers on a later tick, and SIGTERM during an outage exits 0 on its own', async () => {
    const t = await target(SERVE_SEED, { customers: [{ name: 'GREYSON' }, { name: 'WHITE FOX' }] });
    t.emulator.setFaults({ latencyMs: 300 });
    const file = await writePipelineFile(t.dir, 'serve.yaml', { cron: '*/2 * * * * *', databaseUrl: '${DATABASE_URL}', customers: ['GREYSON', 'WHITE FOX'] });
    const serve = spawnServe([file, '--shutdown-timeout', '2'], t.env);
    try {
      const url = await serve.url();
      const healthz = async (): Promise<{ code: number; body: { status: string; pipelines: { database: string }[] } }> => {
        const response = await fetch(`${url}/healthz`);
        return { code: response.status, body: (await response.json()) as never };
      };
      await serve.waitFor((l) => l.msg === 'run started');
      await cluster.stop();
      await serve.waitFor((l) => /^run stopped: (db: )?.*lost the database/.test(l.msg), 30_000);
      const down = await healthz();
      expect(down).toMatchObject({ code: 503, body: { status: 'degraded', pipelines: [{ database: 'down' }] } });
      await cluster.start();
      // A later tick recovers: the rest is synced by the schedule alone.
      await serve.waitFor((l) => l.msg.startsWith('run finished: SUCCESS'), 60_000);
      await eventually(async () => (await healthz()).code === 200, 10_000, '/healthz to answer 200 again');
      expect((await healthz()).body.pipelines[0]!.database).toBe('up');

      await cluster.stop();
      expect((await healthz()).code).toBe(503);
      serve.kill('SIGTERM');
      // The old defect: a /healthz during an outage made serve ignore --shutdown-timeout for minutes.
      const exit = await Promise.race([serve.exit, sleep(15_000).then(() => 'still running 15 s after SIGTERM')]);
      expect(exit, serve.stderr().slice(-2_000)).toEqual({ code: 0, signal: null });
      expect(serve.stderr()).not.toMatch(/TypeError/);
    } finally {
      serve.kill('SIGKILL');
    }
    await cluster.start();
    await expectRecovered(t, { serve: serve.stderr() });
  }, 120_000);
});
