/**
 * The data templates see: the RunSummary as stored plus values derived for display. These types
 * are the template data contract (README: "Report templates").
 */
import type { ResolvedGroup } from '../pipeline/index.ts';
import type { CustomerResult, ErrorGroup, RecordCounts, RunSummary, SyncedRecord } from '../pipeline/run-summary.ts';

/** Record outcomes split for a chart; `synced` excludes `unchanged`, the four add up to `total`. */
export interface Outcomes {
  synced: number;
  failed: number;
  pending: number;
  unchanged: number;
  total: number;
}

/** Derived values every template gets under `report`. */
export interface ReportInfo {
  /** Time zone dates are shown in (option `timezone`, else the run's). */
  timezone: string;
  /** The summary's file name, e.g. `_SYNC_SUMMARY.md`. */
  summaryFile: string;
  /** `run.json`. */
  runJson: string;
  /** `customer_reports`. */
  customerDir: string;
  /** SQL listing every API request and response of this run. */
  apiLogQuery: string;
  /** Run totals split for the outcome chart. */
  outcomes: Outcomes;
  /** The `topErrors` largest error groups, most records first. */
  errors: ErrorGroup[];
  /** How many error groups `errors` leaves out. */
  errorsOmitted: number;
  /** Groups this run created on monday. */
  groupsCreated: ResolvedGroup[];
  /** Groups that already existed (reused from the table, or adopted from the board). */
  groupsReused: ResolvedGroup[];
  /** The run was stopped by a signal before it finished (status INTERRUPTED). */
  interrupted: boolean;
  /** The command that lists the records still FAILED. */
  failedRecordsCommand: string;
  /** `outstandingFailed` is a number (it is null when the source could not say). */
  outstandingKnown: boolean;
}

/** One customer's result as templates see it. */
export interface CustomerEntry extends CustomerResult {
  /** Its report inside the run folder, e.g. `customer_reports/WHITE_FOX.md`. */
  reportFile: string;
  outcomes: Outcomes;
}

/** Data of the summary template: every RunSummary field at the top level, plus `report`. */
export interface SummaryView extends Omit<RunSummary, 'customers'> {
  customers: CustomerEntry[];
  report: ReportInfo;
}

/** A group one customer's records went to. */
export interface CustomerGroup {
  title: string;
  groupId: string | null;
  /** `created` | `reused` | `adopted` | `planned`; null when the run's group list lacks the title. */
  origin: ResolvedGroup['origin'] | null;
}

/** Data of the customer template: the customer's fields at the top level, plus `run` and `report`. */
export interface CustomerView extends CustomerEntry {
  /** The first `sampleSize` synced records. */
  sample: SyncedRecord[];
  /** Synced records of this run not shown in `sample`. */
  sampleOmitted: number;
  groupDetails: CustomerGroup[];
  /** The whole run, as the summary template sees it. */
  run: SummaryView;
  report: ReportInfo;
}

/** Display settings of a report. */
export interface ViewOptions {
  timezone?: string;
  summaryFile: string;
  topErrors: number;
  sampleSize: number;
  /** Customer name → file name inside `customer_reports/`. */
  customerFiles: Map<string, string>;
}

/** Folder of the customer reports inside a run folder. */
export const CUSTOMER_DIR = 'customer_reports';
/** The machine-readable copy of the summary. */
export const RUN_JSON = 'run.json';

/** Stages in pipeline order, then the core: the order every report lists them in (a jsonb round trip sorts keys). */
export const STAGE_ORDER = ['extract', 'transform', 'group-resolve', 'load', 'report', 'core'] as const;

/** The summary with fields added after it was stored filled in, and stage timings in pipeline order. */
export function normalizeSummary(stored: RunSummary): RunSummary {
  const s = stored as Partial<RunSummary> & RunSummary;
  const timings = (s.performance?.stages ?? {}) as Partial<Record<string, number>>;
  return {
    ...s,
    notReached: s.notReached ?? [],
    remaining: s.remaining ?? s.customers.reduce((sum, c) => sum + (c.remaining ?? 0), 0),
    outstandingFailed: s.outstandingFailed ?? null,
    unconfigured: s.unconfigured ?? [],
    customers: s.customers.map((c) => ({ ...c, blocked: c.blocked ?? [] })),
    warnings: s.warnings ?? [],
    errors: s.errors.map((e) => ({ ...e, blocked: e.blocked ?? 0, example: e.example ?? null })),
    performance: { ...s.performance, preflight: s.performance.preflight ?? { requests: 0, durationMs: 0 }, stages: Object.fromEntries(STAGE_ORDER.map((k) => [k, timings[k] ?? 0])) as RunSummary['performance']['stages'] },
  };
}

/** Builds the summary template's data. */
export function buildSummaryView(stored: RunSummary, options: ViewOptions): SummaryView {
  const summary = normalizeSummary(stored);
  const errors = [...summary.errors].sort((a, b) => b.count + b.blocked - (a.count + a.blocked));
  const report: ReportInfo = {
    timezone: options.timezone ?? summary.timezone,
    summaryFile: options.summaryFile,
    runJson: RUN_JSON,
    customerDir: CUSTOMER_DIR,
    apiLogQuery: `SELECT * FROM ordersync_api_log WHERE run_id = '${summary.runId.replace(/'/g, "''")}'`,
    outcomes: outcomesOf(summary.totals),
    errors: errors.slice(0, options.topErrors),
    errorsOmitted: Math.max(0, errors.length - options.topErrors),
    groupsCreated: summary.groups.filter((g) => g.origin === 'created'),
    groupsReused: summary.groups.filter((g) => g.origin === 'reused' || g.origin === 'adopted'),
    interrupted: summary.status === 'INTERRUPTED',
    failedRecordsCommand: 'ordersync records --state FAILED',
    outstandingKnown: summary.outstandingFailed !== null,
  };
  // Summaries of runs before conflicts were counted have none.
  const noConflicts = { count: 0, examples: [] };
  const customers = summary.customers.map((c) => ({
    ...c,
    conflicts: c.conflicts ?? noConflicts,
    reportFile: `${CUSTOMER_DIR}/${options.customerFiles.get(c.customer) ?? `${c.customer}.md`}`,
    outcomes: outcomesOf(c.counts),
  }));
  return { ...summary, writtenBack: summary.writtenBack ?? null, conflicts: summary.conflicts ?? noConflicts, customers, report };
}

/** Builds one customer template's data from the summary view. */
export function buildCustomerView(run: SummaryView, customer: CustomerEntry, sampleSize: number): CustomerView {
  const sample = customer.synced.slice(0, sampleSize);
  const groupDetails = customer.groups.map((title) => {
    const found = run.groups.find((g) => g.title === title && g.board === customer.board) ?? run.groups.find((g) => g.title === title);
    return { title, groupId: found?.groupId ?? null, origin: found?.origin ?? null };
  });
  return {
    ...customer,
    sample,
    sampleOmitted: Math.max(0, customer.counts.synced - sample.length),
    groupDetails,
    run,
    report: run.report,
  };
}

function outcomesOf(counts: RecordCounts): Outcomes {
  return {
    synced: Math.max(0, counts.synced - counts.unchanged),
    failed: counts.failed,
    pending: counts.pending,
    unchanged: counts.unchanged,
    total: counts.processed,
  };
}
