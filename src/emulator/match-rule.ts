/** One `items_page(query_params)` rule against one item, with monday's compare-value rules per column type. */
import type { BoardStore } from './board-store.ts';
import { columnText } from './column-value-view.ts';
import { compileLastUpdatedRule, LAST_UPDATED_PSEUDO_COLUMN } from './last-updated-rule.ts';
import { MondayApiError } from './monday-api-error.ts';
import type { BoardState, ColumnState, ItemState, JsonValue } from './types.ts';

/** `ItemsQueryRule` as received. */
export interface ItemsQueryRule {
  column_id: string;
  compare_value: unknown;
  compare_attribute?: string | null;
  operator?: string | null;
}

/** The pseudo-column id that filters by group (compare values are group ids). */
export const GROUP_PSEUDO_COLUMN = 'group';

/** A rule checked once against the board, ready to test items. */
export type ItemPredicate = (item: ItemState) => boolean;

/** Turns a rule into a predicate; throws InvalidColumnIdException / InvalidArgumentException up front. */
export function compileRule(store: BoardStore, board: BoardState, rule: ItemsQueryRule): ItemPredicate {
  const operator = rule.operator ?? 'any_of';
  const compare = (Array.isArray(rule.compare_value) ? rule.compare_value : [rule.compare_value]) as unknown[];
  if (rule.column_id === LAST_UPDATED_PSEUDO_COLUMN) return compileLastUpdatedRule(rule, Date.now());
  if (rule.column_id === GROUP_PSEUDO_COLUMN && !board.columns.some((column) => column.id === GROUP_PSEUDO_COLUMN)) {
    const groups = new Set(compare.map(String));
    if (operator === 'any_of') return (item) => groups.has(item.group_id);
    if (operator === 'not_any_of') return (item) => !groups.has(item.group_id);
    throw unsupported(rule, 'group');
  }
  const column = findColumn(board, rule.column_id);
  const text = (item: ItemState): string => columnText(column, item, () => store.subitemsOf(item));
  const stored = (item: ItemState): JsonValue | undefined => item.column_values[column.id];
  const wantsEmpty = compare.some((value) => value === '' || value === null);
  const needles = compare.filter((value) => value !== '' && value !== null).map((value) => String(value).toLowerCase());
  switch (operator) {
    case 'any_of':
      return anyOf(column, compare, text, stored, wantsEmpty);
    case 'not_any_of': {
      const any = anyOf(column, compare, text, stored, wantsEmpty);
      return (item) => !any(item);
    }
    case 'is_empty':
      return (item) => text(item) === '';
    case 'is_not_empty':
      return (item) => text(item) !== '';
    case 'contains_text':
      return (item) => needles.some((needle) => text(item).toLowerCase().includes(needle));
    case 'not_contains_text':
      return (item) => !needles.some((needle) => text(item).toLowerCase().includes(needle));
    case 'starts_with':
      return (item) => needles.some((needle) => text(item).toLowerCase().startsWith(needle));
    case 'ends_with':
      return (item) => needles.some((needle) => text(item).toLowerCase().endsWith(needle));
    case 'greater_than':
    case 'greater_than_or_equals':
    case 'lower_than':
    case 'lower_than_or_equal':
    case 'between':
      return compareRule(column, rule, operator, compare, text);
    default:
      throw unsupported(rule, column.type);
  }
}

/** The column with this id; throws InvalidColumnIdException. */
export function findColumn(board: BoardState, columnId: string): ColumnState {
  const column = board.columns.find((candidate) => candidate.id === columnId);
  if (!column) throw new MondayApiError('InvalidColumnIdException', `This column ID doesn't exist for the board`, { column_id: columnId, board_id: board.id });
  return column;
}

// API reference "Status": any_of takes label indexes. "Dropdown": any_of takes label ids. A label's
// text matches neither (monday answers no items for it; the emulator does the same, without an error).
function anyOf(
  column: ColumnState,
  compare: unknown[],
  text: (item: ItemState) => string,
  stored: (item: ItemState) => JsonValue | undefined,
  wantsEmpty: boolean,
): ItemPredicate {
  const numbers = new Set(compare.filter((value) => value !== '' && value !== null).map(Number).filter(Number.isInteger));
  if (column.type === 'status') {
    return (item) => {
      const index = (stored(item) as { index?: number } | undefined)?.index;
      return index === undefined ? wantsEmpty : numbers.has(index);
    };
  }
  if (column.type === 'dropdown') {
    return (item) => {
      const ids = (stored(item) as { ids?: number[] } | undefined)?.ids ?? [];
      return ids.length === 0 ? wantsEmpty : ids.some((id) => numbers.has(id));
    };
  }
  const values = new Set(compare.map((value) => String(value ?? '')));
  return (item) => values.has(text(item));
}

function compareRule(column: ColumnState, rule: ItemsQueryRule, operator: string, compare: unknown[], text: (item: ItemState) => string): ItemPredicate {
  // Numbers compare as numbers; dates by their day (the time of day is ignored).
  const key: ((value: string) => number) | null =
    column.type === 'numbers' ? (value) => (value === '' ? NaN : Number(value)) : column.type === 'date' ? (value) => Date.parse(value.slice(0, 10)) : null;
  if (!key) throw unsupported(rule, column.type);
  const bounds = compare.map((value) => key(String(value)));
  const [low, high] = bounds;
  if (low === undefined || (operator === 'between' && high === undefined)) {
    throw new MondayApiError('InvalidArgumentException', `Operator ${operator} needs ${operator === 'between' ? 'two compare values' : 'a compare value'}`, { column_id: column.id });
  }
  return (item) => {
    const raw = text(item);
    if (raw === '') return false;
    const value = key(raw);
    if (operator === 'greater_than') return value > low;
    if (operator === 'greater_than_or_equals') return value >= low;
    if (operator === 'lower_than') return value < low;
    if (operator === 'lower_than_or_equal') return value <= low;
    return value >= low && value <= high!;
  };
}

function unsupported(rule: ItemsQueryRule, columnType: string): MondayApiError {
  return new MondayApiError('InvalidArgumentException', `Operator ${rule.operator} is not supported for a ${columnType} column`, {
    column_id: rule.column_id,
    operator: rule.operator ?? 'any_of',
  });
}
