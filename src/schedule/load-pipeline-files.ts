/** Loads every pipeline file `serve` was given, validating all of them before anything starts. */
import { ConfigError, type ConfigIssue } from '../config/config-issue.ts';
import { loadPipelineConfig, type PipelineConfig } from '../config/load-config.ts';
import type { Env } from '../runtime/index.ts';

/** Loads all files; throws one ConfigError listing every problem of every file (and duplicate pipeline names). */
export async function loadPipelineFiles(files: string[], env?: Env): Promise<PipelineConfig[]> {
  if (files.length === 0) {
    throw new ConfigError([{ message: 'no pipeline files given and none found in config/', path: '', file: 'config/', line: 1, col: 1 }]);
  }
  const issues: ConfigIssue[] = [];
  const configs: PipelineConfig[] = [];
  const byName = new Map<string, string>();
  for (const file of files) {
    try {
      const config = await loadPipelineConfig(file, { env });
      const other = byName.get(config.pipeline);
      if (other) {
        issues.push({ message: `pipeline name "${config.pipeline}" is used by ${other} too; names must be unique`, path: 'pipeline', file: config.file, line: 1, col: 1 });
        continue;
      }
      byName.set(config.pipeline, config.file);
      configs.push(config);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      issues.push(...error.issues);
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return configs;
}
