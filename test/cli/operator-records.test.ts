/** `ordersync records` and `ordersync retry`: failed records stay visible, and a chosen order goes back for the next run. */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { loadConfig } from '../../src/cli/wiring.ts';
import { openMigratedDatabase } from '../../src/db/migrate.ts';
import type { Database } from '../../src/db/open-database.ts';
import { seedDemo } from '../../src/db/seed-demo.ts';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.ts';
import { createMondayClient } from '../../src/monday/create-monday-client.ts';
import { silentLogger } from '../../src/pipeline/logger.ts';
import { runPipeline } from '../../src/pipeline/run-pipeline.ts';
import { writePipelineCopy } from '../support/pipeline-copy.ts';
import { dialects } from '../support/test-database.ts';
import { captureOutput } from '../support/capture-output.ts';

const io = captureOutput();

const dir = await mkdtemp(join(tmpdir(), 'ordersync-records-'));

describe.each(dialects)('records and retry on %s', (dialect) => {
  let emulator: EmulatorHandle;
  let file: string;
  let drop = async (): Promise<void> => {};
  const open = async (): Promise<Database> => openMigratedDatabase((await loadConfig(file, {})).database);
  const sync = async (): Promise<void> => {
    const config = await loadConfig(file, { MONDAY_API_URL: emulator.url, MONDAY_API_TOKEN: emulator.token });
    const database = await openMigratedDatabase(config.database);
    try {
      const monday = createMondayClient({ url: emulator.url, token: emulator.token, apiVersion: '2026-07' });
      await runPipeline({ config, database, monday, target: emulator.url, logger: silentLogger });
    } finally {
      await database.close();
    }
  };

  beforeAll(async () => {
    emulator = await startEmulator({ seed: 'demo' });
    ({ file, drop } = await writePipelineCopy(dir, dialect, 'pg'));
    const db = await open();
    await seedDemo(db.db);
    await db.close();
    await sync();
  });
  afterAll(async () => {
    await emulator?.close();
    await drop();
  });

  it('lists the FAILED records with their reason, attempts, last run and a retry hint', async () => {
    expect(await main(['records', '--state', 'FAILED', '--config', file])).toBe(0);
    const lines = io.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^STATE +ENTITY +RECORD +ORDER +CUSTOMER +ATTEMPTS +LAST RUN +MONDAY ID +REASON$/);
    expect(io.out).toMatch(/FAILED +item +PEL-1103 +PEL-1103 +PELOTON +0 +\d{12}-SYNC-[0-9A-F]{8} +order_date: "2025-02-30" is not a real date/);
    expect(io.out).toMatch(/FAILED +subitem +PEL-1103-\S+ +PEL-1103 +PELOTON .*not sent: its order failed/);
    expect(io.out).toContain('25 FAILED records');
    expect(io.out).toMatch(/retry them with: ordersync retry \S+/);
  });

  it('filters by customer and order, limits, and prints JSON', async () => {
    expect(await main(['records', '--customer', 'GREYSON', '--state', 'synced', '--limit', '3', '--json', '--config', file])).toBe(0);
    const json = JSON.parse(io.out) as { total: number; records: { customer: string; state: string; mondayId: string | null }[] };
    expect(json.records).toHaveLength(3);
    expect(json.total).toBeGreaterThan(3);
    expect(json.records.every((r) => r.customer === 'GREYSON' && r.state === 'SYNCED' && r.mondayId)).toBe(true);
    io.out = '';
    expect(await main(['records', '--order', 'GRE-1002', '--config', file])).toBe(0);
    const rows = io.out.split('\n').filter((l) => /^(FAILED|PENDING|SYNCED) /.test(l));
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.every((l) => l.includes('GRE-1002'))).toBe(true);
  });

  it('refuses an unknown order key and changes nothing', async () => {
    expect(await main(['retry', 'PEL-1103', 'NO-SUCH-ORDER', '--config', file])).toBe(2);
    expect(io.err).toContain('no order "NO-SUCH-ORDER"');
    const db = await open();
    const state = await sql<{ s: string }>`select sync_state as s from order_list where order_number = 'PEL-1103'`.execute(db.db);
    await db.close();
    expect(state.rows[0]!.s).toBe('FAILED');
  });

  it('puts an order and its FAILED lines back to PENDING with retry_count 0, and the next run sends them again', async () => {
    expect(await main(['retry', 'PEL-1103', '--config', file])).toBe(0);
    expect(io.out).toMatch(/retry: 1 order and \d+ lines put back to PENDING/);
    let db = await open();
    const rows = await sql<{ s: string; n: number }>`select sync_state as s, max(retry_count)::int as n from (
      select sync_state, retry_count from order_list where order_number = 'PEL-1103'
      union all select sync_state, retry_count from order_list_lines where order_number = 'PEL-1103') r group by 1`.execute(db.db);
    await db.close();
    expect(rows.rows).toEqual([{ s: 'PENDING', n: 0 }]);
    await sync();
    // Unchanged since it failed, but asked for: it is tried again (and fails again with its own reason).
    db = await open();
    const after = await sql<{ s: string; m: string | null; r: string }>`select sync_state as s, sync_error_message as m, last_run_id as r from order_list where order_number = 'PEL-1103'`.execute(db.db);
    await db.close();
    expect(after.rows[0]!.s).toBe('FAILED');
    expect(after.rows[0]!.m).toContain('is not a real date');
    expect(after.rows[0]!.m).not.toContain('unchanged since it failed');
  });
});
