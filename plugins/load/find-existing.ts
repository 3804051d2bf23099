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
async function choose(sink: LoadSink, entity: 'item' | 'subitem', ownKey: string, column: string, key: string, candidates: Candidate[]): Promise<{ id: string | null } | { refused: string }> {
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
