/**
 * Change detection: a fingerprint per entity (hash of what would be sent), compared with what
 * monday last confirmed, so unchanged records cost no API call and changed ones send only the
 * columns that changed.
 */
import * as crypto from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { EngineTables } from '../db/tables.ts';
import { entityValues, type EntityKind, type EntityOutcome, type PlannedEntity, type PlannedRecord, type PreviousState, type RemovedLine } from './contract/index.ts';

/** An object shape seen before: its keys as the object lists them, sorted, each with its JSON prefix (`,"key":`). */
interface Shape {
  keys: string[];
  sorted: string[];
  prefixes: string[];
}

// Entities of one pipeline share a handful of shapes (item columns, subitem columns, a status
// value…): sorting their keys once per shape instead of once per object halves the cost of
// fingerprinting, which runs for every entity of every page.
const shapes: Shape[] = [];
const MAX_SHAPES = 32;

/** Whether the object's own keys, in order, are `keys` (walked without building a key array). */
function hasKeys(value: object, keys: string[]): boolean {
  let i = 0;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) return false;
    if (keys[i++] !== key) return false;
  }
  return i === keys.length;
}

function shapeFromKeys(keys: string[]): Shape {
  const sorted = [...keys].sort();
  return { keys, sorted, prefixes: sorted.map((key, i) => `${i > 0 ? ',' : ''}${JSON.stringify(key)}:`) };
}

function shapeOf(value: object): Shape {
  for (const shape of shapes) if (hasKeys(value, shape.keys)) return shape;
  const shape = shapeFromKeys(Object.keys(value));
  if (shapes.length >= MAX_SHAPES) shapes.shift();
  shapes.push(shape);
  return shape;
}

/** JSON with object keys sorted, so equal values hash equally. */
function stableJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      // As map + join did: a hole, or a part JSON cannot express (a function), adds nothing.
      out += `${i > 0 ? ',' : ''}${i in value ? stableJson(value[i]) ?? '' : ''}`;
    }
    return `${out}]`;
  }
  const { sorted, prefixes } = shapeOf(value);
  let out = '{';
  for (let i = 0; i < sorted.length; i++) out += `${prefixes[i]}${stableJson((value as Record<string, unknown>)[sorted[i]!])}`;
  return `${out}}`;
}

// One-shot hashing (Node ≥ 20.12, Deno) is several times cheaper per call than a Hash object; same digest.
const sha256Hex: (text: string) => string = typeof crypto.hash === 'function'
  ? (text) => crypto.hash('sha256', text, 'hex')
  : (text) => crypto.createHash('sha256').update(text).digest('hex');

/** The hash of `{"group":…,"values":…}` (stableJson of both spelled out: its keys sorted are group, values). */
const hashed = (group: string | null, valuesJson: string): string => sha256Hex(`{"group":${stableJson(group)},"values":${valuesJson}}`).slice(0, 32);

/** Hash of an entity's values (and its group, for items). */
export function fingerprintOf(values: Record<string, unknown>, groupTitle: string | null = null): string {
  return hashed(groupTitle, stableJson(values));
}

// The shape of `{ name, ...columns }` for each shape of columns, so an entity is hashed without copying it.
const withName = new WeakMap<Shape, Shape>();

/** `fingerprintOf(entityValues(entity), groupTitle)`, without building the merged object. */
export function fingerprintOfEntity(entity: Pick<PlannedEntity, 'name' | 'columns'>, groupTitle: string | null = null): string {
  const { columns } = entity;
  if (Object.hasOwn(columns, 'name')) return fingerprintOf(entityValues(entity), groupTitle);
  const inner = shapeOf(columns);
  let shape = withName.get(inner);
  if (!shape) {
    shape = shapeFromKeys(['name', ...inner.keys]);
    withName.set(inner, shape);
  }
  const { sorted, prefixes } = shape;
  let out = '{';
  for (let i = 0; i < sorted.length; i++) {
    const key = sorted[i]!;
    out += `${prefixes[i]}${stableJson(key === 'name' ? entity.name : columns[key])}`;
  }
  return hashed(groupTitle, `${out}}`);
}

/** What `withPreviousState` may leave out in a dry run. */
export interface PreviousStateOptions {
  /** A dry run fingerprints only the entities with a previous state (the only ones its plan compares). */
  dryRun: boolean;
  /** False when the engine remembers no entity at all (`hasRecordStates`): nothing to look up. Default true. */
  remembered?: boolean;
}

/** Whether any entity state is remembered (one cheap read; a dry run asks once per customer). */
export async function hasRecordStates(db: Kysely<EngineTables>): Promise<boolean> {
  const row = await db.selectFrom('ordersync_record_state').select('record_key').limit(1).executeTakeFirst();
  return row !== undefined;
}

/**
 * The planned records with `previous` and `fingerprint` set on every entity that needs them (new
 * objects; the input is left as it is). A run fingerprints every entity (its outcome remembers it);
 * a dry run only those with a previous state, and returns the others as they are.
 */
export async function withPreviousState(db: Kysely<EngineTables>, records: readonly PlannedRecord[], options: PreviousStateOptions = { dryRun: false }): Promise<PlannedRecord[]> {
  // Plain loops over the page (no per-entity wrappers): this runs for every entity of every run.
  const items: string[] = [];
  const subitems: string[] = [];
  for (const r of records) {
    if (r.item) items.push(r.item.key);
    for (const s of r.subitems) subitems.push(s.key);
  }
  const kinds = options.remembered === false ? [] : [{ kind: 'item' as const, keys: items }, { kind: 'subitem' as const, keys: subitems }].filter((k) => k.keys.length > 0);
  // One read for the page; each kind's keys as one array parameter (not one parameter per key).
  const rows = kinds.length === 0 ? [] : await db.selectFrom('ordersync_record_state').selectAll()
    .where((eb) => eb.or(kinds.map(({ kind, keys }) => eb.and([eb('entity', '=', kind), eb('record_key', '=', sql<string>`any(${keys})`)]))))
    .execute();
  const byKey = new Map(rows.map((r) => [`${r.entity}:${r.record_key}`, r]));
  const annotate = (entity: PlannedEntity, groupTitle: string | null): PlannedEntity => {
    const row = byKey.size > 0 ? byKey.get(`${entity.entity}:${entity.key}`) : undefined;
    if (!row) return options.dryRun ? entity : { ...entity, fingerprint: fingerprintOfEntity(entity, groupTitle), previous: null };
    const previous: PreviousState = { fingerprint: row.fingerprint, values: (row.values as Record<string, unknown> | null) ?? null, mondayId: row.monday_id, groupId: row.group_id, failedFingerprint: row.failed_fingerprint };
    return { ...entity, fingerprint: fingerprintOfEntity(entity, groupTitle), previous };
  };
  // A dry run with nothing remembered adds nothing: the page goes on as it is.
  if (options.dryRun && byKey.size === 0) return [...records];
  return records.map((r) => ({ ...r, item: r.item && annotate(r.item, r.groupTitle), subitems: r.subitems.map((s) => annotate(s, null)) }));
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

/** The record whose remembered monday id this is, if any. */
export async function findOwner(db: Kysely<EngineTables>, entity: EntityKind, mondayId: string): Promise<string | null> {
  const row = await db.selectFrom('ordersync_record_state').select('record_key').where('entity', '=', entity).where('monday_id', '=', mondayId).limit(1).executeTakeFirst();
  return row?.record_key ?? null;
}

/** Forgets the last permanent failure of these orders and their lines, so the next run sends them even if unchanged (`ordersync retry`). */
export async function forgetFailures(db: Kysely<EngineTables>, orders: string[]): Promise<void> {
  if (orders.length === 0) return;
  await db.updateTable('ordersync_record_state').set({ failed_fingerprint: null, updated_at: new Date() })
    .where((eb) => eb.or([eb.and([eb('entity', '=', 'item'), eb('record_key', 'in', orders)]), eb.and([eb('entity', '=', 'subitem'), eb('parent_key', 'in', orders)])]))
    .where('failed_fingerprint', 'is not', null)
    .execute();
}
