/** Renders a past run's report again from `ordersync_runs.summary`, with the report stage as configured now. */
import type { Kysely } from 'kysely';
import type { EngineTables } from '../db/tables.ts';
import type { OptionsSchema, StagePlugin } from '../pipeline/contract/index.ts';
import { createPluginContext } from '../pipeline/create-context.ts';
import type { Logger } from '../pipeline/logger.ts';
import { findRun } from './run-history.ts';

/** What to re-render and with which report stage. */
export interface RerenderOptions {
  db: Kysely<EngineTables>;
  runId: string;
  /** The pipeline the report stage belongs to; a run of another pipeline is refused. */
  pipeline: string;
  /** The pipeline's report stage: its plugin and checked options. */
  stage: { plugin: StagePlugin<'report', OptionsSchema>; options: unknown };
  /** Directory of the pipeline file (template paths resolve against it). */
  configDir: string;
  /** Writes under this folder instead of the stage's configured destination. */
  outDir?: string;
  logger: Logger;
  /** Board of a customer (default: none known). */
  boardFor?: (customer: string) => string;
}

/** The report written (its folder), or why nothing was. */
export type RerenderResult = { ok: true; path: string } | { ok: false; reason: 'unknown' | 'not-renderable'; message: string };

/** Loads the run's summary and hands it to a fresh reporter of the configured report stage. */
export async function rerenderRun(options: RerenderOptions): Promise<RerenderResult> {
  const run = await findRun(options.db, options.runId);
  if (!run) return { ok: false, reason: 'unknown', message: `report: no run with id ${options.runId}` };
  const refuse = (message: string): RerenderResult => ({ ok: false, reason: 'not-renderable', message: `report: run ${run.id} ${message}` });
  if (run.pipeline !== options.pipeline) return refuse(`belongs to pipeline ${run.pipeline}, not ${options.pipeline}; pass that pipeline's --config`);
  if (run.dry_run || run.summary?.dryRun) return refuse('was a dry run; dry runs have no report');
  if (!run.summary) return refuse(`has no summary (status ${run.status}); it never finished`);
  const reporter = await options.stage.plugin.create(options.stage.options, createPluginContext({
    db: options.db, logger: options.logger, runId: run.id, pipeline: options.pipeline, configDir: options.configDir, boardFor: options.boardFor,
  }));
  const written = await reporter.render(run.summary, { outDir: options.outDir });
  return { ok: true, path: written.path };
}
