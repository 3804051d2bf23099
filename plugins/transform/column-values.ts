/** Converts source values to monday column values, per column type; a bad value gives a reason, not a throw. */
import * as v from 'valibot';
import { fieldText, truncateText } from '../../src/pipeline/index.ts';

/** Column types column-map knows how to fill. */
export const COLUMN_TYPES = ['text', 'long_text', 'numbers', 'status', 'dropdown', 'date', 'checkbox', 'email', 'link', 'phone'] as const;
/** One of COLUMN_TYPES. */
export type ColumnType = (typeof COLUMN_TYPES)[number];

/** A converted value, or why the value cannot go to monday. */
export type Converted = { ok: true; value: unknown } | { ok: false; reason: string };

/** monday's limits for text columns. */
const TEXT_MAX = 2000;
const LABEL_MAX = 255;

const NumberText = v.pipe(v.string(), v.regex(/^-?\d+(\.\d+)?$/));
const IsoDate = v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/));
const Email = v.pipe(v.string(), v.email());
const Url = v.pipe(v.string(), v.url());

function isRealDate(iso: string): boolean {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

const show = (text: string): string => JSON.stringify(text.length > 40 ? `${truncateText(text, 40)}…` : text);

/** Converts one non-empty value for a column of the given type. */
export function convertValue(type: ColumnType, raw: unknown): Converted {
  const text = fieldText(raw);
  switch (type) {
    case 'text':
      return { ok: true, value: truncateText(text.replace(/\s*\n\s*/g, ' '), TEXT_MAX) };
    case 'long_text':
      return { ok: true, value: { text: truncateText(text, TEXT_MAX) } };
    case 'numbers': {
      const normalized = typeof raw === 'number' ? String(raw) : text.replace(/,/g, '');
      if (!v.is(NumberText, normalized) || !Number.isFinite(Number(normalized))) return { ok: false, reason: `${show(text)} is not a number` };
      return { ok: true, value: normalized };
    }
    case 'status':
      if (text.length > LABEL_MAX) return { ok: false, reason: `status label is ${text.length} characters (max ${LABEL_MAX})` };
      return { ok: true, value: { label: text } };
    case 'dropdown': {
      const labels = text.split(',').map((s) => s.trim()).filter(Boolean);
      return { ok: true, value: { labels } };
    }
    case 'date': {
      const iso = raw instanceof Date ? raw.toISOString().slice(0, 10) : text.slice(0, 10);
      if (!v.is(IsoDate, iso) || !isRealDate(iso)) return { ok: false, reason: `${show(text)} is not a real date (expected YYYY-MM-DD)` };
      return { ok: true, value: { date: iso } };
    }
    case 'checkbox': {
      const on = raw === true || /^(true|yes|y|1|x)$/i.test(text);
      return { ok: true, value: on ? { checked: 'true' } : null };
    }
    case 'email':
      if (!v.is(Email, text)) return { ok: false, reason: `${show(text)} is not an email address` };
      return { ok: true, value: { email: text, text } };
    case 'link':
      if (!v.is(Url, text)) return { ok: false, reason: `${show(text)} is not a URL` };
      return { ok: true, value: { url: text, text } };
    case 'phone': {
      const digits = text.replace(/[^\d+]/g, '');
      if (digits.replace('+', '').length < 5) return { ok: false, reason: `${show(text)} is not a phone number` };
      return { ok: true, value: { phone: digits } };
    }
  }
}
