/**
 * Preflight: a config that points at a column, table, board or label that does not exist is
 * refused before anything is written, every problem named at its place in the pipeline file;
 * a board that disappears during a run stops the run, and the records wait for the fixed config.
 */
import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-issue.ts';
import { findDuplicates } from '../chaos/support/check-promises.ts';
import { activeItems, dumpTable, startHarness, type SyncHarness } from '../support/sync-harness.ts';
import { dialects } from '../support/test-database.ts';

type Options = Record<string, unknown>;
const lineOf = async (file: string, needle: string): Promise<number> => (await readFile(file, 'utf8')).split('\n').findIndex((l) => l.includes(needle)) + 1;

describe.each(dialects)('preflight on %s', (dialect) => {
  let h: SyncHarness;
  const db = (): SyncHarness['t']['database']['db'] => h.t.database.db;
  const runRows = async (): Promise<number> => Number((await sql<{ n: number }>`select count(*)::int as n from ordersync_runs`.execute(db())).rows[0]!.n);
  /** Runs with `edit` applied to the config, expecting a ConfigError; checks that nothing was written anywhere. */
  const refused = async (edit: () => () => void): Promise<ConfigError> => {
    const before = { headers: await dumpTable(h, 'order_list', 'order_number'), lines: await dumpTable(h, 'order_list_lines', 'line_key'), runs: await runRows(), board: h.emulator.snapshot() };
    const restore = edit();
    try {
      const error = await h.run().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect({ headers: await dumpTable(h, 'order_list', 'order_number'), lines: await dumpTable(h, 'order_list_lines', 'line_key'), runs: await runRows(), board: h.emulator.snapshot() }).toEqual(before);
      return error as ConfigError;
    } finally {
      restore();
    }
  };
  const withTransform = (patch: (o: Options) => Options) => () => {
    const saved = h.config.stages.transform.options;
    h.config.stages.transform.options = patch(structuredClone(saved) as Options);
    return () => void (h.config.stages.transform.options = saved);
  };

  beforeAll(async () => {
    h = await startHarness(dialect, { seed: { customers: ['GREYSON', 'PELOTON'], ordersPerCustomer: 4, dirty: false } });
    h.config.customers = [{ name: 'GREYSON' }, { name: 'PELOTON', board: '9609317401' }];
  }, 60_000);
  afterAll(async () => h?.close());

  it('refuses a source-column typo before anything is written, naming the key, its line and the nearest column', async () => {
    const error = await refused(withTransform((o) => {
      const columns = o.columns as Options;
      columns.po_numbr = columns.po_number;
      delete columns.po_number;
      return o;
    }));
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatchObject({ path: 'stages.transform.with.columns.po_numbr', message: expect.stringContaining('column po_numbr does not exist in table order_list (did you mean po_number?)') });
  });

  it('names a template field that does not exist, and a missing table', async () => {
    const error = await refused(() => {
      const saved = { t: h.config.stages.transform.options, e: h.config.stages.extract.options };
      h.config.stages.transform.options = { ...(saved.t as Options), itemName: '{{customer_styl}} {{order_number}}' };
      h.config.stages.extract.options = { ...(saved.e as Options), lines: 'order_lines' };
      return () => Object.assign(h.config.stages, { transform: { ...h.config.stages.transform, options: saved.t }, extract: { ...h.config.stages.extract, options: saved.e } });
    });
    expect(error.issues.map((i) => [i.path, i.message.replace(/^[a-z-]+: /, '')])).toEqual(expect.arrayContaining([
      ['stages.transform.with.itemName', 'column customer_styl does not exist in table order_list (did you mean customer_style?)'],
      ['stages.extract.with.lines', 'table order_lines does not exist (did you mean order_list_lines?)'],
    ]));
  });

  it('refuses a board that does not exist and a monday column that does not exist, listing the board\'s columns of that type', async () => {
    const error = await refused(() => {
      const saved = h.config.monday.board;
      h.config.monday.board = '9200517999';
      const restore = withTransform((o) => {
        (o.columns as Record<string, Options>).color!.id = 'text_mkr5dq1x';
        return o;
      })();
      return () => {
        h.config.monday.board = saved;
        restore();
      };
    });
    const messages = error.issues.map((i) => `${i.path}: ${i.message}`);
    expect(messages).toEqual(expect.arrayContaining([
      expect.stringMatching(/^monday\.board: monday-items: board 9200517999 \(customers GREYSON\) does not exist/),
      expect.stringMatching(/^stages\.transform\.with\.columns\.color\.id: monday-items: board 9609317401 \(Peloton Orders\) has no column text_mkr5dq1x; its text columns: .*text_mkr5dq1b \(Color\)/),
    ]));
    // Located in the file the config came from.
    const file = h.config.file;
    expect(error.issues.find((i) => i.path === 'monday.board')!.line).toBe(await lineOf(file, 'board: 9200517329'));
  });

  it('warns of a stray value that is not a label of its dropdown, and lets that record fail alone with monday\'s reason', async () => {
    await sql`update order_list set customer_season = '2031 WINTER' where order_number = (select min(order_number) from order_list where customer_name = 'GREYSON')`.execute(db());
    try {
      const result = await h.run({ dryRun: true });
      expect(result.summary.warnings).toEqual(expect.arrayContaining([
        expect.stringMatching(/column dropdown_mkr5s3a1 \(Season\) on board 9200517329 has no label "2031 WINTER", needed by 1 pending record\(s\) \(they will fail alone\); existing labels: "2025 SPRING".*Fix: add the label on the board, or set stages\.load\.with\.createLabelsIfMissing: true \(at stages\.transform\.with\.columns\.customer_season\.id\)/),
      ]));
    } finally {
      await sql`update order_list set customer_season = '2025 FALL' where customer_season = '2031 WINTER'`.execute(db());
    }
  });

  it('costs one read of the boards, one of their subitems boards and one of the API version, counted in the summary', async () => {
    const from = h.emulator.requestLog.length;
    const result = await h.run({ dryRun: true });
    expect(result.summary.performance.preflight.requests).toBe(3);
    expect(h.emulator.requestLog.slice(from, from + 3).map((r) => r.operation)).toEqual(['query', 'query', 'query']);
  });

  // Changelog "2026-10 is now the current API version" (2026-10-26): 2026-07 moved to maintenance.
  it('warns once per run, in the log and the summary, when the pinned API version is in maintenance', async () => {
    const result = await h.run({ dryRun: true });
    expect(result.summary.warnings.filter((w) => w.includes('API version'))).toEqual([expect.stringMatching(/^monday API version 2026-07 .* is maintenance: the previous version; migrate/)]);
  });

  it('names PENDING orders of a customer nobody configured, with the configured name it nearly matches', async () => {
    await sql`insert into order_list (order_number, customer_name, customer_season, customer_style, color, order_date, total_quantity)
      values ('ACM-1', 'Greyson ', '2025 FALL', 'Polo', 'Navy', '2025-01-02', '1'), ('ACM-2', 'ACME OUTDOOR', '2025 FALL', 'Polo', 'Navy', '2025-01-02', '1')`.execute(db());
    try {
      const result = await h.run({ dryRun: true });
      expect(result.summary.unconfigured).toEqual([
        { customer: 'ACME OUTDOOR', count: 1, suggestion: null },
        { customer: 'Greyson ', count: 1, suggestion: 'GREYSON' },
      ]);
    } finally {
      await sql`delete from order_list where order_number in ('ACM-1', 'ACM-2')`.execute(db());
    }
  });

  it('stops a run whose board disappears after preflight as FAILED with the reason; the records stay PENDING and sync once the config is fixed', async () => {
    const peloton = h.config.customers[1]!;
    let moved = false;
    // PELOTON's board stops existing between preflight and its first write (while GREYSON syncs).
    const result = await h.run({ onProgress: () => { if (!moved) { moved = true; peloton.board = '9609317999'; } } });
    peloton.board = '9609317401';
    expect(result.runStatus).toBe('FAILED');
    expect(result.summary.fatal).toMatch(/9609317999.*does not exist on monday.*fix the config/);
    const states = await sql<{ c: string; s: string; n: number }>`select customer_name as c, sync_state as s, count(*)::int as n from order_list group by 1, 2 order by 1, 2`.execute(db());
    expect(states.rows).toEqual([{ c: 'GREYSON', s: 'SYNCED', n: 4 }, { c: 'PELOTON', s: 'PENDING', n: 4 }]);
    const again = await h.run();
    expect(again.runStatus).toBe('SUCCESS');
    expect(again.summary.totals.failed).toBe(0);
    const synced = await sql<{ n: number }>`select count(*)::int as n from order_list where sync_state = 'SYNCED'`.execute(db());
    expect(synced.rows[0]!.n).toBe(8);
    expect(findDuplicates(h.emulator.snapshot())).toEqual([]);
    expect(activeItems(h).filter((i) => i.parent_item_id === null).length).toBe(8);
  });

  it('adds a customer by one config line: preflight names the one missing label and its fix before any group is made; with the fix it syncs', async () => {
    await sql`insert into order_list (order_number, customer_name, customer_season, customer_style, color, order_date, total_quantity)
      values ('ACM-1001', 'ACME OUTDOOR', '2025 FALL', 'Trail Jacket', 'Moss', '2025-02-01', '40')`.execute(db());
    await sql`insert into order_list_lines (line_key, order_number, line_number, size, quantity) values ('ACM-1001-01', 'ACM-1001', 1, 'M', '40')`.execute(db());
    h.config.customers.push({ name: 'ACME OUTDOOR' });
    const groups = h.emulator.snapshot().boards.flatMap((b) => b.groups).length;
    const error = await refused(() => () => {});
    expect(error.issues.map((i) => i.message)).toEqual([expect.stringMatching(/column dropdown_mkr542p2 \(Customer\) on board 9200517329 has no label "ACME OUTDOOR", needed by 1 pending record\(s\) — every record of ACME OUTDOOR.*Fix: add the label on the board, or set stages\.load\.with\.createLabelsIfMissing: true/)]);
    expect(h.emulator.snapshot().boards.flatMap((b) => b.groups).length).toBe(groups);
    const load = h.config.stages.load.options as Options;
    h.config.stages.load.options = { ...load, createLabelsIfMissing: true };
    try {
      const result = await h.run({ customers: ['ACME OUTDOOR'] });
      expect(result.summary.totals).toMatchObject({ synced: 2, failed: 0, pending: 0 });
      expect(result.summary.groups.map((g) => [g.title, g.origin])).toEqual([['ACME OUTDOOR 2025 FALL', 'created']]);
    } finally {
      h.config.stages.load.options = load;
    }
  });
});
