/** `ordersync_record_state.monday_values`: monday values a person set that ordersync accepted (`onConflict: keep-monday`). */
import type { Kysely } from 'kysely';

/** Adds the column (null: monday holds what `values` says). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('ordersync_record_state').addColumn('monday_values', 'jsonb').execute();
}

/** Drops the column. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('ordersync_record_state').dropColumn('monday_values').execute();
}
