/**
 * Change detection: a fingerprint per entity (hash of what would be sent), compared with what
 * monday last confirmed, so unchanged records cost no API call and changed ones send only the
 * columns that changed.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { EngineTables } from '../db/tables.ts';
import type { EntityOutcome, PlannedEntity, PlannedRecord, PreviousState, RemovedLine } from './plugin.ts';

/** JSON with object keys sorted, so equal values hash equally. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The values an entity puts on monday: its name and its columns. */
export function entityValues(entity: PlannedEntity): Record<string, unknown> {
  return { name: entity.name, ...entity.columns };
}

/** Hash of an entity's values (and its group, for items). */
export function fingerprintOf(values: Record<string, unknown>, groupTitle: string | null = null): string {
  return createHash('sha256').update(stableJson({ values, group: groupTitle })).digest('hex').slice(0, 32);
}

/** Sets `fingerprint` and `previous` on every entity of the planned records. */
export async function attachPreviousState(db: Kysely<EngineTables>, records: PlannedRecord[]): Promise<void> {
  const entities = records.flatMap((r) => [
    ...(r.item ? [{ entity: r.item, group: r.groupTitle }] : []),
    ...r.subitems.map((s) => ({ entity: s, group: null })),
  ]);
  if (entities.length === 0) return;
  for (const { entity, group } of entities) entity.fingerprint = fingerprintOf(entityValues(entity), group);
  const keysOf = (kind: string): string[] => [...new Set(entities.filter((e) => e.entity.entity === kind).map((e) => e.entity.key))];
  const rows = [];
  for (const kind of ['item', 'subitem']) {
    const keys = keysOf(kind);
    if (keys.length > 0) rows.push(...(await db.selectFrom('ordersync_record_state').selectAll().where('entity', '=', kind).where('record_key', 'in', keys).execute()));
  }
  const byKey = new Map(rows.map((r) => [`${r.entity}:${r.record_key}`, r]));
  for (const { entity } of entities) {
    const row = byKey.get(`${entity.entity}:${entity.key}`);
    entity.previous = row
      ? { fingerprint: row.fingerprint, values: (row.values as Record<string, unknown> | null) ?? null, mondayId: row.monday_id, groupId: row.group_id, failedFingerprint: row.failed_fingerprint } satisfies PreviousState
      : null;
  }
}

/** Remembers what monday confirmed (SYNCED) or what failed for good (FAILED), per entity. */
export async function saveRecordStates(db: Kysely<EngineTables>, board: (customer: string) => string, outcomes: EntityOutcome[]): Promise<void> {
  const rows = outcomes.filter((o) => o.fingerprint && (o.state === 'SYNCED' || (o.state === 'FAILED' && o.request !== null)) && o.action !== 'unchanged');
  for (const o of rows) {
    const synced = o.state === 'SYNCED';
    const removed = o.action === 'archive' || o.action === 'delete';
    if (removed) {
      await db.deleteFrom('ordersync_record_state').where('entity', '=', o.entity).where('record_key', '=', o.key).execute();
      continue;
    }
    const base = { entity: o.entity, record_key: o.key, parent_key: o.entity === 'subitem' ? o.order : null, board_id: board(o.customer) };
    const update = synced
      ? { monday_id: o.mondayId, group_id: o.groupId, fingerprint: o.fingerprint!, values: o.values ?? null, failed_fingerprint: null, synced_at: new Date(), updated_at: new Date() }
      : { failed_fingerprint: o.fingerprint!, updated_at: new Date() };
    await db.insertInto('ordersync_record_state')
      .values({ ...base, ...(synced ? update : { monday_id: o.mondayId, failed_fingerprint: o.fingerprint! }) })
      .onConflict((oc) => oc.columns(['entity', 'record_key']).doUpdateSet(update))
      .execute();
  }
}

/** Subitems synced earlier for these orders whose lines no longer exist upstream. */
export async function findRemovedLines(db: Kysely<EngineTables>, records: PlannedRecord[]): Promise<RemovedLine[]> {
  const current = new Set(records.flatMap((r) => r.source.lineKeys));
  const orders = records.map((r) => r.source.key);
  if (orders.length === 0) return [];
  const rows = await db.selectFrom('ordersync_record_state').select(['record_key', 'parent_key', 'monday_id'])
    .where('entity', '=', 'subitem').where('parent_key', 'in', orders).where('monday_id', 'is not', null).execute();
  return rows.filter((r) => !current.has(r.record_key)).map((r) => ({ key: r.record_key, order: r.parent_key!, mondayId: r.monday_id! }));
}
