/** Validates one column value the way monday.com does and returns what it stores. */
import { invalidValue as invalid } from './invalid-column-value.ts';
import { normalizeDropdown, normalizeStatus } from './normalize-label-value.ts';
import type { ColumnState, JsonValue, LabelState } from './types.ts';

/** What writing one value means: the stored value and labels to add to the column first. */
export interface NormalizedValue {
  /** The value to store; null clears the column. */
  stored: JsonValue;
  newLabels: LabelState[];
}

const MAX_LONG_TEXT = 2000;
const NUMERIC = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** Turns a non-empty input value into its stored form; throws ColumnValueException when invalid. */
export function normalizeColumnValue(column: ColumnState, value: unknown, createLabels: boolean): NormalizedValue {
  // The most common client bug: a value JSON-encoded twice arrives as a string holding JSON.
  if (column.type !== 'text' && typeof value === 'string' && looksLikeJson(value)) throw invalid(column, value);
  const plain = (stored: JsonValue): NormalizedValue => ({ stored, newLabels: [] });
  switch (column.type) {
    case 'text':
      // monday trims a text value on write (a value of only spaces clears the column).
      if (typeof value === 'string') return plain(value.trim() === '' ? null : value.trim());
      if (typeof value === 'number' && Number.isFinite(value)) return plain(String(value));
      throw invalid(column, value);
    case 'long_text': {
      const text = typeof value === 'string' ? value : isRecord(value) && typeof value.text === 'string' ? value.text : null;
      if (text === null) throw invalid(column, value);
      if (text.length > MAX_LONG_TEXT) throw invalid(column, value, `invalid value - long text is limited to ${MAX_LONG_TEXT} characters`);
      return plain({ text });
    }
    case 'numbers':
      if (typeof value === 'number' && Number.isFinite(value)) return plain(String(value));
      if (typeof value === 'string' && NUMERIC.test(value.trim())) return plain(value.trim());
      throw invalid(column, value);
    case 'status':
      return normalizeStatus(column, value, createLabels);
    case 'dropdown':
      return normalizeDropdown(column, value, createLabels);
    case 'date': {
      const parts = typeof value === 'string' ? splitDateTime(value) : isRecord(value) ? { date: value.date, time: value.time } : null;
      if (!parts || !isCalendarDate(parts.date) || (parts.time !== undefined && !isTime(parts.time))) throw invalid(column, value);
      return plain(parts.time === undefined ? { date: parts.date } : { date: parts.date, time: normalizeTime(parts.time) });
    }
    case 'checkbox':
      if (isRecord(value) && (value.checked === 'true' || value.checked === true)) return plain({ checked: 'true' });
      throw invalid(column, value);
    case 'email': {
      const { first, rest } = typeof value === 'string' ? splitFirst(value) : { first: undefined, rest: undefined };
      const email = isRecord(value) ? value.email : first;
      const text = isRecord(value) ? value.text : rest;
      if (typeof email !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(email) || (text !== undefined && typeof text !== 'string')) throw invalid(column, value);
      return plain({ email, text: text || email });
    }
    case 'link': {
      const { first, rest } = typeof value === 'string' ? splitFirst(value) : { first: undefined, rest: undefined };
      const url = isRecord(value) ? value.url : first;
      const text = isRecord(value) ? value.text : rest;
      if (typeof url !== 'string' || !/^\S+$/.test(url) || (text !== undefined && typeof text !== 'string')) throw invalid(column, value);
      return plain({ url, text: text || url });
    }
    case 'phone': {
      const { first, rest } = typeof value === 'string' ? splitFirst(value) : { first: undefined, rest: undefined };
      const phone = isRecord(value) ? value.phone : first;
      const country = isRecord(value) ? value.countryShortName : rest;
      if (typeof phone !== 'string' || !/^\+?[0-9][0-9 ()-]{2,24}$/.test(phone) || typeof country !== 'string' || !/^[A-Z]{2}$/.test(country)) {
        throw invalid(column, value);
      }
      return plain({ phone, countryShortName: country });
    }
    case 'timeline':
      if (isRecord(value) && isCalendarDate(value.from) && isCalendarDate(value.to) && value.from <= value.to) {
        return plain({ from: value.from, to: value.to });
      }
      throw invalid(column, value);
    default:
      throw invalid(column, value, `invalid value - column type ${column.type} cannot be changed through column values`);
  }
}

function looksLikeJson(text: string): boolean {
  const trimmed = text.trim();
  if (!/^[[{"]/.test(trimmed)) return false;
  try {
    JSON.parse(trimmed);
    return true;
  } catch {
    return false;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function splitFirst(text: string): { first: string; rest: string | undefined } {
  const [first = '', ...rest] = text.trim().split(/\s+/);
  return { first, rest: rest.length > 0 ? rest.join(' ') : undefined };
}

function splitDateTime(text: string): { date: unknown; time: unknown } {
  const [date, time, ...extra] = text.trim().split(/\s+/);
  return { date: extra.length > 0 ? null : date, time };
}

/** True for a real calendar date written YYYY-MM-DD. */
function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function isTime(value: unknown): value is string {
  const match = typeof value === 'string' ? /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value) : null;
  return match !== null && Number(match[1]) < 24 && Number(match[2]) < 60 && Number(match[3] ?? 0) < 60;
}

function normalizeTime(time: string): string {
  return time.length === 5 ? `${time}:00` : time;
}
