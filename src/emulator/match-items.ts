/** Item filters: `items_page(query_params)` rules and `items_page_by_column_values` columns. */
import type { BoardStore } from './board-store.ts';
import { columnText } from './column-value-view.ts';
import { MondayApiError } from './monday-api-error.ts';
import type { BoardState, ItemState } from './types.ts';

/** `ItemsQueryRule` as received. */
export interface ItemsQueryRule {
  column_id: string;
  compare_value: unknown;
  operator?: string | null;
}

/** `ItemsQuery` / `ItemsQueryGroup` as received. */
export interface ItemsQuery {
  ids?: string[] | null;
  rules?: ItemsQueryRule[] | null;
  groups?: ItemsQuery[] | null;
  operator?: string | null;
}

/** `ItemsPageByColumnValuesQuery` as received. */
export interface ColumnValuesQuery {
  column_id: string;
  column_values: (string | null)[];
}

/** Ids of the active items of a board (optionally one group) that satisfy `query_params`. */
export function matchItemsQuery(store: BoardStore, board: BoardState, groupId: string | null, query: ItemsQuery | null | undefined): string[] {
  const ids = query?.ids ? new Set(query.ids.map(String)) : null;
  return store
    .itemsOf(board.id)
    .filter((item) => item.state === 'active' && (groupId === null || item.group_id === groupId))
    .filter((item) => (ids ? ids.has(item.id) : true) && (query ? matchesGroup(store, board, item, query) : true))
    .map((item) => item.id);
}

/** Ids of the active items whose column text equals one of the values, for every column given. */
export function matchColumnValues(store: BoardStore, board: BoardState, columns: ColumnValuesQuery[]): string[] {
  const checks = columns.map((query) => ({ column: columnOf(board, query.column_id), values: query.column_values.map((value) => value ?? '') }));
  return store
    .itemsOf(board.id)
    .filter((item) => item.state === 'active')
    .filter((item) =>
      checks.every(({ column, values }) => {
        const text = columnText(column, item, () => store.subitemsOf(item));
        // Multi-label values (dropdown) match when any one label is asked for.
        return values.includes(text) || (column.type === 'dropdown' && text.split(', ').some((label) => values.includes(label)));
      }),
    )
    .map((item) => item.id);
}

function matchesGroup(store: BoardStore, board: BoardState, item: ItemState, query: ItemsQuery): boolean {
  const results = [
    ...(query.rules ?? []).map((rule) => matchesRule(store, board, item, rule)),
    ...(query.groups ?? []).map((group) => matchesGroup(store, board, item, group)),
  ];
  if (results.length === 0) return true;
  return query.operator === 'or' ? results.some(Boolean) : results.every(Boolean);
}

function matchesRule(store: BoardStore, board: BoardState, item: ItemState, rule: ItemsQueryRule): boolean {
  const column = columnOf(board, rule.column_id);
  const text = columnText(column, item, () => store.subitemsOf(item));
  const compare = (Array.isArray(rule.compare_value) ? rule.compare_value : [rule.compare_value]).map((value) => String(value ?? ''));
  switch (rule.operator ?? 'any_of') {
    case 'any_of':
      return compare.includes(text) || (column.type === 'dropdown' && text.split(', ').some((label) => compare.includes(label)));
    case 'not_any_of':
      return !compare.includes(text);
    case 'is_empty':
      return text === '';
    case 'is_not_empty':
      return text !== '';
    case 'contains_text':
      return compare.some((value) => text.toLowerCase().includes(value.toLowerCase()));
    default:
      throw new MondayApiError('InvalidArgumentException', `Unsupported rule operator ${rule.operator}`, { operator: rule.operator });
  }
}

function columnOf(board: BoardState, columnId: string) {
  const column = board.columns.find((candidate) => candidate.id === columnId);
  if (!column) throw new MondayApiError('InvalidColumnIdException', `This column ID doesn't exist for the board`, { column_id: columnId, board_id: board.id });
  return column;
}
