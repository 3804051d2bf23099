/** The pure load plan of monday-items: what each entity needs, decided once for the dry run and the run. */
import { entityValues, type LoadPlan, type PlanStep, type PlannedEntity, type PlannedRecord, type PluginContext } from '../../src/pipeline/index.ts';
import { CANCEL_ACTIONS, changedValues } from './item-ops.ts';
import { updatableValues } from './resolve-conflicts.ts';

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
  // monday-owned columns went out with the create; an update never touches them (--force neither).
  const values = updatableValues(changedValues(entityValues(entity), prev?.values ?? null), entity.columnMeta);
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

// How monday will hold and match a key: trimmed (whitespace and invisible marks) and without case.
const onMonday = (key: string): string => key.replace(/^[\s\u200B-\u200D\u2060\uFEFF]+|[\s\u200B-\u200D\u2060\uFEFF]+$/g, '').toLowerCase();

/** Steps whose keys would be one key on monday fail together, before anything is sent. */
function failTwins(steps: PlanStep[]): PlanStep[] {
  const byKey = new Map<string, PlanStep[]>();
  for (const s of steps) {
    const written = s.entity.keyColumn ? s.entity.columns[s.entity.keyColumn] : null;
    if (typeof written !== 'string' || s.expect !== 'SYNCED' || s.action === 'unchanged') continue;
    const key = `${s.record.board}\u0000${onMonday(written)}`;
    byKey.set(key, [...(byKey.get(key) ?? []), s]);
  }
  const twins = new Map<PlanStep, string>();
  for (const group of byKey.values()) {
    if (group.length < 2) continue;
    for (const s of group) {
      const others = group.filter((o) => o !== s).map((o) => JSON.stringify(o.entity.key)).join(', ');
      twins.set(s, `its key ${JSON.stringify(s.entity.key)} is the same on monday as ${others} (monday trims keys and matches them without case); rename one of them upstream`);
    }
  }
  return twins.size === 0 ? steps : steps.map((s) => (twins.has(s) ? { ...s, action: 'invalid', expect: 'FAILED', values: null, move: false, reason: twins.get(s)! } : s));
}

/** The plan of a page: every item step, then every subitem step. */
export function planLoad(records: readonly PlannedRecord[], o: PlanOptions, ctx: Pick<PluginContext, 'force' | 'retryFailed'>): LoadPlan {
  const items = failTwins(records.flatMap((record) => (record.item ? [planEntity(record, record.item, o, ctx)] : [])));
  const parents = new Map(items.map((s) => [s.record, s]));
  const subitems: PlanStep[] = [];
  for (const record of records) {
    const parent = parents.get(record) ?? null;
    const cancelled = cancelledBeforeMonday(parent);
    const blocked = cancelled ? null : blockedBy(record, parent);
    for (const sub of record.subitems) {
      if (cancelled) subitems.push(step(record, sub, { action: 'unchanged', expect: 'SYNCED', reason: parent!.reason }));
      else subitems.push(blocked ? step(record, sub, { action: 'blocked', ...blocked }) : planEntity(record, sub, o, ctx));
    }
  }
  return { steps: [...items, ...failTwins(subitems)] };
}
