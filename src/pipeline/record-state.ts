/**
 * Change detection: a fingerprint per entity (hash of what would be sent), compared with what
 * monday last confirmed, so unchanged records cost no API call and changed ones send only the
 * columns that changed.
 */
import * as crypto from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { EngineTables, RecordStateTable } from '../db/tables.ts';
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
    const previous: PreviousState = {
      fingerprint: row.fingerprint, values: (row.values as Record<string, unknown> | null) ?? null, mondayId: row.monday_id, groupId: row.group_id,
      failedFingerprint: row.failed_fingerprint, mondayValues: (row.monday_values as Record<string, string> | null) ?? null,
    };
    return { ...entity, fingerprint: fingerprintOfEntity(entity, groupTitle), previous };
  };
  // A dry run with nothing remembered adds nothing: the page goes on as it is.
  if (options.dryRun && byKey.size === 0) return [...records];
  return records.map((r) => ({ ...r, item: r.item && annotate(r.item, r.groupTitle), subitems: r.subitems.map((s) => annotate(s, null)) }));
}

/** Remembers what monday confirmed (SYNCED) or what failed for good (FAILED), per entity: one upsert (and one delete) per batch. */
export async function saveRecordStates(db: Kysely<EngineTables>, board: (customer: string) => string, outcomes: EntityOutcome[]): Promise<void> {
  // An unchanged record is remembered too when the conflict check moved its baseline (nothing was sent).
  const rows = outcomes.filter((o) => o.fingerprint && (o.state === 'SYNCED' || (o.state === 'FAILED' && o.request !== null)) && (o.action !== 'unchanged' || o.mondayValues !== undefined));
  for (const round of inRounds(rows, MAX_STATE_ROWS)) {
    const removed = round.filter((o) => o.action === 'archive' || o.action === 'delete');
    const kept = round.filter((o) => o.action !== 'archive' && o.action !== 'delete');
    if (removed.length > 0) {
      await db.deleteFrom('ordersync_record_state')
        .where((eb) => eb.or((['item', 'subitem'] as const).flatMap((kind) => {
          const keys = removed.filter((o) => o.entity === kind).map((o) => o.key);
          return keys.length > 0 ? [eb.and([eb('entity', '=', kind), eb('record_key', '=', sql<string>`any(${keys})`)])] : [];
        })))
        .execute();
    }
    if (kept.length > 0) await upsertStates(db, board, kept);
  }
}

// An upsert row binds 11 parameters; PostgreSQL takes at most 65,535 in one statement.
const MAX_STATE_ROWS = 5_000;

/**
 * Consecutive runs of outcomes in which no entity appears twice, each at most `max` long: one
 * statement per run. A second outcome for an entity goes to the next run, so it lands after the
 * first as it would one statement at a time (ON CONFLICT cannot touch one row twice in a statement).
 */
function inRounds(outcomes: EntityOutcome[], max: number): EntityOutcome[][] {
  const rounds: EntityOutcome[][] = [];
  let round: EntityOutcome[] = [];
  let seen = new Set<string>();
  for (const o of outcomes) {
    const id = `${o.entity}:${o.key}`;
    if (seen.has(id) || round.length >= max) {
      rounds.push(round);
      round = [];
      seen = new Set();
    }
    seen.add(id);
    round.push(o);
  }
  if (round.length > 0) rounds.push(round);
  return rounds;
}

/**
 * One multi-row upsert of SYNCED and FAILED outcomes (distinct entities). A SYNCED row carries its
 * fingerprint and a FAILED one only its failed fingerprint, so on conflict `excluded.fingerprint`
 * says which it is: SYNCED overwrites what monday holds and clears the failure; FAILED sets the
 * failure and leaves the rest. An existing row keeps its parent and board.
 */
async function upsertStates(db: Kysely<EngineTables>, board: (customer: string) => string, outcomes: EntityOutcome[]): Promise<void> {
  const now = new Date();
  const values = outcomes.map((o) => {
    const base = { entity: o.entity, record_key: o.key, parent_key: o.entity === 'subitem' ? o.order : null, board_id: board(o.customer), monday_id: o.mondayId, updated_at: now };
    return o.state === 'SYNCED'
      ? { ...base, group_id: o.groupId, fingerprint: o.fingerprint!, values: o.values ?? null, monday_values: o.mondayValues ?? null, failed_fingerprint: null, synced_at: now }
      : { ...base, group_id: null, fingerprint: null, values: null, monday_values: null, failed_fingerprint: o.fingerprint!, synced_at: null };
  });
  const synced = sql<boolean>`excluded.fingerprint is not null`;
  const keepUnlessSynced = <C extends 'monday_id' | 'group_id' | 'fingerprint' | 'values' | 'monday_values' | 'synced_at'>(column: C) =>
    sql<Selectable<RecordStateTable>[C]>`case when ${synced} then ${sql.ref(`excluded.${column}`)} else ${sql.ref(`ordersync_record_state.${column}`)} end`;
  await db.insertInto('ordersync_record_state')
    .values(values)
    .onConflict((oc) => oc.columns(['entity', 'record_key']).doUpdateSet({
      monday_id: keepUnlessSynced('monday_id'),
      group_id: keepUnlessSynced('group_id'),
      fingerprint: keepUnlessSynced('fingerprint'),
      values: keepUnlessSynced('values'),
      monday_values: keepUnlessSynced('monday_values'),
      synced_at: keepUnlessSynced('synced_at'),
      failed_fingerprint: sql<string | null>`excluded.failed_fingerprint`,
      updated_at: sql<Date>`excluded.updated_at`,
    }))
    .execute();
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

/** Forgets what was last written for these entities (their monday item is gone; the next run sends them whole). */
export async function forgetRecordStates(db: Kysely<EngineTables>, entity: EntityKind, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await db.deleteFrom('ordersync_record_state').where('entity', '=', entity).where('record_key', 'in', keys).execute();
}
