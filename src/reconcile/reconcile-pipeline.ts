/**
 * `ordersync reconcile`: each board of a pipeline compared with the database, reading only — the
 * board through paced items_page reads, the source through the extract stage's inventory, what was
 * last written from `ordersync_record_state`.
 */
import type { PipelineConfig } from '../config/load-config.ts';
import type { Database } from '../db/open-database.ts';
import type { MondayClient } from '../monday/types.ts';
import type { InventoryRow } from '../pipeline/contract/index.ts';
import { createPluginContext } from '../pipeline/create-context.ts';
import { createStage } from '../pipeline/create-stages.ts';
import { silentLogger } from '../pipeline/logger.ts';
import { describeBoards } from '../pipeline/write-back/describe-boards.ts';
import { FINDING_KINDS, countsDiffer, findDrift, type BoardDrift, type FindingKind } from './find-drift.ts';
import { readBoardItems, type BoardItem } from './read-board-items.ts';

/** What reconcile needs. */
export interface ReconcileOptions {
  config: PipelineConfig;
  database: Database;
  monday: MondayClient;
  /** Items per items_page read (default 100: each carries its subitems). */
  pageSize?: number;
  signal?: AbortSignal;
  now?: () => Date;
}

/** What reconcile found, machine-readable (`--json`). */
export interface ReconcileReport {
  pipeline: string;
  checkedAt: string;
  boards: BoardDrift[];
  /** Findings per kind over every board. */
  totals: Record<FindingKind, number>;
  /** Groups whose counts differ, over every board. */
  groupsDiffering: number;
  /** True when anything differs (exit 1). */
  drift: boolean;
  /** monday requests and complexity the reads cost. */
  requests: number;
  complexity: number;
}

/** Compares every board of the pipeline with the database; writes nothing. */
export async function reconcilePipeline(options: ReconcileOptions): Promise<ReconcileReport> {
  const { config, database, monday } = options;
  const now = options.now ?? (() => new Date());
  const before = monday.stats();
  const ctx = createPluginContext({ db: database.db, monday, logger: silentLogger, runId: 'reconcile', pipeline: config.pipeline, configDir: config.dir, dryRun: true, signal: options.signal });
  const source = await createStage(config.stages.extract, ctx);
  try {
    if (!source.inventory) throw new Error(`reconcile: the extract stage ${config.stages.extract.use} cannot list its records (no inventory)`);
    const transform = config.stages.transform;
    const needs = transform.plugin.describe?.(transform.options) ?? {};
    const keys = { item: needs.keys?.item ?? null, subitem: needs.keys?.subitem ?? null };
    const columns = [...new Set([...(needs.writes?.item ?? []).map((c) => c.id), ...(keys.item ? [keys.item] : [])])];
    const subColumns = [...new Set([...(needs.writes?.subitem ?? []).map((c) => c.id), ...(keys.subitem ? [keys.subitem] : [])])];
    const customersOf = new Map<string, string[]>();
    for (const c of config.customers) {
      const board = c.board ?? config.monday.board;
      customersOf.set(board, [...(customersOf.get(board) ?? []), c.name]);
    }
    const described = await describeBoards(monday, [...customersOf.keys()], options.signal);
    const boards: BoardDrift[] = [];
    for (const [board, customers] of customersOf) {
      const info = described.get(board);
      if (!info) throw new Error(`reconcile: board ${board} does not exist or cannot be read`);
      const items: BoardItem[] = [];
      for await (const page of readBoardItems(monday, { board, limit: options.pageSize ?? 100, columns, subColumns, signal: options.signal })) items.push(...page);
      const rows: InventoryRow[] = [];
      for await (const page of source.inventory(customers)) rows.push(...page);
      const written = await database.db.selectFrom('ordersync_record_state').select(['entity', 'record_key', 'values']).where('board_id', '=', board).where('values', 'is not', null).execute();
      const titles = await database.db.selectFrom('ordersync_groups').select(['group_id', 'title']).where('board_id', '=', board).execute();
      boards.push(findDrift(
        { board, items, itemTypes: info.columns, subitemTypes: info.subitemsBoard?.columns ?? new Map(), keyColumn: keys.item, subitemKeyColumn: keys.subitem },
        { rows, written: new Map(written.map((w) => [`${w.entity}:${w.record_key}`, w.values as Record<string, unknown>])), titles: new Map(titles.map((t) => [t.group_id, t.title])) },
      ));
    }
    const totals = Object.fromEntries(FINDING_KINDS.map((kind) => [kind, boards.reduce((n, b) => n + b.findings.filter((f) => f.kind === kind).length, 0)])) as Record<FindingKind, number>;
    const groupsDiffering = boards.reduce((n, b) => n + b.groups.filter(countsDiffer).length, 0);
    const after = monday.stats();
    return {
      pipeline: config.pipeline, checkedAt: now().toISOString(), boards, totals, groupsDiffering,
      drift: groupsDiffering > 0 || Object.values(totals).some((n) => n > 0),
      requests: after.requests - before.requests, complexity: after.complexityUsed - before.complexityUsed,
    };
  } finally {
    await source.close();
  }
}
