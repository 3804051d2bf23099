/**
 * Product bugs this suite found that are still unfixed. Each has an `it.fails` test that turns
 * red once the bug is fixed; the other suites count its symptom instead of failing on it, and
 * fail on anything else.
 */
import { sql, type Kysely } from 'kysely';
import type { EmulatorState } from '../../../src/emulator/index.ts';
import type { EngineTables } from '../../../src/db/tables.ts';
import { LINE_KEY_COLUMN } from './check-promises.ts';

/**
 * plugins/load/monday-items.ts: a subitem created by a run that died before writing the id back
 * is found again (adopted) by the next run, which then updates it on board '' — the subitems
 * board is only learned from a create response or before adoption — and monday answers
 * "InvalidBoardIdException: Board not found": a permanent failure, so the line ends FAILED
 * although its subitem exists and is right.
 */
export const ADOPTED_SUBITEM_SYMPTOM = 'InvalidBoardIdException: Board not found';

/** Lines that ended FAILED with that symptom although their subitem is on monday with their key. */
export async function adoptedSubitemFailures(db: Kysely<EngineTables>, state: EmulatorState, lines = 'order_list_lines'): Promise<string[]> {
  const rows = await sql<{ line_key: string; monday_subitem_id: string | null }>`select line_key, monday_subitem_id from ${sql.table(lines)}
    where sync_state = 'FAILED' and sync_error_message = ${ADOPTED_SUBITEM_SYMPTOM}`.execute(db);
  const onMonday = new Map(state.items.filter((i) => i.state === 'active' && i.parent_item_id).map((i) => [i.id, String(i.column_values[LINE_KEY_COLUMN])]));
  return rows.rows.filter((r) => r.monday_subitem_id && onMonday.get(r.monday_subitem_id) === r.line_key).map((r) => r.line_key);
}
