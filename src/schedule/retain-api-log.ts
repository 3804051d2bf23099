/**
 * API-log retention: rows of a pipeline's runs older than the retention are moved to
 * `ordersync_api_log_archive` (or deleted), a small batch per statement so no long transaction
 * holds locks that sync runs appending to the log would wait on.
 */
import { sql, type Kysely } from 'kysely';
import type { EngineTables } from '../db/tables.ts';

/** What to retain and how. */
export interface RetainApiLogOptions {
  /** Only rows of this pipeline's runs. */
  pipeline: string;
  /** Rows created before now minus this many days are moved or deleted. */
  olderThanDays: number;
  /** `archive` moves rows to ordersync_api_log_archive; `delete` drops them. */
  mode: 'archive' | 'delete';
  /** Rows per statement (each its own transaction); default 1000. */
  batchSize?: number;
  now?: Date;
  /** Stops between batches (shutdown). */
  signal?: AbortSignal;
}

/** What a retention pass did. */
export interface RetainApiLogResult {
  rows: number;
  batches: number;
  /** Rows created before this were due. */
  cutoff: Date;
}

/** Default rows per batch. */
export const RETENTION_BATCH_SIZE = 1000;

/** Moves (or deletes) the pipeline's api-log rows older than the retention, in batches. */
export async function retainApiLog(db: Kysely<EngineTables>, options: RetainApiLogOptions): Promise<RetainApiLogResult> {
  const batchSize = options.batchSize ?? RETENTION_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`retention: batchSize must be a positive whole number, got ${batchSize}`);
  const cutoff = new Date((options.now ?? new Date()).getTime() - options.olderThanDays * 86_400_000);
  let rows = 0;
  let batches = 0;
  while (!options.signal?.aborted) {
    // One statement per batch: the delete and the archive insert commit together or not at all.
    // SKIP LOCKED lets two replicas' jobs share the work instead of waiting on each other.
    const due = sql`select l.id from ordersync_api_log as l
      where l.created_at < ${cutoff} and l.run_id in (select r.id from ordersync_runs as r where r.pipeline = ${options.pipeline})
      order by l.id limit ${batchSize} for update of l skip locked`;
    const result = options.mode === 'archive'
      ? await sql<{ n: number }>`with moved as (delete from ordersync_api_log where id in (${due}) returning *),
          archived as (insert into ordersync_api_log_archive
            (id, run_id, attempt_id, entity, record_key, customer, operation, outcome, error, request, response, created_at)
            select id, run_id, attempt_id, entity, record_key, customer, operation, outcome, error, request, response, created_at from moved
            returning 1)
          select count(*)::int as n from archived`.execute(db)
      : await sql<{ n: number }>`with gone as (delete from ordersync_api_log where id in (${due}) returning 1)
          select count(*)::int as n from gone`.execute(db);
    const n = Number(result.rows[0]?.n ?? 0);
    if (n === 0) break;
    rows += n;
    batches++;
    if (n < batchSize) break;
  }
  return { rows, batches, cutoff };
}
