/**
 * Every item of a board with its group, the columns reconcile compares, and its subitems, a page at a
 * time through items_page / next_items_page (API reference "items_page": cursors live 60 minutes, a
 * page holds at most 500 items). Reads go through the monday client, which paces them to the budget.
 */
import type { ReadColumnValue } from '../monday/comparable-value.ts';
import { MondayError, type MondayClient } from '../monday/types.ts';

/** A column value as read. */
export type ReadValue = ReadColumnValue & { id: string };

/** A subitem as reconcile reads it. */
export interface BoardSubitem {
  id: string;
  name: string;
  column_values: ReadValue[];
}

/** An item as reconcile reads it. */
export interface BoardItem {
  id: string;
  name: string;
  group: { id: string; title: string } | null;
  column_values: ReadValue[];
  subitems: BoardSubitem[] | null;
}

const FIELDS = `cursor items { id name group { id title } column_values(ids: $columns) { id type value text }
  subitems { id name column_values(ids: $subColumns) { id type value text } } }`;
export const FIRST_BOARD_PAGE = `query ($board: [ID!], $limit: Int!, $columns: [String!], $subColumns: [String!]) { boards(ids: $board) { items_page(limit: $limit) { ${FIELDS} } } }`;
export const NEXT_BOARD_PAGE = `query ($cursor: String!, $limit: Int!, $columns: [String!], $subColumns: [String!]) { next_items_page(cursor: $cursor, limit: $limit) { ${FIELDS} } }`;

interface Page {
  cursor: string | null;
  items: BoardItem[];
}

// API reference "Rate limits": one query may cost at most 5,000,000 points; items with many subitems
// can make a page cost more, so a page monday refuses as too complex is asked again at half the size.
const tooComplex = (error: unknown): boolean => error instanceof MondayError && /maxComplexityExceeded|exceeds max complexity/i.test(`${error.info.code} ${error.info.message}`);

/** The board's items, a page at a time; `columns` / `subColumns` are the column ids to read. */
export async function* readBoardItems(
  monday: MondayClient,
  args: { board: string; limit: number; columns: string[]; subColumns: string[]; signal?: AbortSignal },
): AsyncGenerator<BoardItem[]> {
  let limit = args.limit;
  const read = async <T>(document: string, variables: Record<string, unknown>): Promise<T> => {
    for (;;) {
      try {
        return (await monday.query<T>(document, { ...variables, limit, columns: args.columns, subColumns: args.subColumns }, { signal: args.signal })).data;
      } catch (error) {
        if (!tooComplex(error) || limit === 1) throw error;
        limit = Math.max(1, Math.floor(limit / 2));
      }
    }
  };
  const first = await read<{ boards: { items_page: Page }[] | null }>(FIRST_BOARD_PAGE, { board: [args.board] });
  let page: Page | undefined = first.boards?.[0]?.items_page;
  if (!page) throw new Error(`reconcile: board ${args.board} does not exist or cannot be read`);
  for (;;) {
    yield page.items;
    if (!page.cursor) return;
    page = (await read<{ next_items_page: Page }>(NEXT_BOARD_PAGE, { cursor: page.cursor })).next_items_page;
  }
}
