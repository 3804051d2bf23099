/**
 * Lines of an order whose item was created again (a person deleted or archived it on monday): the
 * lines in this page are created under the new item; the order's other lines are put back to
 * PENDING with what was last written forgotten, so the next run creates them too.
 */
import type { EntityOutcome, LoadPlan, LoadSink, PlanStep } from '../../src/pipeline/index.ts';

const RESENT = new Set(['update', 'unchanged', 'recover']);

/** A line's step turned into a create (its subitem went with the old item). */
export function asCreate(step: PlanStep): PlanStep {
  if (!step.entity.mondayId || !RESENT.has(step.action)) return step;
  return { ...step, action: 'create', values: null, move: false, expect: 'SYNCED', reason: null, entity: { ...step.entity, mondayId: null } };
}

/** PENDING outcomes for the lines of recreated items that are not in this plan (their record states are forgotten first). */
export async function settleLinesOfRecreated(plan: LoadPlan, items: Map<string, EntityOutcome>, recreated: ReadonlySet<string>, sink: LoadSink): Promise<EntityOutcome[]> {
  const inPlan = new Set(plan.steps.filter((s) => s.entity.entity === 'subitem').map((s) => s.entity.key));
  const out: EntityOutcome[] = [];
  for (const step of plan.steps) {
    const item = items.get(step.entity.key);
    if (step.entity.entity !== 'item' || !recreated.has(step.entity.key) || item?.state !== 'SYNCED') continue;
    const rest = step.record.source.lineKeys.filter((key) => !inPlan.has(key));
    if (rest.length === 0) continue;
    await sink.forget?.('subitem', rest);
    for (const key of rest) {
      out.push({
        entity: 'subitem', key, order: step.record.source.key, customer: step.record.source.customer, state: 'PENDING', action: 'skip',
        mondayId: null, parentItemId: item.mondayId, groupId: null, groupTitle: null, name: null,
        error: 'its order was created again on monday (a person had removed the item); this line is created again in the next run',
        operation: null, request: null, response: null, apiStatus: 'waiting', attempts: 0,
      });
    }
  }
  return out;
}
