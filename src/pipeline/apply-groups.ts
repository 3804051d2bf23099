/** Applies group-resolve's assignments to planned records, as new records (group-resolve edits nothing). */
import type { GroupAssignment, PlannedRecord } from './contract/index.ts';

const join = (a: string | null, b: string | null): string | null => (a && b ? `${a}; ${b}` : a ?? b);

/** Each record with its assignment's title, id, problem and reason to wait. */
export function applyGroups(records: readonly PlannedRecord[], assignments: readonly GroupAssignment[]): PlannedRecord[] {
  const byKey = new Map(assignments.map((a) => [a.key, a]));
  return records.map((record) => {
    const a = record.item ? byKey.get(record.source.key) : undefined;
    if (!a || !record.item) return record;
    return {
      ...record,
      groupTitle: a.title,
      groupId: a.groupId,
      item: { ...record.item, problem: join(record.item.problem, a.problem), deferred: join(record.item.deferred, a.deferred) },
    };
  });
}
