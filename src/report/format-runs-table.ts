/** The plain-text table `ordersync runs` prints. */
import { formatDate, formatDuration } from './format-values.ts';
import type { RunHistoryRow } from './run-history.ts';

const HEADERS = ['SYNC ID', 'PIPELINE', 'TRIGGER', 'STATUS', 'STARTED', 'DURATION', 'PROCESSED', 'SYNCED', 'FAILED', 'PENDING', 'NOTE'];
const RIGHT_ALIGNED = new Set(['DURATION', 'PROCESSED', 'SYNCED', 'FAILED', 'PENDING']);

/** Rows as an aligned table; NOTE is the error, else `dry run`, else the report folder. */
export function formatRunsTable(rows: readonly RunHistoryRow[], timeZone: string): string {
  if (rows.length === 0) return 'No runs yet.';
  const cells = rows.map((row) => [
    row.id,
    row.pipeline,
    row.trigger,
    row.status,
    formatDate(row.started_at, timeZone),
    row.duration_ms === null ? '—' : formatDuration(row.duration_ms),
    count(row.totals?.processed),
    count(row.totals?.synced),
    count(row.totals?.failed),
    count(row.totals?.pending),
    note(row),
  ]);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]?.length ?? 0)));
  const line = (values: string[]): string =>
    values
      .map((value, i) => (RIGHT_ALIGNED.has(HEADERS[i] ?? '') ? value.padStart(widths[i] ?? 0) : value.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(HEADERS), ...cells.map(line)].join('\n');
}

function count(value: number | undefined): string {
  return value === undefined ? '—' : String(value);
}

function note(row: RunHistoryRow): string {
  if (row.error) return oneLine(row.error, 80);
  if (row.dry_run) return 'dry run';
  return row.report_path ?? '';
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
