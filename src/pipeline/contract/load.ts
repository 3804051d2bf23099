/**
 * load: a pure plan of what monday needs, then its execution. The dry run prints the same plan
 * that `load` executes, so it always says what the run would do.
 */
import type { AttemptMark, EntityKind, EntityOutcome, PlannedEntity, PlannedRecord, RemovedLine, SyncState } from './records.ts';

/** What the plan does with one entity. */
export type PlanAction =
  | 'create'
  | 'update'
  /** An earlier attempt may have created it: look it up by key, adopt it if found, else create. */
  | 'recover'
  | 'archive'
  | 'unchanged'
  /** Failed for good earlier and unchanged since: not sent again (`--retry-failed` sends it). */
  | 'still-failed'
  /** A mapping problem: never sent. */
  | 'invalid'
  /** Waits for a later run. */
  | 'deferred'
  /** Not sent because its order is not sent. */
  | 'blocked';

/** One entity's step in the plan. */
export interface PlanStep {
  entity: PlannedEntity;
  record: PlannedRecord;
  action: PlanAction;
  /** Values to send for `update` (only what changed, or everything with `--force`). */
  values: Record<string, unknown> | null;
  /** The item moves to the record's group. */
  move: boolean;
  /** The state it ends in when every request succeeds. */
  expect: SyncState;
  /** Why it is not sent (invalid, deferred, blocked, still-failed, unchanged cancel). */
  reason: string | null;
}

/** The plan of a page: items first, then subitems. */
export interface LoadPlan {
  steps: PlanStep[];
}

/** Where load reports progress: attempts before requests, outcomes after. */
export interface LoadSink {
  attempt(mark: AttemptMark): Promise<void>;
  settle(outcomes: EntityOutcome[]): Promise<void>;
  /** The record that already holds this monday id, if any (so a lookup by key never adopts another record's item). */
  ownerOf(entity: EntityKind, mondayId: string): Promise<string | null>;
  /** Optional: forgets what was last written for these entities (their monday item is gone), so the next run sends them whole. */
  forget?(entity: EntityKind, keys: string[]): Promise<void>;
}

/** load: plans and writes records to monday, items first, then subitems. */
export interface Loader {
  /** The plan for a page; pure (no I/O), so the dry run and the run decide alike. */
  plan(records: readonly PlannedRecord[]): LoadPlan;
  /** Executes a plan, settling every step (sent or not) through the sink. */
  load(plan: LoadPlan, sink: LoadSink): Promise<void>;
  /** Optional: archives or deletes subitems whose lines were removed upstream; settles them through the sink. */
  removeLines?(board: string, customer: string, lines: RemovedLine[], sink: LoadSink): Promise<void>;
}
