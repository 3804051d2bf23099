/** The CLI as a real child process: signals, a closed output pipe and exit codes, as an operator meets them. */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openMigratedDatabase } from '../../src/db/migrate.ts';
import { seedDemo } from '../../src/db/seed-demo.ts';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.ts';
import { killAllChildren, REPO_ROOT, spawnCli } from '../chaos/support/cli-child.ts';

const dir = await mkdtemp(join(tmpdir(), 'ordersync-operator-'));
let emulator: EmulatorHandle;
beforeAll(async () => {
  // Slow enough that a signal lands mid-run.
  emulator = await startEmulator({ seed: 'demo', faults: { latencyMs: 150 } });
});
afterAll(async () => emulator?.close());
afterEach(() => killAllChildren());

/** The flagship config on its own embedded database in the temp dir, batches of 10. */
async function pipelineFile(name: string): Promise<{ file: string; dataDir: string }> {
  const dataDir = join(dir, `${name}-pg`);
  const text = (await readFile(join(REPO_ROOT, 'config/order-list.yaml'), 'utf8'))
    .replace('url: "${DATABASE_URL:-}"', `url: ""\n  dataDir: ${dataDir}`)
    .replace(/batchSize: 50[^\n]*/, 'batchSize: 10')
    .replace('outDir: reports/sync', `outDir: ${join(dir, name, 'reports')}`)
    .replaceAll('../templates/', `${REPO_ROOT}/templates/`);
  const file = join(dir, `${name}.yaml`);
  await writeFile(file, text);
  return { file, dataDir };
}

async function seeded(name: string): Promise<{ file: string; dataDir: string }> {
  const p = await pipelineFile(name);
  const database = await openMigratedDatabase({ dataDir: p.dataDir });
  await seedDemo(database.db, { dirty: false });
  await database.close();
  return p;
}

async function runRows(dataDir: string): Promise<{ status: string; summary: { status: string; notReached: string[] } | null }[]> {
  const database = await openMigratedDatabase({ dataDir });
  try {
    return (await sql<{ status: string; summary: { status: string; notReached: string[] } | null }>`select status, summary from ordersync_runs order by started_at`.execute(database.db)).rows;
  } finally {
    await database.close();
  }
}

const env = (): Record<string, string> => ({ MONDAY_API_URL: emulator.url, MONDAY_API_TOKEN: emulator.token });

describe('ordersync as a child process', () => {
  for (const args of [['run'], ['demo', '--run']]) {
    it(`${args.join(' ')}: SIGINT mid-run finishes the batch, says INTERRUPTED everywhere and exits 5`, async () => {
      const { file, dataDir } = await seeded(args.join('-'));
      const child = spawnCli([...args, file], { cwd: dir, env: env() });
      const watcher = setInterval(() => {
        if (emulator.requestLog.some((r) => r.document.includes('create_item('))) {
          clearInterval(watcher);
          process.kill(child.pid, 'SIGINT');
        }
      }, 5);
      const exit = await child.exited.finally(() => clearInterval(watcher));
      emulator.requestLog.length = 0;
      expect(exit.code, child.stderr()).toBe(5);
      expect(child.stdout()).toMatch(/^⏸️ INTERRUPTED {2}\d{12}-SYNC-[0-9A-F]{8}/m);
      expect(child.stdout()).toMatch(/not reached: .*TITLE NINE/);
      const finished = child.stderr().split('\n').filter((l) => l.includes('"run finished')).map((l) => JSON.parse(l) as { msg: string });
      expect(finished.map((l) => l.msg)).toEqual(['run finished: INTERRUPTED']);
      const rows = await runRows(dataDir);
      expect(rows.map((r) => [r.status, r.summary?.status])).toEqual([['INTERRUPTED', 'INTERRUPTED']]);
      expect(rows[0]!.summary!.notReached).toContain('TITLE NINE');
    });
  }

  it('keeps running when the reader of its output goes away (ordersync run 2>&1 | head -1) and ends the run', async () => {
    const { file, dataDir } = await seeded('epipe');
    const cli = `${JSON.stringify(process.execPath)} --import ${JSON.stringify(`file://${REPO_ROOT}/node_modules/tsx/dist/loader.mjs`)} ${JSON.stringify(join(REPO_ROOT, 'src/cli/ordersync.ts'))}`;
    const shell = spawn('bash', ['-c', `set -o pipefail; ${cli} run ${JSON.stringify(file)} --log-format json 2>&1 | head -1`], {
      cwd: dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env() }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    shell.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const code = await new Promise<number | null>((resolve) => shell.once('close', resolve));
    emulator.requestLog.length = 0;
    expect(out.trim().split('\n')).toHaveLength(1);
    expect(code).toBe(0);
    const rows = await runRows(dataDir);
    expect(rows.map((r) => r.status)).toEqual(['SUCCESS']);
  });
});
