/**
 * Found by the generated rows (fixed in 594d64b): values were cut by UTF-16 code units (text and
 * long_text at 2000, names at 1000), splitting emoji surrogate pairs. PostgreSQL's jsonb refuses a
 * lone half, so writing back the API payload threw and every run stopped at that record, before
 * any later customer; a name cut the same way broke the run summary (the run row stayed RUNNING).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { findDuplicates } from './support/check-promises.ts';
import { createFigures } from './support/figures.ts';
import { createSecrets } from './support/find-secrets.ts';
import { startInProcess, type InProcessScenario } from './support/in-process.ts';
import { chaosDialects } from './support/scale.ts';

// 'a' then emoji: code unit 1999 (the last kept by a cut at 2000) and 999 (by a cut at 1000) are high surrogates.
const LONG_PO = `a${'😀'.repeat(1500)}`;
const LONG_STYLE = `a${'😀'.repeat(600)}`;
const dialect = chaosDialects.at(-1)!;
const figures = createFigures(import.meta.filename);

describe(`emoji values longer than monday's limits (${dialect})`, () => {
  let t: TestDatabase;
  let s: InProcessScenario;
  const errors: string[] = [];
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    s = await startInProcess(t, {
      token: createSecrets().token,
      pipeline: 'surrogates',
      config: { customers: [{ name: 'GREYSON' }, { name: 'WHITE FOX' }] },
      seed: async () => {
        const orders = [['EMO-PO', 'GREYSON', 'Tour Polo', LONG_PO], ['EMO-NAME', 'GREYSON', LONG_STYLE, 'PO-2'], ['CLEAN-1', 'WHITE FOX', 'Tour Polo', 'PO-1']];
        for (const [key, customer, style, po] of orders) {
          await sql`insert into order_list (order_number, customer_name, customer_season, customer_style, color, po_number, order_date, total_quantity)
            values (${key}, ${customer}, '2025 FALL', ${style}, 'Black', ${po}, '2025-01-02', '12')`.execute(t.database.db);
          await sql`insert into order_list_lines (line_key, order_number, line_number, size, quantity) values (${`${key}-01`}, ${key}, 1, 'M', '12')`.execute(t.database.db);
        }
      },
    });
    for (let run = 0; run < 2; run++) await s.run().catch((error: unknown) => errors.push((error as Error).message));
    figures.add({ runs: 2, badInputs: 2 });
  }, 120_000);
  afterAll(async () => {
    await s?.close();
    await t?.dispose();
    figures.flush();
  });

  const states = async (): Promise<Record<string, string>> =>
    Object.fromEntries((await sql<{ k: string; s: string }>`select order_number as k, sync_state as s from order_list`.execute(t.database.db)).rows.map((r) => [r.k, r.s]));

  it('never stops a run', () => {
    expect(errors).toEqual([]);
  });

  it('syncs a value cut at a character boundary, fails a name that is too long with its reason, and syncs the other customer', async () => {
    expect(await states()).toEqual({ 'EMO-PO': 'SYNCED', 'EMO-NAME': 'FAILED', 'CLEAN-1': 'SYNCED' });
    const item = s.emulator.snapshot().items.find((i) => i.column_values.text_mkr5ord0 === 'EMO-PO');
    expect(item?.column_values.text_mkr5q6n2).toBe(`a${'😀'.repeat(999)}`);
    const reason = (await sql<{ r: string }>`select sync_error_message as r from order_list where order_number = 'EMO-NAME'`.execute(t.database.db)).rows[0]?.r;
    expect(reason).toMatch(/^name: \d+ characters; monday allows 1–255 \(built by .*; \w+ alone is \d+\)$/);
  });

  it('closes every run row with its summary', async () => {
    const runs = await t.database.db.selectFrom('ordersync_runs').select(['status', 'summary']).where('pipeline', '=', 'surrogates').execute();
    expect(runs).toHaveLength(2);
    expect(runs.filter((r) => r.status === 'RUNNING' || r.summary === null)).toEqual([]);
  });

  it('is never created twice on monday', () => {
    const duplicates = findDuplicates(s.emulator.snapshot());
    figures.add({ duplicatesFound: duplicates.length });
    expect(duplicates).toEqual([]);
  });
});
