/** The reading side of postgres-pending: pages of PENDING headers with their lines, the counts and reads preflight and `records` use. */
import { sql, type RawBuilder } from 'kysely';
import type { Extractor, PluginContext, Row, SourceRecord, StageScope, SyncState } from '../../src/pipeline/index.ts';
import { createBoardValues } from './board-values.ts';
import { createWriteBack } from './pending-write-back.ts';
import type { PostgresPendingOptions } from './postgres-pending.ts';
import { tableRefs } from './table-refs.ts';
import { listInventory } from './source-inventory.ts';
import { listRecords } from './source-records.ts';

/** A page as read: its records, the last key (where the next page starts) and whether it was full (more may follow). */
interface Page {
  records: SourceRecord[];
  last: string | null;
  full: boolean;
}

// Name of the computed "send this line" column; taken off the row before anything sees it.
const SEND_FLAG = 'ordersync_send_line__';

const toState = (value: unknown): SyncState => (value === 'SYNCED' || value === 'FAILED' ? value : 'PENDING');

const text = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

/** The sync columns every header and line row carries, read by this plugin itself. */
const HEADER_SYNC_COLUMNS = ['sync_state', 'monday_item_id', 'group_id', 'retry_count', 'attempt_id', 'action_type', 'sync_error_message'];
const LINE_SYNC_COLUMNS = ['sync_state', 'monday_subitem_id', 'retry_count', 'attempt_id', 'sync_error_message'];

/**
 * The columns a page reads: the ones the other stages read plus this plugin's own, or every column
 * (`h.*`) when some stage did not say what it reads.
 */
export function selectedColumns(o: PostgresPendingOptions, scope: StageScope | undefined): { headers: string[]; lines: string[] } | null {
  if (!scope?.reads) return null;
  return {
    headers: [...new Set([o.key, o.customer, ...HEADER_SYNC_COLUMNS, ...scope.reads.headers])],
    lines: [...new Set([o.lineKey, o.lineParent, ...LINE_SYNC_COLUMNS, ...scope.reads.lines])],
  };
}

export function createSource(o: PostgresPendingOptions, ctx: PluginContext, scope: StageScope | undefined): Extractor {
  const { db } = ctx;
  const columns = selectedColumns(o, scope);
  // Source fields come from config (any text): quoted one by one as identifiers, never split at a dot.
  const list = (alias: 'h' | 'l', names: string[] | undefined): RawBuilder<unknown> => (names
    ? sql.join(names.map((name) => sql.id(alias, name)))
    : sql.raw(`${alias}.*`));
  const headerColumns = list('h', columns?.headers);
  const lineColumns = list('l', columns?.lines);
  const { H, L, hk, hc, lk, lp } = tableRefs(o);
  // Rows that failed transiently wait retryBackoffSeconds × 2^(n-1) before their next attempt.
  const due = (alias: 'h' | 'l'): RawBuilder<unknown> => o.retryBackoffSeconds > 0
    ? sql`(${sql.ref(`${alias}.retry_count`)} = 0 or ${sql.ref(`${alias}.sync_attempted_at`)} is null
        or ${sql.ref(`${alias}.sync_attempted_at`)} + make_interval(secs => ${o.retryBackoffSeconds}::float8 * power(2, ${sql.ref(`${alias}.retry_count`)} - 1)) <= now())`
    : sql`true`;
  // A header is pending itself, or is SYNCED with lines still pending (a subitem that failed transiently).
  const pendingWhere = (customer: string): RawBuilder<unknown> => o.mode === 'changes'
    ? sql`${hc} = ${customer}`
    : sql`${hc} = ${customer} and ((h.sync_state = 'PENDING' and ${due('h')})
    or (h.sync_state = 'SYNCED' and exists (select 1 from ${L} as l where ${lp} = ${hk} and l.sync_state = 'PENDING' and ${due('l')})))`;
  // Lines to send: pending ones; for a pending header also failed ones (the order changed, try them again).
  // The header states come from the page just read, so the lines need no join with the headers.
  const lineWhere = (pendingHeaders: string[]): RawBuilder<unknown> => o.mode === 'changes'
    ? sql`true`
    : sql`((l.sync_state = 'PENDING' and ${due('l')}) or (l.sync_state = 'FAILED' and ${lp} = any(${pendingHeaders})))`;
  // A page of headers in key order. In pending mode each state is its own index-ordered range scan
  // (order_list_pending: customer, state, key), so a page costs its own size, not the rest of the table.
  const pageQuery = (customer: string, keyset: RawBuilder<unknown>, size: number): RawBuilder<Row> => o.mode === 'changes'
    ? sql<Row>`select ${headerColumns} from ${H} as h where ${pendingWhere(customer)} and ${keyset} order by ${hk} limit ${size}`
    : sql<Row>`select * from (
        (select ${headerColumns} from ${H} as h where ${hc} = ${customer} and h.sync_state = 'PENDING' and ${due('h')} and ${keyset}
          order by ${hk} limit ${size})
        union all
        (select ${headerColumns} from ${H} as h where ${hc} = ${customer} and h.sync_state = 'SYNCED' and ${keyset}
          and exists (select 1 from ${L} as l where ${lp} = ${hk} and l.sync_state = 'PENDING' and ${due('l')})
          order by ${hk} limit ${size})
      ) as h order by ${hk} limit ${size}`;

  // In changes mode every row is a candidate: the fingerprints decide what is sent.
  const stateOf = (value: unknown): SyncState => (o.mode === 'changes' ? 'PENDING' : toState(value));
  const toRecord = (row: Row, customer: string, lines: Row[], lineKeys: string[]): SourceRecord => ({
    key: String(row[o.key]),
    customer,
    fields: row,
    state: stateOf(row.sync_state),
    mondayId: text(row.monday_item_id),
    groupId: text(row.group_id),
    retryCount: Number(row.retry_count ?? 0),
    attemptId: row.sync_state === 'PENDING' && row.monday_item_id == null ? text(row.attempt_id) : null,
    action: text(row.action_type),
    lastError: text(row.sync_error_message),
    lineKeys,
    lines: lines.map((line) => ({
      key: String(line[o.lineKey]),
      fields: line,
      state: stateOf(line.sync_state),
      mondayId: text(line.monday_subitem_id),
      retryCount: Number(line.retry_count ?? 0),
      attemptId: line.sync_state === 'PENDING' && line.monday_subitem_id == null ? text(line.attempt_id) : null,
      lastError: text(line.sync_error_message),
    })),
  });

  /** One page of headers after `after` (key order) with their lines: all their line keys, and the lines to send. */
  const readPage = async (customer: string, after: string | null, size: number): Promise<Page> => {
    const keyset: RawBuilder<unknown> = after === null ? sql`true` : sql`${hk} > ${after}`;
    const headers: { rows: Row[] } = await pageQuery(customer, keyset, size).execute(db);
    if (headers.rows.length === 0) return { records: [], last: null, full: false };
    const keys: string[] = [];
    const pendingHeaders: string[] = [];
    for (const row of headers.rows) {
      const key = String(row[o.key]);
      keys.push(key);
      if (row.sync_state === 'PENDING') pendingHeaders.push(key);
    }
    // Every line of the page's orders in one read: all their keys (to notice removed lines) and a flag for those to send.
    const lines = await sql<Row>`select ${lineColumns}, ${lineWhere(pendingHeaders)} as ${sql.ref(SEND_FLAG)} from ${L} as l
      where ${lp} = any(${keys})
      order by ${lp}, ${sql.ref(`l.${o.lineOrder}`)}, ${lk}`.execute(db);
    const byParent = new Map<string, { send: Row[]; keys: string[] }>();
    // Lines come ordered by their order: the map is consulted once per order, not once per line.
    let parent: string | null = null;
    let of: { send: Row[]; keys: string[] } | undefined;
    for (const line of lines.rows) {
      const send = line[SEND_FLAG];
      // The flag is the row's last column: deleting the last-added property keeps the row a fast object.
      delete line[SEND_FLAG];
      const lineParent = String(line[o.lineParent]);
      if (lineParent !== parent || !of) {
        parent = lineParent;
        of = byParent.get(parent);
        if (!of) byParent.set(parent, (of = { send: [], keys: [] }));
      }
      of.keys.push(String(line[o.lineKey]));
      if (send === true) of.send.push(line);
    }
    const records = headers.rows.map((row, i) => {
      const of = byParent.get(keys[i]!);
      return toRecord(row, customer, of?.send ?? [], of?.keys ?? []);
    });
    return { records, last: keys.at(-1) ?? null, full: headers.rows.length === size };
  };

  const reader = {
    async count(customer: string): Promise<number> {
      const r = await sql<{ n: number }>`select count(*)::int as n from ${H} as h where ${pendingWhere(customer)}`.execute(db);
      return Number(r.rows[0]?.n ?? 0);
    },
    async *pages(customer: string, { limit }: { limit?: number }): AsyncGenerator<SourceRecord[]> {
      // Page by page, each read after the one before was planned (and, in a run, written back):
      // reading ahead kept two pages alive and cost more in garbage collection than it saved in waiting.
      let after: string | null = null;
      let left = limit ?? Number.POSITIVE_INFINITY;
      while (left > 0 && !ctx.signal.aborted) {
        const size = Math.min(o.pageSize, left);
        const page = await readPage(customer, after, size);
        if (page.records.length === 0) return;
        yield page.records;
        after = page.last;
        left -= page.records.length;
        if (!page.full) return;
      }
    },
  };

  const boardValues = createBoardValues(o, ctx);
  const writeBack = { ...createWriteBack(o, ctx), applyBoardValues: boardValues.applyBoardValues };

  // Pending as `count` sees it, for all the given customers at once (preflight only: an approximation is fine).
  const pendingHeader = o.mode === 'changes' ? sql`true` : sql`h.sync_state = 'PENDING'`;
  const preflightReads = {
    async pendingValues(part: 'headers' | 'lines', field: string, customers: string[]): Promise<{ customer: string; value: string; count: number }[]> {
      type ValueRow = { customer: string; value: string; n: number };
      const r = part === 'headers'
        ? await sql<ValueRow>`select ${hc}::text as customer, ${sql.id('h', field)}::text as value, count(*)::int as n from ${H} as h
            where ${hc} = any(${customers}) and ${pendingHeader} and ${sql.id('h', field)} is not null group by 1, 2 order by 3 desc limit 5000`.execute(db)
        : await sql<ValueRow>`select ${hc}::text as customer, ${sql.id('l', field)}::text as value, count(*)::int as n from ${L} as l join ${H} as h on ${lp} = ${hk}
            where ${hc} = any(${customers}) and (${pendingHeader} or l.sync_state = 'PENDING') and ${sql.id('l', field)} is not null group by 1, 2 order by 3 desc limit 5000`.execute(db);
      return r.rows.map((row) => ({ customer: row.customer, value: row.value, count: Number(row.n) }));
    },
    async pendingCustomers(): Promise<{ customer: string; count: number }[]> {
      const r = await sql<{ customer: string; n: number }>`select ${hc}::text as customer, count(*)::int as n from ${H} as h where ${pendingHeader} group by 1 order by 1`.execute(db);
      return r.rows.map((row) => ({ customer: row.customer, count: Number(row.n) }));
    },
  };

  /** PENDING lines under FAILED orders: never extracted (their order is not pending), counted so they are never "nothing". */
  const blocked = async (customer: string): Promise<{ order: string; reason: string | null; lines: number }[]> => {
    const r = await sql<{ order_key: string; reason: string | null; n: number }>`select ${hk}::text as order_key, h.sync_error_message as reason, count(*)::int as n
      from ${L} as l join ${H} as h on ${lp} = ${hk}
      where ${hc} = ${customer} and h.sync_state = 'FAILED' and l.sync_state = 'PENDING' group by 1, 2 order by 1 limit 1000`.execute(db);
    return r.rows.map((row) => ({ order: row.order_key, reason: row.reason, lines: Number(row.n) }));
  };

  return {
    ...reader, ...preflightReads, blocked, records: (filter) => listRecords(db, o, filter),
    columnTypes: boardValues.columnTypes, inventory: (customers) => listInventory(o, ctx, customers), writeBack, close: async () => {},
  };
}
