/**
 * The large dry run: extract + transform + plan of a million pending rows, as the CLI runs it
 * (`ordersync run config/order-list.yaml --dry-run`) in a child process whose peak RSS
 * (VmHWM in /proc/<pid>/status) is sampled while it runs — compiled (dist/) when a current build
 * exists, else the sources under tsx — next to a plain postgres.js read of the same rows.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { loadPipelineConfig } from '../src/config/load-config.ts';
import { registry } from '../src/cli/wiring.ts';
import { loadNow, round } from './measure.ts';
import { FLAGSHIP_CONFIG } from './ordersync.ts';
import { measureRawSelect, type RawSelectMeasurement } from './raw-select.ts';

const ROOT = resolve(import.meta.dirname, '..');
const SAMPLE_MS = 20;

/** What the dry run measured. */
export interface DryRunMeasurement {
  /** What a row is, in words. */
  rowDefinition: string;
  orders: number;
  lines: number;
  rows: number;
  command: string;
  /** Child process wall time: node start to exit, including startup, config, lookups. */
  wallMs: number;
  rowsPerSecond: number;
  peakRssMb: number;
  /** Peak RSS of the same CLI validating the config (no database rows): the process's fixed footprint. */
  idlePeakRssMb: number;
  /** 1-minute load average when the run started and ended. */
  loadAverage: { start: number; end: number };
  exitCode: number | null;
  /** The plan the CLI printed (first lines). */
  plan: string;
  /** What the CLI ran under: the compiled build, or the TypeScript sources under tsx (and why). */
  runtime: string;
  /** The same rows read by postgres.js alone, just before and just after the dry run. */
  rawSelect: { before: RawSelectMeasurement; after: RawSelectMeasurement; rowsPerSecond: number };
  /** Dry-run rows/s ÷ the raw read's rows/s (the mean of before and after): 1 would be the database's own read speed. */
  ratioToRawSelect: number;
}

const COMPILED_CLI = join('dist', 'src', 'cli', 'ordersync.js');

/** Newest modification time of the .ts files under these directories. */
async function newestSource(dirs: string[]): Promise<number> {
  let newest = 0;
  for (const dir of dirs) {
    for (const entry of await readdir(join(ROOT, dir), { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith('.ts')) newest = Math.max(newest, (await stat(join(entry.parentPath, entry.name))).mtimeMs);
    }
  }
  return newest;
}

/** How to start the CLI: the compiled build when dist/ is at least as new as the sources, else tsx. */
export async function cliCommand(): Promise<{ args: string[]; runtime: string }> {
  const built = await stat(join(ROOT, COMPILED_CLI)).then((s) => s.mtimeMs, () => null);
  if (built !== null && built >= await newestSource(['src', 'plugins'])) return { args: [COMPILED_CLI], runtime: `compiled build (node ${COMPILED_CLI})` };
  const why = built === null ? 'no dist/ build' : 'dist/ is older than the sources';
  return { args: ['--import', 'tsx', 'src/cli/ordersync.ts'], runtime: `TypeScript sources under tsx (${why}; npm run prepare builds it)` };
}

/** Peak resident set size of a process so far, in kB (VmHWM), or null once it is gone. */
async function readPeakRssKb(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** A finished child process: wall time, peak RSS, exit code, output. */
interface ChildRun {
  wallMs: number;
  peakKb: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node <args>` in the repo root, sampling its peak RSS until it exits. */
async function runSampled(args: string[], env: Record<string, string>): Promise<ChildRun> {
  const from = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-4000); });
  const exited = once(child, 'exit') as Promise<[number | null]>;
  let peakKb = 0;
  let running = true;
  void exited.then(() => { running = false; });
  while (running) {
    const kb = await readPeakRssKb(child.pid!);
    if (kb !== null) peakKb = Math.max(peakKb, kb);
    await new Promise((r) => setTimeout(r, SAMPLE_MS));
  }
  const [code] = await exited;
  return { wallMs: performance.now() - from, peakKb, code, stdout, stderr };
}

/** Runs the CLI dry run against the bench database and emulator, between two plain reads of the same rows; measures time and peak RSS. */
export async function measureDryRun(input: { databaseUrl: string; mondayUrl: string; mondayToken: string; orders: number; lines: number }): Promise<DryRunMeasurement> {
  const config = relative(ROOT, FLAGSHIP_CONFIG);
  const env = { DATABASE_URL: input.databaseUrl, MONDAY_API_URL: input.mondayUrl, MONDAY_API_TOKEN: input.mondayToken };
  const pipeline = await loadPipelineConfig(FLAGSHIP_CONFIG, { registry, env });
  // The customers the CLI's dry run reads: those of the pipeline file.
  const customers = pipeline.customers.map((c) => c.name);
  const cli = await cliCommand();
  // The same CLI doing nothing with rows: what the process costs before the first row.
  const idle = await runSampled([...cli.args, 'validate', config], env);
  const args = [...cli.args, 'run', config, '--dry-run', '--log-format', 'json'];
  // A warm-up run of one order: the emulator was just spawned (its first answers are slow, monday's
  // are not) and PostgreSQL plans the page queries once; the measured run is a fresh process.
  const warmUp = await runSampled([...cli.args, 'run', config, '--dry-run', '--limit', '1', '--log-format', 'json'], env);
  if (warmUp.code !== 0) throw new Error(`bench: warm-up dry run exited with ${String(warmUp.code)}\n${warmUp.stderr}`);
  const before = await measureRawSelect(input.databaseUrl, pipeline, customers);
  const load = loadNow();
  const run = await runSampled(args, env);
  if (run.code !== 0) throw new Error(`bench: dry run exited with ${String(run.code)}\n${run.stderr}`);
  const loadEnd = loadNow();
  const after = await measureRawSelect(input.databaseUrl, pipeline, customers);
  const rows = input.orders + input.orders * input.lines;
  if (before.rows !== rows || after.rows !== rows) throw new Error(`bench: the raw read found ${before.rows} rows, the scenario has ${rows}`);
  const rowsPerSecond = Math.round(rows / (run.wallMs / 1000));
  const rawRowsPerSecond = Math.round((before.rowsPerSecond + after.rowsPerSecond) / 2);
  return {
    rowDefinition: `${input.orders.toLocaleString('en-US')} pending order headers × ${input.lines} lines each = ${input.orders.toLocaleString('en-US')} header rows + ${(input.orders * input.lines).toLocaleString('en-US')} line rows read from PostgreSQL (a row = one header or one line; each becomes one planned item or subitem)`,
    orders: input.orders, lines: input.orders * input.lines, rows,
    command: `DATABASE_URL=… MONDAY_API_URL=… MONDAY_API_TOKEN=… node ${args.join(' ')}`,
    wallMs: Math.round(run.wallMs),
    rowsPerSecond,
    peakRssMb: round(run.peakKb / 1024, 1),
    idlePeakRssMb: round(idle.peakKb / 1024, 1),
    loadAverage: { start: load, end: loadEnd },
    exitCode: run.code,
    plan: run.stdout.split('\n').slice(0, 8).join('\n'),
    runtime: cli.runtime,
    rawSelect: { before, after, rowsPerSecond: rawRowsPerSecond },
    ratioToRawSelect: round(rowsPerSecond / rawRowsPerSecond, 3),
  };
}
