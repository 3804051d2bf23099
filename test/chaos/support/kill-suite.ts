/**
 * The kill-point suite for one dialect: the sync runs as a real child process and is SIGKILLed
 * at each point of a scenario (one run per point, each recovering from the last kill), then runs
 * to completion; promises 1–3 (and 5) are checked after every kill and at the end. Then two runs
 * of the pipeline are started together: one goes ahead, the other exits 3.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoOrders, type DemoSeedOptions } from '../../../src/db/seed-demo.ts';
import { killAllChildren, spawnCli } from './cli-child.ts';
import { createPgliteTemplate, createSecretRole, type SecretRole } from './chaos-database.ts';
import { findDuplicates } from './check-promises.ts';
import { startChaosTarget, type DatabaseSource } from './chaos-target.ts';
import { createFigures } from './figures.ts';
import { createSecrets } from './find-secrets.ts';
import { CI_SCENARIOS, fullScenarios } from './kill-catalogue.ts';
import { runKilledAt, runToEnd } from './kill-run.ts';
import { FULL, scaled } from './scale.ts';

/** Three customers on two boards, three orders each (about 70 records, ~20 mutation requests a run). */
export const KILL_SEED: DemoSeedOptions = { customers: ['GREYSON', 'PELOTON', 'WHITE FOX'], ordersPerCustomer: 3, dirty: false };

/** Registers the kill-point tests of one dialect. */
export function defineKillSuite(dialect: 'pglite' | 'postgres', testFile: string): void {
  const scenarios = scaled(CI_SCENARIOS, fullScenarios(dialect));
  const seeded = generateDemoOrders(KILL_SEED);
  const expected = { orders: seeded.orders.length, lines: seeded.lines.length };
  const secrets = createSecrets();
  const figures = createFigures(testFile);
  let source: DatabaseSource;
  const cleanup: (() => Promise<void>)[] = [];

  describe(`a sync SIGKILLed at any point recovers with nothing lost or duplicated (${dialect})`, () => {
    beforeAll(async () => {
      if (dialect === 'pglite') {
        const template = await createPgliteTemplate(KILL_SEED);
        cleanup.push(template.dispose);
        source = { template: template.dir };
      } else {
        const role: SecretRole = await createSecretRole(secrets.password);
        cleanup.push(role.drop);
        source = { role };
      }
    }, 180_000);
    afterEach(killAllChildren);
    afterAll(async () => {
      await killAllChildren();
      for (const c of cleanup.reverse()) await c();
      figures.flush();
    });

    for (const scenario of scenarios) {
      it(`recovers: ${scenario.name}`, async () => {
        const t = await startChaosTarget({ source, token: secrets.token, expected, seed: KILL_SEED, faults: scenario.faults });
        const outputs: Record<string, string> = {};
        try {
          for (const [n, point] of scenario.kills.entries()) {
            const run = await runKilledAt(t, point);
            outputs[`run ${n + 1} (killed ${point.label})`] = run.output;
            figures.add({ runs: 1 });
            expect(run.killed, `kill point "${point.label}" was not reached (exit ${JSON.stringify(run.exit)}):\n${run.output.slice(-2000)}`).toBe(true);
            figures.add({ killPointsTried: 1 });
            // Promise 2 needs only monday's state; the database is read too where that is cheap
            // (PostgreSQL, or PGlite at full size: each look opens the data directory).
            const after = dialect === 'postgres' || FULL ? await t.check(false) : { records: 0, lost: [], disagreements: [], duplicates: findDuplicates(t.emulator.snapshot()) };
            figures.add({ recordsChecked: after.records, duplicatesFound: after.duplicates.length, recordsLost: after.lost.length, disagreements: after.disagreements.length });
            expect({ point: point.label, duplicates: after.duplicates, lost: after.lost, disagreements: after.disagreements }).toEqual({ point: point.label, duplicates: [], lost: [], disagreements: [] });
          }
          let code: number | null = null;
          for (let rerun = 1; rerun <= 4; rerun++) {
            const run = await runToEnd(t);
            outputs[`completion run ${rerun}`] = run.output;
            figures.add({ runs: 1 });
            expect(run.exit.signal, run.output.slice(-2000)).toBeNull();
            code = run.exit.code;
            if (!/[1-9]\d* pending/.test(run.output)) break; // the run's own count, per customer
          }
          const { check: final, scan } = await t.finalCheck([secrets.token, secrets.password], outputs);
          figures.add({ recordsChecked: final.records, duplicatesFound: final.duplicates.length, recordsLost: final.lost.length, recordsUnexplained: final.unexplained.length, disagreements: final.disagreements.length });
          figures.add({ secretPlacesScanned: scan.places, secretsFound: scan.leaks.length });
          // Clean data: every record ends SYNCED.
          expect(final).toMatchObject({ lost: [], unexplained: [], duplicates: [], disagreements: [], states: { PENDING: 0, FAILED: 0, SYNCED: expected.orders + expected.lines } });
          expect(code, 'exit code of the last run').toBe(0);
          figures.add({ killPointsSurvived: scenario.kills.length });
          expect(scan.leaks).toEqual([]);
        } finally {
          await killAllChildren();
          await t.close();
        }
      }, scaled(240_000, 480_000));
    }

    it('lets one of two runs started together go ahead and turns the other away with exit 3', async () => {
      const t = await startChaosTarget({ source, token: secrets.token, expected, seed: KILL_SEED });
      try {
        const args = ['run', t.config, '--log-format', 'json'];
        const a = spawnCli(args, { cwd: t.dir, env: t.env });
        const b = spawnCli(args, { cwd: t.dir, env: t.env });
        // monday answers nobody until one of them has given up, so the two surely overlap (at most 60 s).
        t.proxy.hold(Promise.race([a.exited, b.exited, sleep(60_000)]));
        const exits = [(await a.exited).code, (await b.exited).code].sort();
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
}
