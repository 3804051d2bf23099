/**
 * Databases for chaos runs that a child process can own: PostgreSQL (a fresh database owned by a
 * role with a recognisable password, for the secret audit) or a PGlite data directory (copied
 * from a migrated, seeded template so each scenario starts in well under a second).
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import postgres from 'postgres';
import { migrateToLatest } from '../../../src/db/migrate.ts';
import { openDatabase, type Database } from '../../../src/db/open-database.ts';
import { seedDemo, type DemoSeedOptions } from '../../../src/db/seed-demo.ts';
import type { EngineTables } from '../../../src/db/tables.ts';
import { createPostgresDatabase } from '../../support/test-database.ts';

/** A database a child can run against, and the test can inspect between runs. */
export interface ChaosDatabase {
  dialect: 'pglite' | 'postgres';
  /** Environment for the child: DATABASE_URL (with the role's password) or empty for PGlite. */
  env: { DATABASE_URL: string };
  /** The PGlite data directory, or undefined on PostgreSQL. */
  dataDir?: string;
  /** Runs `fn` on an open database (PGlite: opened just for it, so no child may hold it). */
  use<T>(fn: (db: Kysely<EngineTables>, database: Database) => Promise<T>): Promise<T>;
  dispose(): Promise<void>;
}

/** A login role with a password that must never leave the environment. */
export interface SecretRole {
  name: string;
  password: string;
  drop(): Promise<void>;
}

const admin = (): ReturnType<typeof postgres> => postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });

/** Creates a PostgreSQL login role whose password is `password`. */
export async function createSecretRole(password: string): Promise<SecretRole> {
  const name = `ordersync_chaos_${Math.random().toString(36).slice(2, 10)}`;
  const sql = admin();
  await sql.unsafe(`create role ${name} login password '${password.replace(/'/g, "''")}'`);
  await sql.end();
  return {
    name,
    password,
    drop: async () => {
      const s = admin();
      await s.unsafe(`drop role if exists ${name}`);
      await s.end();
    },
  };
}

/** A fresh PostgreSQL database owned by `role`, migrated and seeded through the role's URL. */
export async function createPostgresChaosDatabase(role: SecretRole, seed: DemoSeedOptions | false): Promise<ChaosDatabase> {
  const pg = await createPostgresDatabase();
  const name = new URL(pg.url).pathname.slice(1);
  const sql = admin();
  await sql.unsafe(`alter database ${name} owner to ${role.name}`);
  await sql.end();
  const url = new URL(pg.url);
  url.username = role.name;
  url.password = role.password;
  const database = await openDatabase({ url: url.toString(), maxConnections: 2 });
  await migrateToLatest(database.db);
  if (seed) await seedDemo(database.db, seed);
  return {
    dialect: 'postgres',
    env: { DATABASE_URL: url.toString() },
    use: (fn) => fn(database.db, database),
    dispose: async () => {
      await database.close();
      await pg.drop();
    },
  };
}

/** A migrated, seeded PGlite data directory to copy scenarios from (slow once: ~5 s). */
export async function createPgliteTemplate(seed: DemoSeedOptions | false): Promise<{ dir: string; dispose(): Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'ordersync-chaos-tpl-'));
  const dir = join(root, 'pgdata');
  const database = await openDatabase({ dataDir: dir });
  try {
    await migrateToLatest(database.db);
    if (seed) await seedDemo(database.db, seed);
  } finally {
    await database.close();
  }
  return { dir, dispose: () => rm(root, { recursive: true, force: true }) };
}

/** A PGlite data directory for one scenario, copied from `template` into `parent`. */
export async function createPgliteChaosDatabase(template: string, parent: string): Promise<ChaosDatabase> {
  const dataDir = join(parent, 'pgdata');
  await cp(template, dataDir, { recursive: true });
  return {
    dialect: 'pglite',
    env: { DATABASE_URL: '' },
    dataDir,
    use: async (fn) => {
      const database = await openDatabase({ dataDir });
      try {
        return await fn(database.db, database);
      } finally {
        await database.close();
      }
    },
    dispose: () => rm(dataDir, { recursive: true, force: true }),
  };
}
