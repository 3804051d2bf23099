/**
 * Conflicts (a column a person changed on monday while the source changed it too) are rows of the
 * api log with the operation `conflict`: what each side held and what the policy did. `ordersync
 * records --conflicts` and the summary read them from there.
 */
import { sql, type Kysely } from 'kysely';
import type { ApiLogEntry } from '../db/api-log.ts';
import type { EngineTables } from '../db/tables.ts';
import type { ConflictPolicy, EntityKind, EntityOutcome } from './contract/index.ts';

/** The api-log operation of a conflict row. */
export const CONFLICT_OPERATION = 'conflict';

/** One recorded conflict, as listed and reported. */
export interface ConflictRecord {
  runId: string;
  entity: EntityKind;
  /** The record (order or line) and the order it belongs to. */
  key: string;
  order: string;
  customer: string | null;
  /** monday column id (or `name`) and its source column. */
  column: string;
  field: string | null;
  ours: string;
  theirs: string;
  policy: ConflictPolicy;
  /** When it was recorded (ISO), when read back from the log. */
  at?: string;
}

/** What a conflict row's `request` holds. */
type ConflictPayload = Omit<ConflictRecord, 'runId' | 'entity' | 'key' | 'customer' | 'at'>;

/** The api-log rows of the outcomes' conflicts. */
export function conflictEntries(runId: string, outcomes: readonly EntityOutcome[], attemptOf: (o: EntityOutcome) => string): ApiLogEntry[] {
  return outcomes.flatMap((o) => (o.conflicts ?? []).map((c): ApiLogEntry => {
    const payload: ConflictPayload = { order: o.order, column: c.column, field: c.field, ours: c.ours, theirs: c.theirs, policy: c.policy };
    const done = c.policy === 'overwrite' ? 'overwritten with ours' : c.policy === 'keep-monday' ? "monday's value kept as the new baseline" : "not overwritten (the person's value stays)";
    return {
      runId, attemptId: attemptOf(o), entity: o.entity, recordKey: o.key, customer: o.customer, operation: CONFLICT_OPERATION, outcome: o.state,
      error: `conflict on ${c.field ?? c.column}: ours ${JSON.stringify(c.ours)}, monday ${JSON.stringify(c.theirs)} — ${done}`,
      request: payload, response: null,
    };
  }));
}

/** What to list. */
export interface ConflictFilter {
  customers?: string[];
  orders?: string[];
  runId?: string;
  limit: number;
}

const isPayload = (value: unknown): value is ConflictPayload => value !== null && typeof value === 'object' && 'column' in value && 'ours' in value;

/** Recorded conflicts, newest first, and how many match in all. */
export async function listConflicts(db: Kysely<EngineTables>, filter: ConflictFilter): Promise<{ rows: ConflictRecord[]; total: number }> {
  let q = db.selectFrom('ordersync_api_log').where('operation', '=', CONFLICT_OPERATION);
  if (filter.customers?.length) q = q.where('customer', 'in', filter.customers);
  if (filter.runId) q = q.where('run_id', '=', filter.runId);
  if (filter.orders?.length) {
    const orders = filter.orders;
    q = q.where((eb) => eb.or([eb('record_key', 'in', orders), eb(sql<string>`request->>'order'`, 'in', orders)]));
  }
  const counted = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  const rows = await q.select(['run_id', 'entity', 'record_key', 'customer', 'request', 'created_at']).orderBy('id', 'desc').limit(filter.limit).execute();
  return {
    total: Number(counted?.n ?? 0),
    rows: rows.flatMap((r) => (isPayload(r.request)
      ? [{ runId: r.run_id, entity: r.entity === 'subitem' ? 'subitem' : 'item', key: r.record_key, customer: r.customer, at: new Date(r.created_at).toISOString(), ...r.request }]
      : [])),
  };
}
