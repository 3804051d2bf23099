/** Converts source values to monday column values, per column type; a bad value gives a reason, not a throw. */
import * as v from 'valibot';
import { fieldText, truncateText } from '../../src/pipeline/index.ts';

/** Column types column-map knows how to fill. */
export const COLUMN_TYPES = ['text', 'long_text', 'numbers', 'status', 'dropdown', 'date', 'checkbox', 'email', 'link', 'phone'] as const;
/** One of COLUMN_TYPES. */
export type ColumnType = (typeof COLUMN_TYPES)[number];

/** A converted value, or why the value cannot go to monday. */
export type Converted = { ok: true; value: unknown } | { ok: false; reason: string };

/** Why a value cannot go to monday: what a converter gives instead of a value. */
export class Refusal {
  readonly reason: string;
  constructor(reason: string) {
    this.reason = reason;
  }
}

const refuse = (reason: string): Refusal => new Refusal(reason);

/** monday's limits for text columns. */
const TEXT_MAX = 2000;
const LABEL_MAX = 255;
/** How much of a bad value a reason quotes. */
const SHOWN_MAX = 40;

// Only what cannot be read two ways: "1,5" is 1.5 in Germany and 15 in the US, so a comma is refused
// rather than guessed; "1e5" and ".5" are refused too, as an ERP export never writes numbers that way.
const DECIMAL_TEXT = /^[-+]?\d+(\.\d+)?$/;
const Email = v.pipe(v.string(), v.email());
const Url = v.pipe(v.string(), v.url());

/** `YYYY-MM-DD`, optionally `T` or a space, `HH:MM[:SS[.fff]]` and `Z`, `±HH`, `±HHMM` or `±HH:MM` (PostgreSQL's text form uses `±HH`). */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;
const DATE_HINT = 'expected YYYY-MM-DD, optionally with a time such as 2025-08-02T14:30:00Z';

/** The value as the reason quotes it: JSON-escaped, invisible and bidi controls spelt out, cut to SHOWN_MAX. */
function show(raw: unknown): string {
  if (typeof raw === 'number' || typeof raw === 'bigint' || typeof raw === 'boolean') return String(raw);
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? 'an invalid date' : raw.toISOString();
  const text = typeof raw === 'string' ? raw.trim() : (JSON.stringify(raw) ?? String(raw));
  const cut = text.length > SHOWN_MAX ? `${truncateText(text, SHOWN_MAX)}…` : text;
  // A right-to-left override in a quoted value would reorder the rest of the reason for its reader.
  return JSON.stringify(cut).replace(/\p{Cf}/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A converter of one non-empty value for a column of one type: the column value, or a Refusal (no wrapper per value). */
export type Converter = (raw: unknown) => unknown;

const TEXT_CONVERTERS: Record<Exclude<ColumnType, 'numbers' | 'date'>, (text: string, raw: unknown) => unknown> = {
  text: (text) => truncateText(text.includes('\n') ? text.replace(/\s*\n\s*/g, ' ') : text, TEXT_MAX),
  long_text: (text) => ({ text: truncateText(text, TEXT_MAX) }),
  status: (text) => (text.length > LABEL_MAX
    ? refuse(`status label is ${text.length} characters (max ${LABEL_MAX})`)
    : { label: text }),
  // One label (no comma) is the common case: no split, map and filter arrays for it.
  dropdown: (text) => ({ labels: text === '' || text.includes(',') ? text.split(',').map((s) => s.trim()).filter(Boolean) : [text] }),
  checkbox: (text, raw) => (raw === true || /^(true|yes|y|1|x)$/i.test(text) ? { checked: 'true' } : null),
  email: (text) => (v.is(Email, text) ? { email: text, text } : refuse(`${show(text)} is not an email address`)),
  link: (text) => (v.is(Url, text) ? { url: text, text } : refuse(`${show(text)} is not a URL`)),
  phone: (text) => {
    const digits = text.replace(/[^\d+]/g, '');
    if (digits.replace('+', '').length < 5) return refuse(`${show(text)} is not a phone number`);
    return { phone: digits };
  },
};

/** The converter for a column type, chosen once per mapped column rather than once per value. */
export function converterFor(type: ColumnType): Converter {
  if (type === 'numbers') return convertNumber;
  if (type === 'date') return convertDate;
  const convert = TEXT_CONVERTERS[type];
  return (raw) => convert(fieldText(raw), raw);
}

/** Converts one non-empty value for a column of the given type. */
export function convertValue(type: ColumnType, raw: unknown): Converted {
  const value = converterFor(type)(raw);
  return value instanceof Refusal ? { ok: false, reason: value.reason } : { ok: true, value };
}

/**
 * A JS number (int4, float8), a bigint, or decimal text (numeric and int8 arrive from postgres.js as
 * strings such as "12.50") → monday's numeric string, written as given apart from a leading `+`.
 */
function convertNumber(raw: unknown): unknown {
  if (typeof raw === 'number') {
    return Number.isFinite(raw) ? plainDecimal(raw) : refuse(`${show(raw)} is not a finite number`);
  }
  if (typeof raw === 'bigint') return String(raw);
  const text = typeof raw === 'string' ? raw.trim() : null;
  if (text === null || !DECIMAL_TEXT.test(text)) return refuse(`${show(raw)} ${whyNotNumber(text ?? '')}`);
  if (!Number.isFinite(Number(text))) return refuse(`${show(raw)} is too large for a monday numbers column`);
  return text.replace(/^\+/, '');
}

function whyNotNumber(text: string): string {
  if (text === '') return 'is not a number (it is empty)';
  if (/^[-+]?\d[\d,.' _\u00a0\u202f]*$/.test(text) && /\d[,' _\u00a0\u202f]\d/.test(text)) {
    return 'is not a number (use a dot for decimals, no thousands separators)';
  }
  if (/^[-+]?(\d+\.?\d*|\.\d+)e[-+]?\d+$/i.test(text)) return 'is not a number (write it out in digits, without an exponent)';
  if (/^[-+]?(\.\d+|\d+\.)$/.test(text)) return 'is not a number (write digits on both sides of the dot, e.g. 0.5)';
  if (/^[-+]?(nan|inf|infinity)$/i.test(text)) return 'is not a finite number';
  return 'is not a number';
}

/** `1e+21` → `1000000000000000000000`: JS writes very large and very small numbers with an exponent. */
function plainDecimal(n: number): string {
  const text = String(n);
  const match = /^(-?)(\d)(?:\.(\d+))?e([-+]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign, lead, rest = '', exponent] = match;
  const digits = `${lead}${rest}`;
  const point = 1 + Number(exponent);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  return point >= digits.length ? `${sign}${digits.padEnd(point, '0')}` : `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * A Date (PostgreSQL date and timestamp columns) or date text → `{date}`, or `{date, time}` in UTC
 * when there is a time; the whole text must be one valid date and time, nothing after it.
 */
function convertDate(raw: unknown): unknown {
  if (raw instanceof Date) {
    if (Number.isNaN(raw.getTime())) return refuse(`${show(raw)} cannot go to monday (PostgreSQL 'infinity'?)`);
    return fromInstant(raw, raw.getUTCHours() + raw.getUTCMinutes() + raw.getUTCSeconds() + raw.getUTCMilliseconds() > 0);
  }
  const text = typeof raw === 'string' ? raw.trim() : null;
  const match = text === null ? null : DATE_TIME.exec(text);
  if (!match) return refuse(`${show(raw)} is not a date (${DATE_HINT})`);
  const part = (i: number): number => (match[i] === undefined ? 0 : Number(match[i]));
  const [year, month, day] = [part(1), part(2), part(3)];
  if (!isCalendarDay(year, month, day)) return refuse(`${show(raw)} is not a real date (expected YYYY-MM-DD)`);
  if (match[4] === undefined) return { date: text!.slice(0, 10) };
  const [hours, minutes, seconds] = [part(4), part(5), part(6)];
  if (hours > 23 || minutes > 59 || seconds > 59) return refuse(`${show(raw)} is not a real time of day (expected 00:00 to 23:59:59)`);
  const offset = offsetMinutes(match[7]);
  if (offset === null) return refuse(`${show(raw)} has an impossible UTC offset (expected Z or ±HH:MM up to ±23:59)`);
  const instant = new Date(0);
  instant.setUTCFullYear(year, month - 1, day);
  // Seconds only: monday keeps no fractions. Text without an offset is read as UTC, monday's own zone.
  instant.setUTCHours(hours, minutes - offset, seconds, 0);
  return fromInstant(instant, true);
}

/** The UTC date (and time) of an instant, refused outside the years 0001–9999 a monday date can hold. */
function fromInstant(instant: Date, withTime: boolean): unknown {
  const year = instant.getUTCFullYear();
  if (year < 1 || year > 9999) return refuse(`${show(instant)} is outside the years 0001–9999`);
  const iso = instant.toISOString();
  return withTime ? { date: iso.slice(0, 10), time: iso.slice(11, 19) } : { date: iso.slice(0, 10) };
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isCalendarDay(year: number, month: number, day: number): boolean {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : MONTH_DAYS[month - 1];
  return year >= 1 && days !== undefined && day >= 1 && day <= days;
}

/** Minutes east of UTC for `Z`, `±HH`, `±HHMM`, `±HH:MM` (none means UTC); null when impossible. */
function offsetMinutes(zone: string | undefined): number | null {
  if (zone === undefined || zone === 'Z') return 0;
  const hours = Number(zone.slice(1, 3));
  const minutes = Number(zone.slice(3).replace(':', '') || 0);
  if (hours > 23 || minutes > 59) return null;
  return (zone[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
}
