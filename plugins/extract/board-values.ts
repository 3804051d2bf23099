/**
 * Write-back of monday-owned columns into postgres-pending's tables: values people set on the board
 * land on the rows holding their monday ids, and the source's column types say how to cast them.
 */
import { sql, type Kysely } from 'kysely';
import type { BoardValues, PluginContext, SourcePart } from '../../src/pipeline/index.ts';
import type { PostgresPendingOptions } from './postgres-pending.ts';

/** The session setting a write-back transaction carries, so a user's "mark PENDING on update" trigger can skip it. */
export const WRITE_BACK_SETTING = 'ordersync.write_back';

// information_schema.data_type names are lower-case words (`timestamp with time zone`); anything else is not cast.
const PLAIN_TYPE = /^[a-z][a-z ]*$/;

/** SQL types of the columns of a table (schema-qualified or in the current schema). */
export async function readColumnTypes(db: Kysely<unknown>, table: string): Promise<Record<string, string>> {
  const [schema, name] = table.includes('.') ? table.split('.') as [string, string] : [null, table];
  const inSchema = schema === null ? sql`table_schema = current_schema()` : sql`table_schema = ${schema}`;
  const r = await sql<{ c: string; t: string }>`select column_name as c, data_type as t from information_schema.columns where ${inSchema} and table_name = ${name}`.execute(db);
  return Object.fromEntries(r.rows.map((row) => [row.c, row.t]));
}

/** `columnTypes` and `applyBoardValues` of postgres-pending. */
export function createBoardValues(o: PostgresPendingOptions, ctx: PluginContext): {
  columnTypes(part: SourcePart): Promise<Record<string, string>>;
  applyBoardValues(part: SourcePart, rows: BoardValues[]): Promise<number>;
} {
  const cache = new Map<SourcePart, Promise<Record<string, string>>>();
  const columnTypes = (part: SourcePart): Promise<Record<string, string>> => {
    let types = cache.get(part);
    if (!types) cache.set(part, (types = readColumnTypes(ctx.db as Kysely<unknown>, part === 'headers' ? o.headers : o.lines)));
    return types;
  };
  return {
    columnTypes,
    async applyBoardValues(part, rows) {
      if (rows.length === 0) return 0;
      const types = await columnTypes(part);
      const table = sql.table(part === 'headers' ? o.headers : o.lines);
      const idColumn = sql.ref(part === 'headers' ? 'monday_item_id' : 'monday_subitem_id');
      const typed = (column: string, value: string | null) => {
        const type = types[column];
        if (!type) throw new Error(`postgres-pending: column ${column} does not exist in ${part === 'headers' ? o.headers : o.lines}`);
        return PLAIN_TYPE.test(type) ? sql`cast(${value} as ${sql.raw(type)})` : sql`${value}`;
      };
      return ctx.db.transaction().execute(async (trx) => {
        // Local to this transaction: a trigger reads it with current_setting('ordersync.write_back', true).
        await sql`select set_config(${WRITE_BACK_SETTING}, 'on', true)`.execute(trx);
        let changed = 0;
        for (const row of rows) {
          const entries = Object.entries(row.values);
          if (entries.length === 0) continue;
          const sets = sql.join(entries.map(([column, value]) => sql`${sql.ref(column)} = ${typed(column, value)}`));
          // Only columns that differ: an unchanged row is not touched at all, so no trigger fires for it.
          const differs = sql.join(entries.map(([column, value]) => sql`${sql.ref(column)} is distinct from ${typed(column, value)}`), sql` or `);
          const r = await sql`update ${table} set ${sets} where ${idColumn} = ${row.mondayId} and (${differs})`.execute(trx);
          changed += Number(r.numAffectedRows ?? 0);
        }
        return changed;
      });
    },
  };
}
