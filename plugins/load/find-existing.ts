/**
 * Looks up items that an earlier, interrupted run may already have created (adopt instead of
 * duplicate). monday matches a text column's whole value without case (API reference
 * "items_page_by_column_values"), so a hit is adopted only when its key is exactly the one
 * written, it is the only such item, and no other record of ours already owns it.
 */
import type { LoadSink, PluginContext } from '../../src/pipeline/index.ts';

const BY_KEY = `query ($board: ID!, $columns: [ItemsPageByColumnValuesQuery!], $ids: [String!]) {
  items_page_by_column_values(board_id: $board, columns: $columns, limit: 25) { items { id column_values(ids: $ids) { id text } } }
}`;

const SUBITEMS = 'query ($ids: [ID!]) { items(ids: $ids) { subitems { id board { id } column_values { id text } } } }';

/** What a lookup by key found: nothing, the one item to adopt, or why none may be adopted. */
export type Lookup = { id: string | null; board: string | null } | { refused: string };

interface Candidate {
  id: string;
  column_values: { id: string; text: string | null }[] | null;
}

/** Exact key matches among candidates, then ownership: an item another record of ours holds is never adopted. */
export async function choose(sink: LoadSink, entity: 'item' | 'subitem', ownKey: string, column: string, key: string, candidates: Candidate[]): Promise<{ id: string | null } | { refused: string }> {
  const exact = candidates.filter((c) => c.column_values?.some((v) => v.id === column && v.text === key));
  if (exact.length === 0) return { id: null };
  if (exact.length > 1) {
    return { refused: `${exact.length} ${entity}s on monday have the key ${JSON.stringify(key)} (${exact.map((c) => c.id).join(', ')}); none is adopted — remove the extra one on monday, then retry this record` };
  }
  const id = exact[0]!.id;
  const other = await sink.ownerOf(entity, id);
  if (other !== null && other !== ownKey) {
    return { refused: `its key ${JSON.stringify(key)} is the same on monday as ${JSON.stringify(other)}'s (${entity} ${id}): monday trims keys and matches them without case; rename one of them upstream` };
  }
  return { id };
}

/** The item on `board` whose `column` holds exactly `key`, if it is ours to adopt. */
export async function findExistingItem(ctx: PluginContext, sink: LoadSink, board: string, ownKey: string, column: string, key: string): Promise<Lookup> {
  const { data } = await ctx.monday.query<{ items_page_by_column_values: { items: Candidate[] } | null }>(
    BY_KEY,
    { board, columns: [{ column_id: column, column_values: [key] }], ids: [column] },
  );
  const chosen = await choose(sink, 'item', ownKey, column, key, data.items_page_by_column_values?.items ?? []);
  return 'refused' in chosen ? chosen : { id: chosen.id, board: null };
}

interface Subitem extends Candidate {
  board: { id: string } | null;
}

/** A subitem of `parentId` whose `column` holds exactly `key` (or, with no column, any subitem, to learn the subitems board). */
export async function findExistingSubitem(ctx: PluginContext, sink: LoadSink | null, parentId: string, ownKey: string | null, column: string | null, key: string | null): Promise<Lookup | null> {
  const { data } = await ctx.monday.query<{ items: { subitems: Subitem[] | null }[] | null }>(SUBITEMS, { ids: [parentId] });
  const subitems = data.items?.[0]?.subitems ?? [];
  const board = subitems.find((s) => s.board?.id)?.board?.id ?? null;
  if (!sink || !column || key === null || ownKey === null) return subitems[0] ? { id: subitems[0].id, board } : null;
  const chosen = await choose(sink, 'subitem', ownKey, column, key, subitems);
  return 'refused' in chosen ? chosen : { id: chosen.id, board };
}

const BY_KEYS = `query ($board: ID!, $columns: [ItemsPageByColumnValuesQuery!], $ids: [String!], $limit: Int!) {
  items_page_by_column_values(board_id: $board, columns: $columns, limit: $limit) { items { id column_values(ids: $ids) { id text } } }
}`;

const SUBITEMS_OF = 'query ($ids: [ID!], $columns: [String!]) { items(ids: $ids) { id subitems { id board { id } column_values(ids: $columns) { id text } } } }';

/** One entity to look up: its own record key and the key as written to monday. */
export interface KeyLookup {
  ownKey: string;
  key: string;
}

/** Items of `board` holding any of the keys, in one read; each entry gets its own verdict. */
export async function findItemsByKeys(ctx: PluginContext, sink: LoadSink, board: string, column: string, entries: KeyLookup[]): Promise<Map<string, Lookup>> {
  const keys = [...new Set(entries.map((e) => e.key))];
  // Up to monday's page maximum: a key matched by more items than that is refused below anyway.
  const { data } = await ctx.monday.query<{ items_page_by_column_values: { items: Candidate[] } | null }>(
    BY_KEYS,
    { board, columns: [{ column_id: column, column_values: keys }], ids: [column], limit: Math.min(500, keys.length * 4) },
  );
  const candidates = data.items_page_by_column_values?.items ?? [];
  const out = new Map<string, Lookup>();
  for (const e of entries) {
    const chosen = await choose(sink, 'item', e.ownKey, column, e.key, candidates);
    out.set(e.ownKey, 'refused' in chosen ? chosen : { id: chosen.id, board: null });
  }
  return out;
}

/** Subitems of the given parents holding the keys, in one read. */
export async function findSubitemsByKeys(ctx: PluginContext, sink: LoadSink, column: string, entries: (KeyLookup & { parentId: string })[]): Promise<Map<string, Lookup>> {
  const { data } = await ctx.monday.query<{ items: { id: string; subitems: Subitem[] | null }[] | null }>(SUBITEMS_OF, { ids: [...new Set(entries.map((e) => e.parentId))], columns: [column] });
  const byParent = new Map((data.items ?? []).map((i) => [String(i.id), i.subitems ?? []]));
  const out = new Map<string, Lookup>();
  for (const e of entries) {
    const subitems = byParent.get(e.parentId) ?? [];
    const chosen = await choose(sink, 'subitem', e.ownKey, column, e.key, subitems);
    out.set(e.ownKey, 'refused' in chosen ? chosen : { id: chosen.id, board: subitems.find((s) => s.board?.id)?.board?.id ?? null });
  }
  return out;
}
