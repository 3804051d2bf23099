/**
 * `npm run bench`: sync throughput at monday's complexity budget, side by side with a
 * one-call-per-record baseline, plus a no-op rerun and a million-row dry run. Prints a table and
 * writes bench/results.json and bench/RESULTS.md.
 */
import { cpus, platform, release, totalmem } from 'node:os';
import { sql } from 'kysely';
import { measureBaseline } from './baseline.ts';
import { measureDryRun, type DryRunMeasurement } from './dry-run.ts';
import { addCustomerLabels, spawnEmulator } from './emulator.ts';
import type { BudgetSpec, SyncMeasurement } from './measure.ts';
import { parseBenchOptions } from './options.ts';
import { measureOrdersync } from './ordersync.ts';
import { measureWaveTwo, PERSON_TOKEN, type WaveTwoMeasurement } from './wave-two.ts';
import { budgetWithCeiling, checkTargets, formatTable, formatTargets, ratiosOf, writeResults, type BenchResults } from './report.ts';
import { BENCH_SEASONS, benchCustomers, dropDatabase, generateScenario, openBenchDatabase, type ScenarioSpec } from './scenario.ts';

const DEMO_BOARDS = ['9200517329', '9609317401'];
const log = (line: string): void => { process.stderr.write(`${line}\n`); };

const options = parseBenchOptions(process.argv.slice(2), process.env);
const startedAt = new Date();
const t0 = performance.now();
const budget: BudgetSpec = { points: options.budgetPoints, windowMs: options.windowMs, mutationCost: options.mutationCost };
const emulatorOptions = {
  seed: 'demo' as const,
  budget: { points: budget.points, windowMs: budget.windowMs, mutationCost: budget.mutationCost },
  faults: { latencyMs: options.latencyMs },
  requestLogLimit: 1_000_000,
  userToken: PERSON_TOKEN,
};
const customers = benchCustomers(options.customers);
const spec: ScenarioSpec = { orders: options.orders, minLines: options.minLines, maxLines: options.maxLines, customers, seasons: BENCH_SEASONS };

/** One side of the comparison on a fresh database and a fresh emulator. */
async function onFreshScenario<T>(label: string, measure: (ctx: Awaited<ReturnType<typeof prepare>>) => Promise<T>): Promise<T> {
  log(`${label}: generating ${options.orders} orders in PostgreSQL, starting the emulator`);
  const ctx = await prepare();
  try {
    return await measure(ctx);
  } finally {
    await ctx.emulator.close();
    await ctx.database.close();
  }
}

async function prepare() {
  const { url, database } = await openBenchDatabase(options.adminUrl, options.database);
  const rows = await generateScenario(database, spec);
  const emulator = await spawnEmulator(emulatorOptions);
  await addCustomerLabels(emulator, customers, DEMO_BOARDS, budget.windowMs);
  return { url, database, rows, emulator };
}

let scenarioRows = { orders: 0, lines: 0, groups: 0 };
let postgresVersion = 'PostgreSQL';
/** The three measurements, one after another. */
async function measureAll(): Promise<{ sides: { run: SyncMeasurement | null; rerun: SyncMeasurement | null; waveTwo: WaveTwoMeasurement | null }; baseline: SyncMeasurement | null; dryRun: DryRunMeasurement | null }> {
  const sides = options.skipSync ? { run: null, rerun: null, waveTwo: null } : await onFreshScenario('ordersync', async ({ url, database, rows, emulator }) => {
    scenarioRows = rows;
    const version = await sql<{ v: string }>`select version() as v`.execute(database.db);
    postgresVersion = version.rows[0]?.v.split(',')[0] ?? postgresVersion;
    const before = (await emulator.requests()).length;
    const records = rows.orders + rows.lines;
    const measured = await measureOrdersync({ database, databaseUrl: url, emulator, customers, records, budget, log });
    if (options.skipWaveTwo) return { ...measured, waveTwo: null };
    // The first sync's requests are the first ones after `before` (nothing else talks to this emulator).
    const firstSyncEntries = (await emulator.requests()).slice(before, before + measured.run.api.requests);
    const sliced = firstSyncEntries.reduce((n, e) => n + e.complexity, 0);
    if (sliced !== measured.run.api.complexity) log(`wave-2 reads: the first sync's requests do not add up (${sliced} ≠ ${measured.run.api.complexity} complexity)`);
    log('wave-2 reads: an update run and a no-op rerun with write-back on the same scenario');
    const waveTwo = await measureWaveTwo({ database, databaseUrl: url, emulator, customers, firstSyncEntries, firstSyncWallMs: measured.run.wallMs, records, log });
    return { ...measured, waveTwo };
  });
  const baseline = options.skipBaseline || options.skipSync
    ? null
    : await onFreshScenario('baseline', ({ url, database, rows, emulator }) =>
      measureBaseline({ database, databaseUrl: url, emulator, customers, records: rows.orders + rows.lines, budget, log }));
  if (options.skipDryRun) return { sides, baseline, dryRun: null };
  const orders = options.dryRunOrders;
  log(`dry run: generating ${orders.toLocaleString('en-US')} orders × ${options.dryRunLines} lines for the flagship customers`);
  const { url, database } = await openBenchDatabase(options.adminUrl, options.database);
  try {
    const g0 = performance.now();
    await generateScenario(database, { orders, minLines: options.dryRunLines, maxLines: options.dryRunLines, customers: benchCustomers(5), seasons: BENCH_SEASONS });
    // The generated rows written out now, not by a checkpoint that would run during the measurement.
    await sql`checkpoint`.execute(database.db);
    log(`dry run: generated in ${((performance.now() - g0) / 1000).toFixed(1)} s; running the CLI dry run`);
  } finally {
    await database.close();
  }
  const emulator = await spawnEmulator(emulatorOptions);
  try {
    const dryRun = await measureDryRun({ databaseUrl: url, mondayUrl: emulator.url, mondayToken: emulator.token, orders, lines: options.dryRunLines });
    log(`dry run: ${(dryRun.wallMs / 1000).toFixed(1)} s, ${dryRun.rowsPerSecond} rows/s, peak RSS ${dryRun.peakRssMb} MB`);
    return { sides, baseline, dryRun };
  } finally {
    await emulator.close();
  }
}

let measured: Awaited<ReturnType<typeof measureAll>>;
try {
  measured = await measureAll();
} finally {
  await dropDatabase(options.adminUrl, options.database);
}
const { sides, baseline, dryRun } = measured;

const partial: Omit<BenchResults, 'targets'> = {
  command: options.command,
  startedAt: startedAt.toISOString(),
  totalSeconds: (performance.now() - t0) / 1000,
  machine: {
    nproc: cpus().length, cpu: cpus()[0]?.model.trim() ?? 'unknown', memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version, postgres: postgresVersion, platform: `${platform()} ${release()}`,
  },
  scenario: {
    orders: scenarioRows.orders, lines: scenarioRows.lines, records: scenarioRows.orders + scenarioRows.lines, customers,
    groups: scenarioRows.groups, latencyMs: options.latencyMs, minLines: options.minLines, maxLines: options.maxLines,
  },
  budget: budgetWithCeiling(budget),
  ordersync: sides.run,
  rerun: sides.rerun,
  baseline,
  ratios: ratiosOf(sides.run, baseline),
  dryRun,
  waveTwo: sides.waveTwo,
};
const results: BenchResults = { ...partial, targets: checkTargets(partial) };
await writeResults(options.outDir, results);
process.stdout.write(`\n${formatTable(results)}\n\n${formatTargets(results.targets)}\n\nwritten: ${options.outDir}/results.json, ${options.outDir}/RESULTS.md (${results.totalSeconds.toFixed(0)} s)\n`);
