/** Opens the engine database: PostgreSQL when a URL is given, else embedded PGlite. */
import { Kysely, sql, type LogConfig } from 'kysely';
import postgres from 'postgres';
import { describeProblem, describeServer, findConnectionProblem } from './connection-problem.ts';
import { createPostgresDialect, type PostgresJsOptions } from './postgres-driver.ts';
import type { EngineTables } from './tables.ts';

/** Where the engine data lives. */
export interface DatabaseOptions {
  /** postgres:// URL; empty → embedded PGlite. */
  url?: string;
  /** PGlite data directory (default `.ordersync/pgdata`); `memory://` keeps it in memory. */
  dataDir?: string;
  /** Max pooled connections for PostgreSQL (default 5). */
  maxConnections?: number;
  /** kysely's query log hook (default none), e.g. a statement counter's (`src/db/statement-counter.ts`). */
  log?: LogConfig;
}

/** An open database with its dialect and a way to close it. */
export interface Database {
  db: Kysely<EngineTables>;
  dialect: 'postgres' | 'pglite';
  /** Where it is, without credentials (for logs and reports). */
  where: string;
  /** PostgreSQL only: a session of its own (one connection, never recycled), e.g. to hold a session advisory lock. */
  openSession?(): Session;
  /** Whether the database answers a trivial query within `timeoutMs`; never throws, never waits longer. */
  ping(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/** One database session: queries on one connection; a lost connection makes queries fail, never hang or crash. */
export interface Session {
  query<R>(text: string, params: unknown[]): Promise<R[]>;
  close(): Promise<void>;
}

/** Default PGlite data directory, relative to the working directory. */
export const DEFAULT_DATA_DIR = '.ordersync/pgdata';

/** Removes the password from a connection URL. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres (unparseable URL)';
  }
}

/** The configured PostgreSQL server cannot be reached or refuses us: its own message and exit code (4). */
export class DatabaseUnreachableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseUnreachableError';
  }
}

/**
 * The connection problem behind an error from the first query on a PostgreSQL URL, as a
 * DatabaseUnreachableError naming host, port, database and user (never the password); null when
 * the error is something else.
 */
export function asConnectionError(error: unknown, options: DatabaseOptions): DatabaseUnreachableError | null {
  const problem = options.url ? findConnectionProblem(error) : null;
  if (!problem || !options.url) return null;
  return new DatabaseUnreachableError(`db: cannot connect to PostgreSQL at ${describeServer(options.url)}: ${describeProblem(problem)}; check DATABASE_URL (database.url)`, { cause: problem.error });
}

// Every client: no notices on stderr, a bounded connect (an unreachable host fails instead of hanging).
// Reconnects back off a little (postgres.js's default grows to 20 s, which would keep a recovered database waiting).
const CLIENT_OPTIONS: PostgresJsOptions = { onnotice: () => {}, connect_timeout: 10, backoff: (attempt: number) => Math.min(0.25 * attempt, 2) };

/** Opens PostgreSQL (postgres.js, see postgres-driver.ts) or PGlite (guarded by a lock file). */
export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  if (options.url) {
    const url = options.url;
    const dialect = createPostgresDialect({ url, maxConnections: options.maxConnections ?? 5, options: { ...CLIENT_OPTIONS, connection: { application_name: 'ordersync' } } });
    const db = new Kysely<EngineTables>({ dialect, log: options.log });
    const openSession = (): Session => {
      // Its own client, never a reserved pool connection: a reconnect is a new session, which the lock check sees.
      const session = postgres(url, { ...CLIENT_OPTIONS, max: 1, idle_timeout: 0, max_lifetime: null, connection: { application_name: 'ordersync-lock' } });
      return {
        query: async <R>(text: string, params: unknown[]) => (await session.unsafe(text, params as never[])) as unknown as R[],
        close: () => session.end({ timeout: 5 }),
      };
    };
    // Its own connection too: a busy pool is not a database that is down.
    let probe: postgres.Sql | null = null;
    const ping = (timeoutMs: number): Promise<boolean> => {
      probe ??= postgres(url, { ...CLIENT_OPTIONS, max: 1, idle_timeout: 30, backoff: () => 0, connect_timeout: Math.max(1, Math.ceil(timeoutMs / 1000)), connection: { application_name: 'ordersync-probe' } });
      return answersWithin(probe.unsafe('select 1').then(() => true), timeoutMs);
    };
    const close = async (): Promise<void> => {
      await Promise.all([db.destroy(), probe?.end({ timeout: 1 }).catch(() => {})]);
    };
    return { db, dialect: 'postgres', where: describeUrl(url), openSession, ping, close };
  }
  // Imported only here: a run on PostgreSQL never loads PGlite's code.
  const { openPglite } = await import('./open-pglite.ts');
  return openPglite(options.dataDir ?? DEFAULT_DATA_DIR, options.log);
}

/** True if `probe` resolves true within `timeoutMs`; false on an error or the deadline (the probe is left to settle). */
export function answersWithin(probe: Promise<boolean>, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    probe.then((ok) => resolve(ok), () => resolve(false)).finally(() => clearTimeout(timer));
  });
}
