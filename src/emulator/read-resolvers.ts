/** Resolvers for reads: Query root fields and the Board, Group, Column and Item types. */
import { describeApiVersion, listApiVersions } from './api-versions.ts';
import type { BoardStore } from './board-store.ts';
import { viewColumnValue } from './column-value-view.ts';
import type { IdPage } from './cursor-store.ts';
import type { ExecContext, ResolverMap } from './exec-context.ts';
import { matchColumnValues, type ColumnValuesQuery } from './match-column-values.ts';
import { matchItemsQuery, type ItemsQuery } from './match-items.ts';
import { MondayApiError } from './monday-api-error.ts';
import type { BoardState, ColumnState, GroupState, ItemState } from './types.ts';
import { userById, TOKEN_OWNER } from './users.ts';

/** A group together with its board (groups are stored inside boards). */
export interface GroupSource {
  board: BoardState;
  group: GroupState;
}

interface PageArgs {
  limit: number;
  cursor?: string | null;
  query_params?: ItemsQuery | null;
}

/** Resolvers for reading boards, groups, columns and items. */
export const readResolvers: ResolverMap = {
  Query: {
    boards: (_: unknown, args: { ids?: string[] | null; limit?: number | null; page?: number | null; state?: string | null }, ctx: ExecContext) => {
      const wanted = args.ids ? new Set(args.ids.map(String)) : null;
      // Every emulated board is active, so asking for archived or deleted boards finds none.
      if (args.state === 'archived' || args.state === 'deleted') return [];
      const boards = ctx.store.allBoards().filter((board) => (wanted ? wanted.has(board.id) : true));
      return pageOf(boards, args.limit ?? 25, args.page ?? 1);
    },
    items: (_: unknown, args: { ids?: string[] | null; limit?: number | null; page?: number | null; exclude_nonactive?: boolean | null }, ctx: ExecContext) => {
      const items = (args.ids ?? []).map((id) => ctx.store.findItem(String(id))).filter((item): item is ItemState => item !== undefined);
      return pageOf(args.exclude_nonactive ? items.filter((item) => item.state === 'active') : items, args.limit ?? 25, args.page ?? 1);
    },
    next_items_page: (_: unknown, args: { cursor: string; limit: number }, ctx: ExecContext) =>
      itemsResponse(ctx.store, ctx.cursors.next(args.cursor, args.limit, ctx.now)),
    items_page_by_column_values: (
      _: unknown,
      args: { board_id: string; columns?: ColumnValuesQuery[] | null; cursor?: string | null; limit: number },
      ctx: ExecContext,
    ) => {
      if (args.cursor) {
        if (args.columns) throw withCursor('columns');
        return itemsResponse(ctx.store, ctx.cursors.next(args.cursor, args.limit, ctx.now));
      }
      const board = ctx.store.board(args.board_id);
      if (!args.columns || args.columns.length === 0) {
        throw new MondayApiError('InvalidArgumentException', 'columns must be given when no cursor is given', { board_id: board.id });
      }
      return itemsResponse(ctx.store, ctx.cursors.first(matchColumnValues(ctx.store, board, args.columns), args.limit, ctx.now));
    },
    complexity: (_: unknown, __: unknown, ctx: ExecContext) => ctx.complexity,
    // The user the request's token belongs to: the integration or the person editing the board.
    me: (_: unknown, __: unknown, ctx: ExecContext) => ctx.user,
    version: (_: unknown, __: unknown, ctx: ExecContext) => describeApiVersion(ctx.apiVersion),
    versions: () => listApiVersions(),
  },
  Board: {
    state: () => 'active',
    board_kind: () => 'public',
    items_count: (board: BoardState, _: unknown, ctx: ExecContext) => ctx.store.itemsOf(board.id).filter((item) => item.state === 'active').length,
    items_limit: (_: BoardState, __: unknown, ctx: ExecContext) => ctx.store.itemsPerBoard,
    top_group: (board: BoardState, _: unknown, ctx: ExecContext) => {
      const group = ctx.store.topGroup(board);
      if (!group) throw new MondayApiError('ResourceNotFoundException', 'Board has no active group', { board_id: board.id });
      return { board, group };
    },
    columns: (board: BoardState, args: { ids?: string[] | null; types?: string[] | null }) =>
      board.columns.filter((column) => (!args.ids || args.ids.includes(column.id)) && (!args.types || args.types.includes(column.type))),
    // Without ids only live groups are listed; asking by id also finds archived and deleted ones.
    groups: (board: BoardState, args: { ids?: string[] | null }) =>
      board.groups
        .filter((group) => (args.ids ? args.ids.includes(group.id) : !group.archived && !group.deleted))
        .map((group): GroupSource => ({ board, group })),
    items_page: (board: BoardState, args: PageArgs, ctx: ExecContext) => itemsPage(ctx, board, null, args),
  },
  Group: {
    id: (source: GroupSource) => source.group.id,
    title: (source: GroupSource) => source.group.title,
    color: (source: GroupSource) => source.group.color,
    archived: (source: GroupSource) => source.group.archived,
    deleted: (source: GroupSource) => source.group.deleted,
    position: (source: GroupSource) => String((source.board.groups.indexOf(source.group) + 1) * 65_536),
    items_page: (source: GroupSource, args: PageArgs, ctx: ExecContext) => itemsPage(ctx, source.board, source.group.id, args),
  },
  Column: {
    archived: () => false,
    description: () => null,
    // API reference "Columns": `settings` (JSON) replaces the deprecated `settings_str` from 2025-10.
    settings: (column: ColumnState) => settingsOf(column),
    settings_str: (column: ColumnState) => JSON.stringify(settingsOf(column)),
  },
  Item: {
    board: (item: ItemState, _: unknown, ctx: ExecContext) => ctx.store.findBoard(item.board_id) ?? null,
    group: (item: ItemState, _: unknown, ctx: ExecContext) => {
      const board = ctx.store.findBoard(item.board_id);
      const group = board?.groups.find((candidate) => candidate.id === item.group_id);
      return board && group ? { board, group } : null;
    },
    parent_item: (item: ItemState, _: unknown, ctx: ExecContext) => (item.parent_item_id ? (ctx.store.findItem(item.parent_item_id) ?? null) : null),
    subitems: (item: ItemState, _: unknown, ctx: ExecContext) => ctx.store.subitemsOf(item),
    creator_id: (item: ItemState) => item.creator_id ?? TOKEN_OWNER.id,
    creator: (item: ItemState) => userById(item.creator_id ?? TOKEN_OWNER.id),
    column_values: (item: ItemState, args: { ids?: string[] | null; types?: string[] | null }, ctx: ExecContext) => {
      const board = ctx.store.findBoard(item.board_id);
      return (board?.columns ?? [])
        .filter((column) => column.type !== 'name')
        .filter((column) => (!args.ids || args.ids.includes(column.id)) && (!args.types || args.types.includes(column.type)))
        .map((column) => viewColumnValue(column, item, () => ctx.store.subitemsOf(item)));
    },
  },
};

function itemsPage(ctx: ExecContext, board: BoardState, groupId: string | null, args: PageArgs): unknown {
  if (args.cursor) {
    if (args.query_params) throw withCursor('query_params');
    return itemsResponse(ctx.store, ctx.cursors.next(args.cursor, args.limit, ctx.now));
  }
  return itemsResponse(ctx.store, ctx.cursors.first(matchItemsQuery(ctx.store, board, groupId, args.query_params), args.limit, ctx.now));
}

// API reference "items_page": a cursor already holds its listing's filter, so a filter beside it is an
// error rather than ignored. The page names no error code; the emulator uses InvalidArgumentException.
function withCursor(argument: 'query_params' | 'columns'): MondayApiError {
  return new MondayApiError('InvalidArgumentException', `${argument} cannot be used together with cursor`, { argument });
}

function itemsResponse(store: BoardStore, page: IdPage): { cursor: string | null; items: ItemState[] } {
  const items = page.ids.map((id) => store.findItem(id)).filter((item): item is ItemState => item !== undefined && item.state !== 'deleted');
  return { cursor: page.cursor, items };
}

function pageOf<T>(list: T[], limit: number, page: number): T[] {
  const size = Math.max(1, limit);
  const start = (Math.max(1, page) - 1) * size;
  return list.slice(start, start + size);
}

function settingsOf(column: ColumnState): Record<string, unknown> {
  const labels = column.settings.labels ?? [];
  if (column.type === 'status') return { labels: Object.fromEntries(labels.map((label) => [String(label.id), label.name])) };
  if (column.type === 'dropdown') return { labels: labels.map((label) => ({ id: label.id, name: label.name })) };
  if (column.type === 'subtasks') {
    const boardIds = (column.settings.boardIds ?? []).map(Number);
    return { allowMultipleItems: true, itemTypeName: 'column.subtasks.title', displayType: 'BOARD_INLINE', boardIds };
  }
  return {};
}
