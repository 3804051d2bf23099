/**
 * Broken pipeline files: each gets one clear error naming what is wrong and where
 * (`× message → at path (file:line:col)`), exit 2 from `ordersync validate` and from
 * `ordersync run`, and nothing is written anywhere.
 */
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-issue.ts';
import { loadPipelineConfig } from '../../src/config/load-config.ts';
import { registry } from '../../src/cli/wiring.ts';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.ts';
import { applyEdit, BAD_CONFIGS, baseConfig, type BadConfig } from './support/bad-configs.ts';
import { killAllChildren, runCli } from './support/cli-child.ts';
import { createPostgresChaosDatabase, createSecretRole, type ChaosDatabase, type SecretRole } from './support/chaos-database.ts';
import { createFigures } from './support/figures.ts';
import { createSecrets, findSecrets } from './support/find-secrets.ts';
import { FULL, chaosDialects } from './support/scale.ts';

const secrets = createSecrets();
const figures = createFigures(import.meta.filename);
// Every file goes through one `validate` child (all files at once: exit 2, each file's problems
// listed) and loadPipelineConfig (what `run` does first). Inside `npm test` these also go through
// `run` as a child; at full size every file does.
const RUN_IN_CI = new Set(['YAML syntax error (unclosed quote)', 'unsafe SQL identifier (statement)', 'report template that does not exist']);
const LOCATED = /^ *× (.+?)(?: → at (\S+))? \(([^()]+):(\d+):(\d+)\)$/;

let dir: string;
let emulator: EmulatorHandle;
let role: SecretRole | null = null;
let db: ChaosDatabase | null = null;
let env: Record<string, string>;
let validateAll: { code: number | null; stderr: string; stdout: string };
const files = new Map<string, { file: string; line: number }>();

/** Every table's rows as text: the database before and after must be equal. */
async function snapshotDatabase(): Promise<string> {
  if (!db) return (await stat(join(dir, 'pgdata')).catch(() => null)) ? 'pgdata exists' : 'no pgdata';
  return db.use(async (kdb) => {
    const tables = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public' order by 1`.execute(kdb);
    const out: string[] = [];
    for (const { name } of tables.rows) out.push(name, ...(await sql<{ r: string }>`select t::text as r from ${sql.table(name)} t order by 1`.execute(kdb)).rows.map((x) => x.r));
    return out.join('\n');
  });
}

/** The located issues a child printed for `file`. */
function issuesOf(stderr: string, file: string): RegExpMatchArray[] {
  return stderr.split('\n').map((l) => LOCATED.exec(l)).filter((m): m is RegExpExecArray => m !== null && m[3]!.endsWith(file.split('/').pop()!));
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ordersync-chaos-config-'));
  emulator = await startEmulator({ seed: 'demo', token: secrets.token });
  if (chaosDialects.includes('postgres')) {
    role = await createSecretRole(secrets.password);
    db = await createPostgresChaosDatabase(role, { customers: ['GREYSON', 'PELOTON'], ordersPerCustomer: 2 });
  }
  env = { DATABASE_URL: db?.env.DATABASE_URL ?? '', MONDAY_API_URL: emulator.url, MONDAY_API_TOKEN: secrets.token };
  await mkdir(join(dir, 'cases'));
  for (const [n, bad] of BAD_CONFIGS.entries()) {
    const { text, line } = applyEdit(baseConfig(dir), bad);
    const file = join(dir, 'cases', `bad-${String(n + 1).padStart(2, '0')}.yaml`);
    await writeFile(file, text);
    files.set(bad.name, { file, line });
  }
  await writeFile(join(dir, 'base.yaml'), baseConfig(dir));
  validateAll = await runCli(['validate', ...BAD_CONFIGS.map((b) => files.get(b.name)!.file)], { cwd: dir, env });
}, 180_000);
afterEach(killAllChildren);
afterAll(async () => {
  await killAllChildren();
  const scan = await findSecrets([secrets.token, secrets.password], { outputs: { 'validate (all files)': validateAll.stdout + validateAll.stderr }, paths: [dir] });
  figures.add({ secretPlacesScanned: scan.places, secretsFound: scan.leaks.length });
  await db?.dispose();
  await role?.drop();
  await emulator?.close();
  await rm(dir, { recursive: true, force: true });
  figures.flush();
  expect(scan.leaks).toEqual([]);
});

describe('the base pipeline file of the corpus', () => {
  it('is valid, so each broken file has exactly one thing wrong', async () => {
    await expect(loadPipelineConfig(join(dir, 'base.yaml'), { registry, env })).resolves.toMatchObject({ pipeline: 'order-list' });
  });
});

describe('ordersync validate over the whole corpus at once', () => {
  it('exits 2 and lists every file as having problems', () => {
    expect(validateAll.code).toBe(2);
    expect(validateAll.stdout).not.toMatch(/✓/);
    for (const bad of BAD_CONFIGS) expect(validateAll.stderr).toContain(`${files.get(bad.name)!.file.split('/').pop()}: `);
  });
});

function describeCase(bad: BadConfig): void {
  describe(`a broken pipeline file: ${bad.name}`, () => {
    it('is refused with a message naming what is wrong, located as file:line:col', async () => {
      const { file } = files.get(bad.name)!;
      const error = await loadPipelineConfig(file, { registry, env }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toMatch(bad.message);
      const printed = issuesOf(validateAll.stderr, file);
      expect(printed.length, validateAll.stderr).toBeGreaterThan(0);
      expect(printed.some((m) => bad.message.test(m[1]!))).toBe(true);
      figures.add({ badInputs: 1 });
    });

    it('points at the line of the mistake', () => {
      const { file, line } = files.get(bad.name)!;
      const lines = issuesOf(validateAll.stderr, file).map((m) => Number(m[4]));
      expect(lines.some((l) => l >= line && l <= line + (bad.slack ?? 0)), `expected line ${line}, got ${lines.join(', ')}`).toBe(true);
    });

    it.runIf(FULL || RUN_IN_CI.has(bad.name))('makes `ordersync run` exit 2 with the same message, writing nothing', async () => {
      const { file } = files.get(bad.name)!;
      const before = await snapshotDatabase();
      const run = await runCli(['run', file, '--log-format', 'json'], { cwd: dir, env });
      expect(run.code, run.stderr).toBe(2);
      expect(issuesOf(run.stderr, file).some((m) => bad.message.test(m[1]!))).toBe(true);
      expect(await snapshotDatabase()).toBe(before);
      await expect(stat(join(dir, 'reports'))).rejects.toThrow();
      const scan = await findSecrets([secrets.token, secrets.password], { outputs: { run: run.stdout + run.stderr } });
      figures.add({ secretPlacesScanned: scan.places, secretsFound: scan.leaks.length, runs: 1 });
      expect(scan.leaks).toEqual([]);
    }, 60_000);
  });
}

for (const bad of BAD_CONFIGS) describeCase(bad);
