/**
 * Deno smoke: the full demo sync against the emulator on PGlite (and on PostgreSQL when
 * DATABASE_URL is set), the report folder it writes, and a croner-scheduled run firing.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Cron } from 'croner';
import { sql } from 'kysely';
import { generateDemoOrders, seedDemo } from '../../src/db/seed-demo.ts';
import type { RunResult } from '../../src/pipeline/run-pipeline.ts';
import { dialects, startSmokeSetup, type SmokeSetup } from './support.ts';

interface Header { order_number: string; sync_state: string; monday_item_id: string | null; group_name: string | null; sync_error_message: string | null }
interface Line { line_key: string; order_number: string; sync_state: string; monday_subitem_id: string | null; parent_item_id: string | null }

/** The demo rows that are dirty on purpose: those that differ from the clean generation. */
function dirtyRows(): { orders: Set<string>; lines: Set<string> } {
  const dirty = generateDemoOrders();
  const clean = generateDemoOrders({ dirty: false });
  const differs = (a: unknown, b: unknown): boolean => JSON.stringify(a) !== JSON.stringify(b);
  return {
    orders: new Set(dirty.orders.filter((o, i) => differs(o, clean.orders[i])).map((o) => String(o.order_number))),
    lines: new Set(dirty.lines.filter((l, i) => differs(l, clean.lines[i])).map((l) => String(l.line_key))),
  };
}

async function rows(s: SmokeSetup): Promise<{ headers: Header[]; lines: Line[] }> {
  const db = s.t.database.db;
  return {
    headers: (await sql<Header>`select * from order_list order by order_number`.execute(db)).rows,
    lines: (await sql<Line>`select * from order_list_lines order by line_key`.execute(db)).rows,
  };
}

for (const dialect of ['pglite', 'postgres'] as const) {
  Deno.test({
    name: `the demo sync on ${dialect}: every valid order SYNCED, dirty rows FAILED, report written, a scheduled run fires`,
    ignore: !dialects.includes(dialect),
    // Deno's op and resource sanitizers stay on: closing the emulator and the database
    // (PGlite or postgres.js) must leave no timer, socket or file behind.
    async fn(t) {
      const s = await startSmokeSetup(dialect);
      try {
        let first: RunResult | undefined;

        await t.step('syncs every valid order and line; the dirty rows end FAILED', async () => {
          first = await s.run();
          const { summary } = first;
          assert.equal(summary.fatal, null);
          const dirty = dirtyRows();
          const { headers, lines } = await rows(s);
          assert.equal(headers.length, 40);
          for (const h of headers) {
            assert.equal(h.sync_state, dirty.orders.has(h.order_number) ? 'FAILED' : 'SYNCED', `${h.order_number}: ${h.sync_error_message}`);
            if (h.sync_state === 'FAILED') assert.ok(h.sync_error_message, `${h.order_number} has a reason`);
          }
          const failedOrders = new Set(headers.filter((h) => h.sync_state === 'FAILED').map((h) => h.order_number));
          for (const l of lines) {
            const shouldFail = dirty.lines.has(l.line_key) || failedOrders.has(l.order_number);
            assert.equal(l.sync_state, shouldFail ? 'FAILED' : 'SYNCED', l.line_key);
          }
          const synced = headers.filter((h) => h.sync_state === 'SYNCED').length + lines.filter((l) => l.sync_state === 'SYNCED').length;
          const failed = headers.length + lines.length - synced;
          assert.deepEqual([summary.totals.synced, summary.totals.failed, summary.totals.pending], [synced, failed, 0]);
        });

        await t.step('the ids in the database are the items and subitems of the emulator', async () => {
          const { headers, lines } = await rows(s);
          const active = new Map(s.emulator.snapshot().items.filter((i) => i.state === 'active').map((i) => [i.id, i]));
          const itemOf = new Map<string, string>();
          for (const h of headers.filter((r) => r.sync_state === 'SYNCED')) {
            const item = active.get(h.monday_item_id ?? '');
            assert.ok(item, `${h.order_number} → item ${h.monday_item_id}`);
            assert.equal(item.parent_item_id, null);
            assert.equal(item.column_values.text_mkr5ord0, h.order_number);
            itemOf.set(h.order_number, item.id);
          }
          const syncedLines = lines.filter((l) => l.sync_state === 'SYNCED');
          for (const l of syncedLines) {
            const sub = active.get(l.monday_subitem_id ?? '');
            assert.ok(sub, `${l.line_key} → subitem ${l.monday_subitem_id}`);
            assert.equal(sub.parent_item_id, itemOf.get(l.order_number));
            assert.equal(l.parent_item_id, itemOf.get(l.order_number));
          }
          assert.equal(active.size, itemOf.size + syncedLines.length, 'no item on the board that the database does not know');
        });

        await t.step('writes _SYNC_SUMMARY.md (status header, then the customer table), run.json and customer_reports/', async () => {
          assert.ok(first?.reportPath);
          assert.equal(join(first.reportPath, '..'), s.reportsDir);
          const summary = await Deno.readTextFile(join(first.reportPath, '_SYNC_SUMMARY.md'));
          const header = `## ${{ SUCCESS: '✅', PARTIAL: '⚠️', FAILED: '❌', INTERRUPTED: '⏸️' }[first.summary.status]} ${first.summary.status}`;
          assert.ok(
            summary.includes(`${header}\n\n| Customer | Status | Records Processed | Errors | Execution Time |\n`),
            `status header followed by the customer table:\n${summary.slice(0, 800)}`,
          );
          const runJson = JSON.parse(await Deno.readTextFile(join(first.reportPath, 'run.json')));
          assert.equal(runJson.runId, first.summary.runId);
          assert.deepEqual(runJson.totals, first.summary.totals);
          const customerFiles: string[] = [];
          for await (const entry of Deno.readDir(join(first.reportPath, 'customer_reports'))) customerFiles.push(entry.name);
          assert.deepEqual(customerFiles.sort(), ['GREYSON.md', 'PELOTON.md', 'SUMMERSALT.md', 'TITLE_NINE.md', 'WHITE_FOX.md']);
        });

        await t.step('a croner job on a one-second pattern fires once and syncs the order added since', async () => {
          // GREYSON's ninth order is new; the eight before it already exist and are left alone.
          const added = await seedDemo(s.t.database.db, { customers: ['GREYSON'], ordersPerCustomer: 9, dirty: false });
          assert.equal(added.orders, 1);
          let fired = 0;
          let job: Cron | undefined;
          let deadline: ReturnType<typeof setTimeout> | undefined;
          const result = await new Promise<RunResult>((resolve, reject) => {
            job = new Cron('* * * * * *', { protect: true, timezone: s.config.schedule?.timezone }, async () => {
              job?.stop(); // one run is the point; stop() does not cut this one short
              fired++;
              await s.run({ trigger: 'schedule' }).then(resolve, reject);
            });
            deadline = setTimeout(() => reject(new Error('the scheduled run did not fire within 5 s')), 5_000);
          }).finally(() => {
            job?.stop();
            clearTimeout(deadline);
          });
          assert.equal(job?.isStopped(), true);
          assert.equal(fired, 1);
          assert.equal(result.summary.trigger, 'schedule');
          assert.equal(result.summary.totals.synced, 1 + added.lines);
          assert.equal(result.summary.totals.failed, 0);
          const run = await sql<{ trigger: string; status: string }>`select trigger, status from ordersync_runs where id = ${result.summary.runId}`.execute(s.t.database.db);
          assert.deepEqual(run.rows, [{ trigger: 'schedule', status: 'SUCCESS' }]);
        });
      } finally {
        await s.close();
      }
    },
  });
}
