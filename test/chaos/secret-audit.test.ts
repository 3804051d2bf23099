/**
 * Promise 5: secrets never leave the environment. A recognisable monday token and database
 * password go in; every output (stdout, stderr, JSON debug logs), every row of every table and
 * every file (reports, emulator state file, the emulator's request log) is searched for them —
 * after a normal run, the history and report commands, and runs that fail on a wrong token and an
 * unreachable database (at full size also a dry run, --retry-failed and a missing database).
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoOrders } from '../../src/db/seed-demo.ts';
import { killAllChildren, runCli } from './support/cli-child.ts';
import { createPgliteTemplate, createSecretRole } from './support/chaos-database.ts';
import { startChaosTarget, type ChaosTarget, type DatabaseSource } from './support/chaos-target.ts';
import { createFigures } from './support/figures.ts';
import { createSecrets, findSecrets, type SecretScan } from './support/find-secrets.ts';
import { chaosDialects, FULL } from './support/scale.ts';

const SEED = { customers: ['GREYSON', 'PELOTON'], ordersPerCustomer: 2 };
const seeded = generateDemoOrders(SEED);
const secrets = createSecrets();
const wrongToken = createSecrets().token;
const dialect = chaosDialects.at(-1)!;
const figures = createFigures(import.meta.filename);

describe(`secrets in, none out (${dialect}${dialect === 'postgres' ? ': a role with a password' : ': token only'})`, () => {
  let t: ChaosTarget;
  const outputs: Record<string, string> = {};
  const exits: Record<string, number | null> = {};
  const cleanup: (() => Promise<void>)[] = [];
  const cli = async (name: string, args: string[], env = t.env): Promise<void> => {
    const r = await runCli(args, { cwd: t.dir, env });
    outputs[name] = `${r.stdout}\n${r.stderr}`;
    exits[name] = r.code;
    figures.add({ runs: args[0] === 'run' ? 1 : 0 });
  };

  beforeAll(async () => {
    let source: DatabaseSource;
    if (dialect === 'pglite') {
      const template = await createPgliteTemplate(SEED);
      cleanup.push(template.dispose);
      source = { template: template.dir };
    } else {
      const role = await createSecretRole(secrets.password);
      cleanup.push(role.drop);
      source = { role };
    }
    t = await startChaosTarget({
      source, token: secrets.token, seed: SEED, persistEmulator: true,
      expected: { orders: seeded.orders.length, lines: seeded.lines.length },
      config: { customers: [{ name: 'GREYSON' }, { name: 'PELOTON', board: '9609317401' }] },
    });
    cleanup.push(() => t.close());

    if (FULL) await cli('dry run (verbose)', ['run', t.config, '--dry-run', '--verbose', '--log-format', 'json']);
    await cli('wrong token', ['run', t.config, '--verbose', '--log-format', 'json'], { ...t.env, MONDAY_API_TOKEN: wrongToken });
    // The demo seed's dirty rows fail on purpose (exit 1): their reasons are outputs too.
    await cli('run (verbose, json)', ['run', t.config, '--verbose', '--log-format', 'json']);
    if (FULL) await cli('run --retry-failed (pretty)', ['run', t.config, '--retry-failed', '--log-format', 'pretty']);
    await cli('runs --json', ['runs', '--config', t.config, '--json']);
    if (FULL) await cli('runs', ['runs', '--config', t.config]);
    const runId = /\d{12}-SYNC-[0-9A-F]{8}/.exec(outputs['run (verbose, json)']!)?.[0] ?? 'missing';
    await cli('report', ['report', runId, '--config', t.config, '--out', join(t.dir, 'rerendered')]);
    if (dialect === 'postgres') {
      const url = new URL(t.env.DATABASE_URL);
      await cli('unreachable database', ['run', t.config, '--verbose'], { ...t.env, DATABASE_URL: Object.assign(new URL(url), { port: '1' }).toString() });
      if (FULL) await cli('database that does not exist', ['run', t.config, '--verbose'], { ...t.env, DATABASE_URL: Object.assign(new URL(url), { pathname: '/ordersync_no_such_db' }).toString() });
    }
    await t.emulator.close(); // flushes the state file
  }, 300_000);
  afterEach(killAllChildren);
  afterAll(async () => {
    await killAllChildren();
    for (const c of cleanup.reverse()) await c();
    figures.flush();
  });

  it('runs the scenarios as expected (normal runs succeed, broken environments fail: exit 1, or 4 for a database that cannot be reached)', () => {
    expect(exits).toMatchObject({ 'wrong token': 1, 'run (verbose, json)': 1, 'runs --json': 0, report: 0 });
    if (dialect === 'postgres') expect(exits).toMatchObject({ 'unreachable database': 4 });
    if (FULL) expect(exits).toMatchObject({ 'dry run (verbose)': 0, 'run --retry-failed (pretty)': 1, runs: 0, ...(dialect === 'postgres' ? { 'database that does not exist': 4 } : {}) });
    expect(outputs['wrong token']).toMatch(/401|Not Authenticated|token/i);
  });

  it('finds neither the token, the wrong token nor the password in any output, table or file', async () => {
    const scan: SecretScan = await t.db.use((db) => findSecrets([secrets.token, wrongToken, secrets.password], {
      outputs: { ...outputs, 'emulator request log': JSON.stringify(t.emulator.requestLog) },
      db,
      paths: [t.dir],
    }));
    figures.add({ secretPlacesScanned: scan.places, secretsFound: scan.leaks.length });
    expect(scan.places).toBeGreaterThan(50);
    expect(scan.leaks).toEqual([]);
  });
});
