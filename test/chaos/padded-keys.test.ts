/**
 * Known bug, found by the generated rows: an order or line key with surrounding spaces is written
 * to monday trimmed (column-map writes `fieldText(key)`), but looked up untrimmed when a later run
 * adopts what an interrupted attempt created (find-existing.ts). The lookup misses, and the order
 * is created a second time. Here the attempt is interrupted by a response lost after monday
 * committed it, with no retries left (a SIGKILL at the same moment does the same).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { findDuplicates, ITEM_KEY_COLUMN } from './support/check-promises.ts';
import { createFigures } from './support/figures.ts';
import { createSecrets } from './support/find-secrets.ts';
import { startInProcess, type InProcessScenario } from './support/in-process.ts';
import { chaosDialects } from './support/scale.ts';

const dialect = chaosDialects.at(-1)!;
const figures = createFigures(import.meta.filename);

/** Syncs one order keyed `key` through a lost response, then a clean rerun; returns the scenario and the order's state. */
async function lostResponseThenRerun(t: TestDatabase, key: string, pipeline: string): Promise<{ s: InProcessScenario; state: string | undefined }> {
  const insert = (k: string) => sql`insert into order_list (order_number, customer_name, customer_season, customer_style, color, order_date, total_quantity)
    values (${k}, 'GREYSON', '2025 FALL', 'Tour Polo', 'Black', '2025-01-02', '12')`.execute(t.database.db);
  const s = await startInProcess(t, {
    token: createSecrets().token,
    pipeline,
    // One attempt: the lost response is not retried, so the next run must find the item again.
    client: { maxAttempts: 1 },
    config: { customers: [{ name: 'GREYSON' }] },
    // A first order creates the group, so the lost response below is the item's.
    seed: async () => void (await insert(`${pipeline}-first`)),
  });
  await s.run();
  await insert(key);
  s.emulator.setFaults({ dropAfterCommitRate: 1 });
  await s.run();
  s.emulator.setFaults({});
  await s.run();
  figures.add({ runs: 3, badInputs: 1 });
  const state = (await sql<{ s: string }>`select sync_state as s from order_list where order_number = ${key}`.execute(t.database.db)).rows[0]?.s;
  return { s, state };
}

describe(`an order whose key has surrounding spaces (${dialect})`, () => {
  let t: TestDatabase;
  let plain: Awaited<ReturnType<typeof lostResponseThenRerun>>;
  let padded: Awaited<ReturnType<typeof lostResponseThenRerun>>;
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    plain = await lostResponseThenRerun(t, 'KEY-1', 'keys-plain');
    padded = await lostResponseThenRerun(t, 'KEY-2  ', 'keys-padded');
    figures.add({ openBugsReproduced: 1 });
  }, 120_000);
  afterAll(async () => {
    await plain?.s.close();
    await padded?.s.close();
    await t?.dispose();
    figures.flush();
  });

  it('(control) a plain key is found again after a lost response: one item, SYNCED', () => {
    expect(plain.s.emulator.requestLog.filter((r) => r.status === 0), 'one response lost').toHaveLength(1);
    expect(findDuplicates(plain.s.emulator.snapshot())).toEqual([]);
    expect(plain.state).toBe('SYNCED');
  });

  it.fails('is written to monday exactly as the database holds it (bug: trimmed)', () => {
    const keys = padded.s.emulator.snapshot().items.map((i) => i.column_values[ITEM_KEY_COLUMN]);
    expect(keys).toContain('KEY-2  ');
  });

  it.fails('is found again after a lost response, not created twice (bug: two items)', () => {
    expect(findDuplicates(padded.s.emulator.snapshot())).toEqual([]);
  });
});
