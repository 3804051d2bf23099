/** The demo schema: order headers and their size lines, with the sync columns of the design. */
import { sql, type CreateTableBuilder, type Kysely } from 'kysely';

/** Sync columns shared by headers and lines; one state vocabulary, enforced by a check. */
function addSyncColumns<T extends string>(table: CreateTableBuilder<T, never>): CreateTableBuilder<T, never> {
  return table
    .addColumn('sync_state', 'text', (c) => c.notNull().defaultTo('PENDING').check(sql`sync_state in ('PENDING', 'SYNCED', 'FAILED')`))
    .addColumn('action_type', 'text', (c) => c.notNull().defaultTo('CREATE'))
    .addColumn('sync_attempted_at', 'timestamptz')
    .addColumn('sync_completed_at', 'timestamptz')
    .addColumn('retry_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sync_error_message', 'text')
    .addColumn('api_request_payload', 'jsonb')
    .addColumn('api_response_payload', 'jsonb')
    .addColumn('api_status', 'text')
    .addColumn('attempt_id', 'text')
    .addColumn('last_run_id', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`)) as CreateTableBuilder<T, never>;
}

/** Creates `order_list` and `order_list_lines`. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await addSyncColumns(
    db.schema
      .createTable('order_list')
      .addColumn('order_number', 'text', (c) => c.primaryKey())
      .addColumn('customer_name', 'text', (c) => c.notNull())
      .addColumn('customer_season', 'text')
      .addColumn('aag_season', 'text')
      .addColumn('customer_style', 'text')
      .addColumn('style_description', 'text')
      .addColumn('color', 'text')
      .addColumn('po_number', 'text')
      // Dates and quantities arrive as text from the upstream ERP export; the transform validates them.
      .addColumn('order_date', 'text')
      .addColumn('ex_factory_date', 'text')
      .addColumn('total_quantity', 'text')
      .addColumn('unit_price', 'numeric(12, 2)')
      .addColumn('order_status', 'text')
      .addColumn('group_name', 'text')
      .addColumn('group_id', 'text')
      .addColumn('item_name', 'text')
      .addColumn('monday_item_id', 'text'),
  ).execute();
  await db.schema.createIndex('order_list_pending').on('order_list').columns(['customer_name', 'sync_state', 'order_number']).execute();
  await db.schema.createIndex('order_list_group_name').on('order_list').columns(['customer_name', 'group_name']).execute();

  await addSyncColumns(
    db.schema
      .createTable('order_list_lines')
      .addColumn('line_key', 'text', (c) => c.primaryKey())
      .addColumn('order_number', 'text', (c) => c.notNull().references('order_list.order_number').onDelete('cascade'))
      .addColumn('line_number', 'integer', (c) => c.notNull())
      .addColumn('size', 'text')
      .addColumn('quantity', 'text')
      .addColumn('monday_subitem_id', 'text')
      .addColumn('parent_item_id', 'text'),
  ).execute();
  await db.schema.createIndex('order_list_lines_order').on('order_list_lines').columns(['order_number', 'line_number']).execute();
  await db.schema.createIndex('order_list_lines_pending').on('order_list_lines').columns(['sync_state', 'order_number']).execute();
}

/** Drops the demo tables. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('order_list_lines').ifExists().execute();
  await db.schema.dropTable('order_list').ifExists().execute();
}
