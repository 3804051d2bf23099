/** Loads a pipeline file and opens (and migrates) the database it names. */
import { loadPipelineConfig, type PipelineConfig } from '../config/load-config.ts';
import { openMigratedDatabase } from '../db/migrate.ts';
import type { Database } from '../db/open-database.ts';
import type { Env } from '../runtime/index.ts';

/** The flagship pipeline file, used when no file is named. */
export const DEFAULT_CONFIG = 'config/order-list.yaml';

/** Opens the database of a pipeline's config (DATABASE_URL → PostgreSQL, else PGlite), migrated to latest. */
export async function openConfiguredDatabase(configFile: string = DEFAULT_CONFIG, env?: Env): Promise<{ config: PipelineConfig; database: Database }> {
  const config = await loadPipelineConfig(configFile, { env });
  const database = await openMigratedDatabase({ url: config.database.url || undefined, dataDir: config.database.dataDir });
  return { config, database };
}
