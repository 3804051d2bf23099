/**
 * Before updates are sent: one read of the items about to be updated (their state, group and the
 * columns about to be written), then a verdict per step — send (what is left after the conflict
 * policy), or the item is gone (deleted or archived on monday).
 */
import type { ConflictPolicy, PlanStep, PluginContext } from '../../src/pipeline/index.ts';
import { readCurrent } from './read-current.ts';
import { resolveConflicts, type Resolution } from './resolve-conflicts.ts';

/** What became of one update after the read. */
export type UpdateVerdict =
  | { resolution: Resolution }
  /** The item is not on the board any more; `request`/`response` are the read's part for the api log. */
  | { missing: 'deleted' | 'archived'; request: unknown; response: unknown };

/** Reads the items of these update steps (one read per 100) and decides each step. */
export async function checkUpdates(ctx: Pick<PluginContext, 'monday' | 'force'>, steps: readonly PlanStep[], policy: ConflictPolicy): Promise<Map<PlanStep, UpdateVerdict>> {
  const verdicts = new Map<PlanStep, UpdateVerdict>();
  const updates = steps.filter((s) => s.action === 'update' && s.entity.mondayId);
  if (updates.length === 0) return verdicts;
  const columns = updates.flatMap((s) => Object.keys(s.values ?? {}));
  const read = await readCurrent(ctx, updates.map((s) => s.entity.mondayId!), columns);
  for (const s of updates) {
    const id = s.entity.mondayId!;
    const current = read.items.get(id)!;
    if (current.state === 'active') {
      verdicts.set(s, { resolution: resolveConflicts(s.entity, s.values ?? {}, s.move, current, s.record.groupId, policy, ctx.force) });
      continue;
    }
    const part = read.request.find((r) => Array.isArray(r.variables.ids) && r.variables.ids.includes(id));
    verdicts.set(s, {
      missing: current.state === 'archived' ? 'archived' : 'deleted',
      request: part ? { document: part.document, variables: { ...part.variables, ids: [id], limit: 1 } } : null,
      response: { id, state: current.state === 'missing' ? null : current.state },
    });
  }
  return verdicts;
}
