/**
 * Items of a board changed since a time, a page at a time. API reference "Last Updated": the last
 * updated column is filterable through `items_page` (`__last_updated__`, `compare_attribute: "UPDATED_AT"`);
 * its date compare is by day, so the page is a superset and each item's own `updated_at` decides.
 * "items_page": cursors are opaque and expire after 60 minutes; a filter rides on its cursor.
 */
import type { ReadColumnValue } from '../../monday/comparable-value.ts';
import type { MondayClient } from '../../monday/types.ts';

/** An item as the write-back reads it. */
export interface ChangedItem {
  id: string;
  updated_at: string | null;
  column_values: (ReadColumnValue & { id: string })[];
}

/** One page and the cursor to the next (null on the last). */
export interface ItemsPage {
  cursor: string | null;
  items: ChangedItem[];
}

const ITEM_FIELDS = 'cursor items { id updated_at column_values(ids: $columns) { id type value text } }';
export const FIRST_CHANGED_PAGE = `query ($board: [ID!], $limit: Int!, $query: ItemsQuery, $columns: [String!]) { boards(ids: $board) { items_page(limit: $limit, query_params: $query) { ${ITEM_FIELDS} } } }`;
export const NEXT_CHANGED_PAGE = `query ($cursor: String!, $limit: Int!, $columns: [String!]) { next_items_page(cursor: $cursor, limit: $limit) { ${ITEM_FIELDS} } }`;

/** The pseudo-column of an item's last change (every board has it). */
export const LAST_UPDATED_COLUMN = '__last_updated__';

/** The first page of items changed on or after the day of `since` (every item when `since` is null). */
export async function readFirstPage(monday: MondayClient, args: { board: string; since: Date | null; limit: number; columns: string[]; signal?: AbortSignal }): Promise<ItemsPage> {
  const query = args.since
    ? { rules: [{ column_id: LAST_UPDATED_COLUMN, compare_value: ['EXACT', args.since.toISOString().slice(0, 10)], operator: 'greater_than_or_equals', compare_attribute: 'UPDATED_AT' }] }
    : null;
  const { data } = await monday.query<{ boards: { items_page: ItemsPage }[] | null }>(FIRST_CHANGED_PAGE, { board: [args.board], limit: args.limit, query, columns: args.columns }, { signal: args.signal });
  const page = data.boards?.[0]?.items_page;
  if (!page) throw new Error(`write-back: board ${args.board} did not answer items_page`);
  return page;
}

/** The page after `cursor`; throws MondayError (CursorException) when it expired. */
export async function readNextPage(monday: MondayClient, args: { cursor: string; limit: number; columns: string[]; signal?: AbortSignal }): Promise<ItemsPage> {
  const { data } = await monday.query<{ next_items_page: ItemsPage }>(NEXT_CHANGED_PAGE, { cursor: args.cursor, limit: args.limit, columns: args.columns }, { signal: args.signal });
  return data.next_items_page;
}
