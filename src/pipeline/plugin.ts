/**
 * The stage-plugin contract: the one interface every built-in and user plugin implements.
 * A plugin declares itself (kind, name, summary, options schema, example) and creates the
 * instance of its kind from checked options and a context that brings every side effect.
 */
import type * as v from 'valibot';
import type { Kysely } from 'kysely';
import type { EngineTables } from '../db/tables.ts';
import type { MondayClient } from '../monday/types.ts';
import type { Logger } from './logger.ts';
import type { RunSummary } from './run-summary.ts';

/** The five stages, in the order they run; the same strings are the YAML keys. */
export const STAGE_KINDS = ['extract', 'transform', 'group-resolve', 'load', 'report'] as const;
/** One of the five stages. */
export type StageKind = (typeof STAGE_KINDS)[number];

/** A source row: column name → value as the database returned it. */
export type Row = Record<string, unknown>;
/** The record states; one vocabulary in code, SQL and reports. */
export type SyncState = 'PENDING' | 'SYNCED' | 'FAILED';
/** A monday entity a record becomes. */
export type EntityKind = 'item' | 'subitem';

/** Everything a plugin may touch, handed in rather than imported. */
export interface PluginContext {
  /** The engine database (PGlite or PostgreSQL); source tables are reached with `sql`. */
  db: Kysely<EngineTables>;
  /** The monday.com client (the emulator by default). */
  monday: MondayClient;
  logger: Logger;
  /** This run's sync id, e.g. `202611281530-SYNC-1A2B3C4D`. */
  runId: string;
  pipeline: string;
  /**
   * Set when the run should stop: check it between batches. Do not pass it into requests — a
   * batch in flight finishes and is written back, so nothing is left attempted but unsettled.
   */
  signal: AbortSignal;
  /** Plan only: no writes to the database or monday. */
  dryRun: boolean;
  /** Resend everything regardless of fingerprints (`--force`). */
  force?: boolean;
  /** Retry FAILED records even when unchanged since they failed (`--retry-failed`). */
  retryFailed?: boolean;
  /** Directory of the pipeline file; relative paths in options resolve against it. */
  configDir: string;
  /** The monday board a customer's records go to. */
  boardFor(customer: string): string;
  /** The clock (tests may pin it). */
  now(): Date;
}

/** An order line as extracted: it becomes a subitem. */
export interface SourceLine {
  key: string;
  fields: Row;
  state: SyncState;
  mondayId: string | null;
  retryCount: number;
  /** Set when an earlier attempt was stamped but never settled (a crash): look before creating. */
  attemptId: string | null;
  lastError: string | null;
}

/** An order header with its lines, as extracted: it becomes an item. */
export interface SourceRecord {
  key: string;
  customer: string;
  fields: Row;
  /** SYNCED headers come along only when some of their lines are still pending. */
  state: SyncState;
  mondayId: string | null;
  groupId: string | null;
  retryCount: number;
  attemptId: string | null;
  /** Upstream's intent (`action_type`), e.g. CREATE, UPDATE, CANCEL. */
  action: string | null;
  /** The last error written back, if any (shown again when a failed record has not changed). */
  lastError: string | null;
  /** Lines to send. */
  lines: SourceLine[];
  /** Keys of every line the order has now (to notice lines removed upstream). */
  lineKeys: string[];
}

/** What one entity should look like on monday. */
export interface PlannedEntity {
  entity: EntityKind;
  key: string;
  name: string;
  /** monday column id → column value (the object that goes into `column_values`). */
  columns: Record<string, unknown>;
  mondayId: string | null;
  /** monday column holding the record's own key (to find it again after a crash), if mapped. */
  keyColumn: string | null;
  retryCount: number;
  /** Set when an earlier attempt may have reached monday: look it up before creating. */
  attemptId: string | null;
  /** Why this entity must not be sent (a mapping problem); it then fails alone. */
  problem: string | null;
  /** Why this entity waits for a later run (e.g. its group could not be created just now). */
  deferred: string | null;
  /** Hash of name, columns (and group for items): what would be sent. Set by the core after group-resolve. */
  fingerprint?: string;
  /** What was last synced or last failed for this entity, if anything. Set by the core. */
  previous?: PreviousState | null;
}

/** What the engine remembers about an entity from earlier runs. */
export interface PreviousState {
  /** Fingerprint of the values monday last confirmed. */
  fingerprint: string | null;
  /** Those values (`name` and column ids). */
  values: Record<string, unknown> | null;
  mondayId: string | null;
  groupId: string | null;
  /** Fingerprint of the last permanent failure. */
  failedFingerprint: string | null;
}

/** A subitem that was synced earlier but whose line no longer exists upstream. */
export interface RemovedLine {
  key: string;
  order: string;
  mondayId: string;
}

/** A source record after transform and group-resolve. */
export interface PlannedRecord {
  source: SourceRecord;
  board: string;
  /** null when the header itself needs no write (already SYNCED, only lines pending). */
  item: PlannedEntity | null;
  subitems: PlannedEntity[];
  groupTitle: string | null;
  groupId: string | null;
}

/** The final word on one entity in this run. */
export interface EntityOutcome {
  entity: EntityKind;
  key: string;
  /** The order (header key) this entity belongs to. */
  order: string;
  customer: string;
  state: SyncState;
  /** What was done: `unchanged` sent nothing; `skip` was not sent (invalid or waiting). */
  action: 'create' | 'update' | 'adopt' | 'unchanged' | 'archive' | 'delete' | 'skip';
  mondayId: string | null;
  parentItemId: string | null;
  groupId: string | null;
  groupTitle: string | null;
  name: string | null;
  error: string | null;
  /** This entity's own request fragment (token removed) and response fragment. */
  request: unknown;
  response: unknown;
  apiStatus: string | null;
  attempts: number;
  /** The full values now on monday (name and columns) after a success; the core remembers them. */
  values?: Record<string, unknown> | null;
  /** The entity's fingerprint at this attempt. */
  fingerprint?: string | null;
}

/** Marks entities as about to be sent, before the request leaves (crash safety). */
export interface AttemptMark {
  attemptId: string;
  entities: { entity: EntityKind; key: string }[];
}

/** extract: where pending records come from and where outcomes are written back. */
export interface Source {
  /** Number of records pending for a customer (for progress and ETA). */
  count(customer: string): Promise<number>;
  /** Pending records of a customer, a page at a time. */
  pages(customer: string, options: { limit?: number }): AsyncIterable<SourceRecord[]>;
  /** Records the title on a page's headers. */
  recordGroupTitles(records: { key: string; title: string | null; reason: string | null }[]): Promise<void>;
  /** Sets the group id on every PENDING record of a customer with this title, not just one page. */
  assignGroup(customer: string, title: string, groupId: string): Promise<number>;
  /** Stamps an attempt on entities before their request is sent. */
  markAttempt(mark: AttemptMark): Promise<void>;
  /** Writes outcomes back (ids, state, error, payloads). */
  settle(outcomes: EntityOutcome[]): Promise<void>;
  /** Puts FAILED records of a customer back to PENDING (`--retry-failed`); returns how many. */
  requeueFailed(customer: string): Promise<number>;
  /** Counts of records of this run by customer and state (what reports reconcile with). */
  tally(customers: string[]): Promise<{ customer: string; state: SyncState; count: number }[]>;
  close(): Promise<void>;
}

/** transform: turns one source record into what monday should hold. */
export interface Transformer {
  map(record: SourceRecord, board: string): PlannedRecord;
}

/** A group title resolved on a board. */
export interface ResolvedGroup {
  board: string;
  title: string;
  groupId: string | null;
  /** `created` by this run, `reused` from the table or board, `planned` in a dry run. */
  origin: 'created' | 'reused' | 'adopted' | 'planned';
}

/** group-resolve: gives every planned record its group (or a reason why not). */
export interface GroupResolver {
  /** Sets groupTitle/groupId on the records, or an item problem; returns the titles it touched. */
  resolve(records: PlannedRecord[]): Promise<ResolvedGroup[]>;
}

/** Where load reports progress: attempts before requests, outcomes after. */
export interface LoadSink {
  attempt(mark: AttemptMark): Promise<void>;
  settle(outcomes: EntityOutcome[]): Promise<void>;
}

/**
 * load: writes planned records to monday, items first, then subitems, and settles every
 * entity it is given (including those with a problem or deferred) through the sink.
 */
export interface Loader {
  load(records: PlannedRecord[], sink: LoadSink): Promise<void>;
  /** Optional: archives or deletes subitems whose lines were removed upstream; settles them through the sink. */
  removeLines?(board: string, customer: string, lines: RemovedLine[], sink: LoadSink): Promise<void>;
}

/** report: renders a finished run. */
export interface Reporter {
  render(summary: RunSummary): Promise<{ path: string }>;
}

/** The instance each kind creates. */
export interface StageInstances {
  extract: Source;
  transform: Transformer;
  'group-resolve': GroupResolver;
  load: Loader;
  report: Reporter;
}

/** Any options schema. */
export type OptionsSchema = v.GenericSchema<unknown, unknown>;

/** A stage plugin of kind K with options schema S. */
export interface StagePlugin<K extends StageKind = StageKind, S extends OptionsSchema = OptionsSchema> {
  /** The stage it fills (the YAML key). */
  kind: K;
  /** kebab-case; equal to its file name and to `use:` in YAML. */
  name: string;
  /** One line for `ordersync plugins` and error messages. */
  summary: string;
  /** Valibot schema of `with:`; the core validates before anything runs. */
  options: S;
  /** A valid `with:` value; the contract test checks it against `options`. */
  example: v.InferInput<S>;
  /** Creates the stage instance from checked options. */
  create(options: v.InferOutput<S>, ctx: PluginContext): StageInstances[K] | Promise<StageInstances[K]>;
  /**
   * Optional checks that need the file system (e.g. that templates exist and compile); run by
   * `validate` and before every run, so such mistakes surface before anything is written.
   */
  check?(options: v.InferOutput<S>, env: { configDir: string }): Promise<OptionProblem[]> | OptionProblem[];
}

/** A problem found by a plugin's `check`, at a path inside its `with:`. */
export interface OptionProblem {
  path: (string | number)[];
  message: string;
}

/** Declares a plugin with its types inferred (an identity function for type safety). */
export function definePlugin<K extends StageKind, S extends OptionsSchema>(plugin: StagePlugin<K, S>): StagePlugin<K, S> {
  return plugin;
}
