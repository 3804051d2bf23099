/** report: renders a finished run. */
import type { RunSummary } from '../run-summary.ts';

/** Where a report was written. */
export interface ReportWritten {
  /** The report's folder (or other place), stored with the run. */
  path: string;
  /** The file a person opens first (e.g. the summary). */
  entry: string;
}

/** Renders runs. */
export interface Reporter {
  /** How many synced records per customer the run should keep as a sample for this report. */
  sampleSize: number;
  /** Whether a run with nothing to do gets a report too (otherwise the core skips `render` for it). */
  writesEmptyRuns?: boolean;
  /** Writes the report of `summary`; `outDir` replaces the configured destination (`ordersync report --out`). */
  render(summary: RunSummary, options?: { outDir?: string }): Promise<ReportWritten>;
  /** Optional: removes the reports of runs that started before `before` (serve's retention job); returns what it removed. */
  prune?(before: Date): Promise<string[]>;
}
