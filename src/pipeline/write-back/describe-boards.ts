/** The columns (id → type) of boards and of their subitems boards, in two reads. */
import type { MondayClient } from '../../monday/types.ts';

/** A board's columns and the subitems board it has, if any. */
export interface BoardColumns {
  id: string;
  /** Column id → monday column type. */
  columns: Map<string, string>;
  subitemsBoard: BoardColumns | null;
}

export const BOARD_COLUMNS = 'query ($ids: [ID!]) { boards(ids: $ids) { id columns { id type settings } } }';

interface ColumnRow {
  id: string;
  type: string;
  settings: unknown;
}

// API reference "Subitems": the subtasks column's settings name the subitems board (`boardIds`).
function subitemsBoardOf(columns: ColumnRow[]): string | null {
  const column = columns.find((c) => c.type === 'subtasks');
  let settings: unknown = column?.settings ?? null;
  if (typeof settings === 'string') settings = JSON.parse(settings);
  const ids = settings !== null && typeof settings === 'object' ? (settings as { boardIds?: unknown }).boardIds : null;
  return Array.isArray(ids) && ids.length > 0 ? String(ids[0]) : null;
}

/** The boards found (a board that does not exist is absent from the map). */
export async function describeBoards(monday: MondayClient, ids: string[], signal?: AbortSignal): Promise<Map<string, BoardColumns>> {
  const read = async (of: string[]): Promise<{ id: string; columns: ColumnRow[] }[]> => {
    if (of.length === 0) return [];
    const { data } = await monday.query<{ boards: { id: string; columns: ColumnRow[] }[] | null }>(BOARD_COLUMNS, { ids: of }, { signal });
    return data.boards ?? [];
  };
  const boards = await read(ids);
  const subitemIds = [...new Set(boards.map((b) => subitemsBoardOf(b.columns)).filter((id): id is string => id !== null))];
  const subitems = new Map((await read(subitemIds)).map((b) => [String(b.id), b]));
  const out = new Map<string, BoardColumns>();
  for (const b of boards) {
    const subId = subitemsBoardOf(b.columns);
    const sub = subId ? subitems.get(subId) : undefined;
    out.set(String(b.id), {
      id: String(b.id),
      columns: new Map(b.columns.map((c) => [c.id, c.type])),
      subitemsBoard: sub ? { id: String(sub.id), columns: new Map(sub.columns.map((c) => [c.id, c.type])), subitemsBoard: null } : null,
    });
  }
  return out;
}
