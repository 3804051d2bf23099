/**
 * Connections for transactions: each lane is a postgres.js client of exactly one connection,
 * lent to one transaction at a time. A lane counts the closes of its connection, so a transaction
 * can tell — synchronously, before it sends anything — that the session it began on is gone.
 */
import postgres from 'postgres';

/** One single-connection client and how often its connection has closed. */
export interface Lane {
  sql: postgres.Sql;
  /** Closes of the lane's connection so far (a graceful end counts too). */
  closes(): number;
}

/** A bounded set of lanes, created on first use. */
export interface TransactionLanes {
  /** A free lane; waits while `max` lanes are lent out. */
  acquire(): Promise<Lane>;
  release(lane: Lane): void;
  /** Ends every lane, waiting at most `timeoutS` seconds for queries in flight. */
  end(timeoutS: number): Promise<void>;
}

/** Lanes to `url`; `options` are the pool's own postgres.js options. */
export function createTransactionLanes(url: string, options: postgres.Options<Record<string, postgres.PostgresType>>, max: number): TransactionLanes {
  const all: Lane[] = [];
  const free: Lane[] = [];
  const waiting: ((lane: Lane) => void)[] = [];
  const open = (): Lane => {
    let closes = 0;
    // Never recycled by postgres.js on its own: a transaction must not see its connection replaced.
    const sql = postgres(url, { ...options, max: 1, idle_timeout: 0, max_lifetime: null, onclose: () => { closes++; } });
    const lane = { sql, closes: () => closes };
    all.push(lane);
    return lane;
  };
  return {
    async acquire() {
      const lane = free.pop() ?? (all.length < max ? open() : null);
      return lane ?? new Promise<Lane>((resolve) => waiting.push(resolve));
    },
    release(lane) {
      const next = waiting.shift();
      if (next) next(lane);
      else free.push(lane);
    },
    async end(timeoutS) {
      await Promise.all(all.map((lane) => lane.sql.end({ timeout: timeoutS }).catch(() => {})));
    },
  };
}
