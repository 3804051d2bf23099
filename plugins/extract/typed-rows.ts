/** Rows sent to PostgreSQL as one parameter and read back with the column types of a table. */
import { sql, type RawBuilder } from 'kysely';

/**
 * `jsonb_populate_recordset(null::<table>, $rows)`: each object becomes a row of the table's own
 * type, field by column name; a missing or null field is NULL. Typed by the table, so a join on
 * the key uses the key column's equality and index whatever its type (text, char(n), integer), and
 * an id or a title lands in its column as a per-row parameter would.
 */
export function typedRows(table: string, rows: readonly Record<string, unknown>[]): RawBuilder<unknown> {
  // Sent as text and cast in SQL: postgres.js would encode a string bound to jsonb a second time.
  return sql`jsonb_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(rows)}::text::jsonb)`;
}
