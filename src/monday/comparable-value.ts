/**
 * One column value as comparable text, whether it is a value ordersync sent (column-map's shape:
 * `"PO-1"`, `{ label }`, `{ labels }`, `{ date, time? }`…) or one read back from monday
 * (`column_values { type value text }`, where `value` is monday's JSON: a status holds an `index`
 * and its label is the `text`, a dropdown holds `ids` and its labels are the `text`, every value may
 * carry a `changed_at`). Equal text means a person did not change what ordersync last wrote.
 * API reference "Column types": text, long_text, numbers, status, dropdown, date, checkbox, email, link, phone.
 */

/** A column value as `column_values { type value text }` answers it. */
export interface ReadColumnValue {
  type: string;
  /** monday's JSON-encoded value, null when the cell is empty. */
  value: string | null;
  /** The display text; null or "" when empty. */
  text: string | null;
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

const str = (value: unknown): string => (value === null || value === undefined ? '' : String(value).trim());

/** "12.50" and "12.5", "+3" and "3", "-0" and "0" are one number. */
function decimalText(value: unknown): string {
  const text = str(value).replace(/^\+/, '');
  if (!/^-?\d+(\.\d+)?$/.test(text)) return text;
  const [whole = '0', fraction = ''] = text.replace(/^(-?)0+(?=\d)/, '$1').split('.');
  const trimmed = fraction.replace(/0+$/, '');
  const out = trimmed ? `${whole}.${trimmed}` : whole;
  return out === '-0' ? '0' : out;
}

/** `2025-02-28` or `2025-02-28 14:30:00` (seconds added when monday answers `14:30`). */
function dateText(date: unknown, time: unknown): string {
  const day = str(date);
  if (day === '') return '';
  const clock = str(time);
  if (clock === '') return day;
  return `${day} ${/^\d{2}:\d{2}$/.test(clock) ? `${clock}:00` : clock}`;
}

const labelsText = (labels: readonly unknown[]): string => labels.map(str).filter(Boolean).sort().join('\n');

/** The comparable text of a value as ordersync sends it for a column of this type. */
export function comparableSent(type: string, value: unknown): string {
  if (value === null || value === undefined) return '';
  const record = isRecord(value) ? value : {};
  switch (type) {
    case 'numbers': return decimalText(value);
    case 'long_text': return isRecord(value) ? str(record.text) : str(value);
    case 'status': return isRecord(value) ? str(record.label) : str(value);
    case 'dropdown': return labelsText(Array.isArray(record.labels) ? record.labels : isRecord(value) ? [] : String(value).split(','));
    case 'date': return isRecord(value) ? dateText(record.date, record.time) : str(value);
    case 'checkbox': return isRecord(value) ? (str(record.checked) === 'true' ? 'true' : '') : (value === true ? 'true' : '');
    case 'email': return isRecord(value) ? str(record.email) : str(value);
    case 'link': return isRecord(value) ? str(record.url) : str(value);
    case 'phone': return isRecord(value) ? str(record.phone) : str(value);
    default: return isRecord(value) || Array.isArray(value) ? JSON.stringify(value) : str(value);
  }
}

/** The comparable text of a column value read back from monday. */
export function comparableRead(column: ReadColumnValue): string {
  let parsed: unknown = null;
  try {
    parsed = column.value === null ? null : JSON.parse(column.value);
  } catch {
    parsed = column.value;
  }
  if (parsed === null || parsed === undefined || parsed === '') {
    // An empty value: only the display text can still say something (a mirror-like column).
    return column.type === 'status' || column.type === 'dropdown' ? '' : column.type === 'text' ? str(column.text) : '';
  }
  const record = isRecord(parsed) ? parsed : {};
  switch (column.type) {
    case 'text': return str(parsed);
    case 'numbers': return decimalText(parsed);
    case 'long_text': return str(record.text ?? column.text);
    // The label is not in the value (only its index): the text is the label.
    case 'status': return str(column.text);
    case 'dropdown': return labelsText(str(column.text) === '' ? [] : str(column.text).split(', '));
    case 'date': return dateText(record.date, record.time);
    case 'checkbox': return str(record.checked) === 'true' ? 'true' : '';
    case 'email': return str(record.email);
    case 'link': return str(record.url);
    case 'phone': return str(record.phone);
    default: return str(column.text);
  }
}
