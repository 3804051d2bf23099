import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadPipelineConfig } from '../../src/config/load-config.ts';
import { registry } from '../../src/cli/wiring.ts';
import { startEmulator } from '../../src/emulator/index.ts';
import { retainApiLog } from '../../src/schedule/retain-api-log.ts';
import { startScheduler } from '../../src/schedule/scheduler.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../support/test-database.ts';
import { connectTo, eventually, makeTempDir, writePipelineFile, type LogLine } from './serve-support.ts';

const DAY = 86_400_000;

describe.each(dialects)('api-log retention on %s', (dialect) => {
  let t: TestDatabase;
  const db = (): TestDatabase['database']['db'] => t.database.db;
  const count = async (table: string, pipeline?: string): Promise<number> => {
    const r = pipeline
      ? await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where run_id in (select id from ordersync_runs where pipeline = ${pipeline})`.execute(db())
      : await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db());
    return Number(r.rows[0]!.n);
  };
  /** A run of `pipeline` with `rows` api-log rows created `ageDays` ago. */
  const addLog = async (pipeline: string, runId: string, rows: number, ageDays: number): Promise<void> => {
    const at = new Date(Date.now() - ageDays * DAY);
    await db().insertInto('ordersync_runs').values({ id: runId, pipeline, trigger: 'schedule', status: 'SUCCESS', dry_run: false, started_at: at, finished_at: at, heartbeat_at: at, owner: 'test:1' })
      .onConflict((oc) => oc.column('id').doNothing()).execute();
    await db().insertInto('ordersync_api_log').values(Array.from({ length: rows }, (_, i) => ({
      run_id: runId, attempt_id: `${runId}-1`, entity: 'item', record_key: `K-${i}`, customer: 'GREYSON', operation: 'create_item',
      outcome: 'SYNCED', error: null, request: { document: 'mutation', n: i }, response: { data: { id: String(i) } }, created_at: at,
    }))).execute();
  };

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
  });
  afterAll(async () => t?.dispose());
  beforeEach(async () => {
    await sql`truncate ordersync_api_log, ordersync_api_log_archive, ordersync_runs`.execute(db());
  });

  it('moves rows older than the retention to the archive in batches, one transaction each, leaving newer rows and other pipelines alone', async () => {
    await addLog('orders', 'old-run', 25, 40);
    await addLog('orders', 'new-run', 5, 2);
    await addLog('others', 'other-run', 7, 40);
    const before = await sql<Record<string, unknown>>`select * from ordersync_api_log where run_id = 'old-run' order by id`.execute(db());

    const result = await retainApiLog(db(), { pipeline: 'orders', olderThanDays: 30, mode: 'archive', batchSize: 10 });

    expect(result).toMatchObject({ rows: 25, batches: 3 });
    expect(await count('ordersync_api_log', 'orders')).toBe(5);
    expect(await count('ordersync_api_log', 'others')).toBe(7);
    const archived = await sql<Record<string, unknown>>`select * from ordersync_api_log_archive order by id`.execute(db());
    expect(archived.rows.map(({ archived_at: _, ...row }) => row)).toEqual(before.rows);
    // Each batch committed on its own: the archived rows were written by three transactions.
    const writers = await sql<{ n: number }>`select count(distinct xmin::text)::int as n from ordersync_api_log_archive`.execute(db());
    expect(Number(writers.rows[0]!.n)).toBe(3);
    expect(await retainApiLog(db(), { pipeline: 'orders', olderThanDays: 30, mode: 'archive', batchSize: 10 })).toMatchObject({ rows: 0, batches: 0 });
  });

  it('deletes instead of archiving with mode delete', async () => {
    await addLog('orders', 'old-run', 12, 10);
    await addLog('orders', 'new-run', 3, 1);
    const result = await retainApiLog(db(), { pipeline: 'orders', olderThanDays: 7, mode: 'delete', batchSize: 5 });
    expect(result).toMatchObject({ rows: 12, batches: 3 });
    expect(await count('ordersync_api_log')).toBe(3);
    expect(await count('ordersync_api_log_archive')).toBe(0);
  });

  it('runs as its own croner job of serve, on the retention cron', async () => {
    await addLog('housekeeping', 'old-run', 4, 31);
    await addLog('housekeeping', 'new-run', 2, 29);
    const tmp = await makeTempDir();
    const emulator = await startEmulator({ seed: 'empty' });
    const lines: LogLine[] = [];
    try {
      const file = await writePipelineFile(tmp.dir, 'housekeeping.yaml', { pipeline: 'housekeeping', cron: null, retention: { cron: '* * * * * *' } });
      const config = await loadPipelineConfig(file, { registry, env: { MONDAY_API_URL: emulator.url, MONDAY_API_TOKEN: emulator.token } });
      expect(config.retention).toEqual({ apiLogDays: 30, reportDays: 90, mode: 'archive', cron: '* * * * * *' });
      const scheduler = await startScheduler({ configs: [config], connect: connectTo(t.database), log: { format: 'json', write: (l) => lines.push(JSON.parse(l) as LogLine) } });
      try {
        await eventually(async () => (await count('ordersync_api_log_archive')) === 4, 10_000, 'the retention job');
      } finally {
        await scheduler.stop(5_000);
      }
      expect(await count('ordersync_api_log')).toBe(2);
      expect(lines.find((l) => /^retention: archived 4 api-log row\(s\) older than 30 days in 1 batch\(es\)$/.test(l.msg))).toBeTruthy();
      // The same job asks the report stage to prune run reports older than retention.reportDays.
      expect(lines.find((l) => /^retention: removed \d+ report folder\(s\) of runs older than 90 days$/.test(l.msg))).toBeTruthy();
      expect(lines.find((l) => /housekeeping: not scheduled/.test(l.msg))).toBeTruthy();
      expect(emulator.requestLog).toEqual([]); // housekeeping never touches monday
    } finally {
      await emulator.close();
      await tmp.remove();
    }
  });
});
