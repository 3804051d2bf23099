import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/pipeline/run-pipeline.ts';
import { startHarness, type SyncHarness } from '../support/sync-harness.ts';
import { dialects } from '../support/test-database.ts';

const CUSTOMERS = ['GREYSON', 'PELOTON', 'WHITE FOX'];

describe.each(dialects)('a run with a good, a partly bad and a bad customer on %s', (dialect) => {
  let h: SyncHarness;
  let result: RunResult;
  let summary: string;
  beforeAll(async () => {
    h = await startHarness(dialect, { seed: { customers: CUSTOMERS, ordersPerCustomer: 5, dirty: false, seed: 3 } });
    h.config.customers = CUSTOMERS.map((name) => ({ name }));
    const db = h.t.database.db;
    // PELOTON: a tenth of its records fail (line quantities); WHITE FOX: every order has an impossible date.
    const lines = await sql<{ line_key: string }>`select line_key from order_list_lines where order_number like 'PEL-%' order by line_key`.execute(db);
    const bad = lines.rows.filter((_, i) => i % 10 === 0).map((r) => r.line_key);
    await sql`update order_list_lines set quantity = 'a dozen' where line_key = any(${bad})`.execute(db);
    await sql`update order_list set order_date = '2025-13-45' where customer_name = 'WHITE FOX'`.execute(db);
    result = await h.run();
    summary = await readFile(join(result.reportPath!, '_SYNC_SUMMARY.md'), 'utf8');
  });
  afterAll(async () => h?.close());

  it('says SUCCESS, PARTIAL and FAILED for the three customers, right after the status header', () => {
    const lines = summary.split('\n');
    const header = lines.findIndex((l) => /^## (✅ SUCCESS|⚠️ PARTIAL|❌ FAILED)$/.test(l));
    expect(lines[header]).toBe(`## ${{ SUCCESS: '✅ SUCCESS', PARTIAL: '⚠️ PARTIAL', FAILED: '❌ FAILED', INTERRUPTED: '⏸️ INTERRUPTED' }[result.summary.status]}`);
    expect(lines[header + 2]).toBe('| Customer | Status | Records Processed | Errors | Execution Time |');
    const rows = lines.slice(header + 4, header + 7);
    expect(rows[0]).toMatch(/^\| GREYSON \| ✅ SUCCESS \| \d+ \| 0 \| \d+\.\d\ds \|$/);
    expect(rows[1]).toMatch(/^\| PELOTON \| ⚠️ PARTIAL \| \d+ \| [1-9]\d* \| \d+\.\d\ds \|$/);
    expect(rows[2]).toMatch(/^\| WHITE FOX \| ❌ FAILED \| \d+ \| \d+ \| \d+\.\d\ds \|$/);
  });

  it('counts exactly what the database holds for the run, per customer and state', async () => {
    const counts = await sql<{ customer: string; state: string; n: number }>`
      select customer, state, count(*)::int as n from (
        select customer_name as customer, sync_state as state, last_run_id from order_list
        union all select h.customer_name, l.sync_state, l.last_run_id from order_list_lines l join order_list h using (order_number)
      ) t where last_run_id = ${result.summary.runId} group by customer, state`.execute(h.t.database.db);
    const n = (customer: string, state: string): number => counts.rows.find((r) => r.customer === customer && r.state === state)?.n ?? 0;
    for (const c of result.summary.customers) {
      const processed = n(c.customer, 'SYNCED') + n(c.customer, 'FAILED') + n(c.customer, 'PENDING');
      expect(summary).toContain(`| ${c.customer} | `);
      const row = summary.split('\n').find((l) => l.startsWith(`| ${c.customer} | `))!;
      expect(row.split('|')[3]!.trim()).toBe(String(processed));
      expect(row.split('|')[4]!.trim()).toBe(String(n(c.customer, 'FAILED')));
      expect(c.counts.synced).toBe(n(c.customer, 'SYNCED'));
    }
    const runJson = JSON.parse(await readFile(join(result.reportPath!, 'run.json'), 'utf8')) as typeof result.summary;
    expect(runJson.totals).toEqual(result.summary.totals);
  });

  it('writes one customer report per customer with every failed record and its reason', async () => {
    const whiteFox = await readFile(join(result.reportPath!, 'customer_reports', 'WHITE_FOX.md'), 'utf8');
    const failures = result.summary.customers.find((c) => c.customer === 'WHITE FOX')!.failures;
    expect(failures.length).toBeGreaterThan(5);
    for (const f of failures) expect(whiteFox).toContain(f.key);
    expect(whiteFox).toMatch(/not a real date/);
  });
});
