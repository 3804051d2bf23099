/**
 * Two pipelines with their own order tables writing the same group titles to one board at the
 * same time, as child processes on PostgreSQL: both finish and every title exists once. (Two runs
 * of one pipeline started together are raced in the kill-point suites, on both dialects.)
 */
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoOrders } from '../../src/db/seed-demo.ts';
import { checkPromises, type OrderTables } from './support/check-promises.ts';
import { checkReports } from './support/check-reports.ts';
import { killAllChildren, spawnCli } from './support/cli-child.ts';
import { writeChaosConfig } from './support/chaos-config.ts';
import { createSecretRole } from './support/chaos-database.ts';
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
}, 180_000);
afterEach(killAllChildren);
afterAll(async () => {
  await killAllChildren();
  for (const c of cleanup.reverse()) await c();
  figures.flush();
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
