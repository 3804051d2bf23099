/**
 * A fenced pipeline lock: when the lock holder's backend is terminated mid-run (an admin, an idle
 * timeout, a pooler, a failover), the run notices before its next batch, stops sending, settles
 * what it sent and ends INTERRUPTED with the reason; a second run started at once is refused while
 * the first is alive, and the next run finishes the rest exactly once.
 */
import postgres from 'postgres';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PipelineLockedError } from '../../src/db/pipeline-lock.ts';
import { openDatabase, type Database } from '../../src/db/open-database.ts';
import { silentLogger } from '../../src/pipeline/logger.ts';
import { runPipeline } from '../../src/pipeline/run-pipeline.ts';
import { startHarness, type SyncHarness } from '../support/sync-harness.ts';
import { findDuplicates } from './support/check-promises.ts';
import { createFigures } from './support/figures.ts';

const onPostgres = Boolean(process.env.DATABASE_URL);
const figures = createFigures(import.meta.filename);

describe.runIf(onPostgres)('the pipeline lock when its backend is terminated mid-run (postgres)', () => {
  let h: SyncHarness;
  let second: Database;
  beforeAll(async () => {
    h = await startHarness('postgres', { seed: { customers: ['GREYSON'], ordersPerCustomer: 30, dirty: false }, emulator: { faults: { latencyMs: 120 } } });
    h.config.customers = [{ name: 'GREYSON' }];
    h.config.stages.load.options = { ...(h.config.stages.load.options as object), batchSize: 4 };
    second = await openDatabase({ url: h.t.url! });
  }, 60_000);
  afterAll(async () => {
    figures.flush();
    await second?.close();
    await h?.close();
  });

  it('stops the first run INTERRUPTED with the reason, refuses a second while the first is alive, and the next run finishes exactly once', async () => {
    const first = h.run();
    const items = (): number => h.emulator.snapshot().items.filter((i) => i.state === 'active' && !i.parent_item_id).length;
    for (let i = 0; i < 300 && items() < 6; i++) await new Promise((r) => setTimeout(r, 50));
    expect(items()).toBeGreaterThanOrEqual(6);
    const admin = postgres(h.t.url!, { max: 1, onnotice: () => {} });
    const killed = await admin`select pg_terminate_backend(pid) as ok from pg_locks
      where locktype = 'advisory' and granted and database = (select oid from pg_database where datname = current_database())`;
    await admin.end();
    expect(killed.length).toBe(1);

    // At once: the lock is free. While the first run is alive it is never declared abandoned: the
    // second is refused, or (if the first already noticed and closed its row) runs the rest itself.
    const firstDone = first.then((r) => r, (e: unknown) => e);
    const secondRun = await runPipeline({ config: h.config, database: second, monday: h.monday, target: h.emulator.url, logger: silentLogger }).catch((e: unknown) => e);
    if (secondRun instanceof PipelineLockedError) expect(secondRun.message).toMatch(/still alive .* though it lost its lock/);
    else expect(secondRun).toMatchObject({ runStatus: 'SUCCESS' });

    const result = (await firstDone) as Awaited<typeof first>;
    expect(result.runStatus).toBe('INTERRUPTED');
    expect(result.summary.status).toBe('INTERRUPTED');
    expect(result.summary.fatal).toMatch(/pipeline lock was lost/);
    // The customer it stopped in is counted with what it did, as the database has it — not "not reached".
    const sentBefore = Number((await sql<{ n: number }>`select count(*)::int as n from order_list where sync_state = 'SYNCED' and last_run_id = ${result.summary.runId}`.execute(h.t.database.db)).rows[0]!.n);
    expect(result.summary.notReached).not.toContain('GREYSON');
    const greyson = result.summary.customers.find((c) => c.customer === 'GREYSON');
    expect(greyson?.counts.synced).toBeGreaterThanOrEqual(sentBefore);
    expect(sentBefore).toBeGreaterThan(0);
    const row = await sql<{ status: string }>`select status from ordersync_runs where id = ${result.summary.runId}`.execute(h.t.database.db);
    expect(row.rows[0]!.status).toBe('INTERRUPTED');

    const rest = await runPipeline({ config: h.config, database: second, monday: h.monday, target: h.emulator.url, logger: silentLogger });
    expect(rest.runStatus).toBe('SUCCESS');
    const synced = Number((await sql<{ n: number }>`select count(*)::int as n from order_list where sync_state = 'SYNCED'`.execute(h.t.database.db)).rows[0]!.n);
    expect(synced).toBe(30);
    expect(findDuplicates(h.emulator.snapshot())).toEqual([]);
    expect(items()).toBe(30);
    figures.add({ lockLosses: 1, runs: 3, recordsChecked: 30, duplicatesFound: findDuplicates(h.emulator.snapshot()).length });
  }, 120_000);
});
