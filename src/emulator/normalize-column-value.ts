/** Validates one column value the way monday.com does and returns what it stores. */
import { MondayApiError } from './monday-api-error.ts';
import type { ColumnState, JsonValue, LabelState } from './types.ts';

/** What writing one value means: the stored value and labels to add to the column first. */
export interface NormalizedValue {
  stored: JsonValue;
  newLabels: LabelState[];
}

const MAX_LABELS = 40;
const MAX_LONG_TEXT = 2000;
const NUMERIC = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** Turns a non-empty input value into its stored form; throws ColumnValueException when invalid. */
export function normalizeColumnValue(column: ColumnState, value: unknown, createLabels: boolean): NormalizedValue {
  // The most common client bug: a value JSON-encoded twice arrives as a string holding JSON.
  if (column.type !== 'text' && typeof value === 'string' && looksLikeJson(value)) throw invalid(column, value);
  const plain = (stored: JsonValue): NormalizedValue => ({ stored, newLabels: [] });
  switch (column.type) {
    case 'text':
      if (typeof value === 'string') return plain(value);
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

function normalizeStatus(column: ColumnState, value: unknown, createLabels: boolean): NormalizedValue {
  const labels = column.settings.labels ?? [];
  if (isRecord(value) && value.index !== undefined) {
    const index = typeof value.index === 'string' && /^\d+$/.test(value.index) ? Number(value.index) : value.index;
    const found = labels.find((label) => label.id === index);
    if (!found) throw invalid(column, value, 'invalid value - index does not exist in column');
    return { stored: { index: found.id }, newLabels: [] };
  }
  const name = typeof value === 'string' ? value : isRecord(value) && typeof value.label === 'string' ? value.label : null;
  if (name === null || name.trim() === '') throw invalid(column, value);
  const found = labels.find((label) => label.name === name);
  if (found) return { stored: { index: found.id }, newLabels: [] };
  const created = createLabel(column, labels, [], name, createLabels, value);
  return { stored: { index: created.id }, newLabels: [created] };
}

function normalizeDropdown(column: ColumnState, value: unknown, createLabels: boolean): NormalizedValue {
  const labels = column.settings.labels ?? [];
  if (isRecord(value) && Array.isArray(value.ids)) {
    const ids = value.ids.map((id) => (typeof id === 'string' && /^\d+$/.test(id) ? Number(id) : id));
    if (ids.some((id) => !labels.some((label) => label.id === id))) throw invalid(column, value, 'invalid value - id does not exist in column');
    return { stored: { ids: [...new Set(ids as number[])] }, newLabels: [] };
  }
  const names =
    typeof value === 'string'
      ? value.split(',').map((part) => part.trim()).filter(Boolean)
      : isRecord(value) && Array.isArray(value.labels) && value.labels.every((label) => typeof label === 'string')
        ? (value.labels as string[])
        : null;
  if (names === null || names.length === 0 || names.some((name) => name.trim() === '')) throw invalid(column, value);
  const newLabels: LabelState[] = [];
  const ids: number[] = [];
  for (const name of names) {
    // Labels are case-sensitive: "Greyson" is not "GREYSON".
    const found = labels.find((label) => label.name === name) ?? newLabels.find((label) => label.name === name);
    const id = found ? found.id : pushed(newLabels, createLabel(column, labels, newLabels, name, createLabels, value)).id;
    if (!ids.includes(id)) ids.push(id);
  }
  return { stored: { ids }, newLabels };
}

function createLabel(column: ColumnState, labels: LabelState[], pending: LabelState[], name: string, allowed: boolean, value: unknown): LabelState {
  if (!allowed) throw invalid(column, value, 'invalid value - label does not exist in column', { label: name });
  const all = [...labels, ...pending];
  if (all.length >= MAX_LABELS) throw invalid(column, value, `invalid value - a column can have at most ${MAX_LABELS} labels`, { label: name });
  const firstId = column.type === 'status' ? 0 : 1;
  return { id: Math.max(firstId - 1, ...all.map((label) => label.id)) + 1, name };
}

function pushed<T>(list: T[], entry: T): T {
  list.push(entry);
  return entry;
}

function invalid(column: ColumnState, value: unknown, message?: string, extra: Record<string, unknown> = {}): MondayApiError {
  return new MondayApiError(
    'ColumnValueException',
    message ?? 'invalid value, please check our API documentation for the correct data structure for this column',
    { column_id: column.id, column_type: column.type, column_value: JSON.stringify(value) ?? null, ...extra },
  );
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
