/**
 * What the wave-2 reads cost on the bench scenario, from the emulator's request log: the first
 * sync's requests by kind, then an update run (a share of orders changed upstream, some of them
 * edited by a person on monday too) with write-back configured, then a no-op rerun with write-back.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Database } from '../src/db/open-database.ts';
import type { RequestLogEntry } from '../src/emulator/index.ts';
import { createMondayClient } from '../src/monday/create-monday-client.ts';
import { silentLogger } from '../src/pipeline/logger.ts';
import { runPipeline } from '../src/pipeline/run-pipeline.ts';
import { reconcilePipeline } from '../src/reconcile/reconcile-pipeline.ts';
import { postAsPerson } from '../test/emulator/post-graphql.ts';
import type { BenchEmulator } from './emulator.ts';
import { loadNow, round } from './measure.ts';
import { benchConfig } from './ordersync.ts';
import { classifyRequest, costByKind, REQUEST_KINDS, WAVE_TWO_KINDS, type KindCost, type RequestKind } from './read-kinds.ts';
import { markAllPending } from './scenario.ts';

/** The person's token the bench starts its emulator with (the emulator's `userToken`). */
export const PERSON_TOKEN = 'bench-person-token';
/** Every UPDATE_EVERY-th order changes upstream in the update run (10 %). */
const UPDATE_EVERY = 10;
/** Every EDIT_EVERY-th order is also edited by a person on monday (PO Number, both sides: a conflict). */
const EDIT_EVERY = 20;
const PO_NUMBER_COLUMN = 'text_mkr5q6n2';
const CHANGE = 'mutation ($b: ID!, $i: ID!, $v: JSON!) { change_multiple_column_values(board_id: $b, item_id: $i, column_values: $v) { id } }';

/** One measured run, its requests by kind. */
export interface KindedRun {
  requests: number;
  complexity: number;
  mutations: number;
  wallMs: number;
  byKind: Record<RequestKind, KindCost>;
}

/** Requests and complexity per 1,000 of some records. */
export interface PerThousand {
  basis: number;
  requests: number;
  complexity: number;
}

/** The wave-2 section of the bench. */
export interface WaveTwoMeasurement {
  /** The bench's first sync: every record created. */
  firstSync: KindedRun & { records: number; adoptPerThousandCreated: PerThousand };
  /** A share of orders changed upstream, some edited by a person too; write-back configured. */
  update: KindedRun & {
    changedOrders: number; personEdits: number; updated: number; conflicts: number;
    conflictPerThousandUpdated: PerThousand; writeBackPerThousandRead: PerThousand;
    /** Ids per conflict read on average (at most 100; one read per customer's page and board). */
    idsPerConflictRead: number;
  };
  /** Everything PENDING again unchanged, write-back configured: mutations must stay 0. */
  noOpRerun: KindedRun;
  /** `ordersync reconcile` on the synced boards (pageSize 100), not a sync read: per 1,000 records. */
  reconcile: KindedRun & { perThousandRecords: PerThousand };
  /** Wave-2 reads of the first sync and the update run ÷ all the complexity they spent. */
  total: { waveTwoRequests: number; waveTwoComplexity: number; complexity: number; percent: number };
  loadAverage: { start: number; end: number };
}

/** Figures of one run's log entries. */
export function kindedRun(entries: readonly RequestLogEntry[], wallMs: number): KindedRun {
  return {
    requests: entries.length, complexity: sum(entries, (e) => e.complexity), mutations: sum(entries, (e) => e.mutations), wallMs, byKind: costByKind(entries),
  };
}

/** Requests and complexity of `kinds` per 1,000 of `basis` records. */
export function perThousand(run: KindedRun, kinds: readonly RequestKind[], basis: number): PerThousand {
  const requests = sum(kinds, (k) => run.byKind[k].requests);
  const complexity = sum(kinds, (k) => run.byKind[k].complexity);
  return { basis, requests: basis > 0 ? round((requests * 1000) / basis, 1) : 0, complexity: basis > 0 ? Math.round((complexity * 1000) / basis) : 0 };
}

/** Wave-2 reads' share of the complexity a set of runs spent. */
export function waveTwoShare(runs: readonly KindedRun[]): WaveTwoMeasurement['total'] {
  const waveTwoRequests = sum(runs, (r) => sum(WAVE_TWO_KINDS, (k) => r.byKind[k].requests));
  const waveTwoComplexity = sum(runs, (r) => sum(WAVE_TWO_KINDS, (k) => r.byKind[k].complexity));
  const complexity = sum(runs, (r) => r.complexity);
  return { waveTwoRequests, waveTwoComplexity, complexity, percent: complexity > 0 ? round((waveTwoComplexity / complexity) * 100, 2) : 0 };
}

/** Measures the wave-2 runs on a database and emulator the first sync (`firstSyncEntries`) has just synced. */
export async function measureWaveTwo(input: {
  database: Database;
  databaseUrl: string;
  emulator: BenchEmulator;
  customers: string[];
  firstSyncEntries: RequestLogEntry[];
  firstSyncWallMs: number;
  records: number;
  log: (line: string) => void;
}): Promise<WaveTwoMeasurement> {
  const { database, emulator, log } = input;
  const db = database.db;
  const start = loadNow();
  const reportsDir = await mkdtemp(join(tmpdir(), 'ordersync-bench-wave-two-'));
  try {
    const config = await benchConfig(input.databaseUrl, emulator, input.customers, reportsDir);
    const monday = createMondayClient({ url: emulator.url, token: emulator.token, apiVersion: config.monday.apiVersion });
    const measured = async (label: string): Promise<{ run: KindedRun; entries: RequestLogEntry[]; result: Awaited<ReturnType<typeof runPipeline>> }> => {
      const before = (await emulator.requests()).length;
      const from = Date.now();
      const result = await runPipeline({ config, database, monday, target: emulator.url, logger: silentLogger });
      const entries = (await emulator.requests()).slice(before);
      const run = kindedRun(entries, Date.now() - from);
      log(`  ${label}: ${(run.wallMs / 1000).toFixed(1)} s, ${run.requests} requests, ${run.mutations} mutations`);
      return { run, entries, result };
    };

    const firstSync = kindedRun(input.firstSyncEntries, input.firstSyncWallMs);

    // Upstream: every 10th order PENDING again with a changed quantity (and its lines); every 20th
    // also gets a new PO Number upstream while a person edits the same column on monday.
    const chosen = sql`(select order_number from (select order_number, row_number() over (order by order_number) as n from order_list) as o where n % ${UPDATE_EVERY} = 0)`;
    const edited = sql`(select order_number from (select order_number, row_number() over (order by order_number) as n from order_list) as o where n % ${EDIT_EVERY} = 0)`;
    const people = await sql<{ id: string }>`select monday_item_id as id from order_list where order_number in ${edited} and monday_item_id is not null`.execute(db);
    const boardOf = new Map((await emulator.state()).items.map((i) => [i.id, i.board_id]));
    for (const { id } of people.rows) {
      const edit = await postAsPerson({ url: emulator.url, userToken: PERSON_TOKEN }, CHANGE, { b: boardOf.get(id), i: id, v: JSON.stringify({ [PO_NUMBER_COLUMN]: `PO ${id} by hand` }) });
      if (edit.status !== 200 || edit.body?.errors) throw new Error(`bench: a person's edit failed: ${edit.status} ${JSON.stringify(edit.body?.errors ?? edit.body)}`);
    }
    const changed = await sql`update order_list set total_quantity = (total_quantity::int + 1)::text, sync_state = 'PENDING' where order_number in ${chosen}`.execute(db);
    await sql`update order_list set po_number = coalesce(po_number, '') || ' (ERP)' where order_number in ${edited}`.execute(db);
    await sql`update order_list_lines set quantity = (quantity::int + 1)::text, sync_state = 'PENDING' where order_number in ${chosen}`.execute(db);

    // Write-back configured from here on: the board's Status back into order_list.monday_status.
    config.writeBack = { items: { columns: { status: 'monday_status' }, updatedAt: 'monday_updated_at' }, pageSize: 100, overlapSeconds: 60 };
    const { run: update, entries: updateEntries, result } = await measured('update run with write-back');
    const conflictReads = updateEntries.filter((e) => classifyRequest(e) === 'conflict');
    const idsRead = sum(conflictReads, (e) => (Array.isArray(e.variables.ids) ? e.variables.ids.length : 0));
    const itemsRead = sum((await emulator.state()).items, (i) => (i.state === 'active' && i.parent_item_id === null ? 1 : 0));
    const updated = result.summary.totals.updated;

    await markAllPending(database);
    const { run: noOpRerun } = await measured('no-op rerun with write-back');

    const beforeReconcile = (await emulator.requests()).length;
    const reconcileFrom = Date.now();
    await reconcilePipeline({ config, database, monday, pageSize: 100 });
    const reconcile = kindedRun((await emulator.requests()).slice(beforeReconcile), Date.now() - reconcileFrom);
    log(`  reconcile: ${(reconcile.wallMs / 1000).toFixed(1)} s, ${reconcile.requests} requests`);

    return {
      firstSync: { ...firstSync, records: input.records, adoptPerThousandCreated: perThousand(firstSync, ['adopt'], input.records) },
      update: {
        ...update, changedOrders: Number(changed.numAffectedRows ?? 0), personEdits: people.rows.length, updated, conflicts: result.summary.conflicts?.count ?? 0,
        conflictPerThousandUpdated: perThousand(update, ['conflict'], updated),
        idsPerConflictRead: conflictReads.length > 0 ? round(idsRead / conflictReads.length, 1) : 0,
        // monday's `__last_updated__` rule compares by day: the read takes every item changed today.
        writeBackPerThousandRead: perThousand(update, ['write-back', 'column-settings'], itemsRead),
      },
      noOpRerun,
      reconcile: { ...reconcile, perThousandRecords: perThousand(reconcile, REQUEST_KINDS, input.records) },
      // The runs that sync something; the no-op rerun spends only reads, shown on its own.
      total: waveTwoShare([firstSync, update]),
      loadAverage: { start, end: loadNow() },
    };
  } finally {
    await rm(reportsDir, { recursive: true, force: true });
  }
}

function sum<T>(items: readonly T[], f: (item: T) => number): number {
  return items.reduce((n, item) => n + f(item), 0);
}
