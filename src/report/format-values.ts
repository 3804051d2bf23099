/** Plain formatters behind the template helpers (also used by the `runs` command). */
import type { RunOutcome } from '../pipeline/run-summary.ts';

const STATUS_EMOJI: Record<RunOutcome, string> = { SUCCESS: '✅', PARTIAL: '⚠️', FAILED: '❌', INTERRUPTED: '⏸️' };
const INTEGER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** `6720` → `6.72s`, `64000` → `1m 04s`, `3723000` → `1h 02m 03s`. */
export function formatDuration(ms: number): string {
  assertFinite(ms, 'duration');
  if (ms < 60_000) return formatSeconds(ms);
  const total = Math.round(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}h ${String(minutes).padStart(2, '0')}m ${seconds}s` : `${minutes}m ${seconds}s`;
}

/** Milliseconds as seconds with two decimals: `6720` → `6.72s`. */
export function formatSeconds(ms: number): string {
  assertFinite(ms, 'seconds');
  return `${(ms / 1000).toFixed(2)}s`;
}

/** `1234` → `1,234`; at most two decimals. */
export function formatNumber(n: number): string {
  assertFinite(n, 'number');
  return INTEGER.format(n);
}

/** `part` as a share of `whole`: `33.3%`, `100%`; `—` when whole is 0. */
export function formatPercent(part: number, whole: number): string {
  assertFinite(part, 'percent');
  assertFinite(whole, 'percent');
  if (whole === 0) return '—';
  return `${Number(((part / whole) * 100).toFixed(1))}%`;
}

/** An instant in a time zone: `2026-11-28 15:30:12 EST`. */
export function formatDate(value: string | Date, timeZone: string): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new Error(`date: not a date: ${JSON.stringify(value)}`);
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    }).formatToParts(date);
  } catch {
    throw new Error(`date: unknown time zone "${timeZone}" (use an IANA name like America/New_York)`);
  }
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}:${part('second')} ${part('timeZoneName')}`;
}

/** True for an IANA time zone name this runtime knows. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** `SUCCESS` → `✅`, `INTERRUPTED` → `⏸️`. */
export function statusEmoji(status: RunOutcome): string {
  const emoji = Object.hasOwn(STATUS_EMOJI, status) ? STATUS_EMOJI[status] : undefined;
  if (!emoji) throw new Error(`status: unknown status ${JSON.stringify(status)} (SUCCESS, PARTIAL, FAILED or INTERRUPTED)`);
  return emoji;
}

/** `SUCCESS` → `✅ SUCCESS`, `PARTIAL` → `⚠️ PARTIAL`, `FAILED` → `❌ FAILED`, `INTERRUPTED` → `⏸️ INTERRUPTED`. */
export function statusBadge(status: RunOutcome): string {
  return `${statusEmoji(status)} ${status}`;
}

function assertFinite(n: number, helper: string): void {
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new Error(`${helper}: expected a number, got ${describe(n)}`);
}

function describe(value: unknown): string {
  return value === undefined ? 'undefined (is a field name misspelt?)' : JSON.stringify(value) ?? String(value);
}
