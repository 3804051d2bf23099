/** Appends to `ordersync_api_log`: one row per record per attempt, with its own request and response. */
import type { Kysely } from 'kysely';
import type { EngineTables } from './tables.ts';

/** One attempt of one record. */
export interface ApiLogEntry {
  runId: string;
  attemptId: string;
  entity: string;
  recordKey: string;
  customer: string | null;
  operation: string;
  outcome: 'PENDING' | 'SYNCED' | 'FAILED';
  error: string | null;
  request: unknown;
  response: unknown;
}

// A row binds 10 parameters; PostgreSQL takes at most 65,535 in one statement.
const MAX_ROWS = 6_000;

/** Inserts attempt rows (append-only; never updated): one multi-row INSERT per batch (per 6,000 rows). */
export async function appendApiLog(db: Kysely<EngineTables>, entries: ApiLogEntry[]): Promise<void> {
  for (let i = 0; i < entries.length; i += MAX_ROWS) {
    const rows = entries.slice(i, i + MAX_ROWS).map((e) => ({
      run_id: e.runId,
      attempt_id: e.attemptId,
      entity: e.entity,
      record_key: e.recordKey,
      customer: e.customer,
      operation: e.operation,
      outcome: e.outcome,
      error: e.error,
      request: e.request ?? null,
      response: e.response ?? null,
    }));
    await db.insertInto('ordersync_api_log').values(rows).execute();
  }
}
