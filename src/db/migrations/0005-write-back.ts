/**
 * Write-back of monday-owned columns: where each board's read of changed items stands, and two demo
 * columns on `order_list` that receive the board's Status and the item's last change.
 */
import { sql, type Kysely } from 'kysely';

/** Creates `ordersync_write_back_marks` and adds `monday_status` / `monday_updated_at` to the demo headers. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ordersync_write_back_marks')
    .addColumn('pipeline', 'text', (c) => c.notNull())
    .addColumn('board_id', 'text', (c) => c.notNull())
    // Items changed at or after this time are read next (null: never read completely, read everything).
    .addColumn('since', 'timestamptz')
    // A read in progress: the cursor after the last committed page, when it was taken and when that read began.
    .addColumn('cursor', 'text')
    .addColumn('cursor_at', 'timestamptz')
    .addColumn('read_started_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('ordersync_write_back_marks_pk', ['pipeline', 'board_id'])
    .execute();
  await sql`alter table order_list add column if not exists monday_status text, add column if not exists monday_updated_at timestamptz`.execute(db);
}

/** Drops the marks table and the demo columns. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('ordersync_write_back_marks').ifExists().execute();
  await sql`alter table order_list drop column if exists monday_status, drop column if exists monday_updated_at`.execute(db);
}
