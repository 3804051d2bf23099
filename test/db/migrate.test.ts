import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATION_NAMES, migrateToLatest } from '../../src/db/migrate.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../support/test-database.ts';

describe.each(dialects)('migrations on %s', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(dialect, { migrate: false });
  });
  afterAll(async () => t?.dispose());

  it('creates the engine and demo tables, and is a no-op the second time', async () => {
    const first = await migrateToLatest(t.database.db);
    expect(first.applied).toEqual([...MIGRATION_NAMES]);
    expect(first.applied.slice(0, 2)).toEqual(['0001-engine-tables', '0002-demo-orders']);
    const second = await migrateToLatest(t.database.db);
    expect(second.applied).toEqual([]);
    const tables = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() order by 1`.execute(t.database.db);
    expect(tables.rows.map((r) => r.name)).toEqual(expect.arrayContaining([
      'order_list', 'order_list_lines', 'ordersync_api_log', 'ordersync_groups', 'ordersync_record_state', 'ordersync_runs',
    ]));
  });

  it('enforces the one state vocabulary with a check constraint', async () => {
    await sql`insert into order_list (order_number, customer_name) values ('X-1', 'A')`.execute(t.database.db);
    await expect(sql`update order_list set sync_state = 'DONE' where order_number = 'X-1'`.execute(t.database.db)).rejects.toThrow(/check/i);
  });

  it('keeps one group per board and title', async () => {
    await t.database.db.insertInto('ordersync_groups').values({ board_id: '1', title: 'A 2025 FALL', group_id: 'g1', created_by_run: null }).execute();
    await expect(t.database.db.insertInto('ordersync_groups').values({ board_id: '1', title: 'A 2025 FALL', group_id: 'g2', created_by_run: null }).execute()).rejects.toThrow(/duplicate|unique/i);
  });
});
