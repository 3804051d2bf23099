/**
 * Text bound for a terminal with its control characters made visible: a right-to-left override
 * (U+202E) in a customer name or a database value would reorder the rest of the line for its
 * reader, and a carriage return or escape sequence could overwrite what the terminal shows. Tabs
 * and newlines stay; everything else that controls rather than shows is written as `\uXXXX`
 * (which is also a valid escape inside JSON strings, so `--json` output stays JSON).
 */
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** The text with every control character other than tab and newline spelt out as `\uXXXX`. */
export function visibleControls(text: string): string {
  return text.replace(CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
