/** Resolvers for the Mutation root: groups, items and subitems, with monday's rules. */
import type { ExecContext, ResolverMap } from './exec-context.ts';
import { MondayApiError } from './monday-api-error.ts';
import { checkItemName, parseColumnValues } from './parse-column-values.ts';
import type { GroupSource } from './read-resolvers.ts';
import type { BoardState, GroupState, ItemState } from './types.ts';

interface ValueArgs {
  column_values?: unknown;
  create_labels_if_missing?: boolean | null;
}

/** Resolvers for the mutations a sync client uses. */
export const mutationResolvers: ResolverMap = {
  Mutation: {
    complexity: (_: unknown, __: unknown, ctx: ExecContext) => ctx.complexity,
    create_group: (
      _: unknown,
      args: { board_id: string; group_name: string; group_color?: string | null; relative_to?: string | null; position_relative_method?: string | null },
      ctx: ExecContext,
    ): GroupSource => {
      const board = ctx.store.board(args.board_id);
      if (args.group_name.trim() === '' || args.group_name.length > 255) {
        throw new MondayApiError('InvalidArgumentException', 'Group name must be between 1 and 255 characters long', { group_name: args.group_name });
      }
      // Titles are not unique on monday: the same name twice makes two groups. New groups go on top.
      let index = 0;
      if (args.relative_to) {
        const anchor = ctx.store.liveGroup(board, args.relative_to);
        index = board.groups.indexOf(anchor) + (args.position_relative_method === 'before_at' ? 0 : 1);
      }
      return { board, group: ctx.store.addGroup(board, args.group_name, args.group_color ?? null, index) };
    },
    create_item: (_: unknown, args: { board_id: string; item_name: string; group_id?: string | null } & ValueArgs, ctx: ExecContext) => {
      const board = ctx.store.board(args.board_id);
      if (board.type === 'sub_items_board') {
        throw new MondayApiError('InvalidBoardIdException', 'Items of a subitems board are created with create_subitem', { board_id: board.id });
      }
      const name = checkItemName(args.item_name);
      const group = args.group_id ? ctx.store.liveGroup(board, args.group_id) : topGroupOf(ctx, board);
      const changes = parseColumnValues(board, args.column_values, args.create_labels_if_missing === true);
      return ctx.store.addItem(board, { name, groupId: group.id, parentItemId: null }, changes, ctx.user.id);
    },
    create_subitem: (_: unknown, args: { parent_item_id: string; item_name: string } & ValueArgs, ctx: ExecContext) => {
      const parent = ctx.store.item(args.parent_item_id);
      if (parent.parent_item_id !== null) {
        throw new MondayApiError('InvalidArgumentException', 'A subitem cannot have subitems', { parent_item_id: parent.id });
      }
      const parentBoard = ctx.store.board(parent.board_id);
      if (!parentBoard.subitems_board_id) {
        throw new MondayApiError('InvalidBoardIdException', 'The board of the parent item has no subitems board', { board_id: parentBoard.id });
      }
      const board = ctx.store.board(parentBoard.subitems_board_id);
      const name = checkItemName(args.item_name);
      const changes = parseColumnValues(board, args.column_values, args.create_labels_if_missing === true);
      return ctx.store.addItem(board, { name, groupId: topGroupOf(ctx, board).id, parentItemId: parent.id }, changes, ctx.user.id);
    },
    change_multiple_column_values: (_: unknown, args: { board_id: string; item_id?: string | null } & ValueArgs, ctx: ExecContext) =>
      changeValues(ctx, args.board_id, args.item_id, args.column_values, args.create_labels_if_missing === true),
    // `value` is one column's value as a JSON string, exactly what `column_values` holds per key.
    change_column_value: (_: unknown, args: { board_id: string; item_id?: string | null; column_id: string; value: unknown } & ValueArgs, ctx: ExecContext) => {
      let value: unknown = args.value;
      if (typeof value === 'string') {
        try {
          value = JSON.parse(value);
        } catch {
          throw new MondayApiError('ColumnValueException', 'invalid value - value is not valid JSON', { column_id: args.column_id, column_value: args.value });
        }
      }
      return changeValues(ctx, args.board_id, args.item_id, JSON.stringify({ [args.column_id]: value }), args.create_labels_if_missing === true);
    },
    // The simple (string) form of a value, e.g. "Done" for a status; null clears the column.
    change_simple_column_value: (_: unknown, args: { board_id: string; item_id?: string | null; column_id: string; value?: string | null } & ValueArgs, ctx: ExecContext) =>
      changeValues(ctx, args.board_id, args.item_id, JSON.stringify({ [args.column_id]: args.value ?? null }), args.create_labels_if_missing === true),
    move_item_to_group: (_: unknown, args: { item_id?: string | null; group_id: string }, ctx: ExecContext) => {
      const item = ctx.store.item(args.item_id);
      item.group_id = ctx.store.liveGroup(ctx.store.board(item.board_id), args.group_id).id;
      return item;
    },
    archive_item: (_: unknown, args: { item_id?: string | null }, ctx: ExecContext) => {
      const item = ctx.store.item(args.item_id);
      ctx.store.setItemState(item, 'archived');
      return item;
    },
    delete_item: (_: unknown, args: { item_id?: string | null }, ctx: ExecContext) => {
      const item = ctx.store.item(args.item_id);
      ctx.store.setItemState(item, 'deleted');
      return item;
    },
    archive_group: (_: unknown, args: { board_id: string; group_id: string }, ctx: ExecContext) => retireGroup(ctx, args, 'archived'),
    delete_group: (_: unknown, args: { board_id: string; group_id: string }, ctx: ExecContext) => retireGroup(ctx, args, 'deleted'),
  },
};

function changeValues(ctx: ExecContext, boardId: string, itemId: string | null | undefined, raw: unknown, createLabels: boolean): ItemState {
  const board = ctx.store.board(boardId);
  const item = ctx.store.item(itemId);
  if (item.board_id !== board.id) {
    throw new MondayApiError('ResourceNotFoundException', `Item with id ${item.id} not found on board ${board.id}`, { item_id: item.id, board_id: board.id });
  }
  ctx.store.applyChanges(item, parseColumnValues(board, raw, createLabels), ctx.user.id);
  return item;
}

function topGroupOf(ctx: ExecContext, board: BoardState): GroupState {
  const group = ctx.store.topGroup(board);
  if (!group) throw new MondayApiError('ResourceNotFoundException', 'Board has no active group', { board_id: board.id });
  return group;
}

// Archiving or deleting a group does the same to its items; monday keeps at least one group.
function retireGroup(ctx: ExecContext, args: { board_id: string; group_id: string }, state: 'archived' | 'deleted'): GroupSource {
  const board = ctx.store.board(args.board_id);
  const group = board.groups.find((candidate) => candidate.id === args.group_id && !candidate.deleted && (state === 'deleted' || !candidate.archived));
  if (!group) {
    throw new MondayApiError('ResourceNotFoundException', `Group with id ${args.group_id} not found`, { group_id: args.group_id, board_id: board.id });
  }
  const live = board.groups.filter((candidate) => !candidate.deleted && !candidate.archived);
  if (live.length === 1 && live[0] === group) {
    // API reference "Error handling": DeleteLastGroupException carries status_code 409. Like every
    // application error it is a field error in an HTTP 200 response (other aliases still run).
    throw new MondayApiError('DeleteLastGroupException', 'A board must keep at least one group', { group_id: group.id, board_id: board.id }, 409);
  }
  for (const item of ctx.store.itemsOf(board.id)) {
    if (item.group_id === group.id && item.state !== 'deleted') ctx.store.setItemState(item, state);
  }
  if (state === 'archived') group.archived = true;
  else group.deleted = true;
  return { board, group };
}
