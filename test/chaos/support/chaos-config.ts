/** Temp pipeline files for chaos runs: the flagship config, pointed at temp dirs and tuned small. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { REPO_ROOT } from './cli-child.ts';

/** Knobs of a chaos pipeline file. */
export interface ChaosConfigOptions {
  /** Temp dir: the file goes here, reports under `<dir>/reports`. */
  dir: string;
  /** File name in `dir` (default `pipeline.yaml`). */
  file?: string;
  /** Pipeline name (default `order-list`). */
  pipeline?: string;
  /** Customers to sync (default GREYSON, PELOTON on its own board, WHITE FOX). */
  customers?: { name: string; board?: string }[];
  /** PGlite data dir; unset → the child uses DATABASE_URL. */
  dataDir?: string;
  headers?: string;
  lines?: string;
  pageSize?: number;
  batchSize?: number;
  maxAttempts?: number;
  /** Let monday add unknown status/dropdown labels (default false, as in the flagship). */
  createLabelsIfMissing?: boolean;
  /** Extra options of the report stage (e.g. an HTML summary template). */
  report?: Record<string, unknown>;
}

/** The flagship's customers used by chaos runs: two boards (PELOTON has its own). */
export const CHAOS_CUSTOMERS = [{ name: 'GREYSON' }, { name: 'PELOTON', board: '9609317401' }, { name: 'WHITE FOX' }];

/** The parts of the flagship file a chaos file changes. */
interface FlagshipFile {
  pipeline: string;
  database: Record<string, string>;
  customers: { name: string; board?: string }[];
  stages: Record<'extract' | 'load' | 'report', { with: Record<string, unknown> }>;
}

/** Writes the pipeline file; returns its path and the reports dir. */
export async function writeChaosConfig(o: ChaosConfigOptions): Promise<{ file: string; reportsDir: string }> {
  const doc = parse(await readFile(join(REPO_ROOT, 'config/order-list.yaml'), 'utf8')) as FlagshipFile;
  const reportsDir = join(o.dir, 'reports');
  doc.pipeline = o.pipeline ?? 'order-list';
  doc.database = o.dataDir ? { url: '${DATABASE_URL:-}', dataDir: o.dataDir } : { url: '${DATABASE_URL:?chaos runs on PostgreSQL need DATABASE_URL}' };
  doc.customers = o.customers ?? CHAOS_CUSTOMERS;
  const extract = doc.stages.extract.with;
  // Retries are due at once: a rerun right after a transient failure must try again.
  Object.assign(extract, { pageSize: o.pageSize ?? 3, retryBackoffSeconds: 0 }, o.headers ? { headers: o.headers } : {}, o.lines ? { lines: o.lines } : {});
  Object.assign(doc.stages.load.with, { batchSize: o.batchSize ?? 5, maxAttempts: o.maxAttempts ?? 5 }, o.createLabelsIfMissing ? { createLabelsIfMissing: true } : {});
  Object.assign(doc.stages.report.with, {
    outDir: reportsDir,
    summary: join(REPO_ROOT, 'templates/executive-summary.md.hbs'),
    customer: join(REPO_ROOT, 'templates/customer-report.md.hbs'),
    ...o.report,
  });
  const file = join(o.dir, o.file ?? 'pipeline.yaml');
  await writeFile(file, stringify(doc));
  return { file, reportsDir };
}
