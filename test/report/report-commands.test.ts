import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { stringify } from 'yaml';
import { builtinPlugins } from '../../plugins/index.ts';
import { command as report } from '../../src/cli/commands/report.ts';
import { command as runs } from '../../src/cli/commands/runs.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import { STAGE_KINDS } from '../../src/pipeline/index.ts';
import { createPostgresDatabase, dialects } from '../support/test-database.ts';
import { mixedRun } from './run-summary-fixtures.ts';
import { makeTempDir } from './report-test-support.ts';

const TEMPLATES = resolve(import.meta.dirname, '../../templates');

/** Runs a command and returns its exit code and what it printed. */
async function capture(run: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
  try {
    return { code: await run(), out: out.join(''), err: err.join('') };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

describe.each(dialects)('ordersync runs / ordersync report on %s', (dialect) => {
  let temp: { dir: string; remove: () => Promise<void> };
  let configFile: string;
  let dropDatabase = async (): Promise<void> => {};

  beforeAll(async () => {
    temp = await makeTempDir();
    let database: { url?: string; dataDir?: string } = { dataDir: join(temp.dir, 'pgdata') };
    if (dialect === 'postgres') {
      const pg = await createPostgresDatabase();
      database = { url: pg.url };
      dropDatabase = pg.drop;
    }
    // A pipeline built from every built-in plugin's documented example; the report stage points at a template of this test.
    await writeFile(join(temp.dir, 'summary.md.hbs'), 'FROM DB {{runId}} {{statusBadge status}}\n{{#each customers}}{{md customer}}={{counts.processed}}\n{{/each}}');
    const stages = Object.fromEntries(
      STAGE_KINDS.map((kind) => {
        const plugin = builtinPlugins.find((p) => p.kind === kind)!;
        const options = kind === 'report' ? { outDir: join(temp.dir, 'reports'), summary: 'summary.md.hbs', customer: join(TEMPLATES, 'customer-report.md.hbs') } : plugin.example;
        return [kind, { use: plugin.name, with: options }];
      }),
    );
    const config = { pipeline: 'order-list', schedule: { cron: '*/15 * * * *', timezone: 'America/New_York' }, database, monday: { board: 9200517329 }, customers: [{ name: 'GREYSON' }], stages };
    configFile = join(temp.dir, 'order-list.yaml');
    await writeFile(configFile, stringify(config));

    const opened = await openDatabase(database);
    try {
      await migrateToLatest(opened.db);
      const run = mixedRun();
      await opened.db
        .insertInto('ordersync_runs')
        .values({ id: run.runId, pipeline: 'order-list', trigger: 'manual', status: 'FAILED', dry_run: false, started_at: run.startedAt, finished_at: run.finishedAt, heartbeat_at: run.finishedAt, owner: 'test', summary: run, report_path: null, error: null })
        .execute();
    } finally {
      await opened.close();
    }
  }, 120_000);

  afterAll(async () => {
    await dropDatabase();
    await temp?.remove();
  });

  it('runs --json prints the stored runs', async () => {
    const { code, out } = await capture(() => runs.run({ values: { config: configFile, json: true }, positionals: [] }));
    expect(code).toBe(0);
    const rows = JSON.parse(out) as { id: string; status: string; totals: { processed: number } }[];
    expect(rows.map((r) => [r.id, r.status, r.totals.processed])).toEqual([['202611282030-SYNC-1A2B3C4D', 'FAILED', 17]]);
  }, 60_000);

  it('runs prints a table with times in the pipeline time zone', async () => {
    const { code, out } = await capture(() => runs.run({ values: { config: configFile }, positionals: [] }));
    expect(code).toBe(0);
    expect(out).toMatch(/^SYNC ID\s+PIPELINE/);
    expect(out).toContain('2026-11-28 15:30:12 EST');
  }, 60_000);

  it('report <id> re-renders the run from the database with the configured template', async () => {
    const { code, out } = await capture(() => report.run({ values: { config: configFile }, positionals: ['202611282030-SYNC-1A2B3C4D'] }));
    expect(code).toBe(0);
    const folder = join(temp.dir, 'reports', '202611282030-SYNC-1A2B3C4D');
    expect(out.trim()).toBe(folder);
    expect(await readFile(join(folder, '_SYNC_SUMMARY.md'), 'utf8')).toBe('FROM DB 202611282030-SYNC-1A2B3C4D ❌ FAILED\nGREYSON=4\nPELOTON=10\nWHITE FOX=3\n');

    const elsewhere = join(temp.dir, 'elsewhere');
    const moved = await capture(() => report.run({ values: { config: configFile, out: elsewhere }, positionals: ['202611282030-SYNC-1A2B3C4D'] }));
    expect(moved.code).toBe(0);
    expect(JSON.parse(await readFile(join(elsewhere, '202611282030-SYNC-1A2B3C4D', 'run.json'), 'utf8'))).toEqual(mixedRun());
  }, 60_000);

  it('report exits 2 for an unknown sync id', async () => {
    const { code, err } = await capture(() => report.run({ values: { config: configFile }, positionals: ['202601010000-SYNC-DEADBEEF'] }));
    expect(code).toBe(2);
    expect(err).toContain('no run with id 202601010000-SYNC-DEADBEEF');
  }, 60_000);
});
