/**
 * The database's own read speed: the rows the dry run reads (the same columns, the same pages of
 * headers with their lines, customer by customer), read by postgres.js alone. The dry run's rows/s
 * is quoted as a ratio to this, so the figure means the same on a fast machine and a loaded one.
 */
import postgres from 'postgres';
import * as v from 'valibot';
import { selectedColumns } from '../plugins/extract/pending-source.ts';
import { PostgresPendingOptionsSchema } from '../plugins/extract/postgres-pending.ts';
import type { PipelineConfig } from '../src/config/load-config.ts';
import { stageScope } from '../src/pipeline/create-stages.ts';

/** What the plain read measured. */
export interface RawSelectMeasurement {
  rows: number;
  wallMs: number;
  rowsPerSecond: number;
  /** Columns read per header and per line (those the pipeline selects). */
  columns: { headers: number; lines: number };
  /** What was read, in words. */
  method: string;
}

/** The tables, keys and columns the flagship pipeline's extract reads. */
export function readSpec(config: PipelineConfig): { o: v.InferOutput<typeof PostgresPendingOptionsSchema>; columns: { headers: string[]; lines: string[] } } {
  const o = v.parse(PostgresPendingOptionsSchema, config.stages.extract.options);
  const columns = selectedColumns(o, stageScope(config.stages));
  if (!columns) throw new Error('bench: a stage of the flagship pipeline does not say what it reads; the raw read needs the column list');
  return { o, columns };
}

/** Reads every header of these customers in pages of `pageSize` (key order) and each page's lines, as plain rows. */
export async function measureRawSelect(databaseUrl: string, config: PipelineConfig, customers: string[]): Promise<RawSelectMeasurement> {
  const { o, columns } = readSpec(config);
  const pg = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  // Identifiers quoted as the extract quotes them (tables may be schema.table); values are parameters.
  const ident = (name: string): string => `"${name.replaceAll('"', '""')}"`;
  const list = (names: string[]): string => names.map(ident).join(', ');
  const quoted = (name: string): string => name.split('.').map(ident).join('.');
  const headerSql = `select ${list(columns.headers)} from ${quoted(o.headers)} where ${ident(o.customer)} = $1 and ${ident(o.key)} > $2 order by ${ident(o.key)} limit ${o.pageSize}`;
  const lineSql = `select ${list(columns.lines)} from ${quoted(o.lines)} where ${ident(o.lineParent)} = any($1) order by ${ident(o.lineParent)}, ${ident(o.lineOrder)}, ${ident(o.lineKey)}`;
  let rows = 0;
  const t0 = performance.now();
  try {
    for (const customer of customers) {
      let after = '';
      for (;;) {
        const headers = await pg.unsafe(headerSql, [customer, after]);
        if (headers.length === 0) break;
        const keys = headers.map((h) => String(h[o.key]));
        const lines = await pg.unsafe(lineSql, [keys]);
        rows += headers.length + lines.length;
        after = keys.at(-1)!;
        if (headers.length < o.pageSize) break;
      }
    }
  } finally {
    await pg.end();
  }
  const wallMs = performance.now() - t0;
  return {
    rows, wallMs: Math.round(wallMs), rowsPerSecond: Math.round(rows / (wallMs / 1000)),
    columns: { headers: columns.headers.length, lines: columns.lines.length },
    method: `postgres.js alone, one connection: per customer, pages of ${o.pageSize} headers in key order (keyset) and each page's lines by key array, the ${columns.headers.length} header and ${columns.lines.length} line columns the pipeline selects, rows decoded and dropped`,
  };
}
