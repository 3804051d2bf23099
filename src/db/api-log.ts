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

/** Inserts attempt rows (append-only; never updated). */
export async function appendApiLog(db: Kysely<EngineTables>, entries: ApiLogEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insertInto('ordersync_api_log')
    .values(
      entries.map((e) => ({
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
      })),
    )
    .execute();
}
