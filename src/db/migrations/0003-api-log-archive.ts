/** `ordersync_api_log_archive`: api-log rows past retention, moved here by the housekeeping job of `serve`. */
import { sql, type Kysely } from 'kysely';

/** Creates the archive table: the api log's columns (same ids) plus when each row was archived. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ordersync_api_log_archive')
    // The id is the original api-log id (not a new sequence), so archived rows stay traceable.
    .addColumn('id', 'bigint', (c) => c.primaryKey())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('attempt_id', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('record_key', 'text', (c) => c.notNull())
    .addColumn('customer', 'text')
    .addColumn('operation', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('request', 'jsonb')
    .addColumn('response', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('archived_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('ordersync_api_log_archive_run').on('ordersync_api_log_archive').column('run_id').execute();
  await db.schema.createIndex('ordersync_api_log_archive_record').on('ordersync_api_log_archive').columns(['entity', 'record_key']).execute();
}

/** Drops the archive table. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('ordersync_api_log_archive').ifExists().execute();
}
