/** The ColumnValueException monday raises for a value a column cannot take. */
import { MondayApiError } from './monday-api-error.ts';
import type { ColumnState } from './types.ts';

/** A ColumnValueException naming the column, its type as monday names it, and the value. */
export function invalidValue(column: ColumnState, value: unknown, message?: string, extra: Record<string, unknown> = {}): MondayApiError {
  return new MondayApiError(
    'ColumnValueException',
    message ?? 'invalid value, please check our API documentation for the correct data structure for this column',
    { column_id: column.id, column_type: errorColumnType(column), column_value: JSON.stringify(value) ?? null, ...extra },
  );
}

// API reference "Error handling" (ColumnValueException): monday names a status column by its
// internal type, "color", in error_data.column_type.
function errorColumnType(column: ColumnState): string {
  return column.type === 'status' ? 'color' : column.type;
}
