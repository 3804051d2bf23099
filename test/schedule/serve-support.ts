/** Helpers of the scheduler tests: pipeline files in a temp dir, `serve` child processes, run intervals. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Kysely } from 'kysely';
import { parseDocument } from 'yaml';
import { connectMonday } from '../../src/cli/monday-target.ts';
import type { Database } from '../../src/db/open-database.ts';
import type { EngineTables } from '../../src/db/tables.ts';
import type { Connect } from '../../src/schedule/connection-pool.ts';

const ROOT = resolve(import.meta.dirname, '../..');

/** What a test pipeline file says beyond the flagship's stages. */
export interface PipelineFileOptions {
  pipeline?: string;
  cron?: string | null;
  timezone?: string;
  missed?: 'skip' | 'once';
  /** postgres:// URL; omitted → `${DATABASE_URL:-}` (in-process tests inject their database). */
  databaseUrl?: string;
  dataDir?: string;
  customers?: string[];
  thresholds?: { success: number; partial: number };
  notify?: Record<string, unknown>;
  retention?: Record<string, unknown>;
  /** Extra top-level keys written verbatim (to make a file invalid). */
  extra?: Record<string, unknown>;
}

/** A temp directory for pipeline files and reports. */
export async function makeTempDir(prefix = 'ordersync-serve-'): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Writes a pipeline file: the flagship's stages, monday from MONDAY_API_URL/MONDAY_API_TOKEN, reports under `dir`. */
export async function writePipelineFile(dir: string, name: string, options: PipelineFileOptions = {}): Promise<string> {
  const doc = parseDocument(await readFile(join(ROOT, 'config/order-list.yaml'), 'utf8'));
  doc.set('pipeline', options.pipeline ?? 'order-list');
  if (options.cron === null) doc.delete('schedule');
  else doc.set('schedule', { cron: options.cron ?? '0 0 1 1 *', timezone: options.timezone ?? 'UTC', missed: options.missed ?? 'skip' });
  doc.set('database', options.dataDir ? { dataDir: options.dataDir } : { url: options.databaseUrl ?? '${DATABASE_URL:-}' });
  doc.setIn(['monday', 'url'], '${MONDAY_API_URL}');
  doc.setIn(['monday', 'token'], '${MONDAY_API_TOKEN}');
  if (options.customers) doc.set('customers', options.customers.map((c) => ({ name: c })));
  if (options.thresholds) doc.set('thresholds', options.thresholds);
  if (options.notify) doc.set('notify', options.notify);
  if (options.retention) doc.set('retention', options.retention);
  for (const [key, value] of Object.entries(options.extra ?? {})) doc.set(key, value);
  doc.setIn(['stages', 'report', 'with', 'outDir'], join(dir, 'reports'));
  doc.setIn(['stages', 'report', 'with', 'summary'], join(ROOT, 'templates/executive-summary.md.hbs'));
  doc.setIn(['stages', 'report', 'with', 'customer'], join(ROOT, 'templates/customer-report.md.hbs'));
  const file = join(dir, name);
  await writeFile(file, doc.toString());
  return file;
}

/** A connect function that runs every pipeline against one given (test-owned) database. */
export function connectTo(database: Database): Connect {
  return async (config, logger) => {
    const monday = await connectMonday(config, logger);
    return { database, monday, release: () => monday.close() };
  };
}

/** One JSON log line. */
export type LogLine = { time: string; level: string; msg: string } & Record<string, unknown>;

/** A `serve` child process with its parsed log lines. */
export interface ServeProcess {
  child: ChildProcess;
  lines: LogLine[];
  stderr(): string;
  /** Resolves with the first log line matching, or rejects after `timeoutMs`. */
  waitFor(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** The health endpoint's base URL (from the start-up line). */
  url(): Promise<string>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): void;
}

/** Starts `node --import tsx src/cli/ordersync.ts serve <args>` (or `deno run -A …`) with JSON logs and an ephemeral port. */
export function spawnServe(args: string[], env: Record<string, string>): ServeProcess {
  // Under Deno (vitest's workers can run on it) the child is Deno too; on Node it is node with tsx.
  const runtime = 'Deno' in globalThis ? ['run', '-A'] : ['--import', 'tsx'];
  const child = spawn(process.execPath, [...runtime, 'src/cli/ordersync.ts', 'serve', ...args, '--port', '0', '--log-format', 'json'], {
    cwd: ROOT, env: { ...process.env, DATABASE_URL: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  let raw = '';
  let partial = '';
  const waiters = new Set<() => void>();
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    raw += chunk;
    partial += chunk;
    const parts = partial.split('\n');
    partial = parts.pop()!;
    for (const part of parts) {
      try {
        lines.push(JSON.parse(part) as LogLine);
      } catch {
        // Not a log line (e.g. a usage error): kept in stderr().
      }
    }
    for (const wake of waiters) wake();
  });
  child.stdout!.resume();
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.once('exit', (code, signal) => done({ code, signal })));
  const waitFor = (match: (line: LogLine) => boolean, timeoutMs = 120_000): Promise<LogLine> =>
    new Promise((resolveLine, reject) => {
      const check = (): boolean => {
        const found = lines.find(match);
        if (!found) return false;
        cleanup();
        resolveLine(found);
        return true;
      };
      const timer = setTimeout(() => { cleanup(); reject(new Error(`serve: no matching log line within ${timeoutMs} ms; stderr:\n${raw.slice(-3000)}`)); }, timeoutMs);
      const onExit = (): void => { if (!check()) { cleanup(); reject(new Error(`serve exited before a matching log line; stderr:\n${raw.slice(-3000)}`)); } };
      const cleanup = (): void => { clearTimeout(timer); waiters.delete(wake); child.off('exit', onExit); };
      const wake = (): void => { check(); };
      if (check()) return;
      waiters.add(wake);
      child.once('exit', onExit);
    });
  return {
    child, lines, waitFor, exit,
    stderr: () => raw,
    url: async () => String((await waitFor((l) => typeof l.url === 'string' && l.msg.startsWith('serving'))).url),
    // process.kill, not child.kill: Deno's node:child_process sends only the first child.kill() and
    // then reports the child as killed by that signal, whatever its exit.
    kill: (signal = 'SIGTERM') => { if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, signal); },
  };
}

/** A run's interval as recorded in ordersync_runs. */
export interface RunInterval {
  id: string;
  status: string;
  owner: string;
  startedAt: number;
  finishedAt: number | null;
}

/** Every recorded run of a pipeline, oldest first. */
export async function readRuns(db: Kysely<EngineTables>, pipeline: string): Promise<RunInterval[]> {
  const rows = await db.selectFrom('ordersync_runs').select(['id', 'status', 'owner', 'started_at', 'finished_at'])
    .where('pipeline', '=', pipeline).orderBy('started_at').execute();
  return rows.map((r) => ({ id: r.id, status: r.status, owner: r.owner, startedAt: new Date(r.started_at).getTime(), finishedAt: r.finished_at ? new Date(r.finished_at).getTime() : null }));
}

/** Pairs of runs whose [started, finished] intervals overlap (a run still open counts as open-ended). */
export function overlappingRuns(runs: RunInterval[]): [string, string][] {
  const sorted = [...runs].sort((a, b) => a.startedAt - b.startedAt);
  const pairs: [string, string][] = [];
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length; j++) {
      const a = sorted[i]!;
      const b = sorted[j]!;
      if (a.finishedAt === null || b.startedAt < a.finishedAt) pairs.push([a.id, b.id]);
    }
  }
  return pairs;
}

/** Waits until `check` returns true (polling), or throws after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
