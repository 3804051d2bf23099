/**
 * In-process chaos runs (faster than child processes where a kill is not the point): one test
 * database per file, a fresh emulator and pipeline file per scenario, and the same checks.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { resetDemo } from '../../../src/db/seed-demo.ts';
import { loadPipelineConfig, type PipelineConfig } from '../../../src/config/load-config.ts';
import { registry } from '../../../src/cli/wiring.ts';
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../../src/emulator/index.ts';
import { createMondayClient, type MondayClientOptions } from '../../../src/monday/create-monday-client.ts';
import type { MondayClient } from '../../../src/monday/types.ts';
import { createLogger } from '../../../src/pipeline/logger.ts';
import { runPipeline, type RunOptions, type RunResult } from '../../../src/pipeline/run-pipeline.ts';
import type { TestDatabase } from '../../support/test-database.ts';
import { checkPromises, type OrderTables, type PromiseCheck } from './check-promises.ts';
import { checkReports } from './check-reports.ts';
import { writeChaosConfig, type ChaosConfigOptions } from './chaos-config.ts';

/** One in-process scenario on a shared test database. */
export interface InProcessScenario {
  emulator: EmulatorHandle;
  monday: MondayClient;
  config: PipelineConfig;
  reportsDir: string;
  /** Everything the logger wrote (JSON lines), for the secret audit. */
  log: string[];
  run(options?: Partial<RunOptions>): Promise<RunResult>;
  /** Promises 1–3; `final` adds the reasons and the reports. */
  check(final: boolean): Promise<PromiseCheck>;
  close(): Promise<void>;
}

/** Starts a scenario: empties the order and engine tables, seeds, starts an emulator, writes the pipeline file (pipeline names must be unique per database). */
export async function startInProcess(
  t: TestDatabase,
  o: { token: string; pipeline: string; emulator?: EmulatorOptions; client?: Partial<MondayClientOptions>; config?: Partial<ChaosConfigOptions>; seed: () => Promise<void> },
): Promise<InProcessScenario> {
  await resetDemo(t.database.db);
  await o.seed();
  const headers = o.config?.headers ?? 'order_list';
  const lines = o.config?.lines ?? 'order_list_lines';
  const count = async (table: string): Promise<number> => Number((await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(t.database.db)).rows[0]!.n);
  const expected = { orders: await count(headers), lines: await count(lines) };
  const dir = await mkdtemp(join(tmpdir(), 'ordersync-chaos-'));
  const emulator = await startEmulator({ seed: 'demo', token: o.token, ...o.emulator });
  try {
    const { file, reportsDir } = await writeChaosConfig({ dir, dataDir: join(dir, 'unused'), pipeline: o.pipeline, ...o.config });
    const config = await loadPipelineConfig(file, { registry, env: { MONDAY_API_URL: emulator.url, MONDAY_API_TOKEN: o.token } });
    const log: string[] = [];
    const logger = createLogger({ format: 'json', level: 'debug', secrets: config.secrets, write: (line) => log.push(line) });
    const monday = createMondayClient({ url: emulator.url, token: o.token, apiVersion: config.monday.apiVersion, backoff: { baseMs: 20, maxMs: 300 }, attemptsPerRequest: 3, logger, ...o.client });
    const tables: OrderTables[] = [{ headers, lines, expected }];
    const boardFor = (customer: string): string => config.customers.find((c) => c.name === customer)?.board ?? config.monday.board;
    return {
      emulator, monday, config, reportsDir, log,
      run: (options = {}) => runPipeline({ config, database: t.database, monday, target: emulator.url, logger, ...options }),
      check: async (final) => {
        const result = await checkPromises(t.database.db, emulator.snapshot(), { tables, boardFor, final });
        if (final) result.disagreements.push(...(await checkReports(t.database.db, tables, config.pipeline)));
        return result;
      },
      close: async () => {
        await emulator.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
