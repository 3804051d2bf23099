/** Rows of `ordersync_runs`: a run is recorded when it starts and closed when it ends. */
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import { isProcessAlive, pid } from '../runtime/index.ts';
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

/** Closes a run that is still RUNNING as INTERRUPTED with `reason`; false when the row was closed already (or never written). */
export async function interruptRunRecord(db: Kysely<EngineTables>, id: string, reason: string, finishedAt = new Date()): Promise<boolean> {
  const result = await db.updateTable('ordersync_runs').set({ status: 'INTERRUPTED', error: reason, finished_at: finishedAt, heartbeat_at: finishedAt })
    .where('id', '=', id).where('status', '=', 'RUNNING').executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Records where a run's report was written (and the summary completed with the report's own timing). */
export async function setRunReportPath(db: Kysely<EngineTables>, id: string, path: string, summary: unknown): Promise<void> {
  await db.updateTable('ordersync_runs').set({ report_path: path, summary }).where('id', '=', id).execute();
}

/** Whether a RUNNING row's run is certainly gone: its heartbeat stopped, or its process on this host no longer exists. */
export function isAbandoned(row: { owner: string | null; heartbeatAt: Date }, staleAfterMs: number, now = Date.now()): boolean {
  if (now - row.heartbeatAt.getTime() > staleAfterMs) return true;
  const [host, pidText] = (row.owner ?? '').split(':');
  return host === runOwner.split(':')[0] && pidText !== undefined && !isProcessAlive(Number(pidText));
}

/**
 * Marks RUNNING rows of a pipeline whose run is gone as INTERRUPTED (called while holding the
 * pipeline lock): it stopped part-way, and this run picks up its records. A RUNNING row of a run that is alive though it lost its lock is returned in `alive` and
 * never closed: that run notices at its next check and stops.
 */
export async function closeAbandonedRuns(
  db: Kysely<EngineTables>, pipeline: string, byRun: string, gone: (row: { id: string; owner: string | null; heartbeatAt: Date }) => boolean,
): Promise<{ closed: string[]; alive: { id: string; owner: string | null; heartbeatAt: Date }[] }> {
  const running = (await db.selectFrom('ordersync_runs').select(['id', 'owner', 'heartbeat_at']).where('pipeline', '=', pipeline).where('status', '=', 'RUNNING').execute())
    .map((r) => ({ id: r.id, owner: r.owner, heartbeatAt: new Date(r.heartbeat_at as unknown as string) }));
  const closed = running.filter(gone).map((r) => r.id);
  if (closed.length > 0) {
    await db.updateTable('ordersync_runs')
      .set({ status: 'INTERRUPTED', finished_at: new Date(), error: `the run stopped without finishing (its process was killed, crashed or lost the database); closed by run ${byRun}, which picks up its records` })
      .where('id', 'in', closed).where('status', '=', 'RUNNING').execute();
  }
  return { closed, alive: running.filter((r) => !closed.includes(r.id)) };
}
