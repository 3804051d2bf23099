/** The emulator's in-memory boards and items, with indexes and id generation. */
import { createPrng, hashSeed } from './create-prng.ts';
import { ItemIds } from './item-ids.ts';
import { MondayApiError } from './monday-api-error.ts';
import type { ColumnChanges } from './parse-column-values.ts';
import type { BoardState, EmulatorState, GroupState, ItemState } from './types.ts';

const GROUP_COLORS = ['#579bfc', '#00c875', '#fdab3d', '#e2445c', '#a25ddc', '#037f4c', '#ff642e', '#66ccff'];

/** Boards, groups and items, looked up by id; ids come from a seeded PRNG so runs repeat. */
export class BoardStore {
  readonly state: EmulatorState;
  readonly itemsPerBoard: number;
  private readonly seed: number;
  private readonly boards = new Map<string, BoardState>();
  private readonly items = new Map<string, ItemState>();
  private readonly byBoard = new Map<string, ItemState[]>();
  private readonly children = new Map<string, ItemState[]>();
  // Non-deleted items per board, kept up to date so the item limit is checked in O(1).
  private readonly liveCounts = new Map<string, number>();
  /** Item ids; a state file limits them to its reservation. */
  readonly ids: ItemIds;
  // Added to group-id seeds so groups made after a restart or rollback do not repeat lost ids.
  private groupSalt: string;
  private rollbacks = 0;

  /** `idFloor`: ids start above it (a state file's reservation); `groupSalt` varies group ids per boot. */
  constructor(state: EmulatorState, options: { itemsPerBoard: number; seed: number; idFloor?: number; groupSalt?: string }) {
    this.state = state;
    this.itemsPerBoard = options.itemsPerBoard;
    this.seed = options.seed;
    this.groupSalt = options.groupSalt ?? '';
    this.ids = new ItemIds(options.seed);
    this.ids.raiseFloor(options.idFloor ?? 0);
    this.indexAll();
  }

  /** Replaces boards and items with `saved` (a rollback to the last saved state); ids keep increasing. */
  reset(saved: EmulatorState): void {
    this.state.boards = saved.boards;
    this.state.items = saved.items;
    for (const map of [this.boards, this.items, this.byBoard, this.children, this.liveCounts]) map.clear();
    this.rollbacks += 1;
    this.groupSalt = `${this.groupSalt.replace(/:r\d+$/, '')}:r${this.rollbacks}`;
    this.indexAll();
  }

  /** All boards in state order. */
  allBoards(): BoardState[] {
    return this.state.boards;
  }

  /** The board with this id, or undefined. */
  findBoard(id: string): BoardState | undefined {
    return this.boards.get(String(id));
  }

  /** The board with this id; throws ResourceNotFoundException (API reference "Error handling": status_code 200). */
  board(id: string): BoardState {
    const board = this.findBoard(id);
    if (!board) throw new MondayApiError('ResourceNotFoundException', `Board with id ${id} not found`, { board_id: id });
    return board;
  }

  /** The item with this id, in any state, or undefined. */
  findItem(id: string): ItemState | undefined {
    return this.items.get(String(id));
  }

  /** A non-deleted item; throws ResourceNotFoundException. */
  item(id: string | null | undefined): ItemState {
    const item = id === null || id === undefined ? undefined : this.findItem(id);
    if (!item || item.state === 'deleted') {
      throw new MondayApiError('ResourceNotFoundException', `Item with id ${id} not found`, { item_id: id ?? null });
    }
    return item;
  }

  /** Every item of a board (all states) in creation order. */
  itemsOf(boardId: string): ItemState[] {
    return this.byBoard.get(boardId) ?? [];
  }

  /** Active subitems of an item. */
  subitemsOf(item: ItemState): ItemState[] {
    return (this.children.get(item.id) ?? []).filter((sub) => sub.state === 'active');
  }

  /** A group that is neither deleted nor archived; throws ResourceNotFoundException. */
  liveGroup(board: BoardState, groupId: string): GroupState {
    const group = board.groups.find((candidate) => candidate.id === groupId && !candidate.deleted && !candidate.archived);
    if (!group) {
      throw new MondayApiError('ResourceNotFoundException', `Group with id ${groupId} not found`, { group_id: groupId, board_id: board.id });
    }
    return group;
  }

  /** The first live group: where monday puts items created without a group. */
  topGroup(board: BoardState): GroupState | undefined {
    return board.groups.find((group) => !group.deleted && !group.archived);
  }

  /** Adds a group; ids look like monday's (`group_mkte36vn`) and never repeat on a board. */
  addGroup(board: BoardState, title: string, color: string | null, index: number): GroupState {
    const random = createPrng(hashSeed(`group:${this.seed}:${board.id}:${board.groups.length}${this.groupSalt}`));
    let id = '';
    do {
      id = `group_mk${Array.from({ length: 6 }, () => Math.floor(random() * 36).toString(36)).join('')}`;
    } while (board.groups.some((group) => group.id === id));
    const group: GroupState = {
      id,
      title,
      color: color ?? GROUP_COLORS[board.groups.length % GROUP_COLORS.length]!,
      archived: false,
      deleted: false,
    };
    board.groups.splice(index, 0, group);
    return group;
  }

  /** Adds an item after checking the board's item limit, then applies its column changes. */
  addItem(board: BoardState, fields: { name: string; groupId: string; parentItemId: string | null }, changes: ColumnChanges, userId: string): ItemState {
    if ((this.liveCounts.get(board.id) ?? 0) >= this.itemsPerBoard) {
      throw new MondayApiError('ItemsLimitationException', `The board has reached the limit of ${this.itemsPerBoard} items`, {
        board_id: board.id,
        limit: this.itemsPerBoard,
      });
    }
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const item: ItemState = {
      id: this.ids.issue(),
      board_id: board.id,
      group_id: fields.groupId,
      name: fields.name,
      parent_item_id: fields.parentItemId,
      column_values: {},
      state: 'active',
      created_at: now,
      updated_at: now,
      creator_id: userId,
      updated_by: userId,
    };
    this.applyChanges(item, changes, userId);
    this.state.items.push(item);
    this.index(item);
    return item;
  }

  /** Applies checked column changes (labels first, then values and name). */
  applyChanges(item: ItemState, changes: ColumnChanges, userId: string): void {
    for (const { column, label } of changes.labels) {
      const labels = (column.settings.labels ??= []);
      if (!labels.some((existing) => existing.id === label.id)) labels.push(label);
    }
    for (const [columnId, value] of changes.values) {
      if (value === null) delete item.column_values[columnId];
      else item.column_values[columnId] = value;
    }
    if (changes.name !== null) item.name = changes.name;
    item.updated_at = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    item.updated_by = userId;
  }

  /** Sets an item's state; archiving or deleting a parent does the same to its subitems. */
  setItemState(item: ItemState, state: ItemState['state']): void {
    for (const target of [...(this.children.get(item.id) ?? []), item]) {
      if (target.state === 'deleted') continue;
      if (state === 'deleted') this.liveCounts.set(target.board_id, (this.liveCounts.get(target.board_id) ?? 1) - 1);
      target.state = state;
    }
  }

  /** A deep copy of the whole state, as plain JSON. */
  snapshot(): EmulatorState {
    return structuredClone(this.state);
  }

  private indexAll(): void {
    for (const board of this.state.boards) {
      this.boards.set(board.id, board);
      this.byBoard.set(board.id, []);
    }
    for (const item of this.state.items) {
      this.index(item);
      this.ids.raiseFloor(Number(item.id));
    }
  }

  private index(item: ItemState): void {
    this.items.set(item.id, item);
    pushTo(this.byBoard, item.board_id, item);
    if (item.state !== 'deleted') this.liveCounts.set(item.board_id, (this.liveCounts.get(item.board_id) ?? 0) + 1);
    if (item.parent_item_id !== null) pushTo(this.children, item.parent_item_id, item);
  }
}

function pushTo(map: Map<string, ItemState[]>, key: string, item: ItemState): void {
  const list = map.get(key);
  if (list) list.push(item);
  else map.set(key, [item]);
}
