/** The plugin context: every side effect a plugin may use, handed in rather than imported. */
import type { Kysely } from 'kysely';
import type { EngineTables } from '../../db/tables.ts';
import type { MondayClient } from '../../monday/types.ts';
import type { Logger } from '../logger.ts';

/** Everything a plugin may touch. */
export interface PluginContext {
  /** The engine database (PGlite or PostgreSQL); source tables are reached with `sql`. */
  db: Kysely<EngineTables>;
  /** The monday.com client (the emulator by default). */
  monday: MondayClient;
  logger: Logger;
  /** This run's sync id, e.g. `202611281530-SYNC-1A2B3C4D`. */
  runId: string;
  pipeline: string;
  /**
   * Set when the run should stop: check it between batches. Do not pass it into requests — a
   * batch in flight finishes and is written back, so nothing is left attempted but unsettled.
   */
  signal: AbortSignal;
  /** Plan only: no writes to the database or monday. */
  dryRun: boolean;
  /** Resend everything in full regardless of fingerprints (`--force`). */
  force: boolean;
  /** Retry FAILED records even when unchanged since they failed (`--retry-failed`). */
  retryFailed: boolean;
  /** Directory of the pipeline file; relative paths in options resolve against it. */
  configDir: string;
  /** The monday board a customer's records go to. */
  boardFor(customer: string): string;
  /** The clock (tests may pin it). */
  now(): Date;
}
