/** Opens the embedded PGlite database; its own module so that PGlite's code loads only when no database URL is configured. */
import { PGlite } from '@electric-sql/pglite';
import { Kysely, sql, type LogConfig } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { resolve } from 'node:path';
import { lockDataDir } from './data-dir-lock.ts';
import { answersWithin, type Database } from './open-database.ts';
import type { EngineTables } from './tables.ts';

/** Opens PGlite in a data directory (guarded by a lock file) or in memory (`memory://…`). */
export async function openPglite(dataDir: string, log?: LogConfig): Promise<Database> {
  const inMemory = dataDir.startsWith('memory://');
  const release = inMemory ? () => {} : lockDataDir(resolve(dataDir));
  try {
    const pglite = await PGlite.create(inMemory ? dataDir : resolve(dataDir));
    const db = new Kysely<EngineTables>({ dialect: new PGliteDialect(pglite), log });
    return {
      db,
      dialect: 'pglite',
      where: inMemory ? dataDir : `pglite ${dataDir}`,
      ping: (timeoutMs) => answersWithin(sql`select 1`.execute(db).then(() => true), timeoutMs),
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
