/**
 * Generated rows (fast-check): unicode, emoji, quotes, newlines, 10 kB strings, NULLs, negative
 * and huge numbers, impossible dates — in every mapped column, in the key and in customer names.
 * Every record ends SYNCED, or FAILED with its reason; no run crashes; promises 1–3 hold.
 */
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { checkPromises } from './support/check-promises.ts';
import { checkReports } from './support/check-reports.ts';
import { createFigures } from './support/figures.ts';
import { createSecrets, findSecrets } from './support/find-secrets.ts';
import { generatedOrders, type GeneratedOrder } from './support/hostile-values.ts';
import { startInProcess, type InProcessScenario } from './support/in-process.ts';
import { chaosDialects, FULL, scaled } from './support/scale.ts';

/** Customer names are data too: they reach group titles, reports and file names. */
const HOSTILE_CUSTOMERS = [
  { name: 'GREYSON' },
  { name: 'Zoë "Quotes" | Ltd', board: '9609317401' },
  { name: 'ACME <script>alert(1)</script>' },
  { name: 'שלום `tick` *star*' },
];
const secrets = createSecrets();
const figures = createFigures(import.meta.filename);

interface Outcome { key: string; sync_state: string; sync_error_message: string | null }

// Inside `npm test` on one dialect (PostgreSQL when there is one); at full size on every dialect.
describe.each(FULL ? chaosDialects : chaosDialects.slice(-1))('generated rows on %s', (dialect) => {
  let t: TestDatabase;
  let s: InProcessScenario;
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    s = await startInProcess(t, { token: secrets.token, pipeline: 'generated', config: { customers: HOSTILE_CUSTOMERS, createLabelsIfMissing: true, pageSize: 4 }, seed: async () => {} });
  }, 120_000);
  afterAll(async () => {
    await s?.close();
    await t?.dispose();
    if (dialect === chaosDialects.at(-1)) figures.flush();
  });

  let iteration = 0;
  /** Inserts one generated batch; returns the keys of its orders and lines. */
  const insert = async (orders: GeneratedOrder[]): Promise<{ orders: string[]; lines: string[] }> => {
    const db = t.database.db;
    iteration++;
    // A batch that failed the property may have left PENDING rows: they must not leak into the next one.
    await sql`delete from order_list where sync_state = 'PENDING'`.execute(db);
    const keys = { orders: [] as string[], lines: [] as string[] };
    for (const [i, o] of orders.entries()) {
      const key = `G${iteration}-${i}:${o.keySuffix}`;
      const row = { order_number: key, customer_name: HOSTILE_CUSTOMERS[o.customer]!.name, ...o.fields };
      const cols = Object.keys(row) as (keyof typeof row)[];
      await sql`insert into order_list (${sql.join(cols.map((c) => sql.ref(c)))}) values (${sql.join(cols.map((c) => row[c]))})`.execute(db);
      keys.orders.push(key);
      for (const [n, line] of o.lines.entries()) {
        const lineKey = `${key}/${n + 1}`;
        await sql`insert into order_list_lines (line_key, order_number, line_number, size, quantity) values (${lineKey}, ${key}, ${n + 1}, ${line.size}, ${line.quantity})`.execute(db);
        keys.lines.push(lineKey);
      }
    }
    return keys;
  };

  it('ends every record SYNCED or FAILED with its reason, and never crashes a run', async () => {
    let rows = 0;
    await fc.assert(
      fc.asyncProperty(generatedOrders(HOSTILE_CUSTOMERS.length, scaled(6, 12)), async (orders) => {
        const keys = await insert(orders);
        const result = await s.run();
        expect(result.summary.fatal).toBeNull();
        const outcomes = [
          ...(await sql<Outcome>`select order_number as key, sync_state, sync_error_message from order_list where order_number = any(${keys.orders})`.execute(t.database.db)).rows,
          ...(await sql<Outcome>`select line_key as key, sync_state, sync_error_message from order_list_lines where line_key = any(${keys.lines})`.execute(t.database.db)).rows,
        ];
        rows += outcomes.length;
        expect(outcomes).toHaveLength(keys.orders.length + keys.lines.length);
        const unaccounted = outcomes.filter((o) => !(o.sync_state === 'SYNCED' || (o.sync_state === 'FAILED' && o.sync_error_message?.trim())));
        expect(unaccounted).toEqual([]);
      }),
      { numRuns: scaled(4, 40), endOnFailure: !FULL, seed: FULL ? undefined : 20_261_128 },
    );
    figures.add({ generatedRows: rows, runs: scaled(4, 40) });
  }, scaled(120_000, 600_000));

  it('keeps the database, monday and every report in agreement afterwards', async () => {
    const db = t.database.db;
    const count = async (table: string): Promise<number> => Number((await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db)).rows[0]!.n);
    const tables = [{ headers: 'order_list', lines: 'order_list_lines', expected: { orders: await count('order_list'), lines: await count('order_list_lines') } }];
    const check = await checkPromises(db, s.emulator.snapshot(), { tables, final: true, boardFor: (c) => HOSTILE_CUSTOMERS.find((x) => x.name === c)?.board ?? '9200517329' });
    const reports = await checkReports(db, tables, 'generated');
    figures.add({ recordsChecked: check.records, duplicatesFound: check.duplicates.length, recordsLost: check.lost.length, recordsUnexplained: check.unexplained.length, disagreements: check.disagreements.length + reports.length });
    expect({ ...check, reports }).toMatchObject({ lost: [], unexplained: [], duplicates: [], disagreements: [], reports: [] });
    const scan = await findSecrets([secrets.token], { outputs: { log: s.log.join('\n') }, db, paths: [s.reportsDir] });
    figures.add({ secretPlacesScanned: scan.places, secretsFound: scan.leaks.length });
    expect(scan.leaks).toEqual([]);
  }, 60_000);
});
