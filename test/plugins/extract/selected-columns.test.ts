/**
 * postgres-pending reads only the columns the pipeline uses: what the other stages say they read
 * (their `describe`, handed over as the StageScope) plus its own sync columns — not `select *`.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as v from 'valibot';
import plugin, { PostgresPendingOptionsSchema } from '../../../plugins/extract/postgres-pending.ts';
import { selectedColumns } from '../../../plugins/extract/pending-source.ts';
import columnMap from '../../../plugins/transform/column-map.ts';
import { registry } from '../../../src/cli/wiring.ts';
import { loadPipelineConfig } from '../../../src/config/load-config.ts';
import { resetDemo } from '../../../src/db/seed-demo.ts';
import { stageScope, type ConfiguredStages } from '../../../src/pipeline/create-stages.ts';
import { definePlugin, type SourceRecord } from '../../../src/pipeline/index.ts';
import { dialects } from '../../support/test-database.ts';
import { createPlain, flagshipOptions, insertRows, type Plain } from '../support/plugin-harness.ts';

const flagship = async (): Promise<ConfiguredStages> => (await loadPipelineConfig('config/order-list.yaml', { registry, env: {} })).stages;

// The flagship's own extract columns: keys, customer and the sync columns it reads itself.
const OWN_HEADERS = ['order_number', 'customer_name', 'sync_state', 'monday_item_id', 'group_id', 'retry_count', 'attempt_id', 'action_type', 'sync_error_message'];
const OWN_LINES = ['line_key', 'order_number', 'sync_state', 'monday_subitem_id', 'retry_count', 'attempt_id', 'sync_error_message'];

describe('the columns postgres-pending selects', () => {
  it('are every field the flagship transform and group-resolve read, and nothing else they do not', async () => {
    const scope = stageScope(await flagship());
    expect(new Set(scope.reads!.headers)).toEqual(new Set([
      // column-map: itemName, key, columns; monday-groups: name and fallbacks.
      'customer_style', 'color', 'order_number', 'style_description', 'po_number', 'customer_name', 'customer_season',
      'total_quantity', 'unit_price', 'order_date', 'ex_factory_date', 'order_status', 'aag_season',
    ]));
    expect(new Set(scope.reads!.lines)).toEqual(new Set(['size', 'line_key', 'quantity']));
    const o = v.parse(PostgresPendingOptionsSchema, flagshipOptions('extract'));
    const columns = selectedColumns(o, scope)!;
    expect(new Set(columns.headers)).toEqual(new Set([...OWN_HEADERS, ...scope.reads!.headers]));
    expect(new Set(columns.lines)).toEqual(new Set([...OWN_LINES, ...scope.reads!.lines]));
    // No column twice.
    expect(columns.headers.length).toBe(new Set(columns.headers).size);
  });

  it('are every column when a transform does not say what it reads (a user plugin without describe)', async () => {
    const stages = await flagship();
    const silent = definePlugin({ ...columnMap, name: 'silent-map', describe: undefined });
    const scope = stageScope({ ...stages, transform: { use: 'silent-map', plugin: silent, options: stages.transform.options } });
    expect(scope.reads).toBeNull();
    expect(selectedColumns(v.parse(PostgresPendingOptionsSchema, {}), scope)).toBeNull();
    expect(selectedColumns(v.parse(PostgresPendingOptionsSchema, {}), undefined)).toBeNull();
  });
});

describe.each(dialects)('postgres-pending with a stage scope on %s', (dialect) => {
  let plain: Plain;
  beforeAll(async () => {
    plain = await createPlain({ dialect });
    await resetDemo(plain.db);
    await insertRows(plain.db, 'order_list', [{ order_number: 'S-01', customer_name: 'ACME', customer_season: '2025 FALL', color: 'Sage', po_number: 'PO-1' }]);
    await insertRows(plain.db, 'order_list_lines', [{ line_key: 'S-01-1', order_number: 'S-01', line_number: 1, size: 'M', quantity: '12' }]);
  }, 120_000);
  afterAll(async () => plain?.close());

  const read = async (reads: { headers: string[]; lines: string[] } | null): Promise<SourceRecord[]> => {
    const source = await plugin.create(v.parse(plugin.options, flagshipOptions('extract')), plain.context(), { reads });
    const records: SourceRecord[] = [];
    for await (const page of source.pages('ACME', {})) records.push(...page);
    return records;
  };

  it('reads exactly the selected columns into each record and line', async () => {
    const [record] = await read({ headers: ['color', 'customer_season'], lines: ['size'] });
    expect(Object.keys(record!.fields).sort()).toEqual([...OWN_HEADERS, 'color', 'customer_season'].sort());
    expect(record!.fields).toMatchObject({ order_number: 'S-01', color: 'Sage', customer_season: '2025 FALL' });
    expect(Object.keys(record!.lines[0]!.fields).sort()).toEqual([...OWN_LINES, 'size'].sort());
    expect(record!.lines[0]!.fields.size).toBe('M');
  });

  it('reads every column without a scope, as before', async () => {
    const [record] = await read(null);
    const all = await sql<{ n: number }>`select count(*)::int as n from information_schema.columns where table_name = 'order_list'`.execute(plain.db);
    expect(Object.keys(record!.fields)).toHaveLength(Number(all.rows[0]!.n));
    expect(record!.fields.po_number).toBe('PO-1');
  });
});
