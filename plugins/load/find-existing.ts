/** Looks up items that an earlier, interrupted run may already have created (adopt instead of duplicate). */
import type { PluginContext } from '../../src/pipeline/index.ts';

const BY_KEY = `query ($board: ID!, $columns: [ItemsPageByColumnValuesQuery!]) {
  items_page_by_column_values(board_id: $board, columns: $columns, limit: 5) { items { id } }
}`;

const SUBITEMS = 'query ($ids: [ID!]) { items(ids: $ids) { subitems { id board { id } column_values { id text } } } }';

/** The id of the item on `board` whose `column` holds `key`, if any. */
export async function findExistingItem(ctx: PluginContext, board: string, column: string, key: string): Promise<string | null> {
  const { data } = await ctx.monday.query<{ items_page_by_column_values: { items: { id: string }[] } }>(
    BY_KEY,
    { board, columns: [{ column_id: column, column_values: [key] }] },
  );
  return data.items_page_by_column_values.items[0]?.id ?? null;
}

interface Subitem {
  id: string;
  board: { id: string } | null;
  column_values: { id: string; text: string | null }[];
}

/** A subitem of `parentId` whose `column` holds `key` (or, with no column, any subitem, to learn the subitem board). */
export async function findExistingSubitem(
  ctx: PluginContext,
  parentId: string,
  column: string | null,
  key: string | null,
): Promise<{ id: string; board: string | null } | null> {
  const { data } = await ctx.monday.query<{ items: { subitems: Subitem[] | null }[] }>(SUBITEMS, { ids: [parentId] });
  const subitems = data.items[0]?.subitems ?? [];
  const found = column ? subitems.find((s) => s.column_values.some((c) => c.id === column && c.text === key)) : subitems[0];
  return found ? { id: found.id, board: found.board?.id ?? null } : null;
}
