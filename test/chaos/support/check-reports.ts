/**
 * Promise 3 for reports: every run that wrote a report has a run.json with the numbers the
 * database holds, a summary whose customer table carries them, and Markdown tables that stay
 * tables (the same number of cells in every row) whatever the data contained.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { EngineTables } from '../../../src/db/tables.ts';
import type { RunSummary } from '../../../src/pipeline/run-summary.ts';
import type { OrderTables } from './check-promises.ts';

/** Splits a Markdown table row into cells (a `|` escaped as `\|` or `&#124;` is not a separator). */
export function tableCells(row: string): string[] {
  return row.trim().replace(/^\|/, '').replace(/\|$/, '').split(/(?<!\\)\|/);
}

/** Every Markdown table of `text` whose rows do not all have the header's number of cells. */
export function brokenTables(text: string): string[] {
  const problems: string[] = [];
  const lines = text.split('\n');
  let header: string[] | null = null;
  let inFence = false;
  lines.forEach((line, n) => {
    if (line.startsWith('```')) inFence = !inFence;
    if (inFence || !line.trimStart().startsWith('|')) {
      header = null;
      return;
    }
    const cells = tableCells(line);
    if (!header) header = cells;
    else if (cells.length !== header.length) problems.push(`line ${n + 1} has ${cells.length} cells, its table ${header.length}: ${line.slice(0, 120)}`);
    if (!line.trimEnd().endsWith('|')) problems.push(`line ${n + 1} does not end its row: ${line.slice(0, 120)}`);
  });
  return problems;
}

/** The customer results table of a summary: one row of cells per customer. */
export function customerRows(summaryText: string): string[][] {
  const lines = summaryText.split('\n');
  const start = lines.findIndex((l) => /^\|\s*Customer\s*\|\s*Status\s*\|\s*Records Processed\s*\|/.test(l));
  if (start < 0) return [];
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(tableCells(line).map((c) => c.trim()));
  }
  return rows;
}

const digits = (cell: string | undefined): number => Number((cell ?? '').replace(/[^\d]/g, ''));

/** Disagreements between run rows, their report folders and (for the latest run) the order tables. */
export async function checkReports(db: Kysely<EngineTables>, tables: OrderTables[], pipeline: string, summaryFile = '_SYNC_SUMMARY.md'): Promise<string[]> {
  const problems: string[] = [];
  const runs = await db.selectFrom('ordersync_runs').selectAll().where('pipeline', '=', pipeline).orderBy('started_at').execute();
  for (const run of runs) if (run.status === 'RUNNING') problems.push(`run ${run.id} is still RUNNING after a finished run`);
  const reported = runs.filter((r) => r.report_path);
  for (const run of reported) {
    const json = JSON.parse(await readFile(join(run.report_path!, 'run.json'), 'utf8')) as RunSummary;
    const stored = run.summary as RunSummary;
    if (json.runId !== run.id) problems.push(`run.json of ${run.id} names run ${json.runId}`);
    if (json.status !== stored.status) problems.push(`run ${run.id}: run.json says ${json.status}, ordersync_runs says ${stored.status}`);
    for (const k of ['processed', 'synced', 'failed', 'pending'] as const) {
      if (json.totals[k] !== stored.totals[k]) problems.push(`run ${run.id}: run.json totals.${k} ${json.totals[k]}, ordersync_runs ${stored.totals[k]}`);
    }
    const text = await readFile(join(run.report_path!, summaryFile), 'utf8');
    problems.push(...brokenTables(text).map((p) => `${run.id}/${summaryFile} ${p}`));
    for (const file of await readdir(join(run.report_path!, 'customer_reports')).catch(() => [])) {
      problems.push(...brokenTables(await readFile(join(run.report_path!, 'customer_reports', file), 'utf8')).map((p) => `${run.id}/customer_reports/${file} ${p}`));
    }
    const rows = customerRows(text);
    if (rows.length !== json.customers.length) problems.push(`run ${run.id}: summary table has ${rows.length} customer rows, run.json ${json.customers.length}`);
    json.customers.forEach((c, i) => {
      if (digits(rows[i]?.[2]) !== c.counts.processed || digits(rows[i]?.[3]) !== c.counts.failed) {
        problems.push(`run ${run.id}: summary row ${i + 1} says ${rows[i]?.[2]} processed/${rows[i]?.[3]} errors, run.json ${c.customer} ${c.counts.processed}/${c.counts.failed}`);
      }
    });
  }
  const latest = reported.at(-1);
  if (latest) {
    const json = JSON.parse(await readFile(join(latest.report_path!, 'run.json'), 'utf8')) as RunSummary;
    const tally: Record<string, Record<string, number>> = {};
    for (const t of tables) {
      const r = await sql<{ customer: string; state: string; n: number }>`select customer, state, count(*)::int as n from (
        select h.customer_name as customer, h.sync_state as state from ${sql.table(t.headers)} h where h.last_run_id = ${latest.id}
        union all select h.customer_name, l.sync_state from ${sql.table(t.lines)} l join ${sql.table(t.headers)} h on h.order_number = l.order_number where l.last_run_id = ${latest.id}
      ) x group by customer, state`.execute(db);
      for (const row of r.rows) (tally[row.customer] ??= {})[row.state] = (tally[row.customer]?.[row.state] ?? 0) + Number(row.n);
    }
    for (const c of json.customers) {
      const db3 = { synced: tally[c.customer]?.SYNCED ?? 0, failed: tally[c.customer]?.FAILED ?? 0, pending: tally[c.customer]?.PENDING ?? 0 };
      if (db3.synced !== c.counts.synced || db3.failed !== c.counts.failed || db3.pending !== c.counts.pending) {
        problems.push(`run ${latest.id} ${c.customer}: run.json ${c.counts.synced}/${c.counts.failed}/${c.counts.pending} synced/failed/pending, tables ${db3.synced}/${db3.failed}/${db3.pending}`);
      }
    }
  }
  return problems;
}
