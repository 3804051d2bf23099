/**
 * Decides, column by column, what an update may write, from what ordersync last wrote (the record
 * state), what it would write now, and what monday holds now. A column a person changed on monday
 * since the last write, and that now differs from ours, is a conflict, resolved by its policy.
 * Pure: the read happened before.
 */
import { comparableRead, comparableSent, entityValues, type ColumnMeta, type Conflict, type ConflictPolicy, type PlannedEntity } from '../../src/pipeline/index.ts';
import type { CurrentItem } from './read-current.ts';

/** What an update sends, and what to remember once it succeeds. */
export interface Resolution {
  /** The values still to send. */
  send: Record<string, unknown>;
  /** The values to remember as last written (a flagged column keeps its old baseline). */
  values: Record<string, unknown>;
  /** Accepted monday values (`keep-monday`), column id → comparable text; null when none. */
  mondayValues: Record<string, string> | null;
  conflicts: Conflict[];
  /** Still move the item (false when it already is in the target group). */
  move: boolean;
}

/** Only the columns ordersync may update: monday-owned columns are set when the item is created, never after. */
export function updatableValues(values: Record<string, unknown>, meta: PlannedEntity['columnMeta']): Record<string, unknown> {
  if (!meta) return values;
  let out: Record<string, unknown> | null = null;
  for (const key of Object.keys(values)) {
    if (meta[key]?.owner !== 'monday') continue;
    out ??= { ...values };
    delete out[key];
  }
  return out ?? values;
}

/** monday's value of a column as comparable text, or null when the read did not return that column. */
function theirsOf(column: string, current: CurrentItem): string | null {
  if (column === 'name') return current.name === null ? null : current.name.trim();
  const read = current.columns.get(column);
  return read ? comparableRead(read) : null;
}

/** Resolves the planned values of one update against monday's current item. */
export function resolveConflicts(
  entity: PlannedEntity,
  planned: Record<string, unknown>,
  move: boolean,
  current: CurrentItem,
  targetGroup: string | null,
  stagePolicy: ConflictPolicy,
  /** `--force`: a column equal on both sides is sent all the same (resend in full). */
  force = false,
): Resolution {
  const prevValues = entity.previous?.values ?? null;
  const prevMonday = entity.previous?.mondayValues ?? {};
  const send: Record<string, unknown> = {};
  const values = entityValues(entity);
  const mondayValues: Record<string, string> = { ...prevMonday };
  const conflicts: Conflict[] = [];
  for (const [column, ours] of Object.entries(planned)) {
    const meta: ColumnMeta | undefined = entity.columnMeta?.[column];
    const theirs = theirsOf(column, current);
    // Nothing to measure against (no baseline, no type, or monday did not return the column): send as planned.
    if (!prevValues || !meta || theirs === null) {
      send[column] = ours;
      delete mondayValues[column];
      continue;
    }
    const last = prevMonday[column] ?? comparableSent(meta.type, prevValues[column]);
    const oursText = comparableSent(meta.type, ours);
    if (theirs === last || theirs === oursText) {
      // No person's edit, or the person already set our value: write it (or, when equal, nothing).
      if (theirs !== oursText || force) send[column] = ours;
      delete mondayValues[column];
      continue;
    }
    const policy = meta.onConflict ?? stagePolicy;
    conflicts.push({ column, field: meta.field, ours: oursText, theirs, policy });
    if (policy === 'overwrite') {
      send[column] = ours;
      delete mondayValues[column];
    } else if (policy === 'keep-monday') {
      mondayValues[column] = theirs;
    } else if (column in prevValues) {
      // flag: the person's value stays, and the old baseline too, so the conflict is seen again while it lasts.
      values[column] = prevValues[column];
    } else delete values[column];
  }
  return {
    send, values, conflicts,
    mondayValues: Object.keys(mondayValues).length > 0 ? mondayValues : null,
    move: move && current.groupId !== targetGroup,
  };
}
