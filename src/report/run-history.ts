/** Reads run history from `ordersync_runs`: the list behind `ordersync runs` and one run's stored summary. */
import { sql, type Kysely } from 'kysely';
import type { EngineTables, RunStatus } from '../db/tables.ts';
import type { RecordCounts, RunSummary } from '../pipeline/run-summary.ts';

/** One run as `ordersync runs` shows it. */
export interface RunHistoryRow {
  id: string;
  pipeline: string;
  trigger: string;
  status: RunStatus;
  dry_run: boolean;
  started_at: Date;
  finished_at: Date | null;
  /** finished_at − started_at; null while running. */
  duration_ms: number | null;
  /** The run's record totals from its summary; null when it has none (running, crashed). */
  totals: RecordCounts | null;
  report_path: string | null;
  error: string | null;
}

/** A stored run with its summary. */
export interface StoredRun {
  id: string;
  pipeline: string;
  status: RunStatus;
  dry_run: boolean;
  summary: RunSummary | null;
}

/** The latest runs, newest first, optionally of one pipeline. */
export async function listRuns(db: Kysely<EngineTables>, options: { limit: number; pipeline?: string }): Promise<RunHistoryRow[]> {
  const rows = await db
    .selectFrom('ordersync_runs')
    .select(['id', 'pipeline', 'trigger', 'status', 'dry_run', 'started_at', 'finished_at', 'report_path', 'error'])
    .select(sql<unknown>`summary -> 'totals'`.as('totals'))
    .$if(options.pipeline !== undefined, (qb) => qb.where('pipeline', '=', options.pipeline ?? ''))
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit)
    .execute();
  return rows.map((row) => {
    const started = new Date(row.started_at);
    const finished = row.finished_at === null ? null : new Date(row.finished_at);
    return {
      ...row,
      started_at: started,
      finished_at: finished,
      duration_ms: finished ? finished.getTime() - started.getTime() : null,
      totals: parseJson(row.totals) as RecordCounts | null,
    };
  });
}

/** One run with its stored summary; undefined when the id is unknown. */
export async function findRun(db: Kysely<EngineTables>, id: string): Promise<StoredRun | undefined> {
  const row = await db
    .selectFrom('ordersync_runs')
    .select(['id', 'pipeline', 'status', 'dry_run', 'summary'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row && { ...row, summary: parseJson(row.summary) as RunSummary | null };
}

// A jsonb value written as a JSON string (postgres.js with JSON.stringify) arrives as a string.
function parseJson(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? null;
  try {
    return JSON.parse(value);
  } catch {
    return null;
  }
}
