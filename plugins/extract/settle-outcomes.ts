/**
 * postgres-pending's outcomes written back to their rows: one UPDATE per table for a whole batch,
 * and, when the database refuses that statement, one UPDATE per row so that a row it refuses fails
 * alone, with the database's reason, and its neighbours keep their outcomes.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { EntityOutcome, Logger } from '../../src/pipeline/index.ts';
import type { SourceTables } from './source-records.ts';
import { typedRows } from './typed-rows.ts';

/** Where outcomes go and who writes them. */
export interface SettleTarget<T> {
  db: Kysely<T>;
  tables: SourceTables;
  runId: string;
  logger: Logger;
}

/** Writes outcomes back: headers in one statement, lines in another, each falling back to one by one. */
export async function settleOutcomes<T>(target: SettleTarget<T>, outcomes: readonly EntityOutcome[]): Promise<void> {
  for (const entity of ['item', 'subitem'] as const) {
    const own = outcomes.filter((out) => out.entity === entity);
    if (own.length === 0) continue;
    // Distinct rows in one statement; the same row twice goes one by one, in order, as a later outcome builds on the one before.
    if (new Set(own.map((out) => out.key)).size === own.length) {
      try {
        await settleBatchStatement(target.tables, own, target.runId).execute(target.db);
        continue;
      } catch (error) {
        target.logger.warn('write-back of a batch failed; writing its records one by one', { error: (error as Error).message });
      }
    }
    await settleOneByOne(target, own);
  }
}

/**
 * One UPDATE per outcome. A row the database refuses is written again without its payloads, with
 * the database's reason; if it refuses that too (a value of the outcome itself does not fit the
 * row, e.g. an id longer than its column), the record fails alone with the reason.
 */
async function settleOneByOne<T>(target: SettleTarget<T>, outcomes: readonly EntityOutcome[]): Promise<void> {
  const { db, tables, runId } = target;
  const because = (out: EntityOutcome, error: unknown): string => {
    const reason = `could not write the outcome back: ${(error as Error).message}`;
    return out.error ? `${out.error}; ${reason}` : reason;
  };
  for (const out of outcomes) {
    try {
      await settleRowStatement(tables, out, runId).execute(db);
    } catch (rowError) {
      try {
        await settleRowStatement(tables, { ...out, request: null, response: null, error: because(out, rowError) }, runId).execute(db);
      } catch (bareError) {
        await failRowStatement(tables, out, because(out, bareError), runId).execute(db);
      }
    }
  }
}

/** The UPDATE that fails one record with a reason, writing nothing of its outcome but the state and the reason. */
function failRowStatement(t: SourceTables, out: EntityOutcome, reason: string, runId: string): RawBuilder<unknown> {
  const [table, key] = out.entity === 'item' ? [t.headers, t.key] : [t.lines, t.lineKey];
  return sql`update ${sql.table(table)} set sync_state = 'FAILED', sync_error_message = ${reason}, last_run_id = ${runId}, updated_at = now()
    where ${sql.ref(key)} = ${out.key}`;
}

/** The UPDATE that writes one outcome back to its row (the reference for what the batch statement writes). */
export function settleRowStatement(t: SourceTables, out: EntityOutcome, runId: string): RawBuilder<unknown> {
  const synced = out.state === 'SYNCED';
  const attempted = out.request !== null;
  const common = sql`sync_state = ${out.state},
    sync_error_message = ${out.error},
    sync_completed_at = ${synced ? sql`now()` : sql`sync_completed_at`},
    retry_count = ${synced ? sql`0` : attempted && out.state === 'PENDING' ? sql`${out.attempts}` : sql`retry_count`},
    api_request_payload = ${attempted ? sql`${out.request}` : sql`api_request_payload`},
    api_response_payload = ${attempted ? sql`${out.response}` : sql`api_response_payload`},
    api_status = ${out.apiStatus},
    last_run_id = ${runId},
    updated_at = now()`;
  if (out.entity === 'item') {
    return sql`update ${sql.table(t.headers)} set ${common},
      monday_item_id = coalesce(${out.mondayId}, monday_item_id),
      group_id = coalesce(${out.groupId}, group_id),
      group_name = coalesce(${out.groupTitle}, group_name),
      item_name = coalesce(${out.name}, item_name)
      where ${sql.ref(t.key)} = ${out.key}`;
  }
  return sql`update ${sql.table(t.lines)} set ${common},
    monday_subitem_id = coalesce(${out.mondayId}, monday_subitem_id),
    parent_item_id = coalesce(${out.parentItemId}, parent_item_id)
    where ${sql.ref(t.lineKey)} = ${out.key}`;
}

/**
 * The UPDATE that writes outcomes of one entity kind (distinct keys) back in one statement, column
 * for column what settleRowStatement writes: the outcomes travel as rows of the table's own type,
 * and what a row statement decides in JavaScript (keep or overwrite) is carried in them: a null
 * `retry_count` keeps the row's; a null request payload means nothing was sent, so both payloads
 * are kept.
 */
export function settleBatchStatement(t: SourceTables, outcomes: readonly EntityOutcome[], runId: string): RawBuilder<unknown> {
  const item = outcomes[0]?.entity === 'item';
  const table = item ? t.headers : t.lines;
  const key = item ? t.key : t.lineKey;
  const rows = outcomes.map((out) => {
    const attempted = out.request !== null;
    const row: Record<string, unknown> = {
      [key]: out.key,
      sync_state: out.state,
      sync_error_message: out.error,
      retry_count: out.state === 'SYNCED' ? 0 : attempted && out.state === 'PENDING' ? out.attempts : null,
      api_request_payload: attempted ? out.request : null,
      api_response_payload: attempted ? out.response : null,
      api_status: out.apiStatus,
    };
    if (item) Object.assign(row, { monday_item_id: out.mondayId, group_id: out.groupId, group_name: out.groupTitle, item_name: out.name });
    else Object.assign(row, { monday_subitem_id: out.mondayId, parent_item_id: out.parentItemId });
    return row;
  });
  const ids = item
    ? sql`monday_item_id = coalesce(v.monday_item_id, h.monday_item_id),
      group_id = coalesce(v.group_id, h.group_id),
      group_name = coalesce(v.group_name, h.group_name),
      item_name = coalesce(v.item_name, h.item_name)`
    : sql`monday_subitem_id = coalesce(v.monday_subitem_id, h.monday_subitem_id),
      parent_item_id = coalesce(v.parent_item_id, h.parent_item_id)`;
  return sql`update ${sql.table(table)} as h set
      sync_state = v.sync_state,
      sync_error_message = v.sync_error_message,
      sync_completed_at = case when v.sync_state = 'SYNCED' then now() else h.sync_completed_at end,
      retry_count = coalesce(v.retry_count, h.retry_count),
      api_request_payload = case when v.api_request_payload is null then h.api_request_payload else v.api_request_payload end,
      api_response_payload = case when v.api_request_payload is null then h.api_response_payload else v.api_response_payload end,
      api_status = v.api_status,
      last_run_id = ${runId},
      updated_at = now(),
      ${ids}
    from ${typedRows(table, rows)} as v
    where ${sql.ref(`h.${key}`)} = ${sql.ref(`v.${key}`)}`;
}
