/** Loads several pipeline files at once (`validate`, `serve`): each file's problems, and pipeline names unique across files. */
import { ConfigError, type ConfigIssue } from './config-issue.ts';
import { loadPipelineConfig, type LoadConfigOptions, type PipelineConfig } from './load-config.ts';

/** One file's outcome: its config, or its problems. */
export type LoadedFile = { file: string; config: PipelineConfig; issues: [] } | { file: string; config: null; issues: ConfigIssue[] };

/** Loads every file; a pipeline name used by an earlier file is a problem of the later one. */
export async function loadPipelineFiles(files: string[], options: LoadConfigOptions): Promise<LoadedFile[]> {
  const loaded: LoadedFile[] = [];
  const byName = new Map<string, string>();
  for (const file of files) {
    try {
      const config = await loadPipelineConfig(file, options);
      const other = byName.get(config.pipeline);
      if (other) {
        const issue = { message: `pipeline name "${config.pipeline}" is used by ${other} too; names must be unique`, path: 'pipeline', file: config.file, ...config.pipelineAt };
        loaded.push({ file, config: null, issues: [issue] });
        continue;
      }
      byName.set(config.pipeline, config.file);
      loaded.push({ file, config, issues: [] });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      loaded.push({ file, config: null, issues: error.issues });
    }
  }
  return loaded;
}

/** Loads every file or throws one ConfigError listing every problem of every file. */
export async function loadAllPipelineFiles(files: string[], options: LoadConfigOptions): Promise<PipelineConfig[]> {
  if (files.length === 0) {
    throw new ConfigError([{ message: 'no pipeline files given and none found in config/', path: '', file: 'config/', line: 1, col: 1 }]);
  }
  const loaded = await loadPipelineFiles(files, options);
  const issues = loaded.flatMap((l) => l.issues);
  if (issues.length > 0) throw new ConfigError(issues);
  return loaded.flatMap((l) => (l.config ? [l.config] : []));
}
