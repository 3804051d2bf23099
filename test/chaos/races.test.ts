/**
 * Races between processes: two runs of one pipeline started together (one must step aside with
 * exit 3), and two pipelines with their own order tables writing the same group titles to one
 * board at the same time (PostgreSQL: both finish, every title exists once).
 */
import { sql } from 'kysely';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoOrders } from '../../src/db/seed-demo.ts';
import { checkPromises, type OrderTables } from './support/check-promises.ts';
import { checkReports } from './support/check-reports.ts';
import { killAllChildren, spawnCli } from './support/cli-child.ts';
import { writeChaosConfig } from './support/chaos-config.ts';
import { createPgliteTemplate, createSecretRole } from './support/chaos-database.ts';
import { startChaosTarget, type DatabaseSource } from './support/chaos-target.ts';
import { createFigures } from './support/figures.ts';
import { createSecrets, findSecrets } from './support/find-secrets.ts';
import { chaosDialects, scaled } from './support/scale.ts';

const SEED = { customers: ['GREYSON', 'PELOTON', 'WHITE FOX'], ordersPerCustomer: 2, dirty: false };
const seeded = generateDemoOrders(SEED);
const expected = { orders: seeded.orders.length, lines: seeded.lines.length };
const ONE_BOARD = SEED.customers.map((name) => ({ name }));
const secrets = createSecrets();
const figures = createFigures(import.meta.filename);
const sources = new Map<string, DatabaseSource>();
const cleanup: (() => Promise<void>)[] = [];

beforeAll(async () => {
  if (chaosDialects.includes('postgres')) {
    const role = await createSecretRole(secrets.password);
    cleanup.push(role.drop);
    sources.set('postgres', { role });
  }
  const template = await createPgliteTemplate(SEED);
  cleanup.push(template.dispose);
  sources.set('pglite', { template: template.dir });
}, 180_000);
afterEach(killAllChildren);
afterAll(async () => {
  await killAllChildren();
  for (const c of cleanup.reverse()) await c();
  figures.flush();
});

describe.each(chaosDialects)('two runs of one pipeline started together on %s', (dialect) => {
  it('lets one run and turns the other away with exit 3, and nothing is written twice', async () => {
    const t = await startChaosTarget({ source: sources.get(dialect)!, token: secrets.token, seed: SEED, expected });
    try {
      const args = ['run', t.config, '--log-format', 'json'];
      const a = spawnCli(args, { cwd: t.dir, env: t.env });
      const b = spawnCli(args, { cwd: t.dir, env: t.env });
      // monday waits until one of them has given up, so they surely overlap (at most 60 s).
      t.proxy.hold(Promise.race([a.exited, b.exited, sleep(60_000)]));
      const exits = [await a.exited, await b.exited].map((e) => e.code).sort();
      const loser = [a, b].find((c) => /already running|in use by process/.test(c.stderr()));
      figures.add({ races: 1, runs: 2 });
      expect(exits).toEqual([0, 3]);
      expect(loser?.stderr()).toMatch(dialect === 'postgres' ? /lock: pipeline order-list is already running/ : /db: the embedded database .* is in use by process \d+/);
      const { check, scan } = await t.finalCheck([secrets.token, secrets.password], { a: a.stdout() + a.stderr(), b: b.stdout() + b.stderr() });
      figures.add({ recordsChecked: check.records, duplicatesFound: check.duplicates.length, recordsLost: check.lost.length, disagreements: check.disagreements.length, secretPlacesScanned: scan.places, secretsFound: scan.leaks.length });
      expect(check).toMatchObject({ lost: [], unexplained: [], duplicates: [], disagreements: [], states: { PENDING: 0, FAILED: 0 } });
      expect(scan.leaks).toEqual([]);
    } finally {
      await killAllChildren();
      await t.close();
    }
  }, 180_000);
});

describe.skipIf(!chaosDialects.includes('postgres'))('two pipelines sharing a board and its group titles (PostgreSQL, child processes)', () => {
  for (let round = 1; round <= scaled(1, 4); round++) {
    it(`creates every group once and both pipelines finish (round ${round})`, async () => {
      const t = await startChaosTarget({ source: sources.get('postgres')!, token: secrets.token, seed: SEED, expected, faults: { latencyMs: 10 * round, seed: round }, config: { customers: ONE_BOARD, pageSize: 2 } });
      try {
        await t.db.use(async (db) => {
          await sql`create table order_list_b (like order_list including all)`.execute(db);
          await sql`create table order_list_lines_b (like order_list_lines including all)`.execute(db);
          await sql`insert into order_list_b select * from order_list`.execute(db);
          await sql`update order_list_b set order_number = order_number || '-B'`.execute(db);
          await sql`insert into order_list_lines_b select * from order_list_lines`.execute(db);
          await sql`update order_list_lines_b set order_number = order_number || '-B', line_key = line_key || '-B'`.execute(db);
        });
        const twin = await writeChaosConfig({ dir: t.dir, file: 'twin.yaml', pipeline: 'order-list-twin', customers: ONE_BOARD, pageSize: 2, headers: 'order_list_b', lines: 'order_list_lines_b' });
        const a = spawnCli(['run', t.config, '--log-format', 'json'], { cwd: t.dir, env: t.env });
        const b = spawnCli(['run', twin.file, '--log-format', 'json'], { cwd: t.dir, env: t.env });
        const [ea, eb] = [await a.exited, await b.exited];
        figures.add({ races: 1, runs: 2 });
        expect([ea.code, eb.code], a.stderr() + b.stderr()).toEqual([0, 0]);
        const tables: OrderTables[] = [t.tables[0]!, { headers: 'order_list_b', lines: 'order_list_lines_b', expected }];
        const { check, reports, groups, scan } = await t.db.use(async (db) => ({
          check: await checkPromises(db, t.emulator.snapshot(), { tables, boardFor: () => '9200517329', final: true }),
          reports: [...(await checkReports(db, tables.slice(0, 1), 'order-list')), ...(await checkReports(db, tables.slice(1), 'order-list-twin'))],
          groups: await db.selectFrom('ordersync_groups').select('title').execute(),
          scan: await findSecrets([secrets.token, secrets.password], { outputs: { a: a.stdout() + a.stderr(), b: b.stdout() + b.stderr() }, db, paths: [t.dir] }),
        }));
        figures.add({ recordsChecked: check.records, duplicatesFound: check.duplicates.length, recordsLost: check.lost.length, disagreements: check.disagreements.length + reports.length, secretPlacesScanned: scan.places, secretsFound: scan.leaks.length });
        expect({ ...check, reports }).toMatchObject({ lost: [], unexplained: [], duplicates: [], disagreements: [], reports: [], states: { PENDING: 0, FAILED: 0 } });
        const titles = t.emulator.snapshot().boards.find((x) => x.id === '9200517329')!.groups.filter((g) => !g.deleted && g.id !== 'topics').map((g) => g.title).sort();
        expect(titles).toEqual(SEED.customers.flatMap((c) => [`${c} 2025 FALL`, `${c} 2026 SPRING`]).sort());
        expect(groups.map((g) => g.title).sort()).toEqual(titles);
        expect(scan.leaks).toEqual([]);
      } finally {
        await killAllChildren();
        await t.close();
      }
    }, 180_000);
  }
});
