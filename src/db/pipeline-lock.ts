/**
 * One run of a pipeline at a time, across processes: a PostgreSQL session advisory lock
 * (released by the server if the process dies). PGlite is one process by construction
 * (its data directory is lock-file guarded), so an in-process set suffices there.
 */
import { sql } from 'kysely';
import type { Database } from '../db/open-database.ts';

/** Another run holds the pipeline's lock. */
export class PipelineLockedError extends Error {
  constructor(pipeline: string) {
    super(`lock: pipeline ${pipeline} is already running (another run or serve process holds its lock); skipped`);
    this.name = 'PipelineLockedError';
  }
}

const heldInProcess = new Set<string>();

/** Runs `fn` while holding the pipeline's lock; throws PipelineLockedError if another run holds it. */
export async function withPipelineLock<T>(database: Database, pipeline: string, fn: () => Promise<T>): Promise<T> {
  const name = `ordersync-pipeline:${pipeline}`;
  if (heldInProcess.has(name)) throw new PipelineLockedError(pipeline);
  heldInProcess.add(name);
  try {
    if (database.dialect !== 'postgres') return await fn();
    // A reserved connection keeps the session (and so the lock) for the whole run.
    return await database.db.connection().execute(async (conn) => {
      const got = await sql<{ ok: boolean }>`select pg_try_advisory_lock(hashtext(${name})) as ok`.execute(conn);
      if (!got.rows[0]?.ok) throw new PipelineLockedError(pipeline);
      try {
        return await fn();
      } finally {
        await sql`select pg_advisory_unlock(hashtext(${name}))`.execute(conn).catch(() => {});
      }
    });
  } finally {
    heldInProcess.delete(name);
  }
}
