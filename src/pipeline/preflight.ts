/**
 * Preflight: before a run writes anything (and for `validate --online`), every stage checks what the
 * config points at — source tables and columns, boards, monday columns, labels — and every problem
 * is reported at once, located in the pipeline file. Reads only.
 */
import type { ConfigIssue } from '../config/config-issue.ts';
import type { PipelineConfig } from '../config/load-config.ts';
import type { ColumnRef, ConfigPath, FieldRef, PluginContext, PreflightScope, StageKind, StageNeeds } from './contract/index.ts';
import { STAGE_KINDS } from './contract/index.ts';
import { createStage } from './create-stages.ts';
import { nearestName } from './nearest-name.ts';
import { checkWriteBack } from './write-back/check-write-back.ts';
import type { UnconfiguredCustomer } from './run-summary.ts';

/** What preflight found. */
export interface PreflightReport {
  /** Problems, located; any one of them stops the run before anything is written. */
  issues: ConfigIssue[];
  unconfigured: UnconfiguredCustomer[];
  /** Things an operator should know that do not stop the run (e.g. the pinned API version is in maintenance). */
  warnings: string[];
  /** monday requests it made and the time it took. */
  requests: number;
  durationMs: number;
}

const absolute = (kind: StageKind, refs: { path: ConfigPath }[] = []): void => {
  for (const ref of refs) ref.path = ['stages', kind, 'with', ...ref.path];
};

/** Every stage's needs, with absolute paths. */
function collectNeeds(config: PipelineConfig): PreflightScope['reads'] & { item: ColumnRef[]; subitem: ColumnRef[] } {
  const out = { headers: [] as FieldRef[], lines: [] as FieldRef[], item: [] as ColumnRef[], subitem: [] as ColumnRef[] };
  for (const kind of STAGE_KINDS) {
    const stage = config.stages[kind];
    const needs: StageNeeds = stage.plugin.describe?.(stage.options) ?? {};
    const parts = { headers: needs.reads?.headers, lines: needs.reads?.lines, item: needs.writes?.item, subitem: needs.writes?.subitem };
    for (const [part, refs] of Object.entries(parts)) {
      if (!refs) continue;
      const copies = refs.map((r) => ({ ...r, path: [...r.path] }));
      absolute(kind, copies);
      (out[part as keyof typeof out] as { path: ConfigPath }[]).push(...copies);
    }
  }
  return out;
}

/** Runs every stage's preflight; `ctx` must be a read-only (dry-run) context. */
export async function runPreflight(config: PipelineConfig, ctx: PluginContext, customers: readonly string[]): Promise<PreflightReport> {
  const t0 = performance.now();
  const requestsBefore = ctx.monday.stats().requests;
  const needs = collectNeeds(config);
  const boards: PreflightScope['boards'] = [];
  for (const name of customers) {
    const index = config.customers.findIndex((c) => c.name === name);
    const id = ctx.boardFor(name);
    if (!boards.some((b) => b.id === id)) boards.push({ id, path: config.customers[index]?.board ? ['customers', index, 'board'] : ['monday', 'board'] });
  }
  const extract = await createStage(config.stages.extract, ctx);
  const issues: ConfigIssue[] = [];
  const warnings: string[] = [];
  const add = (path: ConfigPath, message: string): void => {
    issues.push({ ...config.locate(path), message });
  };
  // The API version read needs nothing else: it runs while the stages check.
  const versionWarnings = checkApiVersion(ctx, config.monday.apiVersion);
  // Awaited below; a failure while the stages are still checking must not go unhandled meanwhile.
  versionWarnings.catch(() => {});
  try {
    let sourceOk = true;
    const scope = (kind: StageKind): PreflightScope => ({
      at: ['stages', kind, 'with'],
      reads: { headers: needs.headers, lines: needs.lines },
      writes: { item: needs.item, subitem: needs.subitem },
      boards,
      customers: [...customers],
      pendingValues: async (part, field, of) => (sourceOk && extract.pendingValues ? extract.pendingValues(part, field, of) : []),
    });
    for (const kind of STAGE_KINDS) {
      const stage = config.stages[kind];
      if (!stage.plugin.preflight) continue;
      const problems = await stage.plugin.preflight(stage.options, ctx, scope(kind));
      for (const p of problems) {
        if (p.severity === 'warning') warnings.push(`${stage.use}: ${p.message} (at ${config.locate(p.path).path})`);
        else add(p.path, `${stage.use}: ${p.message}`);
      }
      // Label checks read the source: only once the source itself checked out.
      if (kind === 'extract' && problems.some((p) => p.severity !== 'warning')) sourceOk = false;
    }
    if (config.writeBack && sourceOk) {
      const sent = { headers: needs.headers.map((f) => f.field), lines: needs.lines.map((f) => f.field) };
      for (const p of await checkWriteBack(config.writeBack, ctx, extract, boards.map((b) => b.id), sent)) add(p.path, p.message);
    }
    const unconfigured = sourceOk ? await findUnconfigured(extract.pendingCustomers, config.customers.map((c) => c.name)) : [];
    warnings.push(...await versionWarnings);
    return { issues: issues.sort((a, b) => a.line - b.line || a.col - b.col), unconfigured, warnings, requests: ctx.monday.stats().requests - requestsBefore, durationMs: Math.round(performance.now() - t0) };
  } finally {
    await extract.close();
  }
}

async function findUnconfigured(pendingCustomers: (() => Promise<{ customer: string; count: number }[]>) | undefined, configured: string[]): Promise<UnconfiguredCustomer[]> {
  if (!pendingCustomers) return [];
  const known = new Set(configured);
  return (await pendingCustomers())
    .filter((p) => !known.has(p.customer))
    .map((p) => ({ customer: p.customer, count: p.count, suggestion: nearestName(p.customer, configured) }));
}

/** One line per unconfigured customer, for logs and the terminal. */
export function describeUnconfigured(u: UnconfiguredCustomer): string {
  return `${u.count} PENDING order(s) of customer ${JSON.stringify(u.customer)}, which is not configured${u.suggestion ? ` (did you mean ${u.suggestion}?)` : ''}: add it under customers: to sync them`;
}

// API reference "Version" / "API versioning": `version` says which kind the pinned version is. The
// API gives no end date, so the warning quotes monday's own description of the kind.
const KIND_MEANING: Record<string, string> = {
  maintenance: 'the previous version; migrate to the current one as soon as possible',
  previous_maintenance: 'an older version that monday will deprecate; migrate to the current one as soon as possible',
  old__maintenance: 'an old version that monday will deprecate in January; migrate to the current one as soon as possible',
  old_previous_maintenance: 'an old version that monday will deprecate in January; migrate to the current one as soon as possible',
  deprecated: 'no longer supported; migrate to the current one now',
  release_candidate: 'the next version, still changing; pin the current one for production',
  dev: 'a rolling development version; pin the current one for production',
};

/** A warning when the pinned API version is not monday's current one (one read). */
async function checkApiVersion(ctx: PluginContext, pinned: string): Promise<string[]> {
  const { data } = await ctx.monday.query<{ version: { kind: string; value: string } | null }>('query { version { kind value } }', {});
  const kind = data.version?.kind ?? null;
  if (!kind || kind === 'current') return [];
  return [`monday API version ${data.version!.value} (monday.apiVersion ${pinned}) is ${kind}: ${KIND_MEANING[kind] ?? 'not the current version'}; monday's API gives no end date (see the "API versioning" page)`];
}
