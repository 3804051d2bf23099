/** Test databases: PGlite in memory always, and a fresh PostgreSQL database when DATABASE_URL is set. */
import postgres from 'postgres';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { openDatabase, type Database } from '../../src/db/open-database.ts';

/** The dialects this test run covers. */
export const dialects: ('pglite' | 'postgres')[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

/** A database made for one test file, with its URL (postgres) and a way to drop it. */
export interface TestDatabase {
  database: Database;
  /** postgres:// URL of the fresh database, or null for PGlite. */
  url: string | null;
  dispose(): Promise<void>;
}

/** Creates an empty PostgreSQL database next to DATABASE_URL's and returns its URL. */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const base = new URL(process.env.DATABASE_URL!);
  const name = `ordersync_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(base.toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const a = postgres(base.toString(), { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

/** Opens a fresh, migrated database of the given dialect. */
export async function createTestDatabase(dialect: 'pglite' | 'postgres', options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  if (dialect === 'pglite') {
    const database = await openDatabase({ dataDir: 'memory://' });
    if (options.migrate ?? true) await migrateToLatest(database.db);
    return { database, url: null, dispose: () => database.close() };
  }
  const pg = await createPostgresDatabase();
  const database = await openDatabase({ url: pg.url });
  if (options.migrate ?? true) await migrateToLatest(database.db);
  return {
    database,
    url: pg.url,
    dispose: async () => {
      await database.close();
      await pg.drop();
    },
  };
}
