/** Runs the engine and demo migrations with kysely's Migrator (an explicit list, runtime-neutral). */
import { Migrator, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import { asConnectionError, openDatabase, type Database, type DatabaseOptions } from './open-database.ts';
import * as engineTables from './migrations/0001-engine-tables.ts';
import * as demoOrders from './migrations/0002-demo-orders.ts';
import * as apiLogArchive from './migrations/0003-api-log-archive.ts';
import * as conflicts from './migrations/0004-conflicts.ts';
import * as writeBack from './migrations/0005-write-back.ts';

const MIGRATIONS: Record<string, Migration> = {
  '0001-engine-tables': engineTables,
  '0002-demo-orders': demoOrders,
  '0003-api-log-archive': apiLogArchive,
  '0004-conflicts': conflicts,
  '0005-write-back': writeBack,
};

/** Names of every migration, in order. */
export const MIGRATION_NAMES: readonly string[] = Object.keys(MIGRATIONS);

/** What a migrate call did. */
export interface MigrateReport {
  applied: string[];
}

/** Brings the database to the latest schema; a no-op when it already is. */
export async function migrateToLatest<T>(db: Kysely<T>): Promise<MigrateReport> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => MIGRATIONS },
    migrationTableName: 'ordersync_migrations',
    migrationLockTableName: 'ordersync_migrations_lock',
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`db: migration ${failed} failed: ${(result.error as Error).message ?? String(result.error)}`, {
      cause: result.error,
    });
  }
  return { applied: (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}

/** Opens a database and brings it to the latest schema (closing it again if that fails); an unreachable server is a DatabaseUnreachableError. */
export async function openMigratedDatabase(options: DatabaseOptions): Promise<Database> {
  const database = await openDatabase(options);
  try {
    await migrateOpened(database, options);
  } catch (error) {
    await database.close().catch(() => {});
    throw error;
  }
  return database;
}

/** migrateToLatest on an open database, with connection problems named as such (DatabaseUnreachableError). */
export async function migrateOpened(database: Database, options: DatabaseOptions): Promise<MigrateReport> {
  try {
    return await migrateToLatest(database.db);
  } catch (error) {
    throw asConnectionError(error, options) ?? error;
  }
}
