/** `query_params.order_by`: sorts matched items by one or more columns. */
import type { BoardStore } from './board-store.ts';
import { columnText } from './column-value-view.ts';
import { findColumn } from './match-rule.ts';
import type { BoardState, ItemState } from './types.ts';

/** `ItemsQueryOrderBy` as received. */
export interface ItemsOrderBy {
  column_id: string;
  direction?: string | null;
}

/**
 * Items sorted by each `order_by` entry in turn; ties keep board order. monday's pages ("items_page")
 * do not say where empty values go: the emulator puts them last in either direction.
 */
export function orderItems(store: BoardStore, board: BoardState, items: ItemState[], orderBy: ItemsOrderBy[]): ItemState[] {
  if (orderBy.length === 0) return items;
  const keys = orderBy.map((entry) => {
    const column = findColumn(board, entry.column_id);
    const sign = entry.direction === 'desc' ? -1 : 1;
    const numeric = column.type === 'numbers';
    return { sign, numeric, text: (item: ItemState) => columnText(column, item, () => store.subitemsOf(item)) };
  });
  return [...items].sort((a, b) => {
    for (const key of keys) {
      const [left, right] = [key.text(a), key.text(b)];
      if (left === right) continue;
      if (left === '') return 1;
      if (right === '') return -1;
      const order = key.numeric ? Number(left) - Number(right) : left.localeCompare(right);
      if (order !== 0) return key.sign * order;
    }
    return 0;
  });
}
