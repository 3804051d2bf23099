import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as v from 'valibot';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import plugin from '../../plugins/report/executive-summary.ts';
import type { RunSummary } from '../../src/pipeline/run-summary.ts';
import { counts, customer, mixedRun, runSummary, singleCustomerSuccess } from './run-summary-fixtures.ts';
import { makeTempDir, reportContext } from './report-test-support.ts';

const CONFIG_DIR = resolve(import.meta.dirname, '../../config');
const TEMPLATES = resolve(import.meta.dirname, '../../templates');
const STATUS_LINE = /^## (✅ SUCCESS|⚠️ PARTIAL|❌ FAILED)$/;

let temp: { dir: string; remove: () => Promise<void> };
beforeEach(async () => {
  temp = await makeTempDir();
});
afterEach(async () => {
  await temp.remove();
});

/** Renders a summary with the plugin (default templates unless overridden) and reads the folder back. */
async function render(summary: RunSummary, options: Record<string, unknown> = {}, configDir = CONFIG_DIR) {
  const parsed = v.parse(plugin.options, { outDir: join(temp.dir, 'out'), ...options });
  const reporter = await plugin.create(parsed, reportContext(configDir));
  const { path } = await reporter.render(summary);
  const read = (file: string): Promise<string> => readFile(join(path, file), 'utf8');
  return { path, summaryText: await read(parsed.summaryFile), read };
}

function customerRows(text: string): string[] {
  const lines = text.split('\n');
  const header = lines.indexOf('| Customer | Status | Records Processed | Errors | Execution Time |');
  const rows: string[] = [];
  for (let i = header + 2; lines[i]?.startsWith('|'); i++) rows.push(lines[i] ?? '');
  return rows;
}

/** Unescaped pipes: the cell separators a Markdown renderer sees. */
function cellSeparators(line: string): number {
  return (line.match(/(?<!\\)\|/g) ?? []).length;
}

describe('executive-summary report plugin', () => {
  it('accepts its documented example and fills in every default', () => {
    expect(v.safeParse(plugin.options, plugin.example).success).toBe(true);
    expect(v.parse(plugin.options, {})).toEqual({
      outDir: 'reports/sync',
      summary: '../templates/executive-summary.md.hbs',
      customer: '../templates/customer-report.md.hbs',
      summaryFile: '_SYNC_SUMMARY.md',
      topErrors: 10,
      sampleSize: 20,
      onEmpty: 'skip',
    });
    expect(v.safeParse(plugin.options, { timezone: 'Mars/Olympus' }).success).toBe(false);
    expect(v.safeParse(plugin.options, { summaryFile: '../x.md' }).success).toBe(false);
    expect(v.safeParse(plugin.options, { colour: 'blue' }).success).toBe(false);
  });

  it('writes the summary, one report per customer and run.json into <outDir>/<run id>/', async () => {
    const { path } = await render(mixedRun());
    expect(path).toBe(join(temp.dir, 'out', '202611282030-SYNC-1A2B3C4D'));
    expect((await readdir(path)).sort()).toEqual(['_SYNC_SUMMARY.md', 'customer_reports', 'run.json']);
    expect((await readdir(join(path, 'customer_reports'))).sort()).toEqual(['GREYSON.md', 'PELOTON.md', 'WHITE_FOX.md']);
  });

  it('says GREYSON succeeded, PELOTON partially failed and WHITE FOX failed, one row each', async () => {
    const { summaryText } = await render(mixedRun());
    expect(customerRows(summaryText)).toEqual([
      '| GREYSON | ✅ SUCCESS | 4 | 0 | 6.72s |',
      '| PELOTON | ⚠️ PARTIAL | 10 | 2 | 64.00s |',
      '| WHITE FOX | ❌ FAILED | 3 | 2 | 2.50s |',
    ]);
    // 12 of 17 records synced: below the 80 % partial threshold.
    expect(summaryText.split('\n').filter((l) => STATUS_LINE.test(l))).toEqual(['## ❌ FAILED']);
  });

  it('puts the customer table right after the status header, with only a blank line between', async () => {
    const { summaryText } = await render(mixedRun());
    const lines = summaryText.split('\n');
    const status = lines.findIndex((l) => STATUS_LINE.test(l));
    expect(lines.slice(status, status + 3)).toEqual(['## ❌ FAILED', '', '| Customer | Status | Records Processed | Errors | Execution Time |']);
    expect(lines.slice(0, status).some((l) => l.startsWith('## '))).toBe(false);
  });

  it('renders the single-customer success row exactly', async () => {
    const { summaryText } = await render(singleCustomerSuccess());
    expect(summaryText).toContain('## ✅ SUCCESS\n\n| Customer | Status | Records Processed | Errors | Execution Time |\n|');
    expect(customerRows(summaryText)).toEqual(['| GREYSON | ✅ SUCCESS | 1 | 0 | 6.72s |']);
  });

  it('heads a partially successful run with ⚠️ PARTIAL', async () => {
    const run = runSummary([customer('GREYSON', counts({ synced: 9, failed: 1 }))]);
    const { summaryText } = await render(run);
    expect(summaryText.split('\n').filter((l) => STATUS_LINE.test(l))).toEqual(['## ⚠️ PARTIAL']);
  });

  it('says there was nothing to sync when nothing was pending', async () => {
    const { summaryText } = await render(runSummary([customer('GREYSON', counts({}))]));
    expect(summaryText).toContain('## ✅ SUCCESS\n\n| Customer |');
    expect(summaryText).toContain('Nothing to sync');
    expect(summaryText).toContain('No records were processed.');
    expect(summaryText).not.toContain('```mermaid');
  });

  it('names customers nobody configured, the run\'s warnings and what preflight cost', async () => {
    const { summaryText } = await render(runSummary([customer('GREYSON', counts({ synced: 2 }))], {
      unconfigured: [{ customer: 'Greyson ', count: 3, suggestion: 'GREYSON' }, { customer: 'ACME', count: 1, suggestion: null }],
      warnings: ['monday API version 2026-07 (monday.apiVersion 2026-07) is maintenance'],
    }));
    expect(summaryText).toContain('- Greyson : 3 order(s) — did you mean GREYSON?\n- ACME: 1 order(s)\n');
    expect(summaryText).toContain('**Warnings:**\n- monday API version 2026-07 (monday.apiVersion 2026-07) is maintenance');
    expect(summaryText).toMatch(/\| Preflight \(monday reads, time\) \| 2, /);
  });

  it('lays the summary out in the documented order: meta, status, table, performance, groups, errors, chart, detail', async () => {
    const { summaryText } = await render(mixedRun());
    const order = [
      '# Order sync',
      '- **Sync id:** `202611282030-SYNC-1A2B3C4D`',
      '- **Started:** 2026-11-28 15:30:12 EST',
      '- **Finished:** 2026-11-28 15:30:31 EST',
      '- **Trigger:** manual',
      '## ❌ FAILED',
      '## Performance',
      '| Complexity used | 123,456 |',
      '| Rate limited (429) | 1 |',
      '| load | 18.00s |',
      '## Groups',
      '| GREYSON 2025 FALL | 9200517329 | new\\_group\\_1 |',
      '| PELOTON 2026 SPRING | 9609317401 | topics |',
      '## Errors',
      '| quantity is required |  | 2 | 0 | PO-2001, PO-2002 |',
      'pie showData title Record outcomes',
      '"Synced" : 11',
      '"Unchanged" : 1',
      '## Where the detail lives',
      "SELECT * FROM ordersync_api_log WHERE run_id = '202611282030-SYNC-1A2B3C4D';",
    ];
    const positions = order.map((text) => summaryText.indexOf(text));
    expect(positions.every((p) => p >= 0), `missing: ${order.filter((_, i) => positions[i]! < 0).join(' / ')}`).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('lists only the topErrors largest error reasons and says how many more there are', async () => {
    const run = mixedRun();
    run.errors.push({ reason: 'board is archived', count: 9, blocked: 0, example: null, examples: ['PO-9'] });
    const { summaryText } = await render(run, { topErrors: 1 });
    expect(summaryText).toContain('| board is archived |  | 9 | 0 | PO-9 |');
    expect(summaryText).not.toContain('| quantity is required |');
    expect(summaryText).toContain('2 more reasons are listed in `run.json`.');
  });

  it('writes each customer report with its failures, pending records, a sample of synced ids and what remains', async () => {
    const { read } = await render(mixedRun(), { sampleSize: 1 });
    const whiteFox = await read('customer_reports/WHITE_FOX.md');
    expect(whiteFox).toContain('## ❌ FAILED');
    expect(whiteFox).toContain('| PO-3001 | item | PO-3001 |  | FAILED | invalid date 2026-13-01 |');
    expect(whiteFox).toContain('| PO-3001-L | subitem | PO-3001 | L | FAILED | invalid date 2026-13-01 |');
    expect(whiteFox).toContain('| PO-3001-M | subitem | PO-3001 | M | PENDING | waiting for its order |');
    expect(whiteFox).toContain('Records still PENDING in the source after this run: **7**.');
    const greyson = await read('customer_reports/GREYSON.md');
    expect(greyson).toContain('| PO-1001 | item | GR-100 NAVY PO-1001 | 1700000001 | GREYSON 2025 FALL | create |');
    expect(greyson).not.toContain('1700000002');
    expect(greyson).toContain('3 more synced records are not listed here.');
    expect(greyson).toContain('| GREYSON 2025 FALL | new\\_group\\_1 | created |');
  });

  it('writes run.json with the summary itself, so its numbers equal the report', async () => {
    const run = mixedRun();
    const { read } = await render(run);
    const json = JSON.parse(await read('run.json')) as RunSummary;
    expect(json).toEqual(run);
    expect(json.customers.map((c) => [c.customer, c.counts.processed, c.counts.failed])).toEqual([
      ['GREYSON', 4, 0],
      ['PELOTON', 10, 2],
      ['WHITE FOX', 3, 2],
    ]);
  });

  it('keeps every table intact and lets no raw HTML through, whatever the customer and error text', async () => {
    const hostile = 'A|B *bold* _x_ `code` [link](http://x) <script>alert(1)</script>\nsecond line\r\nשלום עולם \u202Eevil\t#1';
    const run = mixedRun();
    run.customers[1] = { ...run.customers[1]!, customer: hostile, failures: [{ ...run.customers[1]!.failures[0]!, reason: hostile, name: hostile }] };
    run.errors[1] = { reason: hostile, count: 2, blocked: 0, example: hostile, examples: [hostile] };
    run.groups[0] = { ...run.groups[0]!, title: hostile };
    run.customers[0] = { ...run.customers[0]!, groups: [hostile] };
    const { summaryText, read, path } = await render(run);
    const files = [summaryText, ...(await Promise.all((await readdir(join(path, 'customer_reports'))).map((f) => read(`customer_reports/${f}`))))];
    for (const text of files) {
      expect(text.toLowerCase()).not.toContain('<script');
      expect(text).not.toContain('\u202E');
      if (!text.startsWith('# WHITE FOX')) expect(text).toContain('שלום עולם');
      const lines = text.split('\n');
      for (let i = 0; i < lines.length; i++) {
        if (!lines[i]!.startsWith('|') || lines[i - 1]?.startsWith('|')) continue;
        const width = cellSeparators(lines[i]!);
        for (let j = i; lines[j]?.startsWith('|'); j++) expect(cellSeparators(lines[j]!), lines[j]).toBe(width);
      }
    }
    expect(customerRows(summaryText)).toHaveLength(3);
    expect(customerRows(summaryText)[1]).toMatch(/^\| A&#124;B \\\*bold\\\* .*&lt;script&gt;.*<br>second line<br>שלום עולם evil \\#1 \| ⚠️ PARTIAL \| 10 \| 2 \| 64\.00s \|$/);
    expect((await readdir(join(path, 'customer_reports'))).sort()).toHaveLength(3);
  });

  it('renders another summary template named in config, with no code change', async () => {
    await writeFile(join(temp.dir, 'one-line.md.hbs'), 'RUN {{runId}} {{statusBadge status}} {{#each customers}}[{{md customer}}:{{counts.processed}}]{{/each}}\n');
    const { summaryText, read } = await render(mixedRun(), { summary: 'one-line.md.hbs', customer: join(TEMPLATES, 'customer-report.md.hbs') }, temp.dir);
    expect(summaryText).toBe('RUN 202611282030-SYNC-1A2B3C4D ❌ FAILED [GREYSON:4][PELOTON:10][WHITE FOX:3]\n');
    // The customer template still finds its partials beside itself.
    expect(await read('customer_reports/GREYSON.md')).toContain('# GREYSON — customer report');
  });

  it('renders the HTML example template HTML-escaped into the configured summaryFile', async () => {
    const run = mixedRun();
    run.customers[0] = { ...run.customers[0]!, customer: '<script>alert(1)</script> & Co' };
    const { summaryText, path } = await render(run, { summary: '../templates/executive-summary.html.hbs', summaryFile: '_SYNC_SUMMARY.html' });
    expect(await readdir(path)).toContain('_SYNC_SUMMARY.html');
    expect(summaryText).toContain('<h2 class="FAILED">❌ FAILED</h2>');
    expect(summaryText).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co');
    expect(summaryText).not.toContain('<script>');
  });

  it('links the HTML summary to HTML customer reports, with the run\'s totals, and each customer report back to the summary', async () => {
    const run = mixedRun();
    const { summaryText, path } = await render(run, {
      summary: '../templates/executive-summary.html.hbs', summaryFile: '_SYNC_SUMMARY.html', customer: '../templates/customer-report.html.hbs',
    });
    expect(summaryText).toContain('<a href="customer_reports/GREYSON.html">GREYSON</a>');
    expect(summaryText).toContain(`<h2>Totals</h2>`);
    expect(summaryText).toContain(`<td class="num">${run.totals.processed.toLocaleString('en-US')}</td>`);
    const customerHtml = await readFile(join(path, 'customer_reports', 'GREYSON.html'), 'utf8');
    expect(customerHtml).toContain('<a href="../_SYNC_SUMMARY.html">');
    expect(customerHtml).toContain('<h1>GREYSON — customer report</h1>');
    expect(await readdir(join(path, 'customer_reports'))).not.toContain('GREYSON.md');
  });

  it('says in both summary templates how many rows people\'s edits on monday changed (write-back)', async () => {
    const run = { ...mixedRun(), writtenBack: { itemsRead: 12, rowsChanged: 3, skipped: 1 } };
    const line = 'Written back from monday: 3 row(s) from 12 item(s) people changed, 1 value(s) that did not fit their column left out.';
    expect((await render(run)).summaryText).toContain(line);
    expect((await render(run, { summary: '../templates/executive-summary.html.hbs', summaryFile: '_SYNC_SUMMARY.html' })).summaryText).toContain(`<p>${line}</p>`);
    expect((await render(mixedRun(), { summary: '../templates/executive-summary.html.hbs', summaryFile: '_SYNC_SUMMARY.html' })).summaryText).not.toContain('Written back');
  });

  it('fails naming the template file and line when a template uses a field the data lacks', async () => {
    await writeFile(join(temp.dir, 'typo.md.hbs'), '# {{runId}}\n{{#each customers}}\n| {{md custmer}} |\n{{/each}}\n');
    const reporter = await plugin.create(
      v.parse(plugin.options, { outDir: temp.dir, summary: 'typo.md.hbs', customer: join(TEMPLATES, 'customer-report.md.hbs') }),
      reportContext(temp.dir),
    );
    await expect(reporter.render(mixedRun())).rejects.toThrow(/^report: .*typo\.md\.hbs:3: "custmer" not defined/);
  });

  it('names the partial file and line when the failure is inside a partial', async () => {
    await mkdir(join(temp.dir, 'partials'));
    await writeFile(join(temp.dir, 'partials', 'footer.hbs'), 'footer\n{{number totals.procesed}}\n');
    await writeFile(join(temp.dir, 'main.md.hbs'), '# {{runId}}\n{{> footer}}\n');
    await writeFile(join(temp.dir, 'customer.md.hbs'), '# {{md customer}}\n');
    const reporter = await plugin.create(v.parse(plugin.options, { outDir: temp.dir, summary: 'main.md.hbs', customer: 'customer.md.hbs' }), reportContext(temp.dir));
    await expect(reporter.render(mixedRun())).rejects.toThrow(/footer\.hbs:2: "procesed" not defined/);
  });

  it('fails when created, naming the path, if a template is missing or does not parse', async () => {
    await expect(plugin.create(v.parse(plugin.options, { summary: 'nowhere.md.hbs' }), reportContext(temp.dir))).rejects.toThrow(
      /report: .*nowhere\.md\.hbs: cannot read template: ENOENT/,
    );
    await writeFile(join(temp.dir, 'open.md.hbs'), 'line 1\n{{#each customers}}\n{{md customer}}\n');
    await expect(
      plugin.create(v.parse(plugin.options, { summary: 'open.md.hbs', customer: join(TEMPLATES, 'customer-report.md.hbs') }), reportContext(temp.dir)),
    ).rejects.toThrow(/open\.md\.hbs:\d+: parse error/);
  });

  it('refuses a dry run', async () => {
    await expect(render({ ...mixedRun(), dryRun: true })).rejects.toThrow(/dry run/);
  });

  it('shows dates in the configured time zone instead of the run’s', async () => {
    const { summaryText } = await render(mixedRun(), { timezone: 'Europe/Berlin' });
    expect(summaryText).toContain('- **Started:** 2026-11-28 21:30:12 GMT+1');
  });
});
