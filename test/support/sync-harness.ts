/** A real sync setup for tests: a fresh database, the emulator over HTTP, the monday client, the flagship config. */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { loadPipelineConfig, type PipelineConfig } from '../../src/config/load-config.ts';
import { registry } from '../../src/cli/wiring.ts';
import { seedDemo, type DemoSeedOptions } from '../../src/db/seed-demo.ts';
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../src/emulator/index.ts';
import { createMondayClient, type MondayClientOptions } from '../../src/monday/create-monday-client.ts';
import type { MondayClient } from '../../src/monday/types.ts';
import { silentLogger } from '../../src/pipeline/logger.ts';
import { runPipeline, type RunOptions, type RunResult } from '../../src/pipeline/run-pipeline.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

/** Everything a sync test needs, wired together. */
export interface SyncHarness {
  t: TestDatabase;
  emulator: EmulatorHandle;
  monday: MondayClient;
  config: PipelineConfig;
  reportsDir: string;
  run(options?: Partial<RunOptions>): Promise<RunResult>;
  close(): Promise<void>;
}

/** Loads the flagship config pointed at an emulator, with the report stage writing to a temp dir. */
export async function flagshipConfig(emulator: EmulatorHandle, reportsDir: string, file = 'config/order-list.yaml'): Promise<PipelineConfig> {
  const config = await loadPipelineConfig(file, { registry, env: { MONDAY_API_URL: emulator.url, MONDAY_API_TOKEN: emulator.token } });
  config.stages.report.options = { ...(config.stages.report.options as object), outDir: reportsDir };
  return config;
}

/** Starts a harness: fresh migrated database (seeded with the demo unless `seed: false`), emulator and client. */
export async function startHarness(
  dialect: 'pglite' | 'postgres',
  options: { seed?: DemoSeedOptions | false; emulator?: EmulatorOptions; client?: Partial<MondayClientOptions> } = {},
): Promise<SyncHarness> {
  const t = await createTestDatabase(dialect);
  const emulator = await startEmulator({ seed: 'demo', ...options.emulator });
  const monday = createMondayClient({ url: emulator.url, token: emulator.token, apiVersion: '2026-07', backoff: { baseMs: 20, maxMs: 200 }, ...options.client });
  const reportsDir = await mkdtemp(join(tmpdir(), 'ordersync-reports-'));
  const config = await flagshipConfig(emulator, reportsDir);
  if (options.seed !== false) await seedDemo(t.database.db, options.seed || {});
  return {
    t, emulator, monday, config, reportsDir,
    run: (o = {}) => runPipeline({ config, database: t.database, monday, target: emulator.url, logger: silentLogger, ...o }),
    close: async () => {
      await emulator.close();
      await t.dispose();
    },
  };
}

/** Rows of a table as plain JSON, ordered by its key (for before/after comparisons). */
export async function dumpTable(h: SyncHarness, table: string, key: string): Promise<unknown[]> {
  const r = await sql<Record<string, unknown>>`select * from ${sql.table(table)} order by ${sql.ref(key)}`.execute(h.t.database.db);
  return JSON.parse(JSON.stringify(r.rows));
}

/** Active items of the emulator (not subitems), by id. */
export function activeItems(h: SyncHarness): ReturnType<EmulatorHandle['snapshot']>['items'] {
  return h.emulator.snapshot().items.filter((i) => i.state === 'active');
}
