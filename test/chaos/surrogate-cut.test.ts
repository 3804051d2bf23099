/**
 * Known bug, found by the generated rows: values are cut by UTF-16 code units (text and
 * long_text at 2000, names at 1000), which can split an emoji's surrogate pair. PostgreSQL's
 * jsonb refuses the lone half ("invalid input syntax for type json: Unicode low surrogate must
 * follow a high surrogate"), so writing back the API payload throws and the run stops — on every
 * rerun again, at the same record, before any later customer is reached: one value blocks the
 * whole pipeline. (A name cut at 1000 does the same to the run summary: the run row stays RUNNING.)
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { findDuplicates } from './support/check-promises.ts';
import { createFigures } from './support/figures.ts';
import { createSecrets } from './support/find-secrets.ts';
import { startInProcess, type InProcessScenario } from './support/in-process.ts';
import { chaosDialects } from './support/scale.ts';

// 'a' then 1500 emoji: code unit 1999 — the last one kept by a cut at 2000 — is a high surrogate.
const PO_NUMBER = `a${'😀'.repeat(1500)}`;
const dialect = chaosDialects.at(-1)!;
const figures = createFigures(import.meta.filename);

describe(`an emoji value longer than a text column holds (${dialect})`, () => {
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
        for (const [key, customer, po] of [['EMO-1', 'GREYSON', PO_NUMBER], ['CLEAN-1', 'WHITE FOX', 'PO-1']]) {
          await sql`insert into order_list (order_number, customer_name, customer_season, customer_style, color, po_number, order_date, total_quantity)
            values (${key}, ${customer}, '2025 FALL', 'Tour Polo', 'Black', ${po}, '2025-01-02', '12')`.execute(t.database.db);
          await sql`insert into order_list_lines (line_key, order_number, line_number, size, quantity) values (${`${key}-01`}, ${key}, 1, 'M', '12')`.execute(t.database.db);
        }
      },
    });
    for (let run = 0; run < 3; run++) await s.run().catch((error: unknown) => errors.push((error as Error).message));
    figures.add({ runs: 3, badInputs: 1 });
  }, 120_000);
  afterAll(async () => {
    await s?.close();
    await t?.dispose();
    figures.flush();
  });

  it('is never created twice on monday, however often the run is retried', () => {
    const duplicates = findDuplicates(s.emulator.snapshot());
    figures.add({ duplicatesFound: duplicates.length });
    expect(duplicates).toEqual([]);
  });

  it.fails('is synced with its text cut at a character boundary (bug: every run stops with "invalid input syntax for type json")', async () => {
    const row = (await sql<{ sync_state: string }>`select sync_state from order_list where order_number = 'EMO-1'`.execute(t.database.db)).rows[0];
    expect({ errors, state: row?.sync_state }).toEqual({ errors: [], state: 'SYNCED' });
  });

  it.fails("does not keep another customer's clean order from syncing (bug: it stays PENDING for ever)", async () => {
    const row = (await sql<{ sync_state: string }>`select sync_state from order_list where order_number = 'CLEAN-1'`.execute(t.database.db)).rows[0];
    expect(row?.sync_state).toBe('SYNCED');
  });
});
