/** Kill points and a two-run race with the sync as a child process on PostgreSQL (needs DATABASE_URL). */
import { describe, it } from 'vitest';
import { defineKillSuite } from './support/kill-suite.ts';

if (process.env.DATABASE_URL) defineKillSuite('postgres', import.meta.filename);
else describe('kill points on PostgreSQL', () => it.skip('needs DATABASE_URL', () => {}));
