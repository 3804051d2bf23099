/**
 * The record of one run: what the report stage renders, what `ordersync_runs.summary` stores,
 * and what `run.json` contains. Records are rows: every order (item) and every order line
 * (subitem) counts once, so the numbers reconcile with `GROUP BY sync_state` in the database.
 */
import type { ResolvedGroup } from './contract/group-resolve.ts';
import type { ConflictPolicy } from './contract/ownership.ts';
import type { EntityKind, SyncState } from './contract/records.ts';

/** Outcome status of a customer or a run, derived from record outcomes and the thresholds. */
export type OutcomeStatus = 'SUCCESS' | 'PARTIAL' | 'FAILED';

/** Status of a whole run: an outcome, or INTERRUPTED when a stop signal ended it early (the same word as `ordersync_runs.status`). */
export type RunOutcome = OutcomeStatus | 'INTERRUPTED';

/** Record counts; `processed` = synced + failed + pending (unchanged records count as synced). */
export interface RecordCounts {
  processed: number;
  synced: number;
  failed: number;
  /** Attempted but still PENDING (transient failure, or waiting for its order). */
  pending: number;
  created: number;
  updated: number;
  adopted: number;
  unchanged: number;
  items: number;
  subitems: number;
  /** Subitems archived or deleted because their line was removed upstream (not counted as processed). */
  removed: number;
}

/** One failed or still-pending record with its reason. */
export interface RecordProblem {
  entity: EntityKind;
  key: string;
  /** The order number the record belongs to (the line's order for subitems). */
  order: string;
  name: string | null;
  state: SyncState;
  reason: string;
}

/** One synced record, for samples in customer reports. */
export interface SyncedRecord {
  entity: EntityKind;
  key: string;
  name: string | null;
  mondayId: string | null;
  groupTitle: string | null;
  action: string;
}

/** One customer's part of a run. */
export interface CustomerResult {
  customer: string;
  board: string;
  /** From its records; INTERRUPTED for the customer a stop signal cut short. */
  status: RunOutcome;
  counts: RecordCounts;
  durationMs: number;
  /** Every failed record of this run. */
  failures: RecordProblem[];
  /** Records left PENDING with a reason (retried next run). */
  pending: RecordProblem[];
  /** A sample of synced records (first 20). */
  synced: SyncedRecord[];
  /** PENDING lines held back because their order is FAILED (sent once the order is retried). */
  blocked: { order: string; reason: string | null; lines: number }[];
  /** Records still PENDING in the source after the run (e.g. beyond `--limit`). */
  remaining: number;
  /** Group titles this customer's records went to. */
  groups: string[];
  /** Columns people changed on monday while the source changed them too (absent in summaries of older runs). */
  conflicts?: ConflictSummary;
}

/** One conflict as the reports show it. */
export interface ConflictExample {
  order: string;
  entity: EntityKind;
  key: string;
  /** The source column (or the monday column id when there is none). */
  column: string;
  ours: string;
  theirs: string;
  policy: ConflictPolicy;
}

/** Conflicts counted, with the first few as examples. */
export interface ConflictSummary {
  count: number;
  examples: ConflictExample[];
}

/** Errors grouped by root cause: one row per problem, however many records it touched. */
export interface ErrorGroup {
  reason: string;
  /** Records that failed (or are pending) for this reason themselves. */
  count: number;
  /** Lines not sent because their order failed for this reason ("not sent: its order failed — …"). */
  blocked: number;
  /** One offending value quoted in a reason, escaped and cut to 60 characters (null when the reason quotes none). */
  example: string | null;
  /** Example order numbers (top N). */
  examples: string[];
}

/** Time spent per stage, and in the core's own work (run rows, record states, api log), in milliseconds. */
export type StageTimings = Record<'extract' | 'transform' | 'group-resolve' | 'load' | 'report' | 'core', number>;

/** Speed and API usage. */
export interface Performance {
  durationMs: number;
  recordsPerSecond: number;
  apiRequests: number;
  mutations: number;
  complexityUsed: number;
  retries: number;
  rateLimited: number;
  waitMs: number;
  stages: StageTimings;
  /** What preflight cost: monday read requests (at most one per board and subitems board) and time. */
  preflight: { requests: number; durationMs: number };
}

/** PENDING orders of a customer nobody configured, with a near configured name if there is one. */
export interface UnconfiguredCustomer {
  customer: string;
  count: number;
  /** A configured customer whose name differs only in case or spaces (or a small typo). */
  suggestion: string | null;
}

/** The whole run. */
export interface RunSummary {
  /** `{YYYYMMDDHHmm}-SYNC-{8 upper-case hex}`; also the report folder name. */
  runId: string;
  pipeline: string;
  trigger: 'manual' | 'schedule';
  dryRun: boolean;
  /** ISO timestamps (UTC) and the pipeline's display time zone. */
  startedAt: string;
  finishedAt: string;
  timezone: string;
  /** SUCCESS / PARTIAL / FAILED from the records, FAILED when `fatal`, INTERRUPTED when a stop signal ended the run. */
  status: RunOutcome;
  /** True when there was nothing pending: the run is SUCCESS and says so. */
  nothingToDo: boolean;
  /** Selected customers the run never started (stopped by a signal, by monday, or by `--limit`), in config order. */
  notReached: string[];
  /** Orders still pending in the source after the run, over every selected customer (reached or not). */
  remaining: number;
  /** FAILED records left by earlier runs (`ordersync records --state FAILED`); null when unknown. */
  outstandingFailed: number | null;
  thresholds: { success: number; partial: number };
  totals: RecordCounts;
  customers: CustomerResult[];
  groups: ResolvedGroup[];
  errors: ErrorGroup[];
  performance: Performance;
  /** Where the data lives, without credentials. */
  database: string;
  target: string;
  /** Conflicts of every customer (absent in summaries of older runs). */
  conflicts?: ConflictSummary;
  /** PENDING orders of customers nobody configured (with a near configured name, if any). */
  unconfigured: UnconfiguredCustomer[];
  /** Warnings that did not stop the run (e.g. the pinned monday API version is in maintenance). */
  warnings: string[];
  /** A fatal error that stopped the run early (auth, daily limit, crash). */
  fatal: string | null;
  /** Monday-owned columns written back this run (absent when no `writeBack:` is configured). */
  writtenBack?: { itemsRead: number; rowsChanged: number; skipped: number } | null;
  /** Runtime, e.g. `node v20.20.2`. */
  runtime: string;
}

/** An empty set of counts. */
export function emptyCounts(): RecordCounts {
  return { processed: 0, synced: 0, failed: 0, pending: 0, created: 0, updated: 0, adopted: 0, unchanged: 0, items: 0, subitems: 0, removed: 0 };
}

/** Status from counts: share of processed records that synced against the thresholds. */
export function deriveStatus(counts: RecordCounts, thresholds: { success: number; partial: number }): OutcomeStatus {
  if (counts.processed === 0) return 'SUCCESS';
  const share = (counts.synced / counts.processed) * 100;
  if (share >= thresholds.success) return 'SUCCESS';
  if (share >= thresholds.partial) return 'PARTIAL';
  return 'FAILED';
}
