/** `items_page(query_params)`: rules, nested rule groups, ids and order_by. */
import type { BoardStore } from './board-store.ts';
import { compileRule, type ItemPredicate, type ItemsQueryRule } from './match-rule.ts';
import { orderItems, type ItemsOrderBy } from './order-items.ts';
import type { BoardState } from './types.ts';

export type { ItemsQueryRule } from './match-rule.ts';

/** `ItemsQuery` / `ItemsQueryGroup` as received. */
export interface ItemsQuery {
  ids?: string[] | null;
  rules?: ItemsQueryRule[] | null;
  groups?: ItemsQuery[] | null;
  operator?: string | null;
  order_by?: ItemsOrderBy[] | null;
}

/** Ids of the active items of a board (optionally one group) that satisfy `query_params`, in its order. */
export function matchItemsQuery(store: BoardStore, board: BoardState, groupId: string | null, query: ItemsQuery | null | undefined): string[] {
  const ids = query?.ids ? new Set(query.ids.map(String)) : null;
  const matches = query ? compileGroup(store, board, query) : () => true;
  const items = store
    .itemsOf(board.id)
    .filter((item) => item.state === 'active' && (groupId === null || item.group_id === groupId))
    .filter((item) => (ids ? ids.has(item.id) : true) && matches(item));
  return orderItems(store, board, items, query?.order_by ?? []).map((item) => item.id);
}

// Rules are compiled once per request, so an unknown column fails even on an empty board.
function compileGroup(store: BoardStore, board: BoardState, query: ItemsQuery): ItemPredicate {
  const parts = [...(query.rules ?? []).map((rule) => compileRule(store, board, rule)), ...(query.groups ?? []).map((group) => compileGroup(store, board, group))];
  if (parts.length === 0) return () => true;
  return query.operator === 'or' ? (item) => parts.some((part) => part(item)) : (item) => parts.every((part) => part(item));
}
