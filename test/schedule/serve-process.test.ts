import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { openDatabase, type Database } from '../../src/db/open-database.ts';
import { seedDemo } from '../../src/db/seed-demo.ts';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../support/test-database.ts';
import { eventually, makeTempDir, readRuns, spawnServe, writePipelineFile, type PipelineFileOptions } from './serve-support.ts';

const CUSTOMERS = ['GREYSON', 'PELOTON', 'SUMMERSALT'];
// Generous: a child's first embedded-database start is slow on a loaded machine; a passing run takes a fraction.
const CHILD_TIMEOUT_MS = 240_000;

describe('ordersync serve (child process)', () => {
  let tmp: Awaited<ReturnType<typeof makeTempDir>>;
  beforeAll(async () => {
    tmp = await makeTempDir();
  });
  afterAll(async () => tmp?.remove());

  it('refuses to start when any pipeline file is invalid, listing every problem with its location (exit 2)', async () => {
    const good = await writePipelineFile(tmp.dir, 'good.yaml', { pipeline: 'good', dataDir: 'memory://' });
    const bad = await writePipelineFile(tmp.dir, 'bad.yaml', {
      pipeline: 'bad', dataDir: 'memory://', retention: { mode: 'shred', cron: 'every night' }, notify: { webhook: 'ftp://hooks.example.com/x' },
    });
    const serve = spawnServe([good, bad], { MONDAY_API_URL: 'http://127.0.0.1:9/v2', MONDAY_API_TOKEN: 'unused' });
    expect(await serve.exit).toEqual({ code: 2, signal: null });
    const stderr = serve.stderr();
    expect(stderr).toMatch(/× retention\.mode is archive or delete → at retention\.mode \(.*bad\.yaml:\d+:\d+\)/);
    expect(stderr).toMatch(/× invalid cron pattern: .* → at retention\.cron \(.*bad\.yaml:\d+:\d+\)/);
    expect(stderr).toMatch(/× notify\.webhook must be an http:\/\/ or https:\/\/ URL .* → at notify\.webhook \(.*bad\.yaml:\d+:\d+\)/);
    expect(serve.lines.find((l) => l.msg.startsWith('serving'))).toBeUndefined();
  }, CHILD_TIMEOUT_MS);

  it('refuses a non-loopback --host (exit 2)', async () => {
    const good = await writePipelineFile(tmp.dir, 'good.yaml', { pipeline: 'good', dataDir: 'memory://' });
    const serve = spawnServe([good, '--host', '0.0.0.0'], { MONDAY_API_URL: 'http://127.0.0.1:9/v2', MONDAY_API_TOKEN: 'unused' });
    expect(await serve.exit).toEqual({ code: 2, signal: null });
    expect(serve.stderr()).toMatch(/--host 0\.0\.0\.0 is not a loopback address/);
  }, CHILD_TIMEOUT_MS);

  it('reloads on SIGHUP: an invalid edit is rejected with its located errors and the old schedule stays; a valid edit reschedules', async () => {
    const emulator = await startEmulator({ seed: 'demo' });
    const options: PipelineFileOptions = { pipeline: 'reloadable', dataDir: 'memory://', cron: '0 0 1 1 *' };
    const file = await writePipelineFile(tmp.dir, 'reloadable.yaml', options);
    const serve = spawnServe([file], { MONDAY_API_URL: emulator.url, MONDAY_API_TOKEN: emulator.token });
    try {
      const url = await serve.url();
      const pipeline = async (): Promise<{ cron: string; nextRun: string }> =>
        ((await (await fetch(`${url}/healthz`)).json()) as { pipelines: { cron: string; nextRun: string }[] }).pipelines[0]!;
      expect((await pipeline()).cron).toBe('0 0 1 1 *');

      await writePipelineFile(tmp.dir, 'reloadable.yaml', { ...options, customers: [], retention: { mode: 'shred' } });
      serve.kill('SIGHUP');
      await serve.waitFor((l) => /^reload rejected: 2 problem\(s\); the running config stays$/.test(l.msg));
      await serve.waitFor((l) => /^× list at least one customer → at customers \(.*reloadable\.yaml:\d+:\d+\)$/.test(l.msg));
      await serve.waitFor((l) => /^× retention\.mode is archive or delete → at retention\.mode \(.*reloadable\.yaml:\d+:\d+\)$/.test(l.msg));
      expect((await pipeline()).cron).toBe('0 0 1 1 *');

      await writePipelineFile(tmp.dir, 'reloadable.yaml', { ...options, cron: 'at noon' });
      serve.kill('SIGHUP');
      await serve.waitFor((l) => /^× invalid cron pattern: .* → at schedule\.cron \(.*reloadable\.yaml:\d+:\d+\)$/.test(l.msg));
      expect((await pipeline()).cron).toBe('0 0 1 1 *');

      await writePipelineFile(tmp.dir, 'reloadable.yaml', { ...options, cron: '0 12 * * *' });
      serve.kill('SIGHUP');
      await serve.waitFor((l) => l.msg === 'reload: done');
      const after = await pipeline();
      expect(after.cron).toBe('0 12 * * *');
      const next = new Date(after.nextRun);
      expect([next.getUTCHours(), next.getUTCMinutes(), next.getUTCSeconds()]).toEqual([12, 0, 0]);
      expect(next.getTime() - Date.now()).toBeLessThanOrEqual(86_400_000);
      serve.kill('SIGTERM');
      expect(await serve.exit).toEqual({ code: 0, signal: null });
    } finally {
      serve.kill('SIGKILL');
      await emulator.close();
    }
  }, CHILD_TIMEOUT_MS);

  describe.each(dialects)('on %s', (dialect) => {
    let pg: TestDatabase | null = null;
    let dataDir: string | undefined;
    /** Opens the pipeline's database in the test process (PGlite: only while no serve process holds it). */
    const withDatabase = async <T>(fn: (database: Database) => Promise<T>): Promise<T> => {
      if (pg) return fn(pg.database);
      const database = await openDatabase({ dataDir });
      try {
        return await fn(database);
      } finally {
        await database.close();
      }
    };
    beforeAll(async () => {
      if (dialect === 'postgres') pg = await createTestDatabase('postgres');
      else dataDir = join(tmp.dir, `pgdata-${Date.now()}`);
      await withDatabase(async (database) => {
        await migrateToLatest(database.db);
        await seedDemo(database.db, { customers: CUSTOMERS, ordersPerCustomer: 6 });
      });
    }, 120_000);
    afterAll(async () => pg?.dispose());

    it('SIGTERM mid-run: the batch in flight is written back, the run ends INTERRUPTED, exit 0; the next run finishes the work exactly once', async () => {
      const emulator: EmulatorHandle = await startEmulator({ seed: 'demo', faults: { latencyMs: 300 } });
      const env = { MONDAY_API_URL: emulator.url, MONDAY_API_TOKEN: emulator.token };
      const file = await writePipelineFile(tmp.dir, `interrupt-${dialect}.yaml`, {
        pipeline: 'interrupt', cron: '* * * * * *', customers: CUSTOMERS, ...(pg ? { databaseUrl: pg.url! } : { dataDir }),
      });
      try {
        const first = spawnServe([file], env);
        await first.waitFor((l) => l.msg === 'run started');
        // Mid-run: groups and the first items are written, subitems are on their way.
        await eventually(() => emulator.requestLog.filter((r) => r.operation === 'mutation').length >= 4, 120_000, 'a few writes');
        first.kill('SIGTERM');
        expect(await first.exit).toEqual({ code: 0, signal: null });
        expect(first.lines.find((l) => l.msg === 'stopped')).toMatchObject({ timedOut: false, interrupted: ['interrupt'] });

        await withDatabase(async ({ db }) => {
          const runs = await readRuns(db, 'interrupt');
          expect(runs.map((r) => r.status)).toEqual(['INTERRUPTED']);
          const states = await sql<{ state: string; n: number; unsettled: number }>`
            select sync_state as state, count(*)::int as n, count(*) filter (where sync_attempted_at > updated_at)::int as unsettled
            from (select sync_state, sync_attempted_at, updated_at from order_list union all select sync_state, sync_attempted_at, updated_at from order_list_lines) as t
            group by sync_state`.execute(db);
          // Nothing attempted without its outcome written back; and it was mid-run: work is left.
          expect(states.rows.reduce((sum, r) => sum + Number(r.unsettled), 0)).toBe(0);
          expect(Number(states.rows.find((r) => r.state === 'PENDING')?.n ?? 0)).toBeGreaterThan(0);
          expect(Number(states.rows.find((r) => r.state === 'SYNCED')?.n ?? 0)).toBeGreaterThan(0);
          // What monday holds is exactly what the database says it holds.
          expect(await mondayIdsInDatabase(db)).toEqual(createdOnEmulator(emulator));
        });

        emulator.setFaults({ latencyMs: 0 });
        const second = spawnServe([file], env);
        await second.waitFor((l) => /^run finished: /.test(l.msg));
        second.kill('SIGTERM');
        expect(await second.exit).toEqual({ code: 0, signal: null });

        await withDatabase(async ({ db }) => {
          const rows = await sql<{ state: string; error: string | null }>`select sync_state as state, sync_error_message as error from order_list
            union all select sync_state, sync_error_message from order_list_lines`.execute(db);
          expect(rows.rows.filter((r) => r.state === 'PENDING')).toEqual([]);
          expect(rows.rows.filter((r) => r.state === 'FAILED' && !r.error)).toEqual([]);
          const ids = await mondayIdsInDatabase(db);
          expect(ids.length).toBe(rows.rows.filter((r) => r.state === 'SYNCED').length);
          expect(ids).toEqual(createdOnEmulator(emulator));
          // Exactly once: no order or line key appears twice on the boards.
          const keys = emulator.snapshot().items.filter((i) => i.state === 'active').map((i) => JSON.stringify(i.column_values.text_mkr5ord0 ?? i.column_values.text_mkr6c3lk));
          expect(new Set(keys).size).toBe(keys.length);
        });
      } finally {
        await emulator.close();
      }
    }, 2 * CHILD_TIMEOUT_MS);

    // Once is enough: this is about the process, not the dialect.
    it.runIf(dialect === dialects.at(-1))('a run that misses the shutdown deadline is cut off (exit 0); a second signal exits at once (130); the next run recovers both', async () => {
      const customers = ['WHITE FOX', 'TITLE NINE'];
      await withDatabase((database) => seedDemo(database.db, { customers, ordersPerCustomer: 4 }));
      const emulator: EmulatorHandle = await startEmulator({ seed: 'demo', faults: { latencyMs: 4_000 } });
      const env = { MONDAY_API_URL: emulator.url, MONDAY_API_TOKEN: emulator.token };
      const file = await writePipelineFile(tmp.dir, `deadline-${dialect}.yaml`, {
        pipeline: 'deadline', cron: '* * * * * *', customers, ...(pg ? { databaseUrl: pg.url! } : { dataDir }),
      });
      try {
        // With 4 s per request, the moment one request completes the next one is in flight for 4 s.
        const inFlight = async (): Promise<void> => {
          const seen = emulator.requestLog.length;
          await eventually(() => emulator.requestLog.length > seen, 120_000, 'a completed request');
        };
        const cutOff = spawnServe([file, '--shutdown-timeout', '1'], env);
        await cutOff.waitFor((l) => l.msg === 'run started');
        await inFlight();
        cutOff.kill('SIGTERM');
        expect(await cutOff.exit).toEqual({ code: 0, signal: null });
        await cutOff.waitFor((l) => /^stopping: runs still going after 1 s; aborting their requests/.test(l.msg));
        expect(cutOff.lines.find((l) => l.msg === 'stopped')).toMatchObject({ timedOut: true, interrupted: ['deadline'] });

        const impatient = spawnServe([file], env);
        await impatient.waitFor((l) => l.msg === 'run started');
        await inFlight();
        impatient.kill('SIGTERM');
        await impatient.waitFor((l) => l.msg.startsWith('SIGTERM: stopping'));
        impatient.kill('SIGTERM');
        expect(await impatient.exit).toEqual({ code: 130, signal: null });
        const [cut, abandoned] = await withDatabase(async ({ db }) => readRuns(db, 'deadline'));
        // Cut off at the deadline, the runner still closed its run; killed by the second signal, nobody did.
        expect(cut).toMatchObject({ status: 'FAILED' });
        expect(abandoned).toMatchObject({ status: 'RUNNING' });

        emulator.setFaults({ latencyMs: 0 });
        const next = spawnServe([file], env);
        await next.waitFor((l) => /^run finished: /.test(l.msg));
        next.kill('SIGTERM');
        expect(await next.exit).toEqual({ code: 0, signal: null });
        await withDatabase(async ({ db }) => {
          const runs = await readRuns(db, 'deadline');
          expect(runs.find((r) => r.id === abandoned!.id)?.status).toBe('INTERRUPTED');
          const pending = await sql<{ n: number }>`select count(*)::int as n from order_list where sync_state = 'PENDING' and customer_name in ('WHITE FOX', 'TITLE NINE')`.execute(db);
          expect(Number(pending.rows[0]!.n)).toBe(0);
        });
        const keys = emulator.snapshot().items.filter((i) => i.state === 'active').map((i) => JSON.stringify(i.column_values.text_mkr5ord0 ?? i.column_values.text_mkr6c3lk));
        expect(keys.length).toBeGreaterThan(0);
        expect(new Set(keys).size).toBe(keys.length);
      } finally {
        await emulator.close();
      }
    }, 2 * CHILD_TIMEOUT_MS);
  });
});

/** Every monday id the database recorded (items and subitems), sorted. */
async function mondayIdsInDatabase(db: Database['db']): Promise<string[]> {
  const r = await sql<{ id: string }>`select monday_item_id as id from order_list where monday_item_id is not null
    union all select monday_subitem_id from order_list_lines where monday_subitem_id is not null`.execute(db);
  return r.rows.map((row) => String(row.id)).sort();
}

/** Every active item and subitem on the emulator's boards, sorted (the demo boards start empty). */
function createdOnEmulator(emulator: EmulatorHandle): string[] {
  return emulator.snapshot().items.filter((i) => i.state === 'active').map((i) => i.id).sort();
}
