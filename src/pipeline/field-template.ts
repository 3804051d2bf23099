/** `{{field}}` templates over a row: item names, subitem names and group titles. */
import * as v from 'valibot';
import type { Row } from './contract/index.ts';

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** A compiled field template. */
export interface FieldTemplate {
  source: string;
  /** Field names the template reads. */
  fields: string[];
  /** Renders with whitespace collapsed; `missing` lists fields that were null or blank. */
  render(row: Row): { text: string; missing: string[] };
  /** The text of `render`, for callers that do not ask which fields were blank. */
  renderText(row: Row): string;
  /** The text of `render` when no field is blank, else null (a title that needs every field). */
  renderComplete(row: Row): string | null;
}

/** Text of a value for templates (dates as YYYY-MM-DD). */
export function fieldText(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value).trim();
}

// Text that collapsing whitespace and trimming would change: two whitespace characters in a row,
// one that is not a plain space, or a space at either end. Most names have none, and skip the rewrite.
const NEEDS_COLLAPSE = /\s\s|[^\S ]|^ | $/;

/** Whitespace runs as one space, trimmed. */
const collapse = (text: string): string => (NEEDS_COLLAPSE.test(text) ? text.replace(/\s+/g, ' ').trim() : text);

/** Compiles a template such as `{{customer_name}} {{customer_season}}`: split once, joined by plain concatenation per row. */
export function compileFieldTemplate(source: string): FieldTemplate {
  const fields: string[] = [];
  // Literal text around the fields: texts[i] comes before fields[i], the last one after the last field.
  const texts: string[] = [];
  let at = 0;
  for (const match of source.matchAll(PLACEHOLDER)) {
    texts.push(source.slice(at, match.index));
    fields.push(match[1]!);
    at = match.index + match[0].length;
  }
  texts.push(source.slice(at));
  const count = fields.length;
  return {
    source,
    fields,
    render(row) {
      const missing: string[] = [];
      let text = texts[0]!;
      for (let i = 0; i < count; i++) {
        const value = fieldText(row[fields[i]!]);
        if (!value) missing.push(fields[i]!);
        text += value + texts[i + 1]!;
      }
      return { text: collapse(text), missing };
    },
    renderText(row) {
      let text = texts[0]!;
      for (let i = 0; i < count; i++) text += fieldText(row[fields[i]!]) + texts[i + 1]!;
      return collapse(text);
    },
    renderComplete(row) {
      let text = texts[0]!;
      for (let i = 0; i < count; i++) {
        const value = fieldText(row[fields[i]!]);
        if (!value) return null;
        text += value + texts[i + 1]!;
      }
      return collapse(text);
    },
  };
}

/** A problem with a template's syntax, or null: unbalanced braces or a template with no text. */
export function checkFieldTemplate(source: string): string | null {
  const stripped = source.replace(PLACEHOLDER, '');
  if (stripped.includes('{{') || stripped.includes('}}')) return `malformed placeholder in "${source}" (use {{column_name}})`;
  if (!source.trim()) return 'template must not be empty';
  return null;
}

/** Valibot schema of a field template option: a string whose placeholders are well formed. */
export const FieldTemplateSchema = v.pipe(
  v.string(),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const problem = checkFieldTemplate(dataset.value);
    if (problem) addIssue({ message: problem });
  }),
);

/** Cuts text to at most `max` UTF-16 units without splitting a surrogate pair (a lone half is invalid in jsonb). */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}
