/**
 * The promises, checked from the outside: the order tables, the engine tables and the emulator's
 * state must say the same thing — every record accounted for (1), nothing twice on monday (2),
 * database and monday agree (3).
 */
import { sql, type Kysely } from 'kysely';
import type { EmulatorState, ItemState } from '../../../src/emulator/index.ts';
import type { EngineTables } from '../../../src/db/tables.ts';

/** monday column holding an item's order number (config/order-list.yaml). */
export const ITEM_KEY_COLUMN = 'text_mkr5ord0';
/** monday column holding a subitem's line key (config/order-list.yaml). */
export const LINE_KEY_COLUMN = 'text_mkr6c3lk';

/** One pipeline's order tables and the row counts they must keep. */
export interface OrderTables {
  headers: string;
  lines: string;
  /** Rows seeded before the runs: none may disappear. */
  expected: { orders: number; lines: number };
}

/** What was found; every list must be empty. */
export interface PromiseCheck {
  /** Records (headers + lines) examined. */
  records: number;
  /** Promise 1: rows gone, or SYNCED rows whose monday entity does not exist. */
  lost: string[];
  /** Promise 1 (after a finished run): FAILED or PENDING rows without a reason. */
  unexplained: string[];
  /** Promise 2: an order, line or group title more than once on monday. */
  duplicates: string[];
  /** Promise 3: the database and monday say different things. */
  disagreements: string[];
  /** Rows by state, over all tables. */
  states: Record<'PENDING' | 'SYNCED' | 'FAILED', number>;
}

interface HeaderRow { order_number: string; customer_name: string; sync_state: string; sync_error_message: string | null; monday_item_id: string | null; group_id: string | null; group_name: string | null; item_name: string | null }
interface LineRow { line_key: string; order_number: string; sync_state: string; sync_error_message: string | null; monday_subitem_id: string | null; parent_item_id: string | null }

const key = (item: ItemState, column: string): string => String(item.column_values[column] ?? '');
// Keys are written to monday's key column trimmed, by design (column-map writes fieldText(key)).
const same = (onMonday: string, inDatabase: string): boolean => onMonday === inDatabase.trim();

function countBy<T>(list: T[], by: (x: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const x of list) map.set(by(x), [...(map.get(by(x)) ?? []), x]);
  return map;
}

/** Promise 2 on monday's side: every order, line and group title at most once. */
export function findDuplicates(state: EmulatorState): string[] {
  const duplicates: string[] = [];
  const active = state.items.filter((i) => i.state === 'active');
  const items = active.filter((i) => i.parent_item_id === null);
  const subitems = active.filter((i) => i.parent_item_id !== null);
  for (const [k, list] of countBy(items, (i) => key(i, ITEM_KEY_COLUMN))) if (list.length > 1) duplicates.push(`order ${k} is ${list.length} items: ${list.map((i) => i.id).join(', ')}`);
  for (const [k, list] of countBy(subitems, (i) => key(i, LINE_KEY_COLUMN))) if (list.length > 1) duplicates.push(`line ${k} is ${list.length} subitems: ${list.map((i) => i.id).join(', ')}`);
  for (const board of state.boards) {
    for (const [title, list] of countBy(board.groups.filter((g) => !g.deleted), (g) => g.title)) if (list.length > 1) duplicates.push(`board ${board.id} has ${list.length} groups titled ${JSON.stringify(title)}`);
  }
  return duplicates;
}

/**
 * Checks promises 1–3. `final` is for after a run that finished (not one that was killed): then
 * every record must carry its reason and no item may exist that the database does not point at.
 */
export async function checkPromises(
  db: Kysely<EngineTables>,
  state: EmulatorState,
  o: { tables: OrderTables[]; boardFor: (customer: string) => string; final: boolean },
): Promise<PromiseCheck> {
  const check: PromiseCheck = { records: 0, lost: [], unexplained: [], duplicates: [], disagreements: [], states: { PENDING: 0, SYNCED: 0, FAILED: 0 } };
  const active = state.items.filter((i) => i.state === 'active');
  const byId = new Map(active.map((i) => [i.id, i]));
  const groupsOf = new Map(state.boards.map((b) => [b.id, b.groups.filter((g) => !g.deleted)]));

  check.duplicates.push(...findDuplicates(state));

  const pointedAt = new Set<string>();
  const claims = new Map<string, string[]>();
  const claim = (mondayId: string | null, row: string): void => {
    if (mondayId) claims.set(mondayId, [...(claims.get(mondayId) ?? []), row]);
  };
  for (const t of o.tables) {
    const headers = (await sql<HeaderRow>`select order_number, customer_name, sync_state, sync_error_message, monday_item_id, group_id, group_name, item_name from ${sql.table(t.headers)}`.execute(db)).rows;
    const lines = (await sql<LineRow>`select line_key, order_number, sync_state, sync_error_message, monday_subitem_id, parent_item_id from ${sql.table(t.lines)}`.execute(db)).rows;
    check.records += headers.length + lines.length;
    if (headers.length !== t.expected.orders) check.lost.push(`${t.headers} has ${headers.length} rows, ${t.expected.orders} were seeded`);
    if (lines.length !== t.expected.lines) check.lost.push(`${t.lines} has ${lines.length} rows, ${t.expected.lines} were seeded`);
    const headerOf = new Map(headers.map((h) => [h.order_number, h]));
    for (const row of [...headers, ...lines]) {
      check.states[row.sync_state as keyof PromiseCheck['states']]++;
      const name = 'line_key' in row ? `line ${row.line_key}` : `order ${row.order_number}`;
      if (o.final && row.sync_state !== 'SYNCED' && !row.sync_error_message?.trim()) check.unexplained.push(`${name} is ${row.sync_state} without a reason`);
    }
    for (const h of headers) {
      if (h.monday_item_id) pointedAt.add(h.monday_item_id);
      claim(h.monday_item_id, `order ${h.order_number}`);
      if (h.sync_state !== 'SYNCED') continue;
      const item = h.monday_item_id ? byId.get(h.monday_item_id) : undefined;
      if (!item) {
        check.lost.push(`order ${h.order_number} is SYNCED but item ${h.monday_item_id} is not on monday`);
        continue;
      }
      const group = groupsOf.get(item.board_id)?.find((g) => g.id === item.group_id);
      const wrong = [
        item.board_id !== o.boardFor(h.customer_name) && `board ${item.board_id}`,
        !same(key(item, ITEM_KEY_COLUMN), h.order_number) && `key ${key(item, ITEM_KEY_COLUMN)}`,
        item.group_id !== h.group_id && `group ${item.group_id} (database: ${h.group_id})`,
        group?.title !== h.group_name && `group title ${JSON.stringify(group?.title)} (database: ${JSON.stringify(h.group_name)})`,
        item.name !== h.item_name && `name ${JSON.stringify(item.name)} (database: ${JSON.stringify(h.item_name)})`,
      ].filter(Boolean);
      if (wrong.length > 0) check.disagreements.push(`order ${h.order_number}: item ${item.id} has ${wrong.join(', ')}`);
    }
    for (const l of lines) {
      if (l.monday_subitem_id) pointedAt.add(l.monday_subitem_id);
      claim(l.monday_subitem_id, `line ${l.line_key}`);
      if (l.sync_state !== 'SYNCED') continue;
      const sub = l.monday_subitem_id ? byId.get(l.monday_subitem_id) : undefined;
      if (!sub) {
        check.lost.push(`line ${l.line_key} is SYNCED but subitem ${l.monday_subitem_id} is not on monday`);
        continue;
      }
      const parent = headerOf.get(l.order_number)?.monday_item_id;
      const wrong = [
        !same(key(sub, LINE_KEY_COLUMN), l.line_key) && `key ${key(sub, LINE_KEY_COLUMN)}`,
        sub.parent_item_id !== parent && `parent ${sub.parent_item_id} (order's item: ${parent})`,
        sub.parent_item_id !== l.parent_item_id && `parent ${sub.parent_item_id} (database: ${l.parent_item_id})`,
      ].filter(Boolean);
      if (wrong.length > 0) check.disagreements.push(`line ${l.line_key}: subitem ${sub.id} has ${wrong.join(', ')}`);
    }
  }
  for (const [id, rows] of claims) if (rows.length > 1) check.disagreements.push(`${rows.map((r) => JSON.stringify(r)).join(' and ')} all point at monday ${id}`);
  if (o.final) {
    for (const i of active) if (!pointedAt.has(i.id)) check.disagreements.push(`${i.parent_item_id ? 'subitem' : 'item'} ${i.id} (${key(i, i.parent_item_id ? LINE_KEY_COLUMN : ITEM_KEY_COLUMN)}) is on monday but no row points at it`);
  }
  for (const g of await db.selectFrom('ordersync_groups').selectAll().execute()) {
    const onBoard = groupsOf.get(g.board_id)?.find((x) => x.id === g.group_id);
    if (!onBoard || onBoard.title !== g.title) check.disagreements.push(`ordersync_groups says ${JSON.stringify(g.title)} is ${g.group_id} on board ${g.board_id}; monday has ${onBoard ? JSON.stringify(onBoard.title) : 'no such group'}`);
  }
  return check;
}
