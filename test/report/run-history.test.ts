import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Kysely } from 'kysely';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../plugins/report/executive-summary.ts';
import type { EngineTables, RunStatus } from '../../src/db/tables.ts';
import { silentLogger } from '../../src/pipeline/logger.ts';
import type { RunSummary } from '../../src/pipeline/run-summary.ts';
import { formatRunsTable } from '../../src/report/format-runs-table.ts';
import { rerenderRun } from '../../src/report/rerender-run.ts';
import { listRuns } from '../../src/report/run-history.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../support/test-database.ts';
import { mixedRun, singleCustomerSuccess } from './run-summary-fixtures.ts';
import { makeTempDir } from './report-test-support.ts';

const CONFIG_DIR = resolve(import.meta.dirname, '../../config');

/** Inserts a run row the way the runner leaves it. */
async function insertRun(
  db: Kysely<EngineTables>,
  run: { id: string; startedAt: string; finishedAt?: string | null; status?: RunStatus; summary?: RunSummary | null; pipeline?: string; dryRun?: boolean; error?: string | null },
): Promise<void> {
  await db
    .insertInto('ordersync_runs')
    .values({
      id: run.id,
      pipeline: run.pipeline ?? 'order-list',
      trigger: 'schedule',
      status: run.status ?? 'SUCCESS',
      dry_run: run.dryRun ?? false,
      started_at: run.startedAt,
      finished_at: run.finishedAt ?? null,
      heartbeat_at: run.startedAt,
      owner: 'test',
      error: run.error ?? null,
      summary: run.summary ?? null,
      report_path: run.summary ? `reports/sync/${run.id}` : null,
    })
    .execute();
}

describe.each(dialects)('run history on %s', (dialect) => {
  let testDb: TestDatabase;
  let db: Kysely<EngineTables>;
  let temp: { dir: string; remove: () => Promise<void> };

  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
    db = testDb.database.db;
    temp = await makeTempDir();
    const mixed = mixedRun();
    await insertRun(db, { id: '202611281500-SYNC-00000001', startedAt: '2026-11-28T20:00:00Z', finishedAt: '2026-11-28T20:00:06.720Z', summary: singleCustomerSuccess() });
    await insertRun(db, { id: mixed.runId, startedAt: mixed.startedAt, finishedAt: mixed.finishedAt, status: 'FAILED', summary: mixed });
    await insertRun(db, { id: '202611282045-SYNC-00000003', startedAt: '2026-11-28T20:45:00Z', status: 'RUNNING' });
    await insertRun(db, { id: '202611282040-SYNC-00000004', startedAt: '2026-11-28T20:40:00Z', pipeline: 'other', status: 'FAILED', finishedAt: '2026-11-28T20:40:01Z', error: 'monday: 401 not authenticated' });
    await insertRun(db, { id: '202611282035-SYNC-00000005', startedAt: '2026-11-28T20:35:00Z', finishedAt: '2026-11-28T20:35:02Z', dryRun: true, summary: { ...mixed, runId: '202611282035-SYNC-00000005', dryRun: true } });
  }, 120_000);

  afterAll(async () => {
    await temp?.remove();
    await testDb?.dispose();
  });

  it('lists runs newest first with duration and the totals from their summaries', async () => {
    const rows = await listRuns(db, { limit: 10 });
    expect(rows.map((r) => r.id)).toEqual([
      '202611282045-SYNC-00000003',
      '202611282040-SYNC-00000004',
      '202611282035-SYNC-00000005',
      '202611282030-SYNC-1A2B3C4D',
      '202611281500-SYNC-00000001',
    ]);
    const [running, failed, , mixed, single] = rows;
    expect(running).toMatchObject({ status: 'RUNNING', finished_at: null, duration_ms: null, totals: null, report_path: null });
    expect(failed).toMatchObject({ pipeline: 'other', error: 'monday: 401 not authenticated', duration_ms: 1000 });
    expect(mixed).toMatchObject({ status: 'FAILED', trigger: 'schedule', duration_ms: 19_500, totals: mixedRun().totals });
    expect(single?.started_at).toEqual(new Date('2026-11-28T20:00:00Z'));
    expect(single?.totals).toMatchObject({ processed: 1, synced: 1, failed: 0 });
  });

  it('honours the limit and the pipeline filter', async () => {
    expect((await listRuns(db, { limit: 2 })).map((r) => r.id)).toEqual(['202611282045-SYNC-00000003', '202611282040-SYNC-00000004']);
    expect((await listRuns(db, { limit: 10, pipeline: 'other' })).map((r) => r.id)).toEqual(['202611282040-SYNC-00000004']);
  });

  it('prints the history as an aligned table in the pipeline time zone', async () => {
    const table = formatRunsTable(await listRuns(db, { limit: 10 }), 'America/New_York').split('\n');
    expect(table[0]).toMatch(/^SYNC ID\s+PIPELINE\s+TRIGGER\s+STATUS\s+STARTED\s+DURATION\s+PROCESSED\s+SYNCED\s+FAILED\s+PENDING\s+NOTE$/);
    expect(table.find((l) => l.startsWith('202611282030-SYNC-1A2B3C4D'))).toMatch(
      /FAILED\s+2026-11-28 15:30:12 EST\s+19\.50s\s+17\s+12\s+4\s+1\s+reports\/sync\/202611282030-SYNC-1A2B3C4D$/,
    );
    expect(table.find((l) => l.startsWith('202611282040'))).toMatch(/monday: 401 not authenticated$/);
    expect(table.find((l) => l.startsWith('202611282035'))).toMatch(/dry run$/);
  });

  it('re-renders a run from its stored summary with the templates configured now', async () => {
    const out = join(temp.dir, 'rerendered');
    await writeFile(join(temp.dir, 'now.md.hbs'), 'NOW {{runId}} {{statusBadge status}} {{number totals.processed}}\n');
    const result = await rerenderRun({
      db,
      runId: '202611282030-SYNC-1A2B3C4D',
      pipeline: 'order-list',
      stage: { plugin, options: v.parse(plugin.options, { summary: join(temp.dir, 'now.md.hbs'), outDir: 'ignored' }) },
      configDir: CONFIG_DIR,
      outDir: out,
      logger: silentLogger,
    });
    expect(result).toEqual({ ok: true, path: join(out, '202611282030-SYNC-1A2B3C4D') });
    const folder = join(out, '202611282030-SYNC-1A2B3C4D');
    expect(await readFile(join(folder, '_SYNC_SUMMARY.md'), 'utf8')).toBe('NOW 202611282030-SYNC-1A2B3C4D ❌ FAILED 17\n');
    expect(JSON.parse(await readFile(join(folder, 'run.json'), 'utf8'))).toEqual(mixedRun());
    expect(await readFile(join(folder, 'customer_reports', 'WHITE_FOX.md'), 'utf8')).toContain('## ❌ FAILED');
  });

  it('refuses unknown ids, unfinished runs, dry runs and runs of another pipeline', async () => {
    const attempt = (runId: string, pipeline = 'order-list') =>
      rerenderRun({ db, runId, pipeline, stage: { plugin, options: v.parse(plugin.options, {}) }, configDir: CONFIG_DIR, outDir: temp.dir, logger: silentLogger });
    expect(await attempt('202601010000-SYNC-DEADBEEF')).toEqual({ ok: false, reason: 'unknown', message: 'report: no run with id 202601010000-SYNC-DEADBEEF' });
    expect(await attempt('202611282045-SYNC-00000003')).toMatchObject({ ok: false, reason: 'not-renderable', message: expect.stringContaining('has no summary (status RUNNING)') });
    expect(await attempt('202611282035-SYNC-00000005')).toMatchObject({ ok: false, message: expect.stringContaining('dry run') });
    expect(await attempt('202611282030-SYNC-1A2B3C4D', 'other')).toMatchObject({ ok: false, message: expect.stringContaining('belongs to pipeline order-list') });
  });
});
