/** The housekeeping job of a served pipeline: its own croner job (never part of a sync run) applying api-log and report retention. */
import { Cron } from 'croner';
import type { PipelineConfig } from '../config/load-config.ts';
import type { Database } from '../db/open-database.ts';
import { createPluginContext } from '../pipeline/create-context.ts';
import { createStage } from '../pipeline/create-stages.ts';
import type { Logger } from '../pipeline/logger.ts';
import { retainApiLog, type RetainApiLogResult } from './retain-api-log.ts';
import type { SyncMetrics } from './sync-metrics.ts';

/** A scheduled retention job. */
export interface RetentionJob {
  /** Applies retention now; never throws (null on failure, which is logged). */
  runNow(): Promise<RetainApiLogResult | null>;
  stop(): void;
  /** Resolves when a pass in progress has finished. */
  idle(): Promise<void>;
}

/** Schedules `retention.cron` (in the pipeline's time zone, else UTC) with `protect: true`. */
export function scheduleRetention(options: { config: PipelineConfig; database: Database; logger: Logger; metrics: SyncMetrics; stopSignal: AbortSignal }): RetentionJob {
  const { config, database, logger, metrics, stopSignal } = options;
  const { retention, pipeline } = config;
  let current: Promise<RetainApiLogResult | null> | null = null;

  const runNow = async (): Promise<RetainApiLogResult | null> => {
    try {
      const result = await retainApiLog(database.db, { pipeline, olderThanDays: retention.apiLogDays, mode: retention.mode, signal: stopSignal });
      metrics.recordRetention(pipeline, retention.mode, result.rows);
      logger.info(`retention: ${retention.mode === 'archive' ? 'archived' : 'deleted'} ${result.rows} api-log row(s) older than ${retention.apiLogDays} days in ${result.batches} batch(es)`, {
        rows: result.rows, batches: result.batches, cutoff: result.cutoff.toISOString(), mode: retention.mode,
      });
      await pruneReports();
      return result;
    } catch (error) {
      logger.error(`retention: failed: ${(error as Error).message}`);
      return null;
    }
  };
  // The report stage knows where its reports are; the job only says how old is too old.
  const pruneReports = async (): Promise<void> => {
    const reporter = await createStage(config.stages.report, createPluginContext({ db: database.db, logger, runId: 'retention', pipeline, configDir: config.dir }));
    if (!reporter.prune) return;
    const before = new Date(Date.now() - retention.reportDays * 86_400_000);
    const removed = await reporter.prune(before);
    logger.info(`retention: removed ${removed.length} report folder(s) of runs older than ${retention.reportDays} days`, { removed: removed.length, cutoff: before.toISOString() });
  };
  const cron = new Cron(retention.cron, { timezone: config.schedule?.timezone ?? 'UTC', protect: true }, async () => {
    current = runNow();
    await current;
  });
  return {
    runNow,
    stop: () => cron.stop(),
    idle: async () => {
      await current;
    },
  };
}
