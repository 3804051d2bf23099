/** `items_page_by_column_values`: items whose columns hold one of the given values, for every column given. */
import type { BoardStore } from './board-store.ts';
import { columnText } from './column-value-view.ts';
import { findColumn } from './match-rule.ts';
import type { BoardState, ColumnState, ItemState } from './types.ts';

/** `ItemsPageByColumnValuesQuery` as received. */
export interface ColumnValuesQuery {
  column_id: string;
  column_values: (string | null)[];
}

/** Ids of the active items that match every column query (any one of its values). */
export function matchColumnValues(store: BoardStore, board: BoardState, columns: ColumnValuesQuery[]): string[] {
  const checks = columns.map((query) => ({ column: findColumn(board, query.column_id), values: query.column_values.map((value) => value ?? '') }));
  return store
    .itemsOf(board.id)
    .filter((item) => item.state === 'active')
    .filter((item) => checks.every(({ column, values }) => matchesAny(column, item, values, () => columnText(column, item, () => store.subitemsOf(item)))))
    .map((item) => item.id);
}

// API reference "items_page_by_column_values": a text column matches the whole value without regard
// to case ("po-1" finds "PO-1", never "PO-12"); a dropdown value matches a label that contains it.
// The page leaves the dropdown's case open: the emulator ignores case there too. Other columns
// compare their text exactly; "" (or null) finds empty values.
function matchesAny(column: ColumnState, item: ItemState, values: string[], text: () => string): boolean {
  if (column.type === 'text') {
    const lower = text().toLowerCase();
    return values.some((value) => value.toLowerCase() === lower);
  }
  if (column.type === 'dropdown') {
    const ids = (item.column_values[column.id] as { ids?: number[] } | undefined)?.ids ?? [];
    const labels = (column.settings.labels ?? []).filter((label) => ids.includes(label.id)).map((label) => label.name.toLowerCase());
    if (labels.length === 0) return values.includes('');
    return values.some((value) => value !== '' && labels.some((label) => label.includes(value.toLowerCase())));
  }
  return values.includes(text());
}
