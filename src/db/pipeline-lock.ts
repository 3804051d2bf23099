/**
 * One run of a pipeline at a time, across processes: a PostgreSQL session advisory lock on a
 * client of its own (Database.openSession; released by the server if the process dies). Its
 * queries, like every query, fail by rejecting when the connection is gone. The holder checks it before
 * every batch it sends: a lock whose connection died (an admin, an idle timeout, a failover) is
 * lost, and the run must stop. PGlite is one process by construction (its data directory is
 * lock-file guarded), so an in-process set suffices there.
 */
import type { Database } from './open-database.ts';

/** Another run holds the pipeline's lock (or is still alive without it). */
export class PipelineLockedError extends Error {
  constructor(pipeline: string, why = 'another run or serve process holds its lock') {
    super(`lock: pipeline ${pipeline} is already running (${why}); skipped`);
    this.name = 'PipelineLockedError';
  }
}

/** The held lock. */
export interface PipelineLock {
  /** True while the lock is still held (its connection alive and the lock granted); never throws. */
  check(): Promise<boolean>;
}

const heldInProcess = new Set<string>();

/** Runs `fn` while holding the pipeline's lock; throws PipelineLockedError if another run holds it. */
export async function withPipelineLock<T>(database: Database, pipeline: string, fn: (lock: PipelineLock) => Promise<T>): Promise<T> {
  const name = `ordersync-pipeline:${pipeline}`;
  if (database.dialect !== 'postgres') {
    if (heldInProcess.has(name)) throw new PipelineLockedError(pipeline);
    heldInProcess.add(name);
    try {
      return await fn({ check: async () => true });
    } finally {
      heldInProcess.delete(name);
    }
  }
  // A session of its own keeps the lock for the whole run; if its connection dies, a reconnect is a new
  // session without the lock, and the check below sees that.
  const session = database.openSession!();
  try {
    const got = await session.query<{ ok: boolean }>('select pg_try_advisory_lock(hashtext($1)) as ok', [name]);
    if (!got[0]?.ok) throw new PipelineLockedError(pipeline);
    let lost = false;
    const lock: PipelineLock = {
      async check() {
        if (lost) return false;
        try {
          // This session holds exactly this advisory lock; a dead or replaced connection holds none.
          const held = await session.query<{ n: number }>("select count(*)::int as n from pg_locks where locktype = 'advisory' and granted and pid = pg_backend_pid()", []);
          lost = Number(held[0]?.n ?? 0) === 0;
        } catch {
          lost = true;
        }
        return !lost;
      },
    };
    try {
      return await fn(lock);
    } finally {
      if (!lost) await session.query('select pg_advisory_unlock(hashtext($1))', [name]).catch(() => {});
    }
  } finally {
    await session.close().catch(() => {});
  }
}
