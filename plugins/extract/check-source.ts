/** Preflight of postgres-pending: the tables and every column the pipeline names exist (from the database's catalogue). */
import { sql } from 'kysely';
import { didYouMean, type PluginContext, type PreflightProblem, type PreflightScope } from '../../src/pipeline/index.ts';

/** The options preflight checks. */
export interface SourceTables {
  headers: string;
  lines: string;
  key: string;
  customer: string;
  lineKey: string;
  lineParent: string;
  lineOrder: string;
}

// The sync columns the extract and its write-back read and write (README "The database").
const HEADER_SYNC = ['sync_state', 'action_type', 'group_name', 'group_id', 'item_name', 'monday_item_id', 'sync_attempted_at', 'sync_completed_at',
  'retry_count', 'sync_error_message', 'api_request_payload', 'api_response_payload', 'api_status', 'attempt_id', 'last_run_id', 'updated_at'];
const LINE_SYNC = ['sync_state', 'monday_subitem_id', 'parent_item_id', 'sync_attempted_at', 'sync_completed_at', 'retry_count', 'sync_error_message',
  'api_request_payload', 'api_response_payload', 'api_status', 'attempt_id', 'last_run_id', 'updated_at'];

/** Columns of a table (schema-qualified or in the current schema), or null when there is no such table; and the schema's tables. */
async function describeTable(ctx: PluginContext, name: string): Promise<{ columns: string[] | null; tables: string[] }> {
  const [schema, table] = name.includes('.') ? name.split('.') as [string, string] : [null, name];
  const inSchema = schema === null ? sql`table_schema = current_schema()` : sql`table_schema = ${schema}`;
  const tables = await sql<{ t: string }>`select table_name as t from information_schema.tables where ${inSchema}`.execute(ctx.db);
  const columns = await sql<{ c: string }>`select column_name as c from information_schema.columns where ${inSchema} and table_name = ${table} order by ordinal_position`.execute(ctx.db);
  const names = tables.rows.map((r) => r.t);
  return { columns: names.includes(table) ? columns.rows.map((r) => r.c) : null, tables: names };
}

/** Every problem of the source, located at the option or mapping that names it. */
export async function checkSource(o: SourceTables, ctx: PluginContext, scope: PreflightScope): Promise<PreflightProblem[]> {
  const problems: PreflightProblem[] = [];
  const check = async (option: 'headers' | 'lines', own: ('key' | 'customer' | 'lineKey' | 'lineParent' | 'lineOrder')[], sync: string[], reads: PreflightScope['reads']['headers']): Promise<void> => {
    const table = o[option];
    const { columns, tables } = await describeTable(ctx, table);
    if (!columns) {
      problems.push({ path: [...scope.at, option], message: `table ${table} does not exist${didYouMean(table.split('.').pop()!, tables)}` });
      return;
    }
    const missing = (column: string): string => `column ${column} does not exist in table ${table}${didYouMean(column, columns)}`;
    for (const key of own) if (!columns.includes(o[key])) problems.push({ path: [...scope.at, key], message: missing(o[key]) });
    const absent = sync.filter((c) => !columns.includes(c));
    if (absent.length > 0) problems.push({ path: [...scope.at, option], message: `table ${table} lacks the sync column${absent.length > 1 ? 's' : ''} ${absent.join(', ')} (see README "The database")` });
    for (const ref of reads) if (!columns.includes(ref.field)) problems.push({ path: ref.path, message: missing(ref.field) });
  };
  await check('headers', ['key', 'customer'], HEADER_SYNC, scope.reads.headers);
  await check('lines', ['lineKey', 'lineParent', 'lineOrder'], LINE_SYNC, scope.reads.lines);
  return problems;
}
