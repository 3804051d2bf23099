/** Everything postgres-pending writes back to the source tables: groups, attempt stamps, outcomes, requeues, tallies. */
import { sql } from 'kysely';
import type { PluginContext, SyncState, WriteBack } from '../../src/pipeline/index.ts';
import type { PostgresPendingOptions } from './postgres-pending.ts';
import { tableRefs } from './table-refs.ts';
import { settleOutcomes } from './settle-outcomes.ts';
import { requeueOrders } from './source-records.ts';
import { typedRows } from './typed-rows.ts';

/** The write-back of postgres-pending on the tables its options name. */
export function createWriteBack(o: PostgresPendingOptions, ctx: PluginContext): WriteBack {
  const { db } = ctx;
  const { H, L, hk, hc, lk, lp } = tableRefs(o);
  return {
    async recordGroups(customer, titles, ids) {
      // One statement for the page's titles and one for every title's id (not one per title).
      if (titles.length > 0) {
        const rows = lastPerKey(titles, (t) => t.key).map((t) => ({ [o.key]: t.key, group_name: t.title }));
        await sql`update ${H} as h set group_name = v.group_name, updated_at = now()
          from ${typedRows(o.headers, rows)} as v where ${hk} = ${sql.ref(`v.${o.key}`)}`.execute(db);
      }
      if (ids.length > 0) {
        // Every PENDING order of the customer with that title gets the id, not just this page's.
        const rows = lastPerKey(ids, (g) => g.title).map((g) => ({ group_name: g.title, group_id: g.groupId }));
        await sql`update ${H} as h set group_id = v.group_id, updated_at = now()
          from ${typedRows(o.headers, rows)} as v
          where ${hc} = ${customer} and h.group_name = v.group_name and h.sync_state = 'PENDING'
          and h.group_id is distinct from v.group_id`.execute(db);
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
    settle: (outcomes) => settleOutcomes({ db, tables: o, runId: ctx.runId, logger: ctx.logger }, outcomes),
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

/** The last entry of each key, in the order of first appearance (a later entry overrides, as a later statement would). */
function lastPerKey<E>(entries: readonly E[], keyOf: (entry: E) => string): E[] {
  return [...new Map(entries.map((e) => [keyOf(e), e])).values()];
}
