/**
 * Preflight of `writeBack:`: every database column it names exists on its table (and is not one the
 * pipeline sends to monday, which would send a person's value straight back), and every monday column
 * exists on each board (subitem columns on its subitems board). Reads only.
 */
import type { WriteBackConfig } from '../../config/envelope-schema.ts';
import type { ConfigPath, Extractor, PluginContext, SourcePart } from '../contract/index.ts';
import { didYouMean } from '../nearest-name.ts';
import { describeBoards } from './describe-boards.ts';

/** A problem at an absolute config path. */
export interface WriteBackProblem {
  path: ConfigPath;
  message: string;
}

// The sync columns ordersync itself writes: never a target of the write-back.
const SYNC_COLUMNS = new Set(['sync_state', 'action_type', 'group_name', 'group_id', 'item_name', 'monday_item_id', 'monday_subitem_id', 'parent_item_id',
  'sync_attempted_at', 'sync_completed_at', 'retry_count', 'sync_error_message', 'api_request_payload', 'api_response_payload', 'api_status', 'attempt_id', 'last_run_id']);

/** Every problem of the write-back config; `sent` are the source fields the stages read per table. */
export async function checkWriteBack(
  config: WriteBackConfig, ctx: PluginContext, source: Extractor, boards: string[], sent: Record<SourcePart, string[]>,
): Promise<WriteBackProblem[]> {
  const problems: WriteBackProblem[] = [];
  const parts = [['items', 'headers'], ['subitems', 'lines']] as const;
  if (!source.columnTypes || !source.writeBack.applyBoardValues) {
    return [{ path: ['writeBack'], message: 'the extract stage cannot write monday values back (it has no columnTypes/applyBoardValues)' }];
  }
  for (const [option, part] of parts) {
    const mapping = config[option];
    if (!mapping) continue;
    const types = await source.columnTypes(part);
    const existing = Object.keys(types);
    const checkColumn = (column: string, path: ConfigPath): void => {
      if (!(column in types)) problems.push({ path, message: `write-back: column ${column} does not exist in the ${part} table${didYouMean(column, existing)}` });
      else if (SYNC_COLUMNS.has(column)) problems.push({ path, message: `write-back: ${column} is a sync column ordersync writes itself; write the monday value to a column of its own` });
      else if (sent[part].includes(column)) problems.push({ path, message: `write-back: ${column} is also sent to monday by the pipeline, so a person's value would be sent straight back; write it to a column of its own` });
    };
    for (const [columnId, column] of Object.entries(mapping.columns)) checkColumn(column, ['writeBack', option, 'columns', columnId]);
    if (mapping.updatedAt) {
      checkColumn(mapping.updatedAt, ['writeBack', option, 'updatedAt']);
      const type = types[mapping.updatedAt];
      if (type && !type.startsWith('timestamp') && type !== 'text') problems.push({ path: ['writeBack', option, 'updatedAt'], message: `write-back: ${mapping.updatedAt} is ${type}; the time of the last change needs a timestamp (or text) column` });
    }
  }
  const described = await describeBoards(ctx.monday, boards, ctx.signal);
  for (const board of boards) {
    const main = described.get(board);
    if (!main) continue; // the load stage's preflight names a board that does not exist
    for (const [option, on] of [['items', main], ['subitems', main.subitemsBoard]] as const) {
      const mapping = config[option];
      if (!mapping) continue;
      if (!on) {
        problems.push({ path: ['writeBack', option], message: `write-back: board ${board} has no subitems board` });
        continue;
      }
      for (const columnId of Object.keys(mapping.columns)) {
        if (!on.columns.has(columnId)) problems.push({ path: ['writeBack', option, 'columns', columnId], message: `write-back: column ${columnId} does not exist on board ${on.id}${didYouMean(columnId, [...on.columns.keys()])}` });
      }
    }
  }
  return problems;
}
