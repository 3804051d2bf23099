/** What a `--dry-run` would do: groups to create, items and subitems to create or update, invalid rows. */
import type { PlannedRecord, ResolvedGroup } from './plugin.ts';

/** A dry run's plan. */
export interface DryRunPlan {
  records: number;
  groups: ResolvedGroup[];
  items: { create: number; update: number; unchanged: number };
  subitems: { create: number; update: number; unchanged: number };
  invalid: { entity: string; key: string; reason: string }[];
  deferred: { entity: string; key: string; reason: string }[];
}

/** An empty plan. */
export function emptyPlan(): DryRunPlan {
  return { records: 0, groups: [], items: { create: 0, update: 0, unchanged: 0 }, subitems: { create: 0, update: 0, unchanged: 0 }, invalid: [], deferred: [] };
}

/** Adds a page of planned records to the plan. */
export function addToPlan(plan: DryRunPlan, records: PlannedRecord[], groups: ResolvedGroup[]): void {
  for (const g of groups) if (!plan.groups.some((p) => p.board === g.board && p.title === g.title)) plan.groups.push(g);
  for (const record of records) {
    plan.records++;
    const entities = [...(record.item ? [record.item] : []), ...record.subitems];
    for (const e of entities) {
      if (e.problem) plan.invalid.push({ entity: e.entity, key: e.key, reason: e.problem });
      else if (e.deferred) plan.deferred.push({ entity: e.entity, key: e.key, reason: e.deferred });
      else {
        const unchanged = e.mondayId && e.previous?.fingerprint === e.fingerprint;
        plan[e.entity === 'item' ? 'items' : 'subitems'][unchanged ? 'unchanged' : e.mondayId ? 'update' : 'create']++;
      }
    }
  }
}

/** The plan as text for the terminal. */
export function formatPlan(plan: DryRunPlan, maxInvalid = 50): string {
  const lines = [
    `Dry run: ${plan.records} pending order(s); nothing was written to the database or monday.`,
    `  groups:   ${plan.groups.filter((g) => g.origin === 'planned').length} to create, ${plan.groups.filter((g) => g.origin !== 'planned').length} existing`,
    ...plan.groups.filter((g) => g.origin === 'planned').map((g) => `    + ${g.title} (board ${g.board})`),
    `  items:    ${plan.items.create} to create, ${plan.items.update} to update, ${plan.items.unchanged} unchanged`,
    `  subitems: ${plan.subitems.create} to create, ${plan.subitems.update} to update, ${plan.subitems.unchanged} unchanged`,
    `  invalid:  ${plan.invalid.length} (never sent)`,
    ...plan.invalid.slice(0, maxInvalid).map((i) => `    × ${i.entity} ${i.key}: ${i.reason}`),
  ];
  if (plan.invalid.length > maxInvalid) lines.push(`    … and ${plan.invalid.length - maxInvalid} more`);
  if (plan.deferred.length > 0) lines.push(`  deferred: ${plan.deferred.length}`, ...plan.deferred.slice(0, maxInvalid).map((d) => `    ~ ${d.entity} ${d.key}: ${d.reason}`));
  return lines.join('\n');
}
