/** Every record of postgres-pending's tables with its state, monday id and group, for `ordersync reconcile`. */
import { sql, type RawBuilder } from 'kysely';
import type { InventoryRow, PluginContext, SyncState } from '../../src/pipeline/index.ts';
import type { PostgresPendingOptions } from './postgres-pending.ts';

const PAGE_SIZE = 2000;

type Header = { k: string; c: string; s: string; m: string | null; g: string | null };
type Line = { k: string; p: string; s: string; m: string | null };

const toState = (value: unknown): SyncState => (value === 'SYNCED' || value === 'FAILED' ? value : 'PENDING');

/** Orders of these customers with their lines, a page of orders at a time in key order. */
export async function* listInventory(o: PostgresPendingOptions, ctx: PluginContext, customers: string[]): AsyncGenerator<InventoryRow[]> {
  const H = sql.table(o.headers);
  const L = sql.table(o.lines);
  const hk = sql.ref(`h.${o.key}`);
  const hc = sql.ref(`h.${o.customer}`);
  let after: string | null = null;
  for (;;) {
    const keyset: RawBuilder<unknown> = after === null ? sql`true` : sql`${hk} > ${after}`;
    const headers: { rows: Header[] } = await sql<Header>`select ${hk}::text as k, ${hc}::text as c, h.sync_state as s, h.monday_item_id as m, h.group_id as g
      from ${H} as h where ${hc} = any(${customers}) and ${keyset} order by ${hk} limit ${PAGE_SIZE}`.execute(ctx.db);
    if (headers.rows.length === 0) return;
    const keys: string[] = headers.rows.map((h) => h.k);
    const lines = await sql<Line>`select ${sql.ref(`l.${o.lineKey}`)}::text as k, ${sql.ref(`l.${o.lineParent}`)}::text as p, l.sync_state as s, l.monday_subitem_id as m
      from ${L} as l where ${sql.ref(`l.${o.lineParent}`)}::text = any(${keys}) order by 2, 1`.execute(ctx.db);
    const byKey = new Map(headers.rows.map((h) => [h.k, h]));
    yield [
      ...headers.rows.map((h): InventoryRow => ({ entity: 'item', key: h.k, order: h.k, customer: h.c, state: toState(h.s), mondayId: h.m, groupId: h.g })),
      ...lines.rows.map((l): InventoryRow => {
        const h = byKey.get(l.p)!;
        return { entity: 'subitem', key: l.k, order: l.p, customer: h.c, state: toState(l.s), mondayId: l.m, groupId: h.g };
      }),
    ];
    if (headers.rows.length < PAGE_SIZE) return;
    after = keys.at(-1)!;
  }
}
