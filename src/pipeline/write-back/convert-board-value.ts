/**
 * A monday column value converted back for a database column: by monday's column type (as the forward
 * mapping's types: text, numbers, status, dropdown, date, checkbox, …) and the column's SQL type.
 */
import { comparableRead, type ReadColumnValue } from '../../monday/comparable-value.ts';

/** The text to store (cast by the database to the column's type; null clears), or why the value does not fit. */
export type Converted = { ok: true; value: string | null } | { ok: false; reason: string };

const NUMERIC = new Set(['numeric', 'integer', 'bigint', 'smallint', 'real', 'double precision', 'decimal']);
const INTEGER = new Set(['integer', 'bigint', 'smallint']);
const TRUE_WORDS = new Set(['true', 'yes', 'y', '1', 'on']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0', 'off']);

const parseJson = (value: string | null): Record<string, unknown> => {
  try {
    const parsed: unknown = value === null ? null : JSON.parse(value);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

/** Converts one value read from monday for a database column of `sqlType` (information_schema's data_type). */
export function convertBoardValue(column: ReadColumnValue, sqlType: string): Converted {
  // Status and dropdown answer their labels only as text; everything else as monday's comparable text.
  const text = column.type === 'status' || column.type === 'dropdown' ? (column.text ?? '').trim() : comparableRead(column);
  if (sqlType === 'boolean') {
    if (column.type === 'checkbox') return { ok: true, value: text === 'true' ? 'true' : 'false' };
    if (text === '') return { ok: true, value: null };
    const word = text.toLowerCase();
    if (TRUE_WORDS.has(word)) return { ok: true, value: 'true' };
    if (FALSE_WORDS.has(word)) return { ok: true, value: 'false' };
    return { ok: false, reason: `"${text}" is not a yes/no value` };
  }
  if (text === '') return { ok: true, value: null };
  if (NUMERIC.has(sqlType)) {
    const number = text.replace(/,/g, '');
    if (!/^[-+]?\d+(\.\d+)?$/.test(number)) return { ok: false, reason: `"${text}" is not a number` };
    if (INTEGER.has(sqlType) && number.includes('.')) return { ok: false, reason: `"${text}" is not a whole number` };
    return { ok: true, value: number };
  }
  if (sqlType === 'date') {
    const day = column.type === 'date' ? String(parseJson(column.value).date ?? '') : text;
    return /^\d{4}-\d{2}-\d{2}$/.test(day) ? { ok: true, value: day } : { ok: false, reason: `"${text}" is not a date (YYYY-MM-DD)` };
  }
  if (sqlType.startsWith('timestamp')) {
    if (column.type === 'date') {
      // monday keeps a date's time in UTC.
      const v = parseJson(column.value);
      const time = typeof v.time === 'string' && v.time !== '' ? (v.time.length === 5 ? `${v.time}:00` : v.time) : '00:00:00';
      return { ok: true, value: `${String(v.date)}T${time}Z` };
    }
    return Number.isNaN(Date.parse(text)) ? { ok: false, reason: `"${text}" is not a time` } : { ok: true, value: text };
  }
  return { ok: true, value: text };
}
