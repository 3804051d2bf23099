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
}

/** Text of a value for templates (dates as YYYY-MM-DD). */
export function fieldText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value).trim();
}

/** Compiles a template such as `{{customer_name}} {{customer_season}}`. */
export function compileFieldTemplate(source: string): FieldTemplate {
  const fields = [...source.matchAll(PLACEHOLDER)].map((m) => m[1]!);
  return {
    source,
    fields,
    render(row) {
      const missing: string[] = [];
      const text = source
        .replace(PLACEHOLDER, (_m, name: string) => {
          const value = fieldText(row[name]);
          if (!value) missing.push(name);
          return value;
        })
        .replace(/\s+/g, ' ')
        .trim();
      return { text, missing };
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
