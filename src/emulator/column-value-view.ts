/** How a stored column value reads back through `column_values { id text value type ... }`. */
import type { ColumnState, ItemState, JsonValue } from './types.ts';

/** The object GraphQL resolves a ColumnValue from: common fields plus the typed ones. */
export interface ColumnValueView {
  __typename: string;
  id: string;
  type: string;
  /** The display text: "" when empty, but null for an empty status or dropdown (as monday answers). */
  text: string | null;
  /** JSON-encoded value, as monday returns it, or null when empty. */
  value: string | null;
  column: ColumnState;
  is_leaf: boolean;
  [typedField: string]: unknown;
}

const TYPENAMES: Record<string, string> = {
  text: 'TextValue',
  long_text: 'LongTextValue',
  numbers: 'NumbersValue',
  status: 'StatusValue',
  dropdown: 'DropdownValue',
  date: 'DateValue',
  checkbox: 'CheckboxValue',
  email: 'EmailValue',
  link: 'LinkValue',
  phone: 'PhoneValue',
  timeline: 'TimelineValue',
  subtasks: 'SubtasksValue',
};

/** Builds the view of one column of one item; `subitems` feeds the subtasks column. */
export function viewColumnValue(column: ColumnState, item: ItemState, subitems: () => ItemState[]): ColumnValueView {
  const view: ColumnValueView = {
    __typename: TYPENAMES[column.type] ?? 'TextValue',
    id: column.id,
    type: column.type,
    text: '',
    value: null,
    column,
    is_leaf: true,
  };
  // API reference "Status" / "Dropdown": an empty status or dropdown reads as text null, and an
  // empty dropdown's `values` is [] (a non-null list in the schema).
  if (column.type === 'status' || column.type === 'dropdown') view.text = null;
  if (column.type === 'dropdown') view.values = [];
  if (column.type === 'subtasks') {
    const subs = subitems();
    view.text = subs.map((sub) => sub.name).join(', ');
    view.display_value = view.text;
    view.subitems_ids = subs.map((sub) => sub.id);
    // Since 2025-04 the subitems column's value is null: subitems are read through `subitems { id }`.
    return view;
  }
  const stored = item.column_values[column.id];
  if (stored === undefined || stored === null) return view;
  view.value = JSON.stringify(stored);
  const record = (typeof stored === 'object' && !Array.isArray(stored) ? stored : {}) as Record<string, JsonValue>;
  const labels = column.settings.labels ?? [];
  switch (column.type) {
    case 'long_text':
      view.text = String(record.text ?? '');
      break;
    case 'numbers':
      view.text = String(stored);
      view.number = Number(stored);
      break;
    case 'status': {
      const label = labels.find((entry) => entry.id === record.index);
      view.index = record.index;
      view.label = label?.name ?? null;
      view.text = label?.name ?? null;
      break;
    }
    case 'dropdown': {
      const ids = Array.isArray(record.ids) ? record.ids : [];
      const chosen = labels.filter((label) => ids.includes(label.id));
      view.values = chosen.map((label) => ({ id: String(label.id), label: label.name }));
      view.text = chosen.length > 0 ? chosen.map((label) => label.name).join(', ') : null;
      break;
    }
    case 'date':
      view.date = record.date;
      view.time = record.time ?? null;
      view.text = record.time ? `${record.date} ${record.time}` : String(record.date);
      break;
    case 'checkbox':
      view.checked = true;
      view.text = 'v';
      break;
    case 'email':
      view.email = record.email;
      view.label = record.text;
      view.text = String(record.email);
      break;
    case 'link':
      view.url = record.url;
      view.url_text = record.text;
      view.text = `${record.url} - ${record.text}`;
      break;
    case 'phone':
      view.phone = record.phone;
      view.country_short_name = record.countryShortName;
      view.text = String(record.phone);
      break;
    case 'timeline':
      view.from = record.from;
      view.to = record.to;
      view.text = `${record.from} - ${record.to}`;
      break;
    default:
      view.text = typeof stored === 'string' ? stored : JSON.stringify(stored);
  }
  return view;
}

/** The text of a column (or the item name for `name`), "" when empty, for matching and the HTML view. */
export function columnText(column: ColumnState, item: ItemState, subitems: () => ItemState[]): string {
  return column.type === 'name' ? item.name : (viewColumnValue(column, item, subitems).text ?? '');
}
