/** Runs a pipeline from the command line: config, database, monday target, signals, progress, output. */
import { formatPlan } from '../pipeline/dry-run-plan.ts';
import { createLogger, type Logger } from '../pipeline/logger.ts';
import { runPipeline, type RunResult } from '../pipeline/run-pipeline.ts';
import { statusBadge } from '../report/format-values.ts';
import { exitNow, onSignal, writeOut } from '../runtime/index.ts';
import { EXIT } from './command.ts';
import { connectMonday } from './monday-target.ts';
import { openConfiguredDatabase } from './wiring.ts';
import { createProgressView, type ProgressView } from './progress.ts';

/** What to run. */
export interface ExecuteRunOptions {
  configFile?: string;
  dryRun?: boolean;
  customers?: string[];
  limit?: number;
  force?: boolean;
  retryFailed?: boolean;
  logFormat?: 'pretty' | 'json';
  verbose?: boolean;
  /** Before the run, with the open database (the demo seeds here). */
  prepare?: (db: Awaited<ReturnType<typeof openConfiguredDatabase>>['database'], logger: Logger) => Promise<void>;
}

/** Formats a finished run for stdout. */
export function formatRunResult(result: RunResult): string {
  const s = result.summary;
  const lines = [`${statusBadge(s.status)}  ${s.runId}${s.nothingToDo ? '  (nothing to sync)' : ''}`];
  for (const c of s.customers) {
    lines.push(`  ${c.customer.padEnd(12)} ${c.status.padEnd(8)} ${String(c.counts.processed).padStart(5)} records  ${String(c.counts.failed).padStart(4)} failed  ${String(c.counts.pending).padStart(4)} pending  ${(c.durationMs / 1000).toFixed(2)}s`);
  }
  if (s.status === 'INTERRUPTED') lines.push('  interrupted: the batch in flight was written back; the rest stays PENDING');
  if (s.fatal) lines.push(`  stopped: ${s.fatal}`);
  if (s.notReached.length > 0) lines.push(`  not reached: ${s.notReached.join(', ')}`);
  if (s.remaining > 0) lines.push(`  still pending in the source: ${s.remaining} orders (the next run picks them up)`);
  if (s.outstandingFailed) lines.push(`  FAILED from earlier runs: ${s.outstandingFailed} records (ordersync records --state FAILED)`);
  const waited = s.performance.waitMs > 0 ? `, ${(s.performance.waitMs / 1000).toFixed(1)}s waiting on limits` : '';
  lines.push(`  ${s.performance.apiRequests} API requests, ${s.performance.mutations} mutations, ${s.performance.rateLimited} rate-limited${waited}`);
  if (result.reportEntry) lines.push(`  report: ${result.reportEntry}`);
  return lines.join('\n');
}

/** The exit code of a finished run (EXIT in command.ts): 0 all synced, 1 failed or left pending, 5 interrupted; a dry run 0. */
export function exitCodeOf(result: RunResult): number {
  if (result.plan) return EXIT.ok;
  const s = result.summary;
  if (s.status === 'INTERRUPTED') return EXIT.interrupted;
  if (s.fatal !== null || s.totals.failed > 0 || s.totals.pending > 0) return EXIT.failures;
  return EXIT.ok;
}

/** Runs once and returns the exit code (exitCodeOf). */
export async function executeRun(options: ExecuteRunOptions): Promise<{ code: number; result: RunResult | null }> {
  const { config, database } = await openConfiguredDatabase(options.configFile);
  const logger = createLogger({ format: options.logFormat, level: options.verbose ? 'debug' : 'info', secrets: config.secrets });
  const controller = new AbortController();
  let signals = 0;
  const stop = (): void => {
    signals++;
    if (signals > 1) exitNow(EXIT.forced); // second signal: leave now; the next run recovers
    logger.warn('stopping after the batch in flight (signal again to exit at once)');
    controller.abort();
  };
  const offs = [onSignal('SIGINT', stop), onSignal('SIGTERM', stop)];
  let monday: Awaited<ReturnType<typeof connectMonday>> | null = null;
  let progress: ProgressView | null = null;
  try {
    await options.prepare?.(database, logger);
    monday = await connectMonday(config, logger);
    const client = monday.client;
    const view = createProgressView(logger, () => client.stats());
    progress = view;
    const result = await runPipeline({
      config, database, monday: monday.client, target: monday.target, logger, dryRun: options.dryRun,
      customers: options.customers, limit: options.limit, force: options.force, retryFailed: options.retryFailed, signal: controller.signal, onProgress: (p) => view.update(p),
    });
    view.stop();
    writeOut(result.plan ? formatPlan(result.plan) : formatRunResult(result));
    return { code: exitCodeOf(result), result };
  } finally {
    progress?.stop();
    for (const off of offs) off();
    await monday?.close();
    await database.close();
  }
}
