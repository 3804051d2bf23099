/** Escapes user text so it stays one Markdown table cell and never becomes HTML. */

// Bidi embeddings/overrides/isolates and other invisible controls can visually reorder a row.
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
const NEWLINES = /\r\n|\r|\n|\u2028|\u2029/g;
const PUNCTUATION = /[\\`*_[\]#~]/g;

/**
 * Any value → text safe inside a Markdown table cell (and in headings and lists): `&`, `<`, `>`
 * become entities, `|` becomes `&#124;` (no raw pipe survives), Markdown punctuation
 * (`\ ` * _ [ ] # ~`) is backslash-escaped, newlines become `<br>`, tabs a space, bidi and
 * control characters are dropped. null/undefined → empty; objects → JSON.
 */
export function escapeMarkdown(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text
    .replace(/\t/g, ' ')
    .replace(CONTROLS, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(PUNCTUATION, (c) => `\\${c}`)
    .replace(/\|/g, '&#124;')
    .replace(/^([-+=])/, '\\$1')
    .replace(NEWLINES, '<br>');
}
