/**
 * Write-back of monday-owned columns, once per run: for each board (and its subitems board), the items
 * changed since the last complete read are read a page at a time, their values converted back by column
 * type and written to the source rows in one transaction per page; the mark moves only after a commit.
 */
import type { Kysely } from 'kysely';
import type { WriteBackConfig } from '../../config/envelope-schema.ts';
import type { EngineTables } from '../../db/tables.ts';
import { MondayError, type MondayClient } from '../../monday/types.ts';
import type { BoardValues, Extractor, SourcePart } from '../contract/index.ts';
import type { Logger } from '../logger.ts';
import { convertBoardValue } from './convert-board-value.ts';
import { describeBoards } from './describe-boards.ts';
import { readFirstPage, readNextPage, type ItemsPage } from './read-changed-items.ts';
import { loadMark, saveMark, type WriteBackMark } from './write-back-marks.ts';

/** What one run's write-back needs. */
export interface WriteBackScope {
  config: WriteBackConfig;
  monday: MondayClient;
  db: Kysely<EngineTables>;
  pipeline: string;
  /** The boards of the run's customers. */
  boards: string[];
  source: Extractor;
  logger: Logger;
  signal: AbortSignal;
  now: () => Date;
}

/** What the write-back did. */
export interface WriteBackResult {
  /** Items (and subitems) read from monday. */
  itemsRead: number;
  /** Source rows whose written-back columns changed. */
  rowsChanged: number;
  /** Values left out because they do not fit their database column. */
  skipped: number;
  /** Boards whose read stopped (it resumes there next run), with why. */
  problems: string[];
}

// monday's cursors expire after 60 minutes; one kept longer than this is not tried.
const CURSOR_FRESH_MS = 55 * 60_000;

interface Target {
  board: string;
  part: SourcePart;
  mapping: NonNullable<WriteBackConfig['items']>;
}

/** Runs the write-back for every board of the run. */
export async function runWriteBack(scope: WriteBackScope): Promise<WriteBackResult> {
  const result: WriteBackResult = { itemsRead: 0, rowsChanged: 0, skipped: 0, problems: [] };
  const { config, source } = scope;
  if (!source.writeBack.applyBoardValues || !source.columnTypes) {
    result.problems.push('the extract stage cannot write values back (no applyBoardValues)');
    return result;
  }
  const described = await describeBoards(scope.monday, scope.boards, scope.signal);
  const targets: Target[] = [];
  for (const board of scope.boards) {
    if (config.items) targets.push({ board, part: 'headers', mapping: config.items });
    const sub = described.get(board)?.subitemsBoard;
    if (config.subitems && sub && !targets.some((t) => t.board === sub.id)) targets.push({ board: sub.id, part: 'lines', mapping: config.subitems });
  }
  for (const target of targets) {
    if (scope.signal.aborted) break;
    try {
      await writeBackBoard(scope, target, await source.columnTypes(target.part), result);
    } catch (error) {
      const why = `board ${target.board}: ${(error as Error).message}`;
      result.problems.push(why);
      scope.logger.warn(`write-back stopped for ${why}; the next run reads again from the last committed page`);
    }
  }
  return result;
}

async function writeBackBoard(scope: WriteBackScope, target: Target, types: Record<string, string>, result: WriteBackResult): Promise<void> {
  const { monday, db, pipeline, config, signal } = scope;
  const columns = Object.keys(target.mapping.columns);
  const mark = await loadMark(db, pipeline, target.board);
  const overlapMs = config.overlapSeconds * 1000;
  const from = mark.since ? new Date(mark.since.getTime() - overlapMs) : null;
  const limit = config.pageSize;
  let startedAt = scope.now();
  let page: ItemsPage | null = null;
  if (mark.cursor && mark.cursorAt && mark.readStartedAt && startedAt.getTime() - mark.cursorAt.getTime() < CURSOR_FRESH_MS) {
    // An unfinished read: go on after its last committed page.
    page = await readNextPage(monday, { cursor: mark.cursor, limit, columns, signal }).catch((error: unknown) => {
      if (error instanceof MondayError && error.info.class !== 'auth' && error.info.class !== 'daily-limit') return null; // expired: start over
      throw error;
    });
    if (page) startedAt = mark.readStartedAt;
  }
  page ??= await readFirstPage(monday, { board: target.board, since: from, limit, columns, signal });
  for (;;) {
    result.itemsRead += page.items.length;
    const rows: BoardValues[] = [];
    for (const item of page.items) {
      // The day filter is a superset: each item's own time decides.
      if (from && item.updated_at && Date.parse(item.updated_at) < from.getTime()) continue;
      const values: Record<string, string | null> = {};
      for (const [columnId, dbColumn] of Object.entries(target.mapping.columns)) {
        const read = item.column_values.find((c) => c.id === columnId);
        if (!read) continue;
        const converted = convertBoardValue(read, types[dbColumn] ?? 'text');
        if (converted.ok) values[dbColumn] = converted.value;
        else {
          result.skipped++;
          if (result.skipped <= 5) scope.logger.warn(`write-back: item ${item.id} column ${columnId} → ${dbColumn}: ${converted.reason}; left as it is`);
        }
      }
      if (target.mapping.updatedAt && item.updated_at) values[target.mapping.updatedAt] = item.updated_at;
      rows.push({ mondayId: String(item.id), values });
    }
    result.rowsChanged += await scope.source.writeBack.applyBoardValues!(target.part, rows);
    // Committed: only now may the mark move past this page.
    const next: WriteBackMark = page.cursor
      ? { since: mark.since, cursor: page.cursor, cursorAt: scope.now(), readStartedAt: startedAt }
      : { since: startedAt, cursor: null, cursorAt: null, readStartedAt: null };
    await saveMark(db, pipeline, target.board, next);
    if (!page.cursor || signal.aborted) return;
    page = await readNextPage(monday, { cursor: page.cursor, limit, columns, signal });
  }
}
