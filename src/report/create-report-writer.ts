/**
 * Writes a run's report folder: `<outDir>/<runId>/<summaryFile>`, `customer_reports/<customer>.md`
 * and `run.json` (the RunSummary itself, so it carries the same numbers).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { RunSummary } from '../pipeline/run-summary.ts';
import { customerFileNames } from './customer-file-names.ts';
import { buildCustomerView, buildSummaryView, CUSTOMER_DIR, normalizeSummary, RUN_JSON } from './report-view.ts';
import { createTemplateEngine } from './template-engine.ts';

/** Where a report goes and how it looks. */
export interface ReportWriterOptions {
  /** Parent of the run folders; relative paths resolve against the working directory. */
  outDir: string;
  summaryTemplate: string;
  customerTemplate: string;
  /** Directory of `*.hbs` partials; null for none. */
  partialsDir: string | null;
  /** File name of the summary inside the run folder, e.g. `_SYNC_SUMMARY.md`. */
  summaryFile: string;
  /** How many error groups the summary lists. */
  topErrors: number;
  /** How many synced records a customer report lists. */
  sampleSize: number;
  /** Time zone for dates; default the run's. */
  timezone?: string;
}

/** Renders and writes report folders. */
export interface ReportWriter {
  /** Renders everything first, then writes; returns the run folder and its summary file. */
  write(summary: RunSummary, outDir?: string): Promise<{ path: string; entry: string }>;
}

/** Loads and compiles both templates now, so a missing or broken template fails before any run. */
export async function createReportWriter(options: ReportWriterOptions): Promise<ReportWriter> {
  const engine = await createTemplateEngine({ partialsDir: options.partialsDir });
  const summaryTemplate = await engine.load(options.summaryTemplate);
  const customerTemplate = await engine.load(options.customerTemplate);
  return {
    async write(summary, outDir = options.outDir) {
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(summary.runId)) {
        throw new Error(`report: run id ${JSON.stringify(summary.runId)} cannot be a folder name`);
      }
      const customerFiles = customerFileNames(summary.customers.map((c) => c.customer), /\.html?\.hbs$/i.test(options.customerTemplate) ? 'html' : 'md');
      const view = buildSummaryView(summary, { ...options, customerFiles });
      const summaryText = summaryTemplate.render(view);
      const customerTexts = view.customers.map((c) => ({
        file: c.reportFile,
        text: customerTemplate.render(buildCustomerView(view, c, options.sampleSize)),
      }));
      const folder = resolve(outDir, summary.runId);
      await mkdir(join(folder, CUSTOMER_DIR), { recursive: true });
      await writeFile(join(folder, options.summaryFile), summaryText);
      for (const customer of customerTexts) await writeFile(join(folder, customer.file), customer.text);
      await writeFile(join(folder, RUN_JSON), `${JSON.stringify(normalizeSummary(summary), null, 2)}\n`);
      return { path: folder, entry: join(folder, options.summaryFile) };
    },
  };
}
