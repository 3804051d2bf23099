/**
 * Preflight of `writeBack:`: a database column that does not exist, a monday column that is not on
 * the board, or a column the pipeline also sends to monday (a ping-pong) is refused before anything is
 * written, each located at its line in the pipeline file.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-issue.ts';
import { flagshipConfig, startHarness, type SyncHarness } from '../support/sync-harness.ts';
import { dialects } from '../support/test-database.ts';

const WRITE_BACK = `
writeBack:
  items:
    columns:
      status: monday_statos
      status_x: monday_status
      text_mkr5q6n2: po_number
    updatedAt: monday_updated_at
`;

describe.each(dialects)('write-back preflight on %s', (dialect) => {
  let h: SyncHarness;
  let file: string;
  beforeAll(async () => {
    h = await startHarness(dialect, { seed: { customers: ['GREYSON'], ordersPerCustomer: 2, dirty: false } });
    const text = (await readFile('config/order-list.yaml', 'utf8')).replaceAll('../templates/', `${resolve('templates')}/`);
    file = join(await mkdtemp(join(tmpdir(), 'ordersync-wb-')), 'order-list.yaml');
    await writeFile(file, text + WRITE_BACK);
    const config = await flagshipConfig(h.emulator, h.reportsDir, file);
    config.customers = [{ name: 'GREYSON' }];
    Object.assign(h.config, config);
  }, 60_000);
  afterAll(async () => h?.close());

  it('refuses a missing database column, a missing monday column and a column sent both ways, at their lines, writing nothing', async () => {
    const error = await h.run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues;
    const lines = (await readFile(file, 'utf8')).split('\n');
    const lineOf = (needle: string): number => lines.findIndex((l) => l.includes(needle)) + 1;
    expect(issues.map((i) => [i.path, i.line, i.message])).toEqual([
      ['writeBack.items.columns.status', lineOf('status: monday_statos'), expect.stringContaining('column monday_statos does not exist in the headers table (did you mean monday_status?)')],
      ['writeBack.items.columns.status_x', lineOf('status_x: monday_status'), expect.stringContaining('column status_x does not exist on board 9200517329')],
      ['writeBack.items.columns.text_mkr5q6n2', lineOf('text_mkr5q6n2: po_number'), expect.stringContaining('po_number is also sent to monday by the pipeline')],
    ].sort((a, b) => Number(a[1]) - Number(b[1])));
    const runs = await sql<{ n: number }>`select count(*)::int as n from ordersync_runs`.execute(h.t.database.db);
    expect(Number(runs.rows[0]!.n)).toBe(0);
    expect(h.emulator.snapshot().items).toHaveLength(0);
  });
});
