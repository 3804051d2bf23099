/** Kill points and a two-run race with the sync as a child process on an embedded PGlite data directory. */
import { defineKillSuite } from './support/kill-suite.ts';

defineKillSuite('pglite', import.meta.filename);
