/**
 * Hostile text in reports and in the emulator's board view: customer names and values with `|`,
 * `*`, backticks, `<script>`, newlines and right-to-left text keep every Markdown table a table
 * (the same number of cells in every row), and nothing in the HTML can execute.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/pipeline/run-pipeline.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { brokenTables, customerRows } from './support/check-reports.ts';
import { createFigures } from './support/figures.ts';
import { createSecrets } from './support/find-secrets.ts';
import { startInProcess, type InProcessScenario } from './support/in-process.ts';
import { REPO_ROOT } from './support/cli-child.ts';
import { chaosDialects } from './support/scale.ts';

const CUSTOMERS = [
  { name: 'Pipe | and || Co' },
  { name: '*Star* _Under_ #1' },
  { name: 'Back`tick` ```Ltd```' },
  { name: '<script>alert("x")</script>', board: '9609317401' },
  { name: 'New\nLine GmbH' },
  { name: 'שלום \u202Eevil\u202C עולם' },
];
const VALUES = ['<img src=x onerror=alert(1)>', 'a | b | c', 'two\nlines', '`rm -rf`', '[x](javascript:alert(1))', 'مرحبا *bold*'];
const dialect = chaosDialects.at(-1)!;
const secrets = createSecrets();
const figures = createFigures(import.meta.filename);
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** Markdown cell text back to what it shows: entities, backslash escapes and <br> undone. */
function shown(cell: string): string {
  return cell.replace(/<br>/g, '\n').replace(/\\([\\`*_[\]#~\-+=])/g, '$1').replace(/&#124;/g, '|').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Anything in HTML that could run: script elements, event-handler attributes, javascript: URLs. */
function executable(html: string): string[] {
  return [...html.matchAll(/<script\b|<img\b|<[^>]*\son[a-z]+\s*=|(?:href|src)\s*=\s*["']?\s*javascript:/gi)].map((m) => m[0]);
}

async function seedHostile(t: TestDatabase): Promise<void> {
  for (const [c, customer] of CUSTOMERS.entries()) {
    const value = VALUES[c % VALUES.length]!;
    // One order that syncs (hostile name and columns), one that fails with the hostile value in its reason.
    for (const [n, quantity] of [['12', '12'], [`TWELVE ${value}`, '6']].entries()) {
      const key = `R${c}-${n}`;
      await sql`insert into order_list (order_number, customer_name, customer_season, customer_style, color, po_number, order_date, total_quantity, order_status)
        values (${key}, ${customer.name}, '2025 FALL', ${value}, ${VALUES[(c + 1) % VALUES.length]!}, ${value}, '2025-03-04', ${quantity[0]}, 'Open')`.execute(t.database.db);
      await sql`insert into order_list_lines (line_key, order_number, line_number, size, quantity) values (${`${key}-1`}, ${key}, 1, ${value}, ${quantity[1]})`.execute(t.database.db);
    }
  }
}

describe(`hostile customer names and values in reports and the board view (${dialect})`, () => {
  let t: TestDatabase;
  let md: InProcessScenario;
  let html: InProcessScenario;
  let mdRun: RunResult;
  let htmlRun: RunResult;
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    const common = { token: secrets.token, seed: () => seedHostile(t) };
    md = await startInProcess(t, { ...common, pipeline: 'render-md', config: { customers: CUSTOMERS, createLabelsIfMissing: true } });
    mdRun = await md.run();
    html = await startInProcess(t, {
      ...common,
      pipeline: 'render-html',
      config: { customers: CUSTOMERS, createLabelsIfMissing: true, report: { summary: join(REPO_ROOT, 'templates/executive-summary.html.hbs'), summaryFile: '_SYNC_SUMMARY.html' } },
    });
    htmlRun = await html.run();
    figures.add({ runs: 2, renderings: 2 * CUSTOMERS.length * 2 + VALUES.length });
  }, 120_000);
  afterAll(async () => {
    await md?.close();
    await html?.close();
    await t?.dispose();
    figures.flush();
  });

  it('syncs the hostile rows that are valid and fails the others with their reasons', () => {
    expect(mdRun.summary.totals).toMatchObject({ synced: CUSTOMERS.length * 2, failed: CUSTOMERS.length * 2 });
  });

  it('keeps every table of the Markdown summary and customer reports intact', async () => {
    const files = [join(mdRun.reportPath!, '_SYNC_SUMMARY.md'), ...(await readdir(join(mdRun.reportPath!, 'customer_reports'))).map((f) => join(mdRun.reportPath!, 'customer_reports', f))];
    expect(files).toHaveLength(1 + CUSTOMERS.length);
    const problems: string[] = [];
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      problems.push(...brokenTables(text).map((p) => `${file}: ${p}`), ...executable(text).map((x) => `${file}: raw ${x}`));
    }
    expect(problems).toEqual([]);
  });

  it('shows each customer name in its own row, escaped but unchanged (bidi controls dropped)', async () => {
    const rows = customerRows(await readFile(join(mdRun.reportPath!, '_SYNC_SUMMARY.md'), 'utf8'));
    expect(rows.map((r) => r.length)).toEqual(CUSTOMERS.map(() => 5));
    expect(rows.map((r) => shown(r[0]!))).toEqual(CUSTOMERS.map((c) => c.name.replace(BIDI, '')));
  });

  it('gives every customer report a safe file name', async () => {
    const names = await readdir(join(mdRun.reportPath!, 'customer_reports'));
    expect(names.filter((n) => !/^[A-Za-z0-9_-]+\.md$/.test(n))).toEqual([]);
  });

  it('escapes everything in the HTML summary', async () => {
    const text = await readFile(join(htmlRun.reportPath!, '_SYNC_SUMMARY.html'), 'utf8');
    expect(executable(text)).toEqual([]);
    expect(text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });

  it("escapes everything in the emulator's board view", async () => {
    const response = await fetch(`${md.emulator.baseUrl}/`);
    const body = await response.text();
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(executable(body)).toEqual([]);
    expect(body).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; 2025 FALL');
    expect(body).toContain('&#60;img src=x onerror=alert(1)&#62;');
  });
});
