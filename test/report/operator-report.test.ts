/** A report re-rendered from the database reads like the one written at the end of the run. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/pipeline/logger.ts';
import { rerenderRun } from '../../src/report/rerender-run.ts';
import { startHarness, type SyncHarness } from '../support/sync-harness.ts';
import { dialects } from '../support/test-database.ts';

const stageRows = (text: string): string[] => text.split('\n').filter((l) => /^\| (extract|transform|group-resolve|load|report|core) \|/.test(l)).map((l) => l.split(' | ')[0]!.slice(2));

describe.each(dialects)('ordersync report on %s', (dialect) => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startHarness(dialect, { seed: { customers: ['GREYSON'], ordersPerCustomer: 3 } });
  });
  afterAll(async () => h?.close());

  it('lists the stages in pipeline order (extract … report, core) though jsonb sorted the stored keys', async () => {
    const run = await h.run();
    const written = await readFile(join(run.reportPath!, '_SYNC_SUMMARY.md'), 'utf8');
    expect(stageRows(written)).toEqual(['extract', 'transform', 'group-resolve', 'load', 'report', 'core']);
    const again = await rerenderRun({
      db: h.t.database.db, runId: run.summary.runId, pipeline: h.config.pipeline, stage: h.config.stages.report,
      configDir: h.config.dir, outDir: join(h.reportsDir, 'again'), logger: silentLogger,
    });
    expect(again.ok).toBe(true);
    const rerendered = await readFile(join((again as { path: string }).path, '_SYNC_SUMMARY.md'), 'utf8');
    expect(stageRows(rerendered)).toEqual(['extract', 'transform', 'group-resolve', 'load', 'report', 'core']);
    const json = JSON.parse(await readFile(join((again as { path: string }).path, 'run.json'), 'utf8'));
    expect(Object.keys(json.performance.stages)).toEqual(['extract', 'transform', 'group-resolve', 'load', 'report', 'core']);
  });
});
