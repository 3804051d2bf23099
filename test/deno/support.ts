/** Shared wiring for the Deno smoke suite: a seeded database, the emulator, a client and the flagship config. */
import { fileURLToPath } from 'node:url';
import { loadPipelineConfig, type PipelineConfig } from '../../src/config/load-config.ts';
import { registry } from '../../src/cli/wiring.ts';
import { seedDemo } from '../../src/db/seed-demo.ts';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.ts';
import { createMondayClient } from '../../src/monday/create-monday-client.ts';
import type { MondayClient } from '../../src/monday/types.ts';
import { silentLogger } from '../../src/pipeline/logger.ts';
import { runPipeline, type RunOptions, type RunResult } from '../../src/pipeline/run-pipeline.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

/** The flagship pipeline file, found from this file rather than from the working directory. */
export const FLAGSHIP_CONFIG = fileURLToPath(new URL('../../config/order-list.yaml', import.meta.url));

/** The dialects this run covers: PGlite always, PostgreSQL when DATABASE_URL is set. */
export const dialects: ('pglite' | 'postgres')[] = Deno.env.get('DATABASE_URL') ? ['pglite', 'postgres'] : ['pglite'];

/** A demo sync setup on one dialect. */
export interface SmokeSetup {
  t: TestDatabase;
  emulator: EmulatorHandle;
  monday: MondayClient;
  config: PipelineConfig;
  reportsDir: string;
  run(options?: Partial<RunOptions>): Promise<RunResult>;
  close(): Promise<void>;
}

/** Opens a fresh migrated database seeded with the demo orders, starts the emulator, loads the flagship config. */
export async function startSmokeSetup(dialect: 'pglite' | 'postgres'): Promise<SmokeSetup> {
  const t = await createTestDatabase(dialect);
  const emulator = await startEmulator({ seed: 'demo' });
  const reportsDir = await Deno.makeTempDir({ prefix: 'ordersync-deno-reports-' });
  const close = async (): Promise<void> => {
    await emulator.close();
    await t.dispose();
    await Deno.remove(reportsDir, { recursive: true });
  };
  try {
    await seedDemo(t.database.db);
    const config = await loadPipelineConfig(FLAGSHIP_CONFIG, { registry, env: { MONDAY_API_URL: emulator.url, MONDAY_API_TOKEN: emulator.token } });
    config.stages.report.options = { ...(config.stages.report.options as object), outDir: reportsDir };
    const monday = createMondayClient({ url: emulator.url, token: emulator.token, apiVersion: config.monday.apiVersion });
    const run = (options: Partial<RunOptions> = {}): Promise<RunResult> =>
      runPipeline({ config, database: t.database, monday, target: emulator.url, logger: silentLogger, ...options });
    return { t, emulator, monday, config, reportsDir, run, close };
  } catch (error) {
    await close();
    throw error;
  }
}
