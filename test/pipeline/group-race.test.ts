import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineConfig } from '../../src/config/load-config.ts';
import { seedDemo } from '../../src/db/seed-demo.ts';
import { silentLogger } from '../../src/pipeline/logger.ts';
import { runPipeline } from '../../src/pipeline/run-pipeline.ts';
import { startHarness, type SyncHarness } from '../support/sync-harness.ts';
import { dialects } from '../support/test-database.ts';

const CUSTOMERS = ['GREYSON', 'PELOTON', 'WHITE FOX'];

/** A second pipeline over a copy of the order tables, racing the first for the same group titles. */
function twinPipeline(config: PipelineConfig): PipelineConfig {
  const extract = config.stages.extract;
  return {
    ...config,
    pipeline: 'order-list-twin',
    stages: { ...config.stages, extract: { ...extract, options: { ...(extract.options as object), headers: 'order_list_b', lines: 'order_list_lines_b' } } },
  };
}

describe.each(dialects)('group resolution on %s', (dialect) => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startHarness(dialect, { seed: { customers: CUSTOMERS, ordersPerCustomer: 6, dirty: false } });
    const db = h.t.database.db;
    await sql`create table order_list_b (like order_list including all)`.execute(db);
    await sql`create table order_list_lines_b (like order_list_lines including all)`.execute(db);
    await sql`insert into order_list_b select * from order_list`.execute(db);
    await sql`update order_list_b set order_number = order_number || '-B'`.execute(db);
    await sql`insert into order_list_lines_b select * from order_list_lines`.execute(db);
    await sql`update order_list_lines_b set order_number = order_number || '-B', line_key = line_key || '-B'`.execute(db);
    // Every customer is on the default board so both pipelines race for the same board.
    h.config.customers = CUSTOMERS.map((name) => ({ name }));
    h.config.stages.extract.options = { ...(h.config.stages.extract.options as object), pageSize: 2 };
  });
  afterAll(async () => h?.close());

  it('makes exactly one group per title when two runs race over several pages', async () => {
    const twin = twinPipeline(h.config);
    const [a, b] = await Promise.all([
      h.run(),
      runPipeline({ config: twin, database: h.t.database, monday: h.monday, target: h.emulator.url, logger: silentLogger }),
    ]);
    expect(a.summary.totals.failed + b.summary.totals.failed).toBe(0);
    const board = h.emulator.snapshot().boards.find((x) => x.id === h.config.monday.board)!;
    const titles = board.groups.filter((g) => !g.deleted && g.id !== 'topics').map((g) => g.title).sort();
    expect(titles).toEqual(CUSTOMERS.flatMap((c) => [`${c} 2025 FALL`, `${c} 2026 SPRING`]).sort());
    const rows = await h.t.database.db.selectFrom('ordersync_groups').selectAll().execute();
    expect(rows).toHaveLength(6);
  });

  it('gives every record of a title that group\'s id, in both tables', async () => {
    const groups = await h.t.database.db.selectFrom('ordersync_groups').select(['title', 'group_id']).execute();
    const byTitle = new Map(groups.map((g) => [g.title, g.group_id]));
    for (const table of ['order_list', 'order_list_b']) {
      const rows = await sql<{ group_name: string; group_id: string; sync_state: string }>`select group_name, group_id, sync_state from ${sql.table(table)}`.execute(h.t.database.db);
      expect(rows.rows).toHaveLength(18);
      for (const row of rows.rows) {
        expect(row.sync_state).toBe('SYNCED');
        expect(row.group_id).toBe(byTitle.get(row.group_name));
      }
    }
  });

  it('adopts a group that already exists on the board instead of creating a second one', async () => {
    const db = h.t.database.db;
    await db.deleteFrom('ordersync_groups').execute();
    await seedDemo(db, { customers: ['TITLE NINE'], ordersPerCustomer: 2, dirty: false });
    const board = h.config.monday.board;
    const created = await h.monday.mutate<{ id: string }>(board, [{ key: 'g', field: 'create_group', args: { board_id: { type: 'ID!', value: board }, group_name: { type: 'String!', value: 'TITLE NINE 2025 FALL' } }, selection: 'id' }]);
    const existing = created[0]!.ok ? created[0]!.data.id : null;
    h.config.customers = [{ name: 'TITLE NINE' }];
    const result = await h.run();
    const adopted = result.summary.groups.find((g) => g.title === 'TITLE NINE 2025 FALL');
    expect(adopted).toMatchObject({ groupId: existing, origin: 'adopted' });
    const titles = h.emulator.snapshot().boards.find((x) => x.id === board)!.groups.map((g) => g.title);
    expect(titles.filter((t) => t === 'TITLE NINE 2025 FALL')).toHaveLength(1);
  });
});
