/** Accumulates entity outcomes into per-customer results and error groups. */
import type { EntityOutcome, ResolvedGroup, SyncState } from './contract/index.ts';
import { deriveStatus, emptyCounts, type ConflictSummary, type CustomerResult, type ErrorGroup, type RecordCounts } from './run-summary.ts';

// Example orders kept per error group: enough to find the rows, small enough for any report.
const EXAMPLES = 5;
// Conflicts kept as examples per customer (the count is whole).
const CONFLICT_EXAMPLES = 20;

/** Adds one outcome to a set of counts. */
export function countOutcome(counts: RecordCounts, out: EntityOutcome): void {
  counts.processed++;
  counts[out.entity === 'item' ? 'items' : 'subitems']++;
  if (out.state === 'SYNCED') {
    counts.synced++;
    if (out.action === 'create') counts.created++;
    else if (out.action === 'update') counts.updated++;
    else if (out.action === 'adopt') counts.adopted++;
    else if (out.action === 'unchanged') counts.unchanged++;
    else counts.updated++; // archive of a cancelled order: a change on monday
  } else if (out.state === 'FAILED') counts.failed++;
  else counts.pending++;
}

/** Sums counts. */
export function addCounts(into: RecordCounts, from: RecordCounts): RecordCounts {
  for (const key of Object.keys(into) as (keyof RecordCounts)[]) into[key] += from[key];
  return into;
}

/** Collects what happened to one customer's records. */
export class CustomerStats {
  readonly result: CustomerResult;
  readonly #sampleSize: number;
  /** `sampleSize`: synced records kept as a sample (the report stage says how many it shows). */
  constructor(customer: string, board: string, sampleSize: number) {
    this.#sampleSize = sampleSize;
    this.result = { customer, board, status: 'SUCCESS', counts: emptyCounts(), durationMs: 0, failures: [], pending: [], synced: [], remaining: 0, groups: [], blocked: [], conflicts: { count: 0, examples: [] } };
  }

  /** Records one settled entity; `order` is the order number it belongs to. */
  add(out: EntityOutcome, order: string): void {
    countOutcome(this.result.counts, out);
    const problem = { entity: out.entity, key: out.key, order, name: out.name, state: out.state, reason: out.error ?? '' };
    if (out.state === 'FAILED') this.result.failures.push(problem);
    else if (out.state === 'PENDING') this.result.pending.push(problem);
    else if (this.result.synced.length < this.#sampleSize) {
      this.result.synced.push({ entity: out.entity, key: out.key, name: out.name, mondayId: out.mondayId, groupTitle: out.groupTitle, action: out.action });
    }
    if (out.groupTitle && !this.result.groups.includes(out.groupTitle)) this.result.groups.push(out.groupTitle);
    const conflicts = this.result.conflicts!;
    for (const c of out.conflicts ?? []) {
      conflicts.count++;
      if (conflicts.examples.length < CONFLICT_EXAMPLES) {
        conflicts.examples.push({ order, entity: out.entity, key: out.key, column: c.field ?? c.column, ours: c.ours, theirs: c.theirs, policy: c.policy });
      }
    }
  }

  /** Final status against the thresholds. */
  finish(durationMs: number, remaining: number, thresholds: { success: number; partial: number }): CustomerResult {
    this.result.durationMs = durationMs;
    this.result.remaining = remaining;
    this.result.status = deriveStatus(this.result.counts, thresholds);
    return this.result;
  }
}

// A line held back by its order's problem says so with this prefix; it belongs to the order's group.
const BLOCKED_BY_ORDER = /^not sent: its order (?:failed|is still pending) — /;
// A quoted value in a reason, as column-values quotes it (JSON-escaped).
const QUOTED = /"(?:[^"\\]|\\.)*"/g;
// How much of an offending value a group keeps as its example.
const EXAMPLE_MAX = 60;

/**
 * Groups failures and pending reasons by root cause, once each: quoted values are folded to "…"
 * (the first one is kept as the group's example), and a line "not sent: its order failed — X"
 * counts as blocked in X's group. Every group (the report decides how many it lists).
 */
export function groupErrors(customers: CustomerResult[]): ErrorGroup[] {
  const groups = new Map<string, ErrorGroup>();
  for (const c of customers) {
    for (const p of [...c.failures, ...c.pending]) {
      const prefix = BLOCKED_BY_ORDER.exec(p.reason);
      const cause = prefix ? p.reason.slice(prefix[0].length) : p.reason;
      const reason = cause.replace(QUOTED, '"…"');
      const g = groups.get(reason) ?? { reason, count: 0, blocked: 0, example: null, examples: [] };
      if (prefix) g.blocked++;
      else g.count++;
      g.example ??= exampleOf(cause);
      if (g.examples.length < EXAMPLES && !g.examples.includes(p.order)) g.examples.push(p.order);
      groups.set(reason, g);
    }
  }
  return [...groups.values()].sort((a, b) => b.count + b.blocked - (a.count + a.blocked));
}

/** The first quoted value of a reason, cut to EXAMPLE_MAX characters (it is already JSON-escaped). */
function exampleOf(reason: string): string | null {
  const quoted = reason.match(QUOTED)?.[0];
  if (!quoted) return null;
  return quoted.length > EXAMPLE_MAX ? `${quoted.slice(0, EXAMPLE_MAX - 1)}…` : quoted;
}

/** Unique groups by board and title, first origin kept. */
export function uniqueGroups(groups: ResolvedGroup[]): ResolvedGroup[] {
  const seen = new Map<string, ResolvedGroup>();
  for (const g of groups) if (!seen.has(`${g.board}:${g.title}`)) seen.set(`${g.board}:${g.title}`, g);
  return [...seen.values()];
}

/** Replaces a customer's state counts with the database's own tally (the numbers reports must match); returns any mismatch. */
export function reconcileCounts(result: CustomerResult, tally: Partial<Record<SyncState, number>>): string | null {
  const c = result.counts;
  const db = { synced: tally.SYNCED ?? 0, failed: tally.FAILED ?? 0, pending: tally.PENDING ?? 0 };
  const mismatch = db.synced !== c.synced || db.failed !== c.failed || db.pending !== c.pending
    ? `${result.customer}: outcomes say ${c.synced}/${c.failed}/${c.pending} synced/failed/pending, database says ${db.synced}/${db.failed}/${db.pending}`
    : null;
  Object.assign(c, db, { processed: db.synced + db.failed + db.pending });
  return mismatch;
}

/** Every customer's conflicts: the total and the first examples across customers. */
export function sumConflicts(customers: CustomerResult[], examples = CONFLICT_EXAMPLES): ConflictSummary {
  const all = customers.flatMap((c) => c.conflicts?.examples ?? []);
  return { count: customers.reduce((n, c) => n + (c.conflicts?.count ?? 0), 0), examples: all.slice(0, examples) };
}
