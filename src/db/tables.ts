/** Kysely types of the engine tables (the demo order tables are reached through `sql`). */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json = ColumnType<unknown, unknown, unknown>;

/** Run status: how a run ended (or that it is still going). */
export type RunStatus = 'RUNNING' | 'SUCCESS' | 'PARTIAL' | 'FAILED' | 'INTERRUPTED';

/** `ordersync_runs`: one row per run (history, per-customer outcomes in `summary`). */
export interface RunsTable {
  id: string;
  pipeline: string;
  trigger: string;
  status: RunStatus;
  dry_run: boolean;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  heartbeat_at: Timestamp;
  owner: string;
  error: string | null;
  summary: Json | null;
  report_path: string | null;
}

/** `ordersync_groups`: board + title → monday group id, unique per board and title. */
export interface GroupsTable {
  board_id: string;
  title: string;
  group_id: string;
  created_by_run: string | null;
  created_at: Generated<Date>;
}

/** `ordersync_api_log`: append-only, one row per record per attempt. */
export interface ApiLogTable {
  id: Generated<string>;
  run_id: string;
  attempt_id: string;
  entity: string;
  record_key: string;
  customer: string | null;
  operation: string;
  outcome: string;
  error: string | null;
  request: Json;
  response: Json;
  created_at: Generated<Date>;
}

/** `ordersync_record_state`: what was last synced per entity (change detection). */
export interface RecordStateTable {
  entity: string;
  record_key: string;
  /** The order a subitem belongs to (to notice lines removed upstream). */
  parent_key: string | null;
  board_id: string;
  monday_id: string | null;
  group_id: string | null;
  /** Hash of the values last confirmed by monday. */
  fingerprint: string | null;
  /** Those values (name and columns), to send only what changed. */
  values: Json | null;
  /** Hash of the values of the last permanent failure: not retried until they change. */
  failed_fingerprint: string | null;
  /** monday values a person set that were accepted as the baseline (column id → comparable text); null when none. */
  monday_values: Json | null;
  synced_at: Timestamp | null;
  updated_at: Generated<Date>;
}

/** `ordersync_write_back_marks`: per pipeline and board, how far the read of items people changed has come. */
export interface WriteBackMarksTable {
  pipeline: string;
  board_id: string;
  /** Items changed at or after this time are read next; null until a read completed. */
  since: Timestamp | null;
  /** The cursor after the last committed page of a read in progress (monday's cursors live 60 minutes). */
  cursor: string | null;
  cursor_at: Timestamp | null;
  /** When the read in progress began (it becomes `since` once its last page is committed). */
  read_started_at: Timestamp | null;
  updated_at: Generated<Date>;
}

/** All engine tables. */
export interface EngineTables {
  ordersync_runs: RunsTable;
  ordersync_groups: GroupsTable;
  ordersync_api_log: ApiLogTable;
  ordersync_record_state: RecordStateTable;
  ordersync_write_back_marks: WriteBackMarksTable;
}
