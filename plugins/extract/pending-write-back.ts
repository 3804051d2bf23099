/** Everything postgres-pending writes back to the source tables: groups, attempt stamps, outcomes, requeues, tallies. */
import { sql, type RawBuilder } from 'kysely';
import type { EntityOutcome, PluginContext, SyncState, WriteBack } from '../../src/pipeline/index.ts';
import type { PostgresPendingOptions } from './postgres-pending.ts';
import { requeueOrders } from './source-records.ts';

/** The write-back of postgres-pending on the tables its options name. */
export function createWriteBack(o: PostgresPendingOptions, ctx: PluginContext): WriteBack {
  const { db } = ctx;
  const H = sql.table(o.headers);
  const L = sql.table(o.lines);
  const hk = sql.ref(`h.${o.key}`);
  const hc = sql.ref(`h.${o.customer}`);
  const lk = sql.ref(`l.${o.lineKey}`);
  const lp = sql.ref(`l.${o.lineParent}`);
  return {
    async recordGroups(customer, titles, ids) {
      if (titles.length > 0) {
        await sql`update ${H} as h set group_name = v.title, updated_at = now()
          from (select unnest(${titles.map((t) => t.key)}::text[]) as k, unnest(${titles.map((t) => t.title)}::text[]) as title) as v
          where ${hk} = v.k`.execute(db);
      }
      // Every PENDING order of the customer with that title gets the id, not just this page's.
      for (const { title, groupId } of ids) {
        await sql`update ${H} as h set group_id = ${groupId}, updated_at = now()
          where ${hc} = ${customer} and h.group_name = ${title} and h.sync_state = 'PENDING'
          and h.group_id is distinct from ${groupId}`.execute(db);
      }
    },
    async markAttempt({ attemptId, entities }) {
      const items = entities.filter((e) => e.entity === 'item').map((e) => e.key);
      const subitems = entities.filter((e) => e.entity === 'subitem').map((e) => e.key);
      if (items.length > 0) {
        await sql`update ${H} as h set attempt_id = ${attemptId}, sync_attempted_at = now(), last_run_id = ${ctx.runId}
          where ${hk} = any(${items})`.execute(db);
      }
      if (subitems.length > 0) {
        await sql`update ${L} as l set attempt_id = ${attemptId}, sync_attempted_at = now(), last_run_id = ${ctx.runId}
          where ${lk} = any(${subitems})`.execute(db);
      }
    },
    async settle(outcomes) {
      if (outcomes.length === 0) return;
      try {
        await db.transaction().execute(async (tx) => {
          for (const out of outcomes) await sql`${settleStatement(o, out, ctx.runId)}`.execute(tx);
        });
      } catch (error) {
        // One row the database refuses must not lose its neighbours' outcomes: write them one by one,
        // and a refused one without its payloads, with the database's reason.
        ctx.logger.warn('write-back of a batch failed; writing its records one by one', { error: (error as Error).message });
        for (const out of outcomes) {
          try {
            await sql`${settleStatement(o, out, ctx.runId)}`.execute(db);
          } catch (rowError) {
            const reason = `could not write the outcome back: ${(rowError as Error).message}`;
            await sql`${settleStatement(o, { ...out, request: null, response: null, error: out.error ? `${out.error}; ${reason}` : reason }, ctx.runId)}`.execute(db);
          }
        }
      }
    },
    async requeueFailed(customer) {
      const a = await sql`update ${H} as h set sync_state = 'PENDING', retry_count = 0, updated_at = now()
        where ${hc} = ${customer} and h.sync_state = 'FAILED'`.execute(db);
      const b = await sql`update ${L} as l set sync_state = 'PENDING', retry_count = 0, updated_at = now()
        from ${H} as h where ${lp} = ${hk} and ${hc} = ${customer} and l.sync_state = 'FAILED'`.execute(db);
      return Number(a.numAffectedRows ?? 0) + Number(b.numAffectedRows ?? 0);
    },
    requeue: (orders) => requeueOrders(db, o, orders),
    async outstanding(customers) {
      const r = await sql<{ n: number }>`select count(*)::int as n from (
          select ${hc} as customer from ${H} as h where h.sync_state = 'FAILED' and h.last_run_id is distinct from ${ctx.runId}
          union all
          select ${hc} as customer from ${L} as l join ${H} as h on ${lp} = ${hk}
          where l.sync_state = 'FAILED' and l.last_run_id is distinct from ${ctx.runId}
        ) as f where customer = any(${customers})`.execute(db);
      return Number(r.rows[0]?.n ?? 0);
    },
    async tally(customers) {
      const r = await sql<{ customer: string; state: SyncState; n: number }>`
        select customer, state, count(*)::int as n from (
          select ${hc} as customer, h.sync_state as state from ${H} as h where h.last_run_id = ${ctx.runId}
          union all
          select ${hc} as customer, l.sync_state as state from ${L} as l join ${H} as h on ${lp} = ${hk}
          where l.last_run_id = ${ctx.runId}
        ) as t where customer = any(${customers}) group by customer, state`.execute(db);
      return r.rows.map((row) => ({ customer: row.customer, state: row.state, count: Number(row.n) }));
    },
  };
}

/** The UPDATE that writes one outcome back to its row. */
function settleStatement(o: PostgresPendingOptions, out: EntityOutcome, runId: string): RawBuilder<unknown> {
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
    return sql`update ${sql.table(o.headers)} set ${common},
      monday_item_id = coalesce(${out.mondayId}, monday_item_id),
      group_id = coalesce(${out.groupId}, group_id),
      group_name = coalesce(${out.groupTitle}, group_name),
      item_name = coalesce(${out.name}, item_name)
      where ${sql.ref(o.key)} = ${out.key}`;
  }
  return sql`update ${sql.table(o.lines)} set ${common},
    monday_subitem_id = coalesce(${out.mondayId}, monday_subitem_id),
    parent_item_id = coalesce(${out.parentItemId}, parent_item_id)
    where ${sql.ref(o.lineKey)} = ${out.key}`;
}
