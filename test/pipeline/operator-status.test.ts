/** What the operator sees is what happened: one status everywhere, customers not reached, pending and outstanding FAILED counted from the database, errors grouped by cause. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRun } from '../../src/report/run-history.ts';
import type { RunResult } from '../../src/pipeline/run-pipeline.ts';
import { startHarness, type SyncHarness } from '../support/sync-harness.ts';
import { dialects } from '../support/test-database.ts';

describe.each(dialects)('an interrupted run on %s', (dialect) => {
  let h: SyncHarness;
  let result: RunResult;
  beforeAll(async () => {
    h = await startHarness(dialect, { seed: { customers: ['GREYSON', 'PELOTON'], ordersPerCustomer: 30, dirty: false }, emulator: { faults: { latencyMs: 120 } } });
    h.config.customers = [{ name: 'GREYSON' }, { name: 'PELOTON' }];
    h.config.stages.load.options = { ...(h.config.stages.load.options as object), batchSize: 10 };
    const controller = new AbortController();
    const watcher = setInterval(() => {
      if (h.emulator.requestLog.some((r) => r.document.includes('create_item('))) controller.abort();
    }, 5);
    result = await h.run({ signal: controller.signal }).finally(() => clearInterval(watcher));
  });
  afterAll(async () => h?.close());

  it('says INTERRUPTED in the run row, the summary, run.json and the report header', async () => {
    expect(result.runStatus).toBe('INTERRUPTED');
    expect(result.summary.status).toBe('INTERRUPTED');
    expect(result.summary.nothingToDo).toBe(false);
    expect((await findRun(h.t.database.db, result.summary.runId))?.status).toBe('INTERRUPTED');
    const json = JSON.parse(await readFile(join(result.reportPath!, 'run.json'), 'utf8'));
    expect(json.status).toBe('INTERRUPTED');
    const text = await readFile(join(result.reportPath!, '_SYNC_SUMMARY.md'), 'utf8');
    expect(text).toContain('## ⏸️ INTERRUPTED');
    expect(text).toContain('**The run was interrupted**');
  });

  it('lists the customers it never reached and counts what is still pending from the database', async () => {
    expect(result.summary.notReached).toEqual(['PELOTON']);
    expect(result.summary.customers.map((c) => [c.customer, c.status])).toEqual([['GREYSON', 'INTERRUPTED']]);
    // An order counts while it or one of its lines is PENDING (the extract's own count).
    const pending = await sql<{ n: number }>`select count(*)::int as n from order_list h where h.sync_state = 'PENDING'
      or exists (select 1 from order_list_lines l where l.order_number = h.order_number and l.sync_state = 'PENDING')`.execute(h.t.database.db);
    expect(pending.rows[0]!.n).toBeGreaterThan(30);
    expect(result.summary.remaining).toBe(pending.rows[0]!.n);
    const text = await readFile(join(result.reportPath!, '_SYNC_SUMMARY.md'), 'utf8');
    expect(text).toContain('**Not reached:** PELOTON');
    expect(text).toContain(`Still PENDING in the source after this run: **${pending.rows[0]!.n}** orders`);
  });

  it('is followed by a run that finishes both customers and says SUCCESS', async () => {
    const next = await h.run();
    expect(next.summary.status).toBe('SUCCESS');
    expect(next.summary.notReached).toEqual([]);
    expect(next.summary.remaining).toBe(0);
  });
});

describe.each(dialects)('the demo run on %s', (dialect) => {
  let h: SyncHarness;
  let first: RunResult;
  beforeAll(async () => {
    h = await startHarness(dialect);
    first = await h.run();
  });
  afterAll(async () => h?.close());

  it('lists each of the four dirty rows once, with its blocked lines and an example value', () => {
    expect(first.summary.totals.failed).toBe(25);
    const errors = first.summary.errors;
    expect(errors).toHaveLength(4);
    expect(errors.reduce((n, e) => n + e.count + e.blocked, 0)).toBe(25);
    expect(errors.some((e) => e.reason.startsWith('not sent'))).toBe(false);
    const date = errors.find((e) => e.reason.includes('is not a real date'))!;
    expect(date).toMatchObject({ count: 1, example: '"2025-02-30"' });
    expect(date.blocked).toBeGreaterThan(0);
    expect(date.reason).toContain('"…"');
    expect(errors.find((e) => e.reason.includes('is not a number'))).toMatchObject({ count: 1, blocked: 0, example: '"TWELVE"' });
  });

  it('shows the FAILED records earlier runs left, with the command that lists them', async () => {
    expect(first.summary.outstandingFailed).toBe(0);
    const second = await h.run();
    expect(second.summary.nothingToDo).toBe(true);
    expect(second.summary.outstandingFailed).toBe(25);
    // Nothing to do writes no report folder by default; `onEmpty: write` keeps one.
    expect(second.reportPath).toBeNull();
    expect(second.runStatus).toBe('SUCCESS');
    h.config.stages.report.options = { ...(h.config.stages.report.options as object), onEmpty: 'write' };
    const third = await h.run();
    expect(third.summary.outstandingFailed).toBe(25);
    const text = await readFile(join(third.reportPath!, '_SYNC_SUMMARY.md'), 'utf8');
    expect(text).toContain('Nothing to sync');
    expect(text).toContain('FAILED records left by earlier runs: **25** — list them with `ordersync records --state FAILED`');
  });
});
