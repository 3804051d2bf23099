/** Reads the `column_values` argument (ONE JSON string) into checked changes for a board. */
import { MondayApiError } from './monday-api-error.ts';
import { normalizeColumnValue } from './normalize-column-value.ts';
import type { BoardState, ColumnState, JsonValue, LabelState } from './types.ts';

/** Checked changes, applied only once every value of the request is valid. */
export interface ColumnChanges {
  /** A new item name from the `name` key, if given. */
  name: string | null;
  /** Column id → stored value, or null to clear. */
  values: Map<string, JsonValue | null>;
  labels: { column: ColumnState; label: LabelState }[];
}

/** Parses and validates `column_values`; throws a MondayApiError for the first bad value. */
export function parseColumnValues(board: BoardState, raw: unknown, createLabels: boolean): ColumnChanges {
  const changes: ColumnChanges = { name: null, values: new Map(), labels: [] };
  if (raw === null || raw === undefined) return changes;
  if (typeof raw !== 'string') {
    throw new MondayApiError('ColumnValueException', 'invalid value - column_values must be a JSON string', { column_values: raw });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new MondayApiError('ColumnValueException', 'invalid value - column_values is not valid JSON', { column_values: raw });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new MondayApiError('ColumnValueException', 'invalid value - column_values must be a JSON object of column id to value', { column_values: raw });
  }
  for (const [columnId, value] of Object.entries(parsed as Record<string, unknown>)) {
    const column = board.columns.find((candidate) => candidate.id === columnId);
    if (!column) {
      throw new MondayApiError('InvalidColumnIdException', `This column ID doesn't exist for the board`, { column_id: columnId, board_id: board.id });
    }
    if (column.type === 'name') {
      changes.name = checkItemName(value);
      continue;
    }
    if (isEmpty(value)) {
      changes.values.set(columnId, null);
      continue;
    }
    const normalized = normalizeColumnValue(column, value, createLabels);
    changes.values.set(columnId, normalized.stored);
    for (const label of normalized.newLabels) changes.labels.push({ column, label });
  }
  return changes;
}

/** Checks an item name: 1–255 characters. */
export function checkItemName(value: unknown): string {
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > 255) {
    throw new MondayApiError('ItemNameTooLongException', 'Item name must be between 1 and 255 characters long', {
      item_name_length: typeof value === 'string' ? value.length : null,
    });
  }
  return value;
}

// monday clears a value given null, an empty string or an empty object.
function isEmpty(value: unknown): boolean {
  return value === null || value === '' || (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0);
}
