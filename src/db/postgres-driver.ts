/**
 * A kysely dialect over postgres.js that never reserves a pooled connection. Single queries run
 * on the pool (a dead connection is replaced there, and a query on it is rejected); a transaction
 * runs on a lane of its own (transaction-lanes.ts) and, once that lane's connection has closed,
 * is refused without sending anything. Why: postgres.js crashes the process (a write to a null
 * socket in a setImmediate) when a query runs on a reserved connection whose backend died, and a
 * released dead connection poisons the pool the same way.
 */
import {
  AbortedTransactionError, CompiledQuery, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler,
  type DatabaseConnection, type Dialect, type Driver, type Kysely, type QueryResult, type TransactionSettings,
} from 'kysely';
import postgres from 'postgres';
import { createTransactionLanes, type Lane, type TransactionLanes } from './transaction-lanes.ts';

/** postgres.js options shared by the pool and the lanes. */
export type PostgresJsOptions = postgres.Options<Record<string, postgres.PostgresType>>;

/** Where and how to connect. */
export interface PostgresDriverConfig {
  url: string;
  /** Pooled connections for single queries; as many lanes again at most for transactions. */
  maxConnections: number;
  options: PostgresJsOptions;
  /** Seconds `destroy` waits for queries in flight before it closes their sockets (default 5). */
  endTimeoutS?: number;
}

/** A transaction's session ended under it: nothing more is sent on it; the server rolled it back. */
export class ConnectionLostError extends Error {
  /** The code postgres.js gives a closed connection, so callers classify both alike. */
  readonly code = 'CONNECTION_CLOSED';
  constructor() {
    super('db: the connection of this transaction closed (the server rolled the transaction back); nothing more was sent on it');
    this.name = 'ConnectionLostError';
  }
}

/** The dialect for `new Kysely({ dialect })`; `pool` is the client for single queries. */
export function createPostgresDialect(config: PostgresDriverConfig): Dialect & { pool: postgres.Sql } {
  const pool = postgres(config.url, { ...config.options, max: config.maxConnections });
  return {
    pool,
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new PostgresJsDriver(pool, createTransactionLanes(config.url, config.options, config.maxConnections), config.endTimeoutS ?? 5),
    createIntrospector: (db: Kysely<unknown>) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  };
}

/** Hands out connections that borrow a lane only between begin and commit/rollback. */
class PostgresJsDriver implements Driver {
  readonly #pool: postgres.Sql;
  readonly #lanes: TransactionLanes;
  readonly #endTimeoutS: number;

  constructor(pool: postgres.Sql, lanes: TransactionLanes, endTimeoutS: number) {
    this.#pool = pool;
    this.#lanes = lanes;
    this.#endTimeoutS = endTimeoutS;
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new PostgresJsConnection(this.#pool);
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const c = asOwn(connection);
    c.attach(await this.#lanes.acquire());
    const words = [settings.isolationLevel && `isolation level ${settings.isolationLevel}`, settings.accessMode].filter(Boolean).join(' ');
    try {
      await c.executeQuery(CompiledQuery.raw(words ? `start transaction ${words}` : 'begin'));
    } catch (error) {
      this.#detach(c);
      throw error;
    }
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const c = asOwn(connection);
    try {
      // Through executeQuery, like BEGIN, so kysely's query log (a statement counter) sees it.
      await c.executeQuery(CompiledQuery.raw('commit'));
      // PostgreSQL completes COMMIT with a ROLLBACK tag when an earlier error aborted the transaction.
      if (c.lastCommand() === 'ROLLBACK') throw new AbortedTransactionError();
    } finally {
      this.#detach(c);
    }
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const c = asOwn(connection);
    try {
      // A closed session has nothing to roll back: the server did it when the session ended.
      if (!c.lost()) await c.executeQuery(CompiledQuery.raw('rollback'));
    } finally {
      this.#detach(c);
    }
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    this.#detach(asOwn(connection));
  }

  async destroy(): Promise<void> {
    await Promise.all([this.#pool.end({ timeout: this.#endTimeoutS }).catch(() => {}), this.#lanes.end(this.#endTimeoutS)]);
  }

  #detach(c: PostgresJsConnection): void {
    const lane = c.detach();
    if (lane) this.#lanes.release(lane);
  }
}

/** A kysely connection: the pool, or its lane while a transaction is open. */
class PostgresJsConnection implements DatabaseConnection {
  readonly #pool: postgres.Sql;
  #lane: Lane | null = null;
  #closesAtBegin = 0;
  #lastCommand: string | null = null;

  constructor(pool: postgres.Sql) {
    this.#pool = pool;
  }

  attach(lane: Lane): void {
    this.#lane = lane;
    this.#closesAtBegin = lane.closes();
  }

  detach(): Lane | null {
    const lane = this.#lane;
    this.#lane = null;
    return lane;
  }

  /** True when the transaction's connection has closed since it began. */
  lost(): boolean {
    return this.#lane !== null && this.#lane.closes() !== this.#closesAtBegin;
  }

  /** Runs one statement on the lane (in a transaction) or the pool; postgres.js's own result. */
  async run(text: string, parameters: readonly unknown[] = []): Promise<postgres.RowList<postgres.Row[]>> {
    if (this.lost()) throw new ConnectionLostError();
    const sql = this.#lane?.sql ?? this.#pool;
    return sql.unsafe(text, parameters as postgres.ParameterOrJSON<never>[]);
  }

  /** The command tag of the last statement executeQuery ran (COMMIT answers ROLLBACK in an aborted transaction). */
  lastCommand(): string | null {
    return this.#lastCommand;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    this.#lastCommand = null;
    const result = await this.run(compiledQuery.sql, compiledQuery.parameters);
    this.#lastCommand = result.command;
    const counted = ['INSERT', 'UPDATE', 'DELETE', 'MERGE'].includes(result.command);
    return { rows: Array.from(result) as R[], ...(counted ? { numAffectedRows: BigInt(result.count ?? 0) } : {}) };
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    if (this.lost()) throw new ConnectionLostError();
    const sql = this.#lane?.sql ?? this.#pool;
    const cursor = sql.unsafe(compiledQuery.sql, compiledQuery.parameters as postgres.ParameterOrJSON<never>[]).cursor(chunkSize);
    for await (const rows of cursor) yield { rows: rows as R[] };
  }
}

function asOwn(connection: DatabaseConnection): PostgresJsConnection {
  if (!(connection instanceof PostgresJsConnection)) throw new Error('db: a connection of another driver was handed to the postgres.js driver');
  return connection;
}
