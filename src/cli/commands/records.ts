/** `ordersync records`: records of the source tables by state, with their reason, attempts, last run and monday ids. */
import type { Extractor, RecordRow } from '../../pipeline/contract/index.ts';
import { writeOut } from '../../runtime/index.ts';
import { EXIT, type Command } from '../command.ts';
import { choiceOption, intOption, maxPositionals, UsageError } from '../parse-args.ts';
import type { PipelineConfig } from '../../config/load-config.ts';
import type { ConflictRecord } from '../../pipeline/conflict-log.ts';

// --state values, in the order the help lists them.
const SYNC_STATES_SORTED = ['FAILED', 'PENDING', 'SYNCED'] as const;

// Reasons are cut in the table (--json has them whole).
const REASON_MAX = 100;

/** A source that can list (and requeue) its records, or a usage error naming the extract plugin that cannot. */
export function requireRecords<K extends 'records' | 'requeue'>(source: Extractor, config: PipelineConfig, what: K): void {
  const can = what === 'records' ? source.records : source.writeBack.requeue;
  if (!can) throw new UsageError(`the extract stage ${config.stages.extract.use} of ${config.file} cannot ${what === 'records' ? 'list' : 'requeue'} its records`);
}

/** Formats record rows as a fixed-width table. */
export function formatRecordsTable(rows: RecordRow[]): string {
  const cut = (text: string | null, max: number): string => {
    const flat = (text ?? '').replace(/\s+/g, ' ');
    return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
  };
  const table = [['STATE', 'ENTITY', 'RECORD', 'ORDER', 'CUSTOMER', 'ATTEMPTS', 'LAST RUN', 'MONDAY ID', 'REASON']];
  for (const r of rows) table.push([r.state, r.entity, r.key, r.order, r.customer, String(r.attempts), r.lastRun ?? '', r.mondayId ?? '', cut(r.reason, REASON_MAX)]);
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  return table.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}

/** Formats conflicts as a fixed-width table. */
export function formatConflictsTable(rows: ConflictRecord[]): string {
  const cut = (text: string): string => {
    const flat = text.replace(/\s+/g, ' ');
    return flat.length > 40 ? `${flat.slice(0, 39)}…` : flat;
  };
  const table = [['ORDER', 'RECORD', 'CUSTOMER', 'COLUMN', 'OURS', 'THEIRS (MONDAY)', 'POLICY', 'RUN']];
  for (const r of rows) table.push([r.order, r.key, r.customer ?? '', r.field ? `${r.field} (${r.column})` : r.column, cut(r.ours), cut(r.theirs), r.policy, r.runId]);
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  return table.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}

/** The records command. */
export const command: Command = {
  name: 'records',
  summary: 'List records (orders and lines) by state with their reason, attempts, last run and monday ids',
  help: `Usage: ordersync records [--state FAILED|PENDING|SYNCED | --conflicts] [--customer NAME] [--order KEY] [--limit N] [--json] [--config FILE]

  --state STATE      only records in this state (default: every state)
  --customer NAME    only this customer's records (repeatable)
  --order KEY        only this order and its lines (repeatable)
  --limit N          at most N records (default 50)
  --conflicts        list conflicts instead: columns a person changed on monday while the source changed
                     them too, with our value, monday's and the policy applied (from ordersync_api_log)
  --json             print the records as JSON (reasons whole) instead of a table
  --config FILE      pipeline file (default config/order-list.yaml); its extract stage names the tables

REASON is sync_error_message, ATTEMPTS retry_count, LAST RUN last_run_id (see ordersync report <id>).
Put FAILED orders back with ordersync retry <order key>...`,
  options: {
    state: { type: 'string' },
    customer: { type: 'string', multiple: true },
    order: { type: 'string', multiple: true },
    limit: { type: 'string' },
    json: { type: 'boolean' },
    conflicts: { type: 'boolean' },
    config: { type: 'string', short: 'c' },
  },
  async run({ values, positionals }) {
    const { openConfiguredDatabase, openSource } = await import('../wiring.ts');
    maxPositionals(positionals, 0);
    const state = choiceOption(typeof values.state === 'string' ? values.state.toUpperCase() : values.state, 'state', SYNC_STATES_SORTED);
    const limit = intOption(values.limit, 'limit') ?? 50;
    const { config, database } = await openConfiguredDatabase(values.config as string | undefined);
    if (values.conflicts === true) {
      if (state) throw new UsageError('--conflicts lists conflicts, not records by state: leave out --state');
      try {
        const { listConflicts } = await import('../../pipeline/conflict-log.ts');
        const { rows, total } = await listConflicts(database.db, { customers: values.customer as string[] | undefined, orders: values.order as string[] | undefined, limit });
        if (values.json === true) writeOut(JSON.stringify({ total, conflicts: rows }, null, 2));
        else if (rows.length === 0) writeOut(`no conflicts${values.customer || values.order ? ' matching the filter' : ''} in the api log`);
        else writeOut(`${formatConflictsTable(rows)}\n\n${rows.length < total ? `${rows.length} of ${total} conflicts shown (--limit N for more)` : `${total} conflict${total === 1 ? '' : 's'}`}`);
        return EXIT.ok;
      } finally {
        await database.close();
      }
    }
    const source = await openSource(config, database, 'records');
    try {
      requireRecords(source, config, 'records');
      const { rows, total } = await source.records!({
        state, customers: values.customer as string[] | undefined, orders: values.order as string[] | undefined, limit,
      });
      if (values.json === true) {
        writeOut(JSON.stringify({ total, records: rows }, null, 2));
        return EXIT.ok;
      }
      const what = `${state ? `${state} ` : ''}record${total === 1 ? '' : 's'}`;
      if (rows.length === 0) {
        writeOut(`no ${what}${values.customer || values.order ? ' matching the filter' : ''} in pipeline ${config.pipeline}`);
        return EXIT.ok;
      }
      writeOut(formatRecordsTable(rows));
      writeOut(`\n${rows.length < total ? `${rows.length} of ${total} ${what} shown (--limit N for more)` : `${total} ${what}`}`);
      if (state === 'FAILED') writeOut(`retry them with: ordersync retry ${[...new Set(rows.map((r) => r.order))].slice(0, 5).join(' ')}${rows.length > 5 ? ' …' : ''}`);
      return EXIT.ok;
    } finally {
      await source.close();
      await database.close();
    }
  },
};
