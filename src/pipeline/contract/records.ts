/** The records that flow between stages: as read, as planned for monday, and as settled. */
import type { ColumnMeta, Conflict } from './ownership.ts';

/** A source row: column name → value as the database returned it. */
export type Row = Record<string, unknown>;
/** The record states; one vocabulary in code, SQL and reports. */
export type SyncState = 'PENDING' | 'SYNCED' | 'FAILED';
/** A monday entity a record becomes. */
export type EntityKind = 'item' | 'subitem';

/** An order line as extracted: it becomes a subitem. */
export interface SourceLine {
  key: string;
  fields: Row;
  state: SyncState;
  mondayId: string | null;
  retryCount: number;
  /** Set when an earlier attempt was stamped but never settled (a crash): look before creating. */
  attemptId: string | null;
  lastError: string | null;
}

/** An order header with its lines, as extracted: it becomes an item. */
export interface SourceRecord {
  key: string;
  customer: string;
  fields: Row;
  /** SYNCED headers come along only when some of their lines are still pending. */
  state: SyncState;
  mondayId: string | null;
  groupId: string | null;
  retryCount: number;
  attemptId: string | null;
  /** Upstream's intent (`action_type`), e.g. CREATE, UPDATE, CANCEL. */
  action: string | null;
  /** The last error written back, if any (shown again when a failed record has not changed). */
  lastError: string | null;
  /** Lines to send. */
  lines: SourceLine[];
  /** Keys of every line the order has now (to notice lines removed upstream). */
  lineKeys: string[];
}

/** What the engine remembers about an entity from earlier runs. */
export interface PreviousState {
  /** Fingerprint of the values monday last confirmed. */
  fingerprint: string | null;
  /** Those values (`name` and column ids). */
  values: Record<string, unknown> | null;
  mondayId: string | null;
  groupId: string | null;
  /** Fingerprint of the last permanent failure. */
  failedFingerprint: string | null;
  /**
   * Where monday holds another value than `values` says and that was accepted (`keep-monday`): column id →
   * monday's value as comparable text. A person's later edit is measured against it. Null when none.
   */
  mondayValues?: Record<string, string> | null;
}

/** What one entity should look like on monday. */
export interface PlannedEntity {
  entity: EntityKind;
  key: string;
  name: string;
  /** monday column id → column value (the object that goes into `column_values`). */
  columns: Record<string, unknown>;
  mondayId: string | null;
  /** monday column holding the record's own key (to find it again after a crash), if mapped. */
  keyColumn: string | null;
  retryCount: number;
  /** Set when an earlier attempt may have reached monday: look it up before creating. */
  attemptId: string | null;
  /** Why this entity must not be sent (a mapping problem); it then fails alone. */
  problem: string | null;
  /** Why this entity waits for a later run (e.g. its group could not be created just now). */
  deferred: string | null;
  /** Hash of name, columns (and group for items): what would be sent. Set by the core before load. */
  fingerprint?: string;
  /** What was last synced or last failed for this entity, if anything. Set by the core before load. */
  previous?: PreviousState | null;
  /** Per column id (and `name`): its type, owner and conflict policy. Absent: every column is source-owned. */
  columnMeta?: Readonly<Record<string, ColumnMeta>>;
}

/** The values an entity puts on monday: its name and its columns (what fingerprints hash and updates compare). */
export function entityValues(entity: Pick<PlannedEntity, 'name' | 'columns'>): Record<string, unknown> {
  return { name: entity.name, ...entity.columns };
}

/** A source record after transform (and, with its group, after group-resolve). */
export interface PlannedRecord {
  source: SourceRecord;
  board: string;
  /** null when the header itself needs no write (already SYNCED, only lines pending). */
  item: PlannedEntity | null;
  subitems: PlannedEntity[];
  groupTitle: string | null;
  groupId: string | null;
}

/** A subitem that was synced earlier but whose line no longer exists upstream. */
export interface RemovedLine {
  key: string;
  order: string;
  mondayId: string;
}

/** The final word on one entity in this run. */
export interface EntityOutcome {
  entity: EntityKind;
  key: string;
  /** The order (header key) this entity belongs to. */
  order: string;
  customer: string;
  state: SyncState;
  /** What was done: `unchanged` sent nothing; `skip` was not sent (invalid or waiting). */
  action: 'create' | 'update' | 'adopt' | 'unchanged' | 'archive' | 'delete' | 'skip';
  mondayId: string | null;
  parentItemId: string | null;
  groupId: string | null;
  groupTitle: string | null;
  name: string | null;
  error: string | null;
  /** The monday operation(s) sent for it (e.g. `create_item`), null when nothing was sent. */
  operation: string | null;
  /** This entity's own request fragment (token removed) and response fragment. */
  request: unknown;
  response: unknown;
  apiStatus: string | null;
  attempts: number;
  /** The full values now on monday (name and columns) after a success; the core remembers them. */
  values?: Record<string, unknown> | null;
  /** The entity's fingerprint at this attempt. */
  fingerprint?: string | null;
  /** Columns a person changed on monday while the source changed them too, each with what was done. */
  conflicts?: Conflict[];
  /** The accepted monday values to remember (see PreviousState.mondayValues); undefined keeps nothing. */
  mondayValues?: Record<string, string> | null;
}

/** Entities about to be sent, stamped before the request leaves (crash safety). */
export interface AttemptMark {
  attemptId: string;
  entities: { entity: EntityKind; key: string }[];
}

/**
 * Thrown by a plugin to stop the run: the configuration points at something that does not exist
 * (a board, group or column). What was settled stays; the rest stays PENDING; the run ends FAILED.
 */
export class RunStopError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RunStopError';
  }
}
