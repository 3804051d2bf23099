/** What a sync sent to the emulator: the mutation requests since a point in its request log, op by op. */
import type { SyncHarness } from './sync-harness.ts';

type Log = SyncHarness['emulator']['requestLog'][number];

/** Mutation requests since `from` (an index into the request log). */
export const mutationsSince = (h: SyncHarness, from: number): Log[] => h.emulator.requestLog.slice(from).filter((r) => r.operation === 'mutation');

/** The root field, item id and column_values of every mutation op since `from`. */
export function sentOps(h: SyncHarness, from: number): { field: string; itemId: string | null; columns: Record<string, unknown> | null }[] {
  return mutationsSince(h, from).flatMap((r) => {
    const fields = [...r.document.matchAll(/(a\d+): ([a-z_]+)\(/g)].map((m) => ({ alias: m[1]!, field: m[2]! }));
    return fields.map(({ alias, field }) => {
      const raw = r.variables[`${alias}_column_values`];
      const item = r.variables[`${alias}_item_id`];
      return { field, itemId: item === undefined || item === null ? null : String(item), columns: typeof raw === 'string' ? (JSON.parse(raw) as Record<string, unknown>) : null };
    });
  });
}
