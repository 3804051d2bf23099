/**
 * The cost of write-back and reconcile, from the emulator's request log: requests and complexity of
 * one write-back read and of one reconcile, per 1,000 records, on a synced board.
 * `node --import tsx bench/two-way-cost.ts [--orders N]` (PGlite in memory; default 1,000 orders).
 */
import { parseArgs } from 'node:util';
import { loadPipelineConfig } from '../src/config/load-config.ts';
import { registry } from '../src/cli/wiring.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { openDatabase } from '../src/db/open-database.ts';
import { seedDemo } from '../src/db/seed-demo.ts';
import { startEmulator } from '../src/emulator/index.ts';
import { createMondayClient } from '../src/monday/create-monday-client.ts';
import { silentLogger } from '../src/pipeline/logger.ts';
import { runPipeline } from '../src/pipeline/run-pipeline.ts';
import { reconcilePipeline } from '../src/reconcile/reconcile-pipeline.ts';
import { sql } from 'kysely';
import { loadavg } from 'node:os';

const { values } = parseArgs({ options: { orders: { type: 'string', default: '1000' } } });
const orders = Number(values.orders);
const emulator = await startEmulator({ seed: 'demo', budget: { points: 1_000_000_000 }, limits: { requestsPerMinute: 1_000_000 } });
const database = await openDatabase({ dataDir: 'memory://' });
await migrateToLatest(database.db);
await seedDemo(database.db, { customers: ['GREYSON'], ordersPerCustomer: orders, dirty: false });
const config = await loadPipelineConfig('config/order-list.yaml', { registry, env: { MONDAY_API_URL: emulator.url, MONDAY_API_TOKEN: emulator.token } });
config.customers = [{ name: 'GREYSON' }];
config.stages.report.options = { ...(config.stages.report.options as object), outDir: `/tmp/ordersync-two-way-cost-${process.pid}` };
const monday = createMondayClient({ url: emulator.url, token: emulator.token, apiVersion: '2026-07' });
const load = loadavg().map((n) => n.toFixed(2)).join(' ');
await runPipeline({ config, database, monday, target: emulator.url, logger: silentLogger });
const count = async (table: string): Promise<number> => Number((await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(database.db)).rows[0]!.n);
const records = (await count('order_list')) + (await count('order_list_lines'));
const items = await count('order_list');

const measure = async (label: string, work: () => Promise<unknown>, per: number): Promise<void> => {
  const from = emulator.requestLog.length;
  await work();
  const log = emulator.requestLog.slice(from).filter((r) => r.operation === 'query');
  const complexity = log.reduce((n, r) => n + r.complexity, 0);
  const mutations = emulator.requestLog.slice(from).filter((r) => r.operation === 'mutation').length;
  console.log(`${label}: ${log.length} read requests, ${complexity} complexity, ${mutations} mutation requests; per 1,000 records (${per}): ${(log.length * 1000 / per).toFixed(1)} requests, ${Math.round(complexity * 1000 / per)} complexity`);
};

// Write-back: every item was just changed (by the sync), so one run reads all of them.
config.writeBack = { items: { columns: { status: 'monday_status' }, updatedAt: 'monday_updated_at' }, pageSize: 100, overlapSeconds: 60 };
await measure(`write-back read + no-op rerun (${items} items changed, pageSize 100)`, () => runPipeline({ config, database, monday, target: emulator.url, logger: silentLogger }), items);
config.writeBack = undefined;
await measure('no-op rerun without write-back (for comparison)', () => runPipeline({ config, database, monday, target: emulator.url, logger: silentLogger }), items);
await measure(`reconcile (${items} items, ${records} records, pageSize 100)`, () => reconcilePipeline({ config, database, monday, pageSize: 100 }), records);
console.log(`orders ${items}, records ${records}; load average at start ${load}, at end ${loadavg().map((n) => n.toFixed(2)).join(' ')}`);
await emulator.close();
await database.close();
