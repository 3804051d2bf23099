/** Status and dropdown values: labels by name, index or id, created only when asked. */
import { invalidValue as invalid } from './invalid-column-value.ts';
import type { NormalizedValue } from './normalize-column-value.ts';
import type { ColumnState, LabelState } from './types.ts';

const MAX_LABELS = 40;

/** A status value (`{"label"}`, `{"index"}` or a plain string) as its stored `{index}`. */
export function normalizeStatus(column: ColumnState, value: unknown, createLabels: boolean): NormalizedValue {
  const labels = column.settings.labels ?? [];
  const name = typeof value === 'string' ? value : isRecord(value) && typeof value.label === 'string' ? value.label : null;
  // API reference "Status": a numeric label ({"label": "2"}, or "2") is read as the index 2.
  const index = isRecord(value) && value.index !== undefined ? value.index : name !== null && /^\d+$/.test(name.trim()) ? name.trim() : undefined;
  if (index !== undefined) {
    const wanted = typeof index === 'string' && /^\d+$/.test(index) ? Number(index) : index;
    const found = labels.find((label) => label.id === wanted);
    if (!found) throw invalid(column, value, 'invalid value - index does not exist in column', { index: wanted });
    return { stored: { index: found.id }, newLabels: [] };
  }
  if (name === null || name.trim() === '') throw invalid(column, value);
  const found = labels.find((label) => label.name === name);
  if (found) return { stored: { index: found.id }, newLabels: [] };
  const created = createLabel(column, labels, [], name, createLabels, value);
  return { stored: { index: created.id }, newLabels: [created] };
}

/** A dropdown value (`{"labels"}`, `{"ids"}` or comma-separated names) as its stored `{ids}`, or null to clear. */
export function normalizeDropdown(column: ColumnState, value: unknown, createLabels: boolean): NormalizedValue {
  const labels = column.settings.labels ?? [];
  // API reference "Dropdown": {"labels": []} clears the column (and so, in the emulator, does {"ids": []}).
  if (isRecord(value) && ((Array.isArray(value.labels) && value.labels.length === 0) || (Array.isArray(value.ids) && value.ids.length === 0))) {
    return { stored: null, newLabels: [] };
  }
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
  if (!allowed) {
    // A missing dropdown label's error lists the labels the column has, so the reader can fix the value.
    const existing = column.type === 'dropdown' ? { existing_labels: labels.map((label) => label.name) } : {};
    const hint = column.type === 'dropdown' ? `; existing labels: ${labels.map((label) => label.name).join(', ') || '(none)'}` : '';
    throw invalid(column, value, `invalid value - label does not exist in column${hint}`, { label: name, ...existing });
  }
  const all = [...labels, ...pending];
  if (all.length >= MAX_LABELS) throw invalid(column, value, `invalid value - a column can have at most ${MAX_LABELS} labels`, { label: name });
  const firstId = column.type === 'status' ? 0 : 1;
  return { id: Math.max(firstId - 1, ...all.map((label) => label.id)) + 1, name };
}

function pushed<T>(list: T[], entry: T): T {
  list.push(entry);
  return entry;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
