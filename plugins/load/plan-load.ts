/** The pure load plan of monday-items: what each entity needs, decided once for the dry run and the run. */
import { entityValues, type LoadPlan, type PlanStep, type PlannedEntity, type PlannedRecord, type PluginContext } from '../../src/pipeline/index.ts';
import { CANCEL_ACTIONS, changedValues } from './item-ops.ts';

/** The options the plan depends on. */
export interface PlanOptions {
  cancelledOrders: 'update' | 'archive';
}

const step = (record: PlannedRecord, entity: PlannedEntity, patch: Pick<PlanStep, 'action' | 'expect'> & Partial<PlanStep>): PlanStep => ({
  entity, record, values: null, move: false, reason: null, ...patch,
});

/** The step of one entity whose order (if any) is being sent. */
function planEntity(record: PlannedRecord, entity: PlannedEntity, o: PlanOptions, ctx: Pick<PluginContext, 'force' | 'retryFailed'>): PlanStep {
  if (entity.problem) return step(record, entity, { action: 'invalid', expect: 'FAILED', reason: entity.problem });
  if (entity.deferred) return step(record, entity, { action: 'deferred', expect: 'PENDING', reason: entity.deferred });
  const prev = ctx.force ? null : entity.previous ?? null;
  const isItem = entity.entity === 'item';
  if (isItem && o.cancelledOrders === 'archive' && CANCEL_ACTIONS.has((record.source.action ?? '').toUpperCase())) {
    return entity.mondayId
      ? step(record, entity, { action: 'archive', expect: 'SYNCED' })
      : step(record, entity, { action: 'unchanged', expect: 'SYNCED', reason: 'cancelled upstream before it reached monday' });
  }
  const move = Boolean(isItem && prev?.groupId && record.groupId && prev.groupId !== record.groupId);
  if (entity.mondayId && prev?.fingerprint && prev.fingerprint === entity.fingerprint && !move) {
    return step(record, entity, { action: 'unchanged', expect: 'SYNCED' });
  }
  if (!ctx.retryFailed && prev?.failedFingerprint && prev.failedFingerprint === entity.fingerprint) {
    const lastError = isItem ? record.source.lastError : record.source.lines.find((l) => l.key === entity.key)?.lastError;
    return step(record, entity, { action: 'still-failed', expect: 'FAILED', reason: `unchanged since it failed: ${lastError ?? 'see the api log'}` });
  }
  if (!entity.mondayId) {
    // An earlier run may have created it and died before writing back: look before creating.
    return step(record, entity, { action: entity.attemptId && entity.keyColumn ? 'recover' : 'create', expect: 'SYNCED' });
  }
  const values = changedValues(entityValues(entity), prev?.values ?? null);
  if (Object.keys(values).length === 0 && !move) return step(record, entity, { action: 'unchanged', expect: 'SYNCED' });
  return step(record, entity, { action: 'update', expect: 'SYNCED', values, move });
}

/** Why a record's lines cannot be sent when its order is not, or null when they can. */
function blockedBy(record: PlannedRecord, parent: PlanStep | null): { expect: 'FAILED' | 'PENDING'; reason: string } | null {
  if (!parent) return record.source.mondayId ? null : { expect: 'PENDING', reason: 'not sent: its order is still pending' };
  if (parent.expect === 'FAILED') return { expect: 'FAILED', reason: `not sent: its order failed — ${parent.reason}` };
  if (parent.expect === 'PENDING') return { expect: 'PENDING', reason: `not sent: its order is still pending — ${parent.reason}` };
  return null;
}

/** An order cancelled before it reached monday takes its lines with it: they are settled, not left waiting. */
const cancelledBeforeMonday = (parent: PlanStep | null): boolean => Boolean(parent && parent.action === 'unchanged' && !parent.entity.mondayId);

/** The plan of a page: every item step, then every subitem step. */
export function planLoad(records: readonly PlannedRecord[], o: PlanOptions, ctx: Pick<PluginContext, 'force' | 'retryFailed'>): LoadPlan {
  const items: PlanStep[] = [];
  const subitems: PlanStep[] = [];
  for (const record of records) {
    const parent = record.item ? planEntity(record, record.item, o, ctx) : null;
    if (parent) items.push(parent);
    const cancelled = cancelledBeforeMonday(parent);
    const blocked = cancelled ? null : blockedBy(record, parent);
    for (const sub of record.subitems) {
      if (cancelled) subitems.push(step(record, sub, { action: 'unchanged', expect: 'SYNCED', reason: parent!.reason }));
      else subitems.push(blocked ? step(record, sub, { action: 'blocked', ...blocked }) : planEntity(record, sub, o, ctx));
    }
  }
  return { steps: [...items, ...subitems] };
}
