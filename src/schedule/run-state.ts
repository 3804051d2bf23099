/** Reads a pipeline's run history from `ordersync_runs` for health, missed-run and notification decisions. */
import type { Kysely } from 'kysely';
import { runOwner } from '../db/run-record.ts';
import type { EngineTables, RunStatus } from '../db/tables.ts';

/** One run as `/healthz` shows it. */
export interface RunInfo {
  id: string;
  status: RunStatus;
  trigger: string;
  startedAt: string;
  finishedAt: string | null;
  /** host:pid of the process that ran it. */
  owner: string;
}

/** The newest finished run and the newest run still going (any process). */
export interface RunState {
  last: RunInfo | null;
  running: RunInfo | null;
}

/** Reads the pipeline's newest finished and running runs (dry runs are not recorded). */
export async function readRunState(db: Kysely<EngineTables>, pipeline: string): Promise<RunState> {
  const rows = await db.selectFrom('ordersync_runs').select(['id', 'status', 'trigger', 'started_at', 'finished_at', 'owner'])
    .where('pipeline', '=', pipeline).where('dry_run', '=', false)
    .orderBy('started_at', 'desc').limit(5).execute();
  const last = rows.find((r) => r.status !== 'RUNNING');
  const running = rows.find((r) => r.status === 'RUNNING');
  return { last: last ? toRunInfo(last) : null, running: running ? toRunInfo(running) : null };
}

/** When the newest recorded run of the pipeline started, or null if it never ran. */
export async function readLastStartedAt(db: Kysely<EngineTables>, pipeline: string): Promise<Date | null> {
  const row = await db.selectFrom('ordersync_runs').select('started_at')
    .where('pipeline', '=', pipeline).where('dry_run', '=', false)
    .orderBy('started_at', 'desc').limit(1).executeTakeFirst();
  return row ? new Date(row.started_at) : null;
}

/** The newest run this process started for the pipeline at or after `since` (a run that threw), or null. */
export async function findOwnRunSince(db: Kysely<EngineTables>, pipeline: string, since: Date): Promise<RunInfo | null> {
  const row = await db.selectFrom('ordersync_runs').select(['id', 'status', 'trigger', 'started_at', 'finished_at', 'owner'])
    .where('pipeline', '=', pipeline).where('owner', '=', runOwner).where('started_at', '>=', new Date(since.getTime() - 1_000))
    .orderBy('started_at', 'desc').limit(1).executeTakeFirst();
  return row ? toRunInfo(row) : null;
}

function toRunInfo(row: { id: string; status: RunStatus; trigger: string; started_at: Date; finished_at: Date | null; owner: string }): RunInfo {
  return {
    id: row.id, status: row.status, trigger: row.trigger, startedAt: new Date(row.started_at).toISOString(),
    finishedAt: row.finished_at ? new Date(row.finished_at).toISOString() : null, owner: row.owner,
  };
}
