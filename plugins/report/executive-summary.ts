/**
 * report: renders a run's executive summary (status header, then the customer results table),
 * one report per customer, and run.json, from swappable Handlebars templates.
 */
import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import * as v from 'valibot';
import { definePlugin } from '../../src/pipeline/index.ts';
import { createReportWriter, isTimeZone } from '../../src/report/index.ts';

const Path = v.pipe(v.string(), v.trim(), v.nonEmpty('must not be empty'));

/** Options of `executive-summary` (`stages.report.with`). */
export const ExecutiveSummaryOptionsSchema = v.strictObject({
  /** Parent folder of the run folders, relative to the working directory (default `reports/sync`). */
  outDir: v.optional(Path, 'reports/sync'),
  /** Summary template, relative to the pipeline file's folder (default `../templates/executive-summary.md.hbs`); a `.html.hbs` template is HTML-escaped. */
  summary: v.optional(Path, '../templates/executive-summary.md.hbs'),
  /** Customer report template, relative to the pipeline file's folder (default `../templates/customer-report.md.hbs`). */
  customer: v.optional(Path, '../templates/customer-report.md.hbs'),
  /** Folder of `*.hbs` partials, relative to the pipeline file's folder (default: `partials/` beside the summary template, else beside the customer template, if one exists). */
  partials: v.optional(Path),
  /** File name of the summary in the run folder (default `_SYNC_SUMMARY.md`; use `_SYNC_SUMMARY.html` with an HTML template). */
  summaryFile: v.optional(
    v.pipe(
      Path,
      v.regex(/^[^/\\]+$/, 'summaryFile is a file name, not a path'),
      v.check((name) => name !== 'run.json' && name !== '.' && name !== '..', 'summaryFile must not be run.json, . or ..'),
    ),
    '_SYNC_SUMMARY.md',
  ),
  /** How many error reasons the summary lists, most records first (default 10). */
  topErrors: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 10),
  /** How many synced records each customer report lists (default 20). */
  sampleSize: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0)), 20),
  /** What a run with nothing to do writes: `skip` (default: no report folder) or `write`. */
  onEmpty: v.optional(v.picklist(['skip', 'write'], 'onEmpty is skip or write'), 'skip'),
  /** IANA time zone for dates in reports (default: the run's time zone, i.e. the schedule's). */
  timezone: v.optional(v.pipe(Path, v.check(isTimeZone, 'unknown time zone (use an IANA name like America/New_York)'))),
});

/** Checked options of `executive-summary`. */
export type ExecutiveSummaryOptions = v.InferOutput<typeof ExecutiveSummaryOptionsSchema>;

/** The `executive-summary` report plugin. */
export default definePlugin({
  kind: 'report',
  name: 'executive-summary',
  summary: 'Writes _SYNC_SUMMARY.md (status, customer results table), customer_reports/ and run.json from Handlebars templates',
  options: ExecutiveSummaryOptionsSchema,
  example: {
    outDir: 'reports/sync',
    summary: '../templates/executive-summary.md.hbs',
    customer: '../templates/customer-report.md.hbs',
    topErrors: 10,
    sampleSize: 20,
  },
  async create(options, ctx) {
    const writer = await createWriter(options, ctx.configDir);
    return {
      sampleSize: options.sampleSize,
      writesEmptyRuns: options.onEmpty === 'write',
      async render(summary, { outDir } = {}) {
        if (summary.dryRun) {
          throw new Error(`executive-summary: run ${summary.runId} is a dry run; dry runs write no report`);
        }
        const written = await writer.write(summary, outDir === undefined ? undefined : resolve(outDir));
        ctx.logger.info('report written', { path: written.path, entry: written.entry });
        return written;
      },
      prune: (before) => pruneReports(resolve(options.outDir), before),
    };
  },
  async check(options, { configDir }) {
    try {
      await createWriter(options, configDir);
      return [];
    } catch (error) {
      const file = (error as { file?: string }).file ?? '';
      const key = file && resolve(configDir, options.customer).endsWith(file) ? 'customer' : 'summary';
      return [{ path: [key], message: (error as Error).message }];
    }
  },
});

/** Loads and compiles the templates (a missing or broken one fails here, naming its path). */
async function createWriter(options: ExecutiveSummaryOptions, configDir: string): ReturnType<typeof createReportWriter> {
  const summaryTemplate = resolve(configDir, options.summary);
  const customerTemplate = resolve(configDir, options.customer);
  // Swapping only the summary template must not cut the customer template off from its partials.
  const besideTemplates = [summaryTemplate, customerTemplate].map((file) => join(dirname(file), 'partials'));
  return createReportWriter({
    outDir: resolve(options.outDir),
    summaryTemplate,
    customerTemplate,
    partialsDir: options.partials ? resolve(configDir, options.partials) : (besideTemplates.find((dir) => existsSync(dir)) ?? null),
    summaryFile: options.summaryFile,
    topErrors: options.topErrors,
    sampleSize: options.sampleSize,
    timezone: options.timezone,
  });
}

// A run folder is named by its sync id, whose first twelve digits are its start (UTC, to the minute).
const RUN_FOLDER = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})-SYNC-[0-9A-F]{8}$/;

/** Removes run folders under `outDir` whose run started before `before`; anything else in the folder is left alone. */
async function pruneReports(outDir: string, before: Date): Promise<string[]> {
  const names = await readdir(outDir).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? [] : Promise.reject(error)));
  const removed: string[] = [];
  for (const name of names.sort()) {
    const m = RUN_FOLDER.exec(name);
    if (!m || Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!) >= before.getTime()) continue;
    await rm(join(outDir, name), { recursive: true, force: true });
    removed.push(join(outDir, name));
  }
  return removed;
}
