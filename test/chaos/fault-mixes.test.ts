/**
 * Fault mixes: the emulator injects latency, 5xx, 429, responses dropped after commit, 423
 * locked boards and tiny complexity budgets, in combinations; the pipeline reruns until nothing
 * is pending (bounded). Whatever failed, promises 1–3 (and 5) hold.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/db/seed-demo.ts';
import type { EmulatorOptions } from '../../src/emulator/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { findDuplicates } from './support/check-promises.ts';
import { createFigures } from './support/figures.ts';
import { createSecrets, findSecrets } from './support/find-secrets.ts';
import { startInProcess } from './support/in-process.ts';
import { chaosDialects, FULL, scaled } from './support/scale.ts';

const PELOTON_BOARD = '9609317401';
const TINY = { points: 200_000, windowMs: 1000 };

interface Mix {
  name: string;
  emulator: EmulatorOptions;
  /** Slow by design (an injected 429 asks for a 5 s wait): one dialect only, even at full size. */
  slow?: boolean;
}

const CI_MIXES: Mix[] = [
  { name: 'latency 30 ms, 20% 5xx, 15% dropped after commit', emulator: { faults: { latencyMs: 30, rate5xx: 0.2, dropAfterCommitRate: 0.15, seed: 3 } } },
  { name: 'tiny budget (200k points a second), 10% 5xx', emulator: { budget: TINY, faults: { latencyMs: 5, rate5xx: 0.1, seed: 5 } } },
  { name: "PELOTON's board locked (423), 10% 5xx, 10% dropped after commit", emulator: { faults: { lockedBoards: [PELOTON_BOARD], rate5xx: 0.1, dropAfterCommitRate: 0.1, seed: 7 } } },
];

const FULL_MIXES: Mix[] = [
  ...CI_MIXES,
  { name: '40% 5xx', emulator: { faults: { rate5xx: 0.4, seed: 17 } } },
  { name: '35% dropped after commit', emulator: { faults: { latencyMs: 10, dropAfterCommitRate: 0.35, seed: 19 } } },
  { name: '8% 429, latency 20 ms', emulator: { faults: { latencyMs: 20, rate429: 0.08, seed: 23 } }, slow: true },
  { name: 'tiny budget (200k points a second), 3% 429', emulator: { budget: TINY, faults: { latencyMs: 5, rate429: 0.03, seed: 5 } }, slow: true },
  { name: 'tiny budget, 15% 5xx, 10% dropped after commit', emulator: { budget: TINY, faults: { rate5xx: 0.15, dropAfterCommitRate: 0.1, seed: 29 } } },
  { name: 'everything at once: latency, 5xx, 429, drops, tiny budget', emulator: { budget: TINY, faults: { latencyMs: 20, rate5xx: 0.15, rate429: 0.05, dropAfterCommitRate: 0.15, seed: 31 } }, slow: true },
  { name: 'locked board and a tiny budget', emulator: { budget: TINY, faults: { lockedBoards: [PELOTON_BOARD], seed: 37 } } },
  { name: 'latency 30 ms, 20% 5xx, 15% dropped after commit (another seed)', emulator: { faults: { latencyMs: 30, rate5xx: 0.2, dropAfterCommitRate: 0.15, seed: 41 } } },
  { name: 'tinier budget (120k points a second), 25% dropped after commit', emulator: { budget: { points: 120_000, windowMs: 1000 }, faults: { dropAfterCommitRate: 0.25, seed: 43 } } },
];

const CUSTOMERS = [{ name: 'GREYSON' }, { name: 'PELOTON', board: PELOTON_BOARD }, { name: 'WHITE FOX' }];
const mixes = scaled(CI_MIXES, FULL_MIXES);
const maxRuns = scaled(4, 8);
const secrets = createSecrets();
const figures = createFigures(import.meta.filename);

describe.each(chaosDialects)('a sync under fault mixes on %s', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
  }, 120_000);
  afterAll(async () => {
    await t?.dispose();
    if (dialect === chaosDialects.at(-1)) figures.flush();
  });

  mixes.forEach((mix, n) => {
    // Inside `npm test` (and for slow mixes) each mix runs on one dialect, in turn; at full size on every dialect.
    it.runIf((FULL && !mix.slow) || chaosDialects[n % chaosDialects.length] === dialect)(`keeps every record once and accounted for: ${mix.name}`, async () => {
      const s = await startInProcess(t, {
        token: secrets.token,
        pipeline: `faults-${n + 1}`,
        emulator: mix.emulator,
        config: { customers: CUSTOMERS },
        seed: async () => void (await seedDemo(t.database.db, { customers: CUSTOMERS.map((c) => c.name), ordersPerCustomer: scaled(3, 4), dirty: false })),
      });
      try {
        const locked = new Set(mix.emulator.faults?.lockedBoards ?? []);
        const onLocked = (customer: string): boolean => locked.has(CUSTOMERS.find((c) => c.name === customer)?.board ?? '');
        const states = async (): Promise<{ customer_name: string; sync_state: string }[]> =>
          (await sql<{ customer_name: string; sync_state: string }>`select customer_name, sync_state from order_list
            union all select h.customer_name, l.sync_state from order_list_lines l join order_list h using (order_number)`.execute(t.database.db)).rows;
        // Rerun until nothing is pending except on a locked board (which can never succeed), at most maxRuns times.
        let runs = 0;
        while (runs < maxRuns && (await states()).some((r) => r.sync_state === 'PENDING' && !onLocked(r.customer_name))) {
          await s.run();
          runs++;
          expect(findDuplicates(s.emulator.snapshot())).toEqual([]);
        }
        const final = await s.check(true);
        figures.add({ faultMixes: 1, runs, recordsChecked: final.records, duplicatesFound: final.duplicates.length, recordsLost: final.lost.length, recordsUnexplained: final.unexplained.length, disagreements: final.disagreements.length });
        expect(final).toMatchObject({ lost: [], unexplained: [], duplicates: [], disagreements: [] });

        const rows = await states();
        expect(rows.filter((r) => onLocked(r.customer_name) && r.sync_state === 'SYNCED'), 'nothing reaches a locked board').toEqual([]);
        expect(rows.filter((r) => !onLocked(r.customer_name) && r.sync_state === 'PENDING'), `still pending after ${runs} runs`).toEqual([]);

        const scan = await findSecrets([secrets.token], { outputs: { 'log (json, debug)': s.log.join('\n') }, db: t.database.db, paths: [s.reportsDir] });
        figures.add({ secretPlacesScanned: scan.places, secretsFound: scan.leaks.length });
        expect(scan.leaks).toEqual([]);
      } finally {
        await s.close();
      }
    }, scaled(120_000, 300_000));
  });
});
