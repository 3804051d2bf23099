/**
 * The plugin test tier's one harness: a plain plugin context (createPluginContext) over real
 * things — PGlite or PostgreSQL, the emulator over HTTP — and builders for the records that flow
 * between stages. No module mocks: whatever a plugin may not touch throws when touched.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { sql, type Kysely } from 'kysely';
import * as v from 'valibot';
import { parse as parseYaml } from 'yaml';
import type { EngineTables } from '../../../src/db/tables.ts';
import { startEmulator, type EmulatorHandle } from '../../../src/emulator/index.ts';
import { createMondayClient } from '../../../src/monday/create-monday-client.ts';
import type { MondayClient } from '../../../src/monday/types.ts';
import type {
  AttemptMark,
  EntityOutcome,
  LoadSink,
  OptionsSchema,
  PlannedEntity,
  PlannedRecord,
  PluginContext,
  SourceLine,
  SourceRecord,
  StageInstances,
  StageKind,
  StagePlugin,
} from '../../../src/pipeline/index.ts';
import { createPluginContext, type ContextInput } from '../../../src/pipeline/create-context.ts';
import { silentLogger } from '../../../src/pipeline/logger.ts';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.ts';

/** The repository's config/ folder (the flagship pipeline's configDir). */
export const CONFIG_DIR = resolve(import.meta.dirname, '../../../config');
/** The flagship board of config/order-list.yaml and its subitems board (as the emulator's demo seeds them). */
export const BOARD = '9200517329';
export const SUBITEMS_BOARD = '9200517330';
/** The run id every plain context gets unless told otherwise. */
export const RUN_ID = '202611281530-SYNC-PLUGINS1';

/** The `with:` of a stage in config/order-list.yaml, so tests exercise the flagship options. */
export function flagshipOptions(kind: StageKind): Record<string, unknown> {
  const config = parseYaml(readFileSync(resolve(CONFIG_DIR, 'order-list.yaml'), 'utf8')) as { stages: Record<string, { with?: Record<string, unknown> }> };
  return structuredClone(config.stages[kind]?.with ?? {});
}

/** What a plain context is built over. */
export interface PlainOptions {
  /** A fresh migrated database of this dialect; omitted → a database that throws when touched. */
  dialect?: 'pglite' | 'postgres';
  /** Start the emulator (demo boards) and a monday client to it; false → the context's refusing client. */
  monday?: boolean;
}

/** What createPlain opened: the database, the emulator, a context factory and one close. */
export interface Plain {
  db: Kysely<EngineTables>;
  emulator: EmulatorHandle | null;
  monday: MondayClient | null;
  /** A plugin context over these things, built by createPluginContext; `patch` sets dryRun, force, runId, … */
  context(patch?: Partial<ContextInput>): PluginContext;
  close(): Promise<void>;
}

/** Opens what a plugin's context needs (open once per file: PGlite's first open is slow). */
export async function createPlain(options: PlainOptions = {}): Promise<Plain> {
  const t: TestDatabase | null = options.dialect ? await createTestDatabase(options.dialect) : null;
  const emulator = options.monday ? await startEmulator({ seed: 'demo' }) : null;
  const monday = emulator
    ? createMondayClient({ url: emulator.url, token: emulator.token, apiVersion: '2026-07', backoff: { baseMs: 20, maxMs: 200 } })
    : null;
  const db = t?.database.db ?? refusing<Kysely<EngineTables>>('the database');
  return {
    db,
    emulator,
    monday,
    context: (patch = {}) => createPluginContext({
      db, logger: silentLogger, runId: RUN_ID, pipeline: 'order-list', configDir: CONFIG_DIR,
      boardFor: () => BOARD, ...(monday ? { monday } : {}), ...patch,
    }),
    close: async () => {
      await emulator?.close();
      await t?.dispose();
    },
  };
}

/** Creates a plugin's instance the way the core does: its `with:` (unchecked, as YAML gives it) through its valibot schema, then `create`. */
export async function testPlugin<K extends StageKind, S extends OptionsSchema>(
  plugin: StagePlugin<K, S>,
  options: unknown,
  ctx: PluginContext,
): Promise<StageInstances[K]> {
  return plugin.create(v.parse(plugin.options, options), ctx);
}

/** An object whose every property access throws (a side effect this test's plugin must not use). */
function refusing<T extends object>(what: string): T {
  return new Proxy({} as T, {
    get(_target, property) {
      if (typeof property === 'symbol' || property === 'then') return undefined;
      throw new Error(`${what} is not available in this test (used ${String(property)})`);
    },
  });
}

/** A source line as extract gives it (PENDING, never sent). */
export function sourceLine(key: string, fields: Record<string, unknown> = {}, patch: Partial<SourceLine> = {}): SourceLine {
  return { key, fields: { line_key: key, ...fields }, state: 'PENDING', mondayId: null, retryCount: 0, attemptId: null, lastError: null, ...patch };
}

/** A source record as extract gives it (PENDING, never sent), for customer ACME unless patched. */
export function sourceRecord(key: string, fields: Record<string, unknown> = {}, patch: Partial<SourceRecord> = {}): SourceRecord {
  const lines = patch.lines ?? [];
  return {
    key, customer: 'ACME', fields: { order_number: key, customer_name: 'ACME', ...fields }, state: 'PENDING', mondayId: null, groupId: null,
    retryCount: 0, attemptId: null, action: 'CREATE', lastError: null, lines, lineKeys: lines.map((l) => l.key), ...patch,
  };
}

/** A planned entity (no problem, never sent); set `fingerprint`/`previous` as the core would. */
export function plannedEntity(entity: PlannedEntity['entity'], key: string, patch: Partial<PlannedEntity> = {}): PlannedEntity {
  return { entity, key, name: key, columns: {}, mondayId: null, keyColumn: null, retryCount: 0, attemptId: null, problem: null, deferred: null, ...patch };
}

/** A planned record on BOARD around its item and subitems; the source follows the entities' keys and ids. */
export function plannedRecord(item: PlannedEntity | null, subitems: PlannedEntity[] = [], patch: Omit<Partial<PlannedRecord>, 'source'> & { source?: Partial<SourceRecord> } = {}): PlannedRecord {
  const key = item?.key ?? patch.source?.key ?? 'ORDER';
  const lines = subitems.map((s) => sourceLine(s.key, {}, { mondayId: s.mondayId }));
  const { source, ...rest } = patch;
  return {
    source: sourceRecord(key, {}, { mondayId: item?.mondayId ?? null, lines, ...source }),
    board: BOARD, item, subitems, groupTitle: null, groupId: null, ...rest,
  };
}

/** Inserts rows into a source table (columns from the first row's keys). */
export async function insertRows(db: Kysely<EngineTables>, table: string, rows: Record<string, unknown>[]): Promise<void> {
  for (const row of rows) {
    const cols = Object.keys(row);
    await sql`insert into ${sql.table(table)} (${sql.join(cols.map((c) => sql.ref(c)))}) values (${sql.join(cols.map((c) => row[c]))})`.execute(db);
  }
}

/** Rows of a table as plain JSON ordered by `key` (for exact before/after comparisons). */
export async function selectRows(db: Kysely<EngineTables>, table: string, key: string, columns = '*'): Promise<Record<string, unknown>[]> {
  const r = await sql<Record<string, unknown>>`select ${sql.raw(columns)} from ${sql.table(table)} order by ${sql.ref(key)}`.execute(db);
  return JSON.parse(JSON.stringify(r.rows)) as Record<string, unknown>[];
}

/** Freezes a value and everything in it (to prove a stage edits nothing it is given). */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** What a recording sink saw, in order: attempt marks and settled outcomes. */
export type SinkEvent = { kind: 'attempt'; mark: AttemptMark } | { kind: 'settle'; outcomes: EntityOutcome[] };

/** A load sink that only records (the core's sink writes back; a load plugin's test reads what it was told); `owners` maps monday ids to the records holding them. */
export function recordingSink(owners: Record<string, string> = {}): LoadSink & { events: SinkEvent[]; outcomes(): EntityOutcome[] } {
  const events: SinkEvent[] = [];
  return {
    events,
    ownerOf: async (_entity, mondayId) => owners[mondayId] ?? null,
    outcomes: () => events.flatMap((e) => (e.kind === 'settle' ? e.outcomes : [])),
    attempt: async (mark) => {
      events.push({ kind: 'attempt', mark: structuredClone(mark) });
    },
    settle: async (outcomes) => {
      events.push({ kind: 'settle', outcomes: structuredClone(outcomes) });
    },
  };
}
