/** `ordersync serve [config...]`: runs every pipeline on its cron schedule until SIGINT/SIGTERM, with /healthz and /metrics. */
import { ConfigError, formatIssue } from '../../config/config-issue.ts';
import type { Logger } from '../../pipeline/logger.ts';
import { createLogger } from '../../pipeline/logger.ts';
import { exitNow, onParentExit, onSignal, type Signal } from '../../runtime/index.ts';
import { DEFAULT_HEALTH_PORT, isLoopbackHost, startHealthServer, type HealthServer } from '../../schedule/health-server.ts';
import type { Scheduler } from '../../schedule/index.ts';
import { EXIT, type Command } from '../command.ts';
import { choiceOption, UsageError } from '../parse-args.ts';
import { LOG_FORMATS } from './run.ts';
import { pipelineFiles } from './validate.ts';

/** Default seconds a stopping run gets to finish its batch in flight. */
export const DEFAULT_SHUTDOWN_TIMEOUT_S = 30;

/** How long past --shutdown-timeout closing connections may take before serve exits regardless. */
const SHUTDOWN_GRACE_MS = 3_000;

/** The serve command. */
export const command: Command = {
  name: 'serve',
  summary: 'Run pipelines on their cron schedules (safe across replicas), with /healthz and /metrics on loopback',
  help: `Usage: ordersync serve [config...] [options]

  config...                  pipeline files (default: every .yaml in config/); all are validated first
  --port N                   port of /healthz and /metrics (default ${DEFAULT_HEALTH_PORT}; 0 = any free port)
  --host HOST                loopback address to listen on (default 127.0.0.1; others are refused)
  --shutdown-timeout SECONDS how long a stopping run may finish its batch in flight (default ${DEFAULT_SHUTDOWN_TIMEOUT_S})
  --log-format FORMAT        pretty (default on a terminal) or json (default otherwise)
  --verbose                  debug logging

Each pipeline with a schedule runs on its cron pattern in its time zone; a run never overlaps
the previous one (the tick is skipped and logged), and a PostgreSQL advisory lock keeps other
serve replicas and manual runs from running the same pipeline at once. With schedule.missed:
once, a run missed while serve was down is made up at start. Each pipeline's api log is
archived (or deleted) past its retention by a daily housekeeping job.

Signals: SIGINT/SIGTERM stop scheduling, let runs finish the batch in flight (marked
INTERRUPTED) and exit 0; a second signal exits at once. SIGHUP reloads the pipeline files:
an invalid edit is rejected with its errors and the running config stays.`,
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    'shutdown-timeout': { type: 'string' },
    'log-format': { type: 'string' },
    verbose: { type: 'boolean', short: 'v' },
  },
  async run({ values, positionals }) {
    const [{ createConnectionPool, startScheduler }, { connectMonday }, { loadAllConfigFiles }] = await Promise.all([
      import('../../schedule/index.ts'), import('../monday-target.ts'), import('../wiring.ts'),
    ]);
    const port = wholeNumber(values.port, 'port', DEFAULT_HEALTH_PORT, 65_535);
    const timeoutS = wholeNumber(values['shutdown-timeout'], 'shutdown-timeout', DEFAULT_SHUTDOWN_TIMEOUT_S, 86_400);
    const host = (values.host as string | undefined) ?? '127.0.0.1';
    if (!isLoopbackHost(host)) throw new UsageError(`--host ${host} is not a loopback address: /healthz and /metrics have no authentication (use 127.0.0.1, ::1 or localhost)`);
    const format = choiceOption(values['log-format'], 'log-format', LOG_FORMATS);
    const log = { format, level: values.verbose ? 'debug' as const : 'info' as const };
    const files = (): string[] => pipelineFiles(positionals);

    // Every file is validated before anything starts: a bad one stops start-up (exit 2).
    const configs = await loadAllConfigFiles(files());
    const logger = createLogger(log);
    let scheduler: Scheduler | null = null;
    const server = await startHealthServer({
      host, port,
      health: async () => scheduler ? scheduler.health() : { status: 'starting', pipelines: [] },
      // Load balancers and probes read the status code: anything but ok is 503.
      statusOf: (document) => (document.status === 'ok' || document.status === 'starting' ? 200 : 503),
      metrics: () => scheduler?.metrics.render() ?? '',
    });
    try {
      scheduler = await startScheduler({ configs, log, pool: createConnectionPool(connectMonday) });
    } catch (error) {
      await server.close();
      throw error;
    }
    logger.info(`serving ${configs.length} pipeline(s): ${configs.map((c) => c.pipeline).join(', ')}; health on ${server.url}/healthz, metrics on ${server.url}/metrics`, { url: server.url, port: server.port });
    return waitForSignals(scheduler, server, logger, files, timeoutS * 1000);
  },
};

/** Serves until SIGINT/SIGTERM; reloads on SIGHUP. */
function waitForSignals(scheduler: Scheduler, server: HealthServer, logger: Logger, files: () => string[], timeoutMs: number): Promise<number> {
  return new Promise<number>((resolve) => {
    let stopping = false;
    let reloading: Promise<void> = Promise.resolve();
    const offs: (() => void)[] = [];
    const stop = (signal: Signal): void => {
      if (stopping) {
        logger.warn(`${signal} again: exiting now (the next run recovers what was in flight)`);
        exitNow(130);
      }
      stopping = true;
      logger.info(`${signal}: stopping (signal again to exit at once)`);
      // The deadline is the deadline: nothing (a socket to a database that is down, a hung close) outlives it.
      const backstop = setTimeout(() => {
        logger.warn(`stopping: still not done ${Math.round((timeoutMs + SHUTDOWN_GRACE_MS) / 1000)} s after ${signal}; exiting now (the next run recovers what was in flight)`);
        exitNow(EXIT.ok);
      }, timeoutMs + SHUTDOWN_GRACE_MS);
      (backstop as { unref?: () => void }).unref?.();
      void (async () => {
        await reloading;
        const result = await scheduler.stop(timeoutMs);
        await server.close();
        for (const off of offs) off();
        logger.info('stopped', { interrupted: result.interrupted, timedOut: result.timedOut });
        // A request that ignored the deadline could keep the process alive: the deadline is the deadline.
        if (result.timedOut) exitNow(EXIT.ok);
        resolve(EXIT.ok);
      })();
    };
    const reload = (): void => {
      if (stopping) return;
      reloading = reloading.then(async () => {
        logger.info('SIGHUP: reloading pipeline files');
        try {
          const { loadAllConfigFiles } = await import('../wiring.ts');
          await scheduler.reload(await loadAllConfigFiles(files()));
          logger.info('reload: done');
        } catch (error) {
          if (!(error instanceof ConfigError)) {
            logger.error(`reload failed, the running config stays: ${(error as Error).message}`);
            return;
          }
          logger.error(`reload rejected: ${error.issues.length} problem(s); the running config stays`);
          for (const issue of error.issues) logger.error(formatIssue(issue), { file: issue.file, line: issue.line, col: issue.col });
        }
      });
    };
    offs.push(
      onSignal('SIGINT', () => stop('SIGINT')), onSignal('SIGTERM', () => stop('SIGTERM')), onSignal('SIGHUP', reload),
      // A killed wrapper (npx, a shell) does not pass its signal on: its exit is our SIGTERM.
      onParentExit(() => {
        logger.warn('the parent process exited (e.g. a killed npx wrapper): stopping as on SIGTERM');
        stop('SIGTERM');
      }),
    );
  });
}

function wholeNumber(value: unknown, name: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > max) throw new UsageError(`--${name} must be a whole number from 0 to ${max}, got ${String(value)}`);
  return n;
}
