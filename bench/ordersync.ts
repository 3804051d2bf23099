/** Measures ordersync itself: the flagship pipeline against the emulator over HTTP, then a no-op rerun. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadPipelineConfig, type PipelineConfig } from '../src/config/load-config.ts';
import { registry } from '../src/cli/wiring.ts';
import type { Database } from '../src/db/open-database.ts';
import { createMondayClient } from '../src/monday/create-monday-client.ts';
import { silentLogger } from '../src/pipeline/logger.ts';
import { runPipeline, type RunResult } from '../src/pipeline/run-pipeline.ts';
import { apiFigures, countBoardItems, windowFigures, type BenchEmulator } from './emulator.ts';
import { loadNow, measurement, type BudgetSpec, type SyncMeasurement } from './measure.ts';
import { countStates, markAllPending } from './scenario.ts';

/** The flagship pipeline file every measurement uses. */
export const FLAGSHIP_CONFIG = resolve(import.meta.dirname, '..', 'config/order-list.yaml');

/** The flagship config pointed at this database and emulator, for these customers (unknown ones go to the default board). */
export async function benchConfig(databaseUrl: string, emulator: BenchEmulator, customers: string[], reportsDir: string): Promise<PipelineConfig> {
  const config = await loadPipelineConfig(FLAGSHIP_CONFIG, { registry, env: { DATABASE_URL: databaseUrl, MONDAY_API_URL: emulator.url, MONDAY_API_TOKEN: emulator.token } });
  config.customers = customers.map((name) => config.customers.find((c) => c.name === name) ?? { name });
  config.stages.report.options = { ...(config.stages.report.options as object), outDir: reportsDir };
  return config;
}

/** Runs ordersync with default settings, then re-marks everything PENDING unchanged and runs it again. */
export async function measureOrdersync(input: {
  database: Database;
  databaseUrl: string;
  emulator: BenchEmulator;
  customers: string[];
  records: number;
  budget: BudgetSpec;
  log: (line: string) => void;
}): Promise<{ run: SyncMeasurement; rerun: SyncMeasurement }> {
  const { database, emulator, budget, log } = input;
  const reportsDir = await mkdtemp(join(tmpdir(), 'ordersync-bench-reports-'));
  try {
    const config = await benchConfig(input.databaseUrl, emulator, input.customers, reportsDir);
    const monday = createMondayClient({ url: emulator.url, token: emulator.token, apiVersion: config.monday.apiVersion });
    const once = async (label: string, records: number): Promise<SyncMeasurement> => {
      const load = loadNow();
      const from = Date.now();
      const result: RunResult = await runPipeline({
        config, database, monday, target: emulator.url, logger: silentLogger,
        onProgress: (p) => { if (p.done === p.total && p.total > 0) log(`  ${label}: ${p.customer} ${p.total} orders done (${((Date.now() - from) / 1000).toFixed(1)} s)`); },
      });
      const to = Date.now();
      const states = await countStates(database);
      const { performance, totals, status } = result.summary;
      const entries = await emulator.requests();
      return measurement({
        label, wallMs: to - from, records, loadAverage: { start: load, end: loadNow() },
        api: apiFigures(entries, from, to), windows: windowFigures(entries, from, to, budget.windowMs, budget.points),
        synced: states.SYNCED ?? 0, pending: states.PENDING ?? 0, failed: states.FAILED ?? 0,
        onBoard: countBoardItems(await emulator.state()),
        detail: { status, processed: totals.processed, created: totals.created, unchanged: totals.unchanged, client: performance },
      }, budget);
    };
    const run = await once('ordersync', input.records);
    log(`  ordersync: ${(run.wallMs / 1000).toFixed(1)} s, ${run.api.requests} requests, ${run.api.mutations} mutations, ${run.api.rateLimited} × 429`);
    await markAllPending(database);
    const rerun = await once('ordersync no-op rerun', input.records);
    log(`  no-op rerun: ${(rerun.wallMs / 1000).toFixed(1)} s, ${rerun.api.requests} requests, ${rerun.api.mutations} mutations`);
    return { run, rerun };
  } finally {
    await rm(reportsDir, { recursive: true, force: true });
  }
}
