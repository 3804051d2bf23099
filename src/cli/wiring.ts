/**
 * The one wiring module: the plugin registry from the built-in list, pipeline files loaded
 * with it, and the configured database opened. Commands take these from here and hand them down.
 */
import { builtinPlugins } from '../../plugins/index.ts';
import { loadPipelineConfig, type PipelineConfig } from '../config/load-config.ts';
import { loadAllPipelineFiles, loadPipelineFiles, type LoadedFile } from '../config/load-pipeline-files.ts';
import type { Database } from '../db/open-database.ts';
import type { Extractor } from '../pipeline/contract/index.ts';
import { createPluginContext } from '../pipeline/create-context.ts';
import { createStage } from '../pipeline/create-stages.ts';
import { silentLogger } from '../pipeline/logger.ts';
import { createRegistry, type PluginRegistry } from '../pipeline/registry.ts';
import type { Env } from '../runtime/index.ts';
import { enableTypeScriptImports, isTypeScriptFile } from './enable-typescript-imports.ts';

/** The flagship pipeline file, used when no file is named. */
export const DEFAULT_CONFIG = 'config/order-list.yaml';

const builtins = createRegistry(builtinPlugins);

/** The built-in plugins (and user plugin files) by `use:` name; a `.ts` plugin file works from the compiled build too. */
export const registry: PluginRegistry = {
  list: (kind) => builtins.list(kind),
  async resolve(kind, use, configDir) {
    if (isTypeScriptFile(use)) await enableTypeScriptImports();
    return builtins.resolve(kind, use, configDir);
  },
};

/** Loads and validates one pipeline file. */
export function loadConfig(file: string = DEFAULT_CONFIG, env?: Env): Promise<PipelineConfig> {
  return loadPipelineConfig(file, { registry, env });
}

/** Loads several pipeline files, each with its own problems. */
export function loadConfigFiles(files: string[], env?: Env): Promise<LoadedFile[]> {
  return loadPipelineFiles(files, { registry, env });
}

/** Loads every file or throws one ConfigError with every problem. */
export function loadAllConfigFiles(files: string[], env?: Env): Promise<PipelineConfig[]> {
  return loadAllPipelineFiles(files, { registry, env });
}

/** The extract stage of a pipeline, created against its database for reading and requeueing records (closed by the caller). */
export async function openSource(config: PipelineConfig, database: Database, runId: string): Promise<Extractor> {
  const ctx = createPluginContext({ db: database.db, logger: silentLogger, runId, pipeline: config.pipeline, configDir: config.dir });
  return createStage(config.stages.extract, ctx);
}

/** Loads a pipeline file and opens its database (DATABASE_URL → PostgreSQL, else PGlite), migrated to latest. */
export async function openConfiguredDatabase(configFile: string = DEFAULT_CONFIG, env?: Env): Promise<{ config: PipelineConfig; database: Database }> {
  const config = await loadConfig(configFile, env);
  // Imported here: loading and validating pipeline files (validate, serve's start) needs no database driver.
  const { openMigratedDatabase } = await import('../db/migrate.ts');
  const database = await openMigratedDatabase(config.database);
  return { config, database };
}
