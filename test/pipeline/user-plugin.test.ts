import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPipelineConfig } from '../../src/config/load-config.ts';
import { registry } from '../../src/cli/wiring.ts';
import { startHarness, type SyncHarness } from '../support/sync-harness.ts';

describe('a user plugin referenced by relative path', () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startHarness('pglite', { seed: { customers: ['GREYSON'], ordersPerCustomer: 2, dirty: false } });
  });
  afterAll(async () => h?.close());

  it('replaces a built-in stage with no code change to the core (the README example)', async () => {
    const source = await readFile('config/order-list.yaml', 'utf8');
    const file = join('test/fixtures', 'upper-names.yaml');
    await writeFile(file, source.replace('use: column-map', 'use: ./plugins/upper-names.ts').replaceAll('../templates/', '../../templates/'));
    const config = await loadPipelineConfig(file, { registry, env: { MONDAY_API_URL: h.emulator.url, MONDAY_API_TOKEN: h.emulator.token } });
    expect(config.stages.transform.plugin.name).toBe('upper-names');
    config.customers = [{ name: 'GREYSON' }];
    config.stages.report.options = { ...(config.stages.report.options as object), outDir: h.reportsDir };
    Object.assign(h.config, config);
    await h.run();
    const names = await sql<{ item_name: string }>`select item_name from order_list`.execute(h.t.database.db);
    expect(names.rows).toHaveLength(2);
    for (const row of names.rows) expect(row.item_name).toBe(row.item_name.toUpperCase());
  });
});
