/** Rows of `ordersync_runs`: a run is recorded when it starts and closed when it ends. */
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import { pid } from '../runtime/index.ts';
import type { EngineTables, RunStatus } from './tables.ts';

function ownerName(): string {
  let host = 'localhost';
  try {
    host = hostname();
  } catch {
    // No permission to read the host name: the pid still tells runs apart on one machine.
  }
  return `${host}:${pid}`;
}

/** host:pid of this process (Deno without --allow-sys gets `localhost:pid`). */
export const runOwner: string = ownerName();

/** Inserts the RUNNING row of a new run. */
export async function startRunRecord(
  db: Kysely<EngineTables>,
  run: { id: string; pipeline: string; trigger: string; startedAt: Date },
): Promise<void> {
  await db
    .insertInto('ordersync_runs')
    .values({ id: run.id, pipeline: run.pipeline, trigger: run.trigger, status: 'RUNNING', dry_run: false, started_at: run.startedAt, heartbeat_at: run.startedAt, owner: runOwner })
    .execute();
}

/** Shows the run is alive. */
export async function touchRunRecord(db: Kysely<EngineTables>, id: string): Promise<void> {
  await db.updateTable('ordersync_runs').set({ heartbeat_at: new Date() }).where('id', '=', id).execute();
}

/** Closes a run with its status, summary and error. */
export async function finishRunRecord(
  db: Kysely<EngineTables>,
  id: string,
  end: { status: RunStatus; summary: unknown; error: string | null; finishedAt: Date },
): Promise<void> {
  await db
    .updateTable('ordersync_runs')
    .set({ status: end.status, summary: end.summary, error: end.error, finished_at: end.finishedAt, heartbeat_at: end.finishedAt })
    .where('id', '=', id)
    .execute();
}

/** Records where a run's report was written (and the summary completed with the report's own timing). */
export async function setRunReportPath(db: Kysely<EngineTables>, id: string, path: string, summary: unknown): Promise<void> {
  await db.updateTable('ordersync_runs').set({ report_path: path, summary }).where('id', '=', id).execute();
}

/**
 * Marks RUNNING rows of a pipeline as FAILED: called while holding the pipeline lock, so any
 * such row belongs to a process that died mid-run. Returns the ids it closed.
 */
export async function closeAbandonedRuns(db: Kysely<EngineTables>, pipeline: string, byRun: string): Promise<string[]> {
  const rows = await db
    .updateTable('ordersync_runs')
    .set({ status: 'FAILED', finished_at: new Date(), error: `the run stopped without finishing (process killed or crashed); closed by run ${byRun}, which picks up its records` })
    .where('pipeline', '=', pipeline)
    .where('status', '=', 'RUNNING')
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}
