/**
 * Adopt before create: the new entities of a page that may already be on monday (an earlier run
 * created them and died before writing back) are looked up by key, one read per batch.
 */
import type { LoadSink, PlanStep, PluginContext } from '../../src/pipeline/index.ts';
import { findItemsByKeys, findSubitemsByKeys, type Lookup } from './find-existing.ts';

/** A step on its way to monday, with its parent item's id (subitems) and whether that parent was created in this run. */
export interface Pending { step: PlanStep; parentId: string | null; parentCreated: boolean }

/** The key as written to the entity's key column (monday holds it trimmed), or null when it has none. */
export const writtenKey = (entity: PlanStep['entity']): string | null => {
  const written = entity.keyColumn ? entity.columns[entity.keyColumn] : null;
  return typeof written === 'string' && written ? written : entity.keyColumn ? entity.key : null;
};

/** Looks up, in one read per batch, the new entities that may already be on monday (parents created in this run have no subitems yet). */
export async function lookUpCreates(ctx: PluginContext, batchSize: number, steps: Pending[], sink: LoadSink): Promise<Map<PlanStep, Lookup>> {
  const found = new Map<PlanStep, Lookup>();
  const creates = steps.filter((p) => p.step.action === 'create' && !p.parentCreated && writtenKey(p.step.entity) !== null);
  const groups = new Map<string, Pending[]>();
  for (const p of creates) {
    const group = `${p.step.entity.entity}\u0000${p.step.record.board}\u0000${p.step.entity.keyColumn}`;
    groups.set(group, [...(groups.get(group) ?? []), p]);
  }
  for (const group of groups.values()) {
    const { entity, record } = group[0]!.step;
    for (let i = 0; i < group.length; i += batchSize) {
      if (ctx.signal.aborted) return found;
      const chunk = group.slice(i, i + batchSize);
      const entries = chunk.map((p) => ({ ownKey: p.step.entity.key, key: writtenKey(p.step.entity)!, parentId: p.parentId ?? '' }));
      const results = entity.entity === 'item'
        ? await findItemsByKeys(ctx, sink, record.board, entity.keyColumn!, entries)
        : await findSubitemsByKeys(ctx, sink, entity.keyColumn!, entries);
      for (const p of chunk) {
        const r = results.get(p.step.entity.key);
        if (r) found.set(p.step, r);
      }
    }
  }
  return found;
}
