/** Kill points and a two-run race with the sync as a child process on PostgreSQL (needs DATABASE_URL). */
import { afterAll, describe, it } from 'vitest';
import { createFigures } from './support/figures.ts';
import { defineKillSuite } from './support/kill-suite.ts';

if (process.env.DATABASE_URL) defineKillSuite('postgres', import.meta.filename);
else {
  describe('kill points on PostgreSQL', () => it.skip('needs DATABASE_URL', () => {}));
  // Still report (nothing), so the run's figures are complete.
  afterAll(() => createFigures(import.meta.filename).flush());
}
