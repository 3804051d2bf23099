/** Opens the engine database: PostgreSQL when a URL is given, else embedded PGlite. */
import { Kysely } from 'kysely';
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
}

/** An open database with its dialect and a way to close it. */
export interface Database {
  db: Kysely<EngineTables>;
  dialect: 'postgres' | 'pglite';
  /** Where it is, without credentials (for logs and reports). */
  where: string;
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

/** Opens PostgreSQL (postgres.js) or PGlite (guarded by a lock file). */
export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  if (options.url) {
    const client = postgres(options.url, {
      max: options.maxConnections ?? 5,
      onnotice: () => {},
      connection: { application_name: 'ordersync' },
    });
    const db = new Kysely<EngineTables>({ dialect: new PostgresJSDialect({ postgres: client }) });
    return { db, dialect: 'postgres', where: describeUrl(options.url), close: () => db.destroy() };
  }
  const dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
  const inMemory = dataDir.startsWith('memory://');
  const release = inMemory ? () => {} : lockDataDir(resolve(dataDir));
  try {
    const pglite = await PGlite.create(inMemory ? dataDir : resolve(dataDir));
    const db = new Kysely<EngineTables>({ dialect: new PGliteDialect(pglite) });
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
