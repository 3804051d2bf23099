/**
 * Found by the kill points (fixed in 49380c2): a subitem created by a run that was killed
 * before it wrote the subitem's id back was adopted by the next run — never duplicated — but then
 * updated on board '' and left FAILED ("InvalidBoardIdException: Board not found").
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoOrders } from '../../src/db/seed-demo.ts';
import { killAllChildren } from './support/cli-child.ts';
import { createPgliteTemplate, createSecretRole } from './support/chaos-database.ts';
import { startChaosTarget, type ChaosTarget, type DatabaseSource } from './support/chaos-target.ts';
import { createFigures } from './support/figures.ts';
import { createSecrets } from './support/find-secrets.ts';
import { runKilledAt, runToEnd } from './support/kill-run.ts';
import { chaosDialects } from './support/scale.ts';

const SEED = { customers: ['GREYSON'], ordersPerCustomer: 1, dirty: false };
const seeded = generateDemoOrders(SEED);
const dialect = chaosDialects.at(-1)!;
const secrets = createSecrets();
const figures = createFigures(import.meta.filename);

describe(`a subitem created by a run killed before it settled (${dialect})`, () => {
  let t: ChaosTarget;
  const cleanup: (() => Promise<void>)[] = [];
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
    t = await startChaosTarget({ source, token: secrets.token, seed: SEED, expected: { orders: seeded.orders.length, lines: seeded.lines.length }, config: { customers: [{ name: 'GREYSON' }] } });
    cleanup.push(() => t.close());
    const killed = await runKilledAt(t, { label: 'first subitem batch committed, response withheld', request: { kind: 'create_subitem', nth: 1, moment: 'committed' } });
    expect(killed.killed).toBe(true);
    const rerun = await runToEnd(t);
    expect(rerun.exit.signal).toBeNull();
    figures.add({ runs: 2, killPointsTried: 1 });
  }, 180_000);
  afterEach(killAllChildren);
  afterAll(async () => {
    await killAllChildren();
    for (const c of cleanup.reverse()) await c();
    figures.flush();
  });

  it('is adopted, not created twice, and any failure carries its reason', async () => {
    const check = await t.check(true);
    figures.add({ recordsChecked: check.records, duplicatesFound: check.duplicates.length, recordsLost: check.lost.length, disagreements: check.disagreements.length });
    expect(check).toMatchObject({ duplicates: [], lost: [], unexplained: [], disagreements: [] });
  });

  it('ends SYNCED after one normal rerun, like every other line', async () => {
    const check = await t.check(true);
    expect(check.states).toEqual({ PENDING: 0, FAILED: 0, SYNCED: seeded.orders.length + seeded.lines.length });
  });
});
