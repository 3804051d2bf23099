import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import plugin from '../../../plugins/report/executive-summary.ts';
import type { Reporter } from '../../../src/pipeline/index.ts';
import { mixedRun, singleCustomerSuccess } from '../../report/run-summary-fixtures.ts';
import { createPlain, flagshipOptions, testPlugin, type Plain } from '../support/plugin-harness.ts';

describe('executive-summary', () => {
  // A report needs neither the database nor monday: both refuse in this context.
  let plain: Plain;
  let temp: string;
  beforeAll(async () => {
    plain = await createPlain();
  });
  afterAll(async () => {
    await plain.close();
  });
  beforeEach(async () => {
    temp = await mkdtemp(join(tmpdir(), 'ordersync-plugin-report-'));
  });
  afterEach(async () => {
    await rm(temp, { recursive: true, force: true });
  });

  /** The flagship report stage writing under the temp dir. */
  const reporter = (options: Record<string, unknown> = {}): Promise<Reporter> =>
    testPlugin(plugin, { ...flagshipOptions('report'), outDir: join(temp, 'configured'), ...options }, plain.context());

  it('writes the run\'s folder into outDir and returns it with the summary file as the entry', async () => {
    const summary = mixedRun();
    const written = await (await reporter()).render(summary);
    expect(written).toEqual({ path: join(temp, 'configured', summary.runId), entry: join(temp, 'configured', summary.runId, '_SYNC_SUMMARY.md') });
    const text = await readFile(written.entry, 'utf8');
    expect(text).toContain(summary.runId);
    expect(text).toMatch(/^## ❌ FAILED$/m);
    expect(text).toContain('GREYSON');
    expect(JSON.parse(await readFile(join(written.path, 'run.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(summary)));
  });

  it('names the summary file after summaryFile', async () => {
    const written = await (await reporter({ summaryFile: 'SUMMARY.md' })).render(singleCustomerSuccess());
    expect(written.entry).toBe(join(written.path, 'SUMMARY.md'));
    expect(await readFile(written.entry, 'utf8')).toMatch(/^## ✅ SUCCESS$/m);
    expect(existsSync(join(written.path, '_SYNC_SUMMARY.md'))).toBe(false);
  });

  it('writes to render\'s outDir instead of the configured one when given', async () => {
    const summary = singleCustomerSuccess();
    const elsewhere = join(temp, 'elsewhere');
    const written = await (await reporter()).render(summary, { outDir: elsewhere });
    expect(written.path).toBe(join(elsewhere, summary.runId));
    expect(existsSync(written.entry)).toBe(true);
    expect(existsSync(join(temp, 'configured'))).toBe(false);
  });

  it('refuses a dry run\'s summary and writes nothing', async () => {
    const summary = { ...singleCustomerSuccess(), dryRun: true };
    await expect((await reporter()).render(summary)).rejects.toThrow(`executive-summary: run ${summary.runId} is a dry run; dry runs write no report`);
    expect(await readdir(temp)).toEqual([]);
  });

  it('exposes sampleSize so the run keeps that many synced records per customer', async () => {
    expect((await reporter()).sampleSize).toBe(20);
    expect((await reporter({ sampleSize: 3 })).sampleSize).toBe(3);
  });

  it('prunes the run folders of runs that started before a date, and nothing else in outDir', async () => {
    const out = join(temp, 'prune');
    for (const name of ['202601010900-SYNC-0000000A', '202611300900-SYNC-0000000B', '202612011200-SYNC-0000000C', 'notes', '2026-SYNC-x']) {
      await mkdir(join(out, name), { recursive: true });
    }
    const removed = await (await reporter({ outDir: out })).prune!(new Date('2026-12-01T00:00:00Z'));
    expect(removed.map((p) => p.split('/').at(-1))).toEqual(['202601010900-SYNC-0000000A', '202611300900-SYNC-0000000B']);
    expect((await readdir(out)).sort()).toEqual(['2026-SYNC-x', '202612011200-SYNC-0000000C', 'notes']);
  });
});
