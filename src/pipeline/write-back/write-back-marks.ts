/** How far each board's read of changed items has come (`ordersync_write_back_marks`). */
import type { Kysely } from 'kysely';
import type { EngineTables } from '../../db/tables.ts';

/** One board's mark. */
export interface WriteBackMark {
  /** Items changed at or after this time are read next (null: read every item). */
  since: Date | null;
  /** The cursor after the last committed page of an unfinished read, with when it was taken and when that read began. */
  cursor: string | null;
  cursorAt: Date | null;
  readStartedAt: Date | null;
}

const asDate = (value: Date | string | null): Date | null => (value === null ? null : new Date(value));

/** The board's mark (all null before its first read). */
export async function loadMark(db: Kysely<EngineTables>, pipeline: string, board: string): Promise<WriteBackMark> {
  const row = await db.selectFrom('ordersync_write_back_marks').selectAll().where('pipeline', '=', pipeline).where('board_id', '=', board).executeTakeFirst();
  return { since: asDate(row?.since ?? null), cursor: row?.cursor ?? null, cursorAt: asDate(row?.cursor_at ?? null), readStartedAt: asDate(row?.read_started_at ?? null) };
}

/** Stores the mark; called only after the page it describes is committed. */
export async function saveMark(db: Kysely<EngineTables>, pipeline: string, board: string, mark: WriteBackMark): Promise<void> {
  const values = { since: mark.since, cursor: mark.cursor, cursor_at: mark.cursorAt, read_started_at: mark.readStartedAt, updated_at: new Date() };
  await db.insertInto('ordersync_write_back_marks').values({ pipeline, board_id: board, ...values })
    .onConflict((oc) => oc.columns(['pipeline', 'board_id']).doUpdateSet(values)).execute();
}
