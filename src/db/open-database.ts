/** Opens the engine database: PostgreSQL when a URL is given, else embedded PGlite. */
import { Kysely, type LogConfig } from 'kysely';
import { PostgresJSDialect } from 'kysely-postgres-js';
import postgres from 'postgres';
import { PGlite } from '@electric-sql/pglite';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { resolve } from 'node:path';
import { lockDataDir } from './data-dir-lock.ts';
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

// Network-level codes (node, postgres.js) and PostgreSQL's connection-time SQLSTATEs, in words.
const CONNECTION_PROBLEMS: Record<string, string> = {
  ECONNREFUSED: 'connection refused (is the server running and listening on that port?)',
  ENOTFOUND: 'unknown host',
  EAI_AGAIN: 'host name lookup failed (temporary DNS failure)',
  ETIMEDOUT: 'connection timed out',
  CONNECT_TIMEOUT: 'connection timed out',
  ECONNRESET: 'the server closed the connection',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  CONNECTION_CLOSED: 'the server closed the connection',
  CONNECTION_ENDED: 'the server closed the connection',
  '28P01': 'password authentication failed',
  '28000': 'the server refused this user',
  '3D000': 'the database does not exist',
  '57P03': 'the server is starting up or shutting down',
  '53300': 'too many connections',
};

/**
 * The connection problem behind an error from the first query on a PostgreSQL URL, as a
 * DatabaseUnreachableError naming host, port, database and user (never the password); null when
 * the error is something else.
 */
export function asConnectionError(error: unknown, options: DatabaseOptions): DatabaseUnreachableError | null {
  if (!options.url) return null;
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = String((e as { code?: unknown }).code ?? '');
    const words = CONNECTION_PROBLEMS[code];
    if (!words) continue;
    let where = 'the configured server';
    try {
      const url = new URL(options.url);
      const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || decodeURIComponent(url.username) || 'postgres';
      where = `${url.hostname || 'localhost'}:${url.port || '5432'}, database "${database}"${url.username ? ` as user "${decodeURIComponent(url.username)}"` : ''}`;
    } catch {
      // An unparseable URL was refused by the config check already.
    }
    // The server's own words (SQLSTATE errors) say which role or database; they never contain the password.
    const server = /^[0-9A-Z]{5}$/.test(code) && e.message ? ` (${e.message})` : '';
    return new DatabaseUnreachableError(`db: cannot connect to PostgreSQL at ${where}: ${words}${server} [${code}]; check DATABASE_URL (database.url)`, { cause: e });
  }
  return null;
}

/** Opens PostgreSQL (postgres.js) or PGlite (guarded by a lock file). */
export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  if (options.url) {
    const client = postgres(options.url, {
      max: options.maxConnections ?? 5,
      onnotice: () => {},
      connection: { application_name: 'ordersync' },
    });
    const db = new Kysely<EngineTables>({ dialect: new PostgresJSDialect({ postgres: client }), log: options.log });
    const url = options.url;
    const openSession = (): Session => {
      // Its own client, not a reserved pool connection: postgres.js crashes the process (a null socket
      // write) when a query runs on a reserved connection whose backend was terminated.
      const session = postgres(url, { max: 1, idle_timeout: 0, max_lifetime: null, onnotice: () => {}, connection: { application_name: 'ordersync-lock' } });
      return {
        query: async <R>(text: string, params: unknown[]) => (await session.unsafe(text, params as never[])) as unknown as R[],
        close: () => session.end({ timeout: 5 }),
      };
    };
    return { db, dialect: 'postgres', where: describeUrl(options.url), openSession, close: () => db.destroy() };
  }
  const dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
  const inMemory = dataDir.startsWith('memory://');
  const release = inMemory ? () => {} : lockDataDir(resolve(dataDir));
  try {
    const pglite = await PGlite.create(inMemory ? dataDir : resolve(dataDir));
    const db = new Kysely<EngineTables>({ dialect: new PGliteDialect(pglite), log: options.log });
    return {
      db,
      dialect: 'pglite',
      where: inMemory ? dataDir : `pglite ${dataDir}`,
      close: async () => {
        try {
          await db.destroy();
          if (!pglite.closed) await pglite.close();
        } finally {
          release();
        }
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}
