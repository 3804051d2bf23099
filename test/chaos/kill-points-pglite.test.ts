import { defineKillSuite } from './support/kill-suite.ts';

defineKillSuite('pglite', import.meta.filename);
