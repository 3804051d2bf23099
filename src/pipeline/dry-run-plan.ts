/** What a `--dry-run` would do: the load plan's steps counted, with groups to create and the reasons of records not sent. */
import type { EntityKind, PlanAction, PlanStep, ResolvedGroup } from './contract/index.ts';

const ACTIONS: PlanAction[] = ['create', 'update', 'recover', 'archive', 'unchanged', 'still-failed', 'invalid', 'deferred', 'blocked'];

/** A dry run's plan. */
export interface DryRunPlan {
  /** Orders read. */
  records: number;
  groups: ResolvedGroup[];
  items: Record<PlanAction, number>;
  subitems: Record<PlanAction, number>;
  /** Entities that will fail (invalid, still failed, blocked by a failing order), with the reason. */
  invalid: { entity: EntityKind; key: string; reason: string }[];
  /** Entities that will wait (deferred, blocked by a waiting order), with the reason. */
  deferred: { entity: EntityKind; key: string; reason: string }[];
}

const zero = (): Record<PlanAction, number> => Object.fromEntries(ACTIONS.map((a) => [a, 0])) as Record<PlanAction, number>;

/** An empty plan. */
export function emptyPlan(): DryRunPlan {
  return { records: 0, groups: [], items: zero(), subitems: zero(), invalid: [], deferred: [] };
}

/** Adds a page's orders, groups and load steps to the plan. */
export function addToPlan(plan: DryRunPlan, orders: number, groups: readonly ResolvedGroup[], steps: readonly PlanStep[]): void {
  plan.records += orders;
  for (const g of groups) if (!plan.groups.some((p) => p.board === g.board && p.title === g.title)) plan.groups.push(g);
  for (const s of steps) {
    plan[s.entity.entity === 'item' ? 'items' : 'subitems'][s.action]++;
    if (s.expect === 'SYNCED') continue;
    const note = { entity: s.entity.entity, key: s.entity.key, reason: s.reason ?? '' };
    if (s.expect === 'FAILED') plan.invalid.push(note);
    else plan.deferred.push(note);
  }
}

function countLine(label: string, c: Record<PlanAction, number>): string {
  // A person's edits are read only when sending: the dry run cannot say which columns will conflict.
  const parts = [`${c.create} to create`, `${c.update} to update${c.update > 0 ? ' (conflicts are checked when sending)' : ''}`, `${c.unchanged} unchanged`];
  if (c.recover > 0) parts.push(`${c.recover} to look up by key (adopt or create)`);
  if (c.archive > 0) parts.push(`${c.archive} to archive`);
  const notSent = c['still-failed'] + c.invalid + c.deferred + c.blocked;
  if (notSent > 0) parts.push(`${notSent} not sent`);
  return `  ${label.padEnd(10)}${parts.join(', ')}`;
}

/** The plan as text for the terminal. */
export function formatPlan(plan: DryRunPlan, maxListed = 50): string {
  const lines = [
    `Dry run: ${plan.records} pending order(s); nothing was written to the database or monday.`,
    `  groups:   ${plan.groups.filter((g) => g.origin === 'planned').length} to create, ${plan.groups.filter((g) => g.origin !== 'planned').length} existing`,
    ...plan.groups.filter((g) => g.origin === 'planned').map((g) => `    + ${g.title} (board ${g.board})`),
    countLine('items:', plan.items),
    countLine('subitems:', plan.subitems),
    `  invalid:  ${plan.invalid.length} (never sent)`,
    ...plan.invalid.slice(0, maxListed).map((i) => `    × ${i.entity} ${i.key}: ${i.reason}`),
  ];
  if (plan.invalid.length > maxListed) lines.push(`    … and ${plan.invalid.length - maxListed} more`);
  if (plan.deferred.length > 0) lines.push(`  deferred: ${plan.deferred.length}`, ...plan.deferred.slice(0, maxListed).map((d) => `    ~ ${d.entity} ${d.key}: ${d.reason}`));
  return lines.join('\n');
}
