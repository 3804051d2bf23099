/** Loads a pipeline file and opens (and migrates) the database it names. */
import { loadPipelineConfig, type PipelineConfig } from '../config/load-config.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { openDatabase, type Database } from '../db/open-database.ts';
import type { Env } from '../runtime/index.ts';

/** The flagship pipeline file, used when no file is named. */
export const DEFAULT_CONFIG = 'config/order-list.yaml';

/** Opens the database of a pipeline's config (DATABASE_URL → PostgreSQL, else PGlite), migrated to latest. */
export async function openConfiguredDatabase(configFile: string = DEFAULT_CONFIG, env?: Env): Promise<{ config: PipelineConfig; database: Database }> {
  const config = await loadPipelineConfig(configFile, { env });
  const database = await openDatabase({ url: config.database.url || undefined, dataDir: config.database.dataDir });
  try {
    await migrateToLatest(database.db);
  } catch (error) {
    await database.close();
    throw error;
  }
  return { config, database };
}
