/** Engine tables: runs, groups, api log, record state. */
import { sql, type Kysely } from 'kysely';

/** Creates the engine tables. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ordersync_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('pipeline', 'text', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('RUNNING', 'SUCCESS', 'PARTIAL', 'FAILED', 'INTERRUPTED')`),
    )
    .addColumn('dry_run', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('finished_at', 'timestamptz')
    .addColumn('heartbeat_at', 'timestamptz', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('summary', 'jsonb')
    .addColumn('report_path', 'text')
    .execute();
  await db.schema.createIndex('ordersync_runs_pipeline_started').on('ordersync_runs').columns(['pipeline', 'started_at']).execute();

  await db.schema
    .createTable('ordersync_groups')
    .addColumn('board_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('created_by_run', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('ordersync_groups_pk', ['board_id', 'title'])
    .execute();

  await db.schema
    .createTable('ordersync_api_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('attempt_id', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('record_key', 'text', (c) => c.notNull())
    .addColumn('customer', 'text')
    .addColumn('operation', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('PENDING', 'SYNCED', 'FAILED')`))
    .addColumn('error', 'text')
    .addColumn('request', 'jsonb')
    .addColumn('response', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('ordersync_api_log_run').on('ordersync_api_log').column('run_id').execute();
  await db.schema.createIndex('ordersync_api_log_record').on('ordersync_api_log').columns(['entity', 'record_key']).execute();
  await db.schema.createIndex('ordersync_api_log_created').on('ordersync_api_log').column('created_at').execute();

  await db.schema
    .createTable('ordersync_record_state')
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('record_key', 'text', (c) => c.notNull())
    .addColumn('parent_key', 'text')
    .addColumn('board_id', 'text', (c) => c.notNull())
    .addColumn('monday_id', 'text')
    .addColumn('group_id', 'text')
    .addColumn('fingerprint', 'text')
    .addColumn('values', 'jsonb')
    .addColumn('failed_fingerprint', 'text')
    .addColumn('synced_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('ordersync_record_state_pk', ['entity', 'record_key'])
    .execute();
  await db.schema.createIndex('ordersync_record_state_parent').on('ordersync_record_state').columns(['entity', 'parent_key']).execute();
}

/** Drops the engine tables. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['ordersync_record_state', 'ordersync_api_log', 'ordersync_groups', 'ordersync_runs']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
