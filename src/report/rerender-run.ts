/** Renders a past run's report again from `ordersync_runs.summary`, with the report stage as configured now. */
import type { Kysely } from 'kysely';
import type { EngineTables } from '../db/tables.ts';
import type { MondayClient } from '../monday/types.ts';
import type { Logger } from '../pipeline/logger.ts';
import type { OptionsSchema, PluginContext, StagePlugin } from '../pipeline/plugin.ts';
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
  /** Replaces the stage's `outDir` option. */
  outDir?: string;
  logger: Logger;
  /** Board of a customer (default: none known). */
  boardFor?: (customer: string) => string;
}

/** The folder written, or why nothing was. */
export type RerenderResult = { ok: true; path: string } | { ok: false; reason: 'unknown' | 'not-renderable'; message: string };

/** Loads the run's summary and hands it to a fresh reporter of the configured report stage. */
export async function rerenderRun(options: RerenderOptions): Promise<RerenderResult> {
  const run = await findRun(options.db, options.runId);
  if (!run) return { ok: false, reason: 'unknown', message: `report: no run with id ${options.runId}` };
  const refuse = (message: string): RerenderResult => ({ ok: false, reason: 'not-renderable', message: `report: run ${run.id} ${message}` });
  if (run.pipeline !== options.pipeline) return refuse(`belongs to pipeline ${run.pipeline}, not ${options.pipeline}; pass that pipeline's --config`);
  if (run.dry_run || run.summary?.dryRun) return refuse('was a dry run; dry runs have no report');
  if (!run.summary) return refuse(`has no summary (status ${run.status}); it never finished`);
  const stageOptions =
    options.outDir !== undefined && isRecord(options.stage.options) ? { ...options.stage.options, outDir: options.outDir } : options.stage.options;
  const reporter = await options.stage.plugin.create(stageOptions, reportContext(options, run.id));
  const written = await reporter.render(run.summary);
  return { ok: true, path: written.path };
}

function reportContext(options: RerenderOptions, runId: string): PluginContext {
  return {
    db: options.db,
    monday: unavailableMonday(),
    logger: options.logger,
    runId,
    pipeline: options.pipeline,
    signal: new AbortController().signal,
    dryRun: false,
    configDir: options.configDir,
    boardFor: options.boardFor ?? ((customer) => {
      throw new Error(`report: no board known for ${customer} while re-rendering`);
    }),
    now: () => new Date(),
  };
}

// Re-rendering must not talk to monday; a report plugin that tries gets a clear error instead.
function unavailableMonday(): MondayClient {
  return new Proxy({} as MondayClient, {
    get(_target, property) {
      if (typeof property === 'symbol' || property === 'then') return undefined;
      throw new Error(`report: the monday client is not available while re-rendering a report (used ${property})`);
    },
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
