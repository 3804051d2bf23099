/**
 * postgres-pending's records for `ordersync records` and `ordersync retry`: orders and their lines
 * by state, and orders put back to PENDING. Names come from its checked options and are quoted
 * (sql.table / sql.ref); values are parameters.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { RecordFilter, RecordRow, RequeueResult } from '../../src/pipeline/index.ts';

/** The source tables and the columns that tie them together. */
export interface SourceTables {
  headers: string;
  lines: string;
  key: string;
  lineKey: string;
  lineParent: string;
  customer: string;
}

/** Every record of both tables as one relation: orders and their lines. */
function allRecords(t: SourceTables): RawBuilder<unknown> {
  const hk = sql.ref(`h.${t.key}`);
  const hc = sql.ref(`h.${t.customer}`);
  const lk = sql.ref(`l.${t.lineKey}`);
  const lp = sql.ref(`l.${t.lineParent}`);
  return sql`(
    select 'item' as entity, ${hk}::text as key, ${hk}::text as order_key, ${hc}::text as customer, h.sync_state as state,
      h.sync_error_message as reason, h.retry_count as attempts, h.last_run_id as last_run, h.monday_item_id::text as monday_id,
      null::text as parent_id, h.sync_attempted_at as attempted_at
    from ${sql.table(t.headers)} as h
    union all
    select 'subitem', ${lk}::text, ${lp}::text, ${hc}::text, l.sync_state,
      case when l.sync_state = 'PENDING' and h.sync_state = 'FAILED'
        then 'blocked: its order failed — ' || coalesce(h.sync_error_message, 'see the order') || ' (ordersync retry ' || ${hk}::text || ' sends them)'
        else l.sync_error_message end,
      l.retry_count, l.last_run_id, l.monday_subitem_id::text,
      l.parent_item_id::text, l.sync_attempted_at
    from ${sql.table(t.lines)} as l join ${sql.table(t.headers)} as h on ${lp} = ${hk}
  )`;
}

function whereOf(filter: RecordFilter): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [sql`true`];
  if (filter.state) parts.push(sql`r.state = ${filter.state}`);
  if (filter.customers?.length) parts.push(sql`r.customer = any(${filter.customers}::text[])`);
  if (filter.orders?.length) parts.push(sql`r.order_key = any(${filter.orders}::text[])`);
  return sql.join(parts, sql` and `);
}

/** Records matching the filter (orders before their lines), and how many match in all. */
export async function listRecords<T>(db: Kysely<T>, t: SourceTables, filter: RecordFilter): Promise<{ rows: RecordRow[]; total: number }> {
  const where = whereOf(filter);
  const rows = await sql<{ entity: 'item' | 'subitem'; key: string; order_key: string; customer: string; state: string; reason: string | null; attempts: number; last_run: string | null; monday_id: string | null; parent_id: string | null; attempted_at: Date | null }>`
    select * from ${allRecords(t)} as r where ${where}
    order by r.customer, r.order_key, r.entity, r.key limit ${filter.limit ?? 50}`.execute(db);
  const total = await sql<{ n: number }>`select count(*)::int as n from ${allRecords(t)} as r where ${where}`.execute(db);
  return {
    total: Number(total.rows[0]?.n ?? 0),
    rows: rows.rows.map((r) => ({
      entity: r.entity, key: r.key, order: r.order_key, customer: r.customer, state: r.state, reason: r.reason,
      attempts: Number(r.attempts ?? 0), lastRun: r.last_run, mondayId: r.monday_id, parentId: r.parent_id,
      attemptedAt: r.attempted_at ? new Date(r.attempted_at).toISOString() : null,
    })),
  };
}

/** Puts the orders back to PENDING with retry_count 0 (a SYNCED order stays SYNCED), and their FAILED lines too; all or nothing. */
export async function requeueOrders<T>(db: Kysely<T>, t: SourceTables, keys: string[]): Promise<RequeueResult> {
  return db.transaction().execute(async (tx) => {
    const hk = sql.ref(t.key);
    const found = await sql<{ k: string }>`select ${hk}::text as k from ${sql.table(t.headers)} where ${hk}::text = any(${keys}::text[])`.execute(tx);
    const known = found.rows.map((r) => r.k);
    const unknown = keys.filter((k) => !known.includes(k));
    // All or nothing: a mistyped key changes nothing, so the command can simply be run again.
    if (unknown.length > 0 || known.length === 0) return { orders: 0, lines: 0, unknown };
    const orders = await sql`update ${sql.table(t.headers)} set sync_state = 'PENDING', retry_count = 0, updated_at = now()
      where ${hk}::text = any(${known}::text[]) and sync_state <> 'SYNCED'`.execute(tx);
    const lines = await sql`update ${sql.table(t.lines)} set sync_state = 'PENDING', retry_count = 0, updated_at = now()
      where ${sql.ref(t.lineParent)}::text = any(${known}::text[]) and sync_state = 'FAILED'`.execute(tx);
    return { orders: Number(orders.numAffectedRows ?? 0), lines: Number(lines.numAffectedRows ?? 0), unknown };
  });
}

