/**
 * extract: reads pending records a page at a time. What becomes of them afterwards goes through
 * the write-back it provides — reading never writes, and the core is the only caller of both.
 */
import type { PendingValue } from './preflight.ts';
import type { AttemptMark, EntityKind, EntityOutcome, SourceRecord, SyncState } from './records.ts';

/** The two source tables: order headers (→ items) and order lines (→ subitems). */
export type SourcePart = 'headers' | 'lines';

/** Values read back from monday for the source row holding this monday id: database column → text (null clears). */
export interface BoardValues {
  mondayId: string;
  values: Record<string, string | null>;
}

/** One record as `ordersync reconcile` compares it with the board. */
export interface InventoryRow {
  entity: EntityKind;
  key: string;
  order: string;
  customer: string;
  state: SyncState;
  mondayId: string | null;
  /** The item's group (for lines: their order's). */
  groupId: string | null;
}

/** The group title given to an order (null: it has none). */
export interface GroupTitle {
  key: string;
  title: string | null;
}

/** A title's monday group, once resolved. */
export interface GroupId {
  title: string;
  groupId: string;
}

/** One record (an order or one of its lines) as `ordersync records` shows it. */
export interface RecordRow {
  entity: 'item' | 'subitem';
  key: string;
  order: string;
  customer: string;
  state: string;
  /** Why it failed or waits. */
  reason: string | null;
  attempts: number;
  lastRun: string | null;
  mondayId: string | null;
  /** The parent item on monday (lines only). */
  parentId: string | null;
  attemptedAt: string | null;
}

/** Lines waiting under one FAILED order. */
export interface BlockedLines {
  order: string;
  /** The order's own reason. */
  reason: string | null;
  lines: number;
}

/** Which records to list. */
export interface RecordFilter {
  state?: SyncState;
  customers?: string[];
  orders?: string[];
  /** At most this many rows (default 50). */
  limit?: number;
}

/** What putting orders back to PENDING did. */
export interface RequeueResult {
  /** Orders put back to PENDING with their attempts reset (SYNCED orders stay SYNCED). */
  orders: number;
  /** Their lines put back from FAILED to PENDING. */
  lines: number;
  /** Keys that match no order (then nothing was changed). */
  unknown: string[];
}

/** Where a page's records are written back: group titles, attempt stamps, outcomes, requeues, tallies. */
export interface WriteBack {
  /** Records the group title of orders, and gives every PENDING order of the customer with a resolved title its group id. */
  recordGroups(customer: string, titles: GroupTitle[], ids: GroupId[]): Promise<void>;
  /** Stamps an attempt on entities before their request is sent. */
  markAttempt(mark: AttemptMark): Promise<void>;
  /** Writes outcomes back (ids, state, error, payloads). */
  settle(outcomes: EntityOutcome[]): Promise<void>;
  /** Puts FAILED records of a customer back to PENDING (`--retry-failed`); returns how many. */
  requeueFailed(customer: string): Promise<number>;
  /** Counts of records this run touched, by customer and state (what reports reconcile with). */
  tally(customers: string[]): Promise<{ customer: string; state: SyncState; count: number }[]>;
  /** FAILED records of these customers that this run did not touch (left by earlier runs; `ordersync records`). */
  outstanding?(customers: string[]): Promise<number>;
  /** Puts these orders (and their FAILED lines) back to PENDING, all or nothing (`ordersync retry`). */
  requeue?(orders: string[]): Promise<RequeueResult>;
  /**
   * Writes values people set on monday to the rows holding these monday ids, in one transaction, touching
   * only these columns (never the sync state) and marking the transaction as a write-back for user triggers;
   * returns how many rows changed.
   */
  applyBoardValues?(part: SourcePart, rows: BoardValues[]): Promise<number>;
}

/** extract: where pending records come from. */
export interface Extractor {
  /** Number of records pending for a customer (for progress and ETA). */
  count(customer: string): Promise<number>;
  /** Pending records of a customer, a page at a time, in key order. */
  pages(customer: string, options: { limit?: number }): AsyncIterable<SourceRecord[]>;
  /** Distinct values of a field among the pending records of these customers (preflight's label checks). */
  pendingValues?(part: 'headers' | 'lines', field: string, customers: string[]): Promise<PendingValue[]>;
  /** Customers with pending records, configured or not, with their counts (to name the ones nobody configured). */
  pendingCustomers?(): Promise<{ customer: string; count: number }[]>;
  /** PENDING lines of a customer held back because their order is FAILED, per order with its reason (they go when the order is retried). */
  blocked?(customer: string): Promise<BlockedLines[]>;
  /** Records by state with their reasons (`ordersync records`), and how many match in all. */
  records?(filter: RecordFilter): Promise<{ rows: RecordRow[]; total: number }>;
  /** SQL types of a source table's columns (column → e.g. `text`, `numeric`, `timestamp with time zone`). */
  columnTypes?(part: SourcePart): Promise<Record<string, string>>;
  /** Every record of these customers with its state, monday id and group, a page at a time (`ordersync reconcile`). */
  inventory?(customers: string[]): AsyncIterable<InventoryRow[]>;
  /** The write-back for this source's records. */
  writeBack: WriteBack;
  /** Releases what `create` opened. */
  close(): Promise<void>;
}
