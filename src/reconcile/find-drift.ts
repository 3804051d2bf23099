/**
 * Drift between one board and the database, found without writing: counts per group, duplicates by
 * key, items with no database row, SYNCED rows whose item is gone, items moved to another group, and
 * column values that differ from what ordersync last wrote. Pure: reads happen elsewhere.
 */
import { comparableRead, comparableSent } from '../monday/comparable-value.ts';
import type { EntityKind, InventoryRow } from '../pipeline/contract/index.ts';
import type { BoardItem, ReadValue } from './read-board-items.ts';

/** The kinds of drift, in the order reports list them. */
export const FINDING_KINDS = ['missing', 'duplicate', 'orphan', 'moved', 'changed'] as const;
/** One kind of drift. */
export type FindingKind = (typeof FINDING_KINDS)[number];

/** One piece of drift. */
export interface Finding {
  kind: FindingKind;
  entity: EntityKind;
  /** The record key (or the key an orphan's key column holds), if any. */
  key: string | null;
  /** The monday item(s) concerned. */
  mondayIds: string[];
  /** For `changed`: the column, what ordersync last wrote and what the board holds now. */
  column?: string;
  written?: string;
  now?: string;
  /** One sentence for people. */
  detail: string;
}

/** Items and subitems of one group, on the board and in the database. */
export interface GroupCount {
  groupId: string;
  title: string;
  board: { items: number; subitems: number };
  database: { items: number; subitems: number };
}

/** What reconcile found on one board. */
export interface BoardDrift {
  board: string;
  groups: GroupCount[];
  findings: Finding[];
}

/** The board as read. */
export interface BoardSide {
  board: string;
  items: BoardItem[];
  /** Column id → monday type, on the board and on its subitems board. */
  itemTypes: Map<string, string>;
  subitemTypes: Map<string, string>;
  /** The text columns that hold record keys (null when not mapped). */
  keyColumn: string | null;
  subitemKeyColumn: string | null;
}

/** The database as read. */
export interface DatabaseSide {
  rows: InventoryRow[];
  /** `entity:key` → the values ordersync last wrote (name and column ids). */
  written: Map<string, Record<string, unknown>>;
  /** Group id → title, from the groups table (for groups with no item left on the board). */
  titles: Map<string, string>;
}

const keyText = (values: ReadValue[], column: string | null): string | null => {
  if (!column) return null;
  const read = values.find((v) => v.id === column);
  const text = read ? comparableRead(read) : '';
  return text === '' ? null : text;
};

/** Compares one board with the database rows of the customers that write to it. */
export function findDrift(board: BoardSide, database: DatabaseSide): BoardDrift {
  const findings: Finding[] = [];
  const onBoard = new Map<string, { item: BoardItem; values: ReadValue[]; entity: EntityKind; groupId: string | null; parent: string | null }>();
  for (const item of board.items) {
    onBoard.set(`item:${item.id}`, { item, values: item.column_values, entity: 'item', groupId: item.group?.id ?? null, parent: null });
    for (const sub of item.subitems ?? []) onBoard.set(`subitem:${sub.id}`, { item: { ...sub, group: item.group, subitems: null }, values: sub.column_values, entity: 'subitem', groupId: item.group?.id ?? null, parent: item.id });
  }
  const byMonday = new Map(database.rows.filter((r) => r.mondayId).map((r) => [`${r.entity}:${r.mondayId}`, r]));

  // Duplicates: one key held by more than one item (keys compare exactly, as adopt-before-create does).
  const byKey = new Map<string, string[]>();
  for (const [id, entry] of onBoard) {
    const key = keyText(entry.values, entry.entity === 'item' ? board.keyColumn : board.subitemKeyColumn);
    if (key === null) continue;
    const k = `${entry.entity}:${key}`;
    byKey.set(k, [...(byKey.get(k) ?? []), id]);
  }
  const duplicated = new Set<string>();
  for (const [k, ids] of byKey) {
    if (ids.length < 2) continue;
    const [entity, ...rest] = k.split(':');
    const key = rest.join(':');
    ids.forEach((id) => duplicated.add(id));
    const mondayIds = ids.map((id) => id.split(':')[1]!);
    findings.push({ kind: 'duplicate', entity: entity as EntityKind, key, mondayIds, detail: `${mondayIds.length} ${entity}s hold key ${key}: ${mondayIds.join(', ')}` });
  }

  // Orphans: items no database row holds (and that are not already a duplicate of one).
  for (const [id, entry] of onBoard) {
    if (byMonday.has(id) || duplicated.has(id)) continue;
    if (entry.entity === 'subitem' && entry.parent && !byMonday.has(`item:${entry.parent}`) && !duplicated.has(`item:${entry.parent}`)) continue; // counted with its orphan parent
    const key = keyText(entry.values, entry.entity === 'item' ? board.keyColumn : board.subitemKeyColumn);
    const subs = entry.entity === 'item' ? (entry.item.subitems ?? []).length : 0;
    findings.push({ kind: 'orphan', entity: entry.entity, key, mondayIds: [entry.item.id],
      detail: `${entry.entity} ${entry.item.id} "${entry.item.name}"${entry.item.group ? ` in ${entry.item.group.title}` : ''} has no database row${subs > 0 ? ` (with ${subs} subitem(s))` : ''}` });
  }

  // Missing: SYNCED rows whose item is gone (a subitem under a missing item is counted with it).
  const missingOrders = new Set<string>();
  for (const row of database.rows.filter((r) => r.entity === 'item')) {
    if (row.state !== 'SYNCED' || !row.mondayId || onBoard.has(`item:${row.mondayId}`)) continue;
    missingOrders.add(row.order);
    const lines = database.rows.filter((r) => r.entity === 'subitem' && r.order === row.order && r.mondayId && !onBoard.has(`subitem:${r.mondayId}`)).length;
    findings.push({ kind: 'missing', entity: 'item', key: row.key, mondayIds: [row.mondayId], detail: `order ${row.key} is SYNCED but item ${row.mondayId} is not on the board${lines > 0 ? ` (nor its ${lines} subitem(s))` : ''}` });
  }
  for (const row of database.rows.filter((r) => r.entity === 'subitem')) {
    if (row.state !== 'SYNCED' || !row.mondayId || onBoard.has(`subitem:${row.mondayId}`) || missingOrders.has(row.order)) continue;
    findings.push({ kind: 'missing', entity: 'subitem', key: row.key, mondayIds: [row.mondayId], detail: `line ${row.key} is SYNCED but subitem ${row.mondayId} is not on the board` });
  }

  // Moved and changed: rows whose item is on the board.
  for (const row of database.rows) {
    const entry = row.mondayId ? onBoard.get(`${row.entity}:${row.mondayId}`) : undefined;
    if (!entry) continue;
    if (row.entity === 'item' && row.groupId && entry.groupId && entry.groupId !== row.groupId) {
      findings.push({ kind: 'moved', entity: 'item', key: row.key, mondayIds: [row.mondayId!],
        detail: `order ${row.key}'s item is in ${entry.item.group?.title ?? entry.groupId}, not in ${database.titles.get(row.groupId) ?? row.groupId}` });
    }
    const written = database.written.get(`${row.entity}:${row.key}`);
    if (!written) continue;
    const types = row.entity === 'item' ? board.itemTypes : board.subitemTypes;
    for (const [column, value] of Object.entries(written)) {
      const type = types.get(column);
      const read = entry.values.find((v) => v.id === column);
      if (column === 'name' || !type || !read) continue;
      const ours = comparableSent(type, value);
      const theirs = comparableRead(read);
      if (ours !== theirs) {
        findings.push({ kind: 'changed', entity: row.entity, key: row.key, mondayIds: [row.mondayId!], column, written: ours, now: theirs,
          detail: `${row.entity === 'item' ? 'order' : 'line'} ${row.key}: ${column} was written as "${ours}", the board holds "${theirs}"` });
      }
    }
  }
  return { board: board.board, groups: countGroups(board, database), findings: findings.sort((a, b) => FINDING_KINDS.indexOf(a.kind) - FINDING_KINDS.indexOf(b.kind) || (a.key ?? '').localeCompare(b.key ?? '')) };
}

function countGroups(board: BoardSide, database: DatabaseSide): GroupCount[] {
  const groups = new Map<string, GroupCount>();
  const group = (id: string | null, title: string | undefined): GroupCount => {
    const groupId = id ?? '(none)';
    let g = groups.get(groupId);
    if (!g) groups.set(groupId, (g = { groupId, title: title ?? database.titles.get(groupId) ?? groupId, board: { items: 0, subitems: 0 }, database: { items: 0, subitems: 0 } }));
    return g;
  };
  for (const item of board.items) {
    const g = group(item.group?.id ?? null, item.group?.title);
    g.board.items++;
    g.board.subitems += (item.subitems ?? []).length;
  }
  for (const row of database.rows) {
    if (!row.mondayId) continue;
    const g = group(row.groupId, undefined);
    if (row.entity === 'item') g.database.items++;
    else g.database.subitems++;
  }
  return [...groups.values()].sort((a, b) => a.title.localeCompare(b.title));
}

/** Whether a group's counts differ. */
export function countsDiffer(g: GroupCount): boolean {
  return g.board.items !== g.database.items || g.board.subitems !== g.database.subitems;
}
