/**
 * `ordersync reconcile`: a clean board reports nothing and exits 0; drift a person made — an item
 * deleted, a duplicate and an orphan created by hand, a value changed — is reported exactly, with
 * exit 1 and a Markdown report carrying a Mermaid chart. The board is read as monday documents it
 * (API reference "items_page", "Subitems"); nothing is written anywhere.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { loadConfig } from '../../src/cli/wiring.ts';
import { openMigratedDatabase } from '../../src/db/migrate.ts';
import type { Database } from '../../src/db/open-database.ts';
import { seedDemo } from '../../src/db/seed-demo.ts';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.ts';
import { createMondayClient } from '../../src/monday/create-monday-client.ts';
import { silentLogger } from '../../src/pipeline/logger.ts';
import { runPipeline } from '../../src/pipeline/run-pipeline.ts';
import { CREATE_ITEM, ORDER_BOARD, postAsPerson } from '../emulator/post-graphql.ts';
import { captureOutput } from '../support/capture-output.ts';
import { writePipelineCopy } from '../support/pipeline-copy.ts';
import { dialects } from '../support/test-database.ts';

const io = captureOutput();
const dir = await mkdtemp(join(tmpdir(), 'ordersync-reconcile-'));

const DELETE = 'mutation ($i: ID!) { delete_item(item_id: $i) { id } }';
const CHANGE = 'mutation ($b: ID!, $i: ID!, $v: JSON!) { change_multiple_column_values(board_id: $b, item_id: $i, column_values: $v) { id } }';

describe.each(dialects)('reconcile on %s', (dialect) => {
  let emulator: EmulatorHandle;
  let file: string;
  let drop = async (): Promise<void> => {};
  const open = async (): Promise<Database> => openMigratedDatabase((await loadConfig(file, {})).database);
  const headerOf = async (order: string): Promise<{ id: string; group: string }> => {
    const db = await open();
    try {
      const r = await sql<{ id: string; group: string }>`select monday_item_id as id, group_id as "group" from order_list where order_number = ${order}`.execute(db.db);
      return r.rows[0]!;
    } finally {
      await db.close();
    }
  };
  const asPerson = async (query: string, variables: Record<string, unknown>): Promise<Record<string, { id: string }>> => {
    const r = await postAsPerson(emulator, query, variables);
    expect(r.body.errors).toBeUndefined();
    return r.body.data;
  };

  beforeAll(async () => {
    emulator = await startEmulator({ seed: 'demo' });
    vi.stubEnv('MONDAY_API_URL', emulator.url);
    vi.stubEnv('MONDAY_API_TOKEN', emulator.token);
    ({ file, drop } = await writePipelineCopy(dir, dialect, `pg-${dialect}`));
    const db = await open();
    try {
      await seedDemo(db.db, { customers: ['GREYSON', 'PELOTON'], ordersPerCustomer: 4, dirty: false });
      const config = await loadConfig(file, { MONDAY_API_URL: emulator.url, MONDAY_API_TOKEN: emulator.token });
      const monday = createMondayClient({ url: emulator.url, token: emulator.token, apiVersion: '2026-07' });
      await runPipeline({ config, database: db, monday, target: emulator.url, logger: silentLogger });
    } finally {
      await db.close();
    }
  }, 60_000);
  afterAll(async () => {
    vi.unstubAllEnvs();
    await emulator?.close();
    await drop();
  });

  it('finds nothing on a clean board: exit 0, every group counted alike, a report that says so', async () => {
    const before = emulator.requestLog.length;
    const out = join(dir, `clean-${dialect}.md`);
    expect(await main(['reconcile', file, '--out', out])).toBe(0);
    expect(io.out).toMatch(/^board 9200517329$/m);
    expect(io.out).toMatch(/^board 9609317401$/m);
    expect(io.out).toMatch(/no drift: 2 board\(s\) match the database/);
    expect(io.out).not.toContain('differs');
    const report = await readFile(out, 'utf8');
    expect(report).toContain('## ✅ IN SYNC');
    expect(report).toContain('```mermaid\npie showData title Drift by kind');
    // Reading only: no mutation reached monday.
    expect(emulator.requestLog.slice(before).filter((r) => r.operation === 'mutation')).toHaveLength(0);
  });

  it('reports exactly the drift a person made, exits 1 and writes it with a Mermaid chart', async () => {
    const deleted = await headerOf('GRE-1001');
    const copied = await headerOf('GRE-1002');
    const changed = await headerOf('GRE-1003');
    await asPerson(DELETE, { i: deleted.id });
    const duplicate = (await asPerson(CREATE_ITEM, { board: ORDER_BOARD, name: 'copy by hand', group: copied.group, values: JSON.stringify({ text_mkr5ord0: 'GRE-1002' }) })).create_item!.id;
    const orphan = (await asPerson(CREATE_ITEM, { board: ORDER_BOARD, name: 'a note', group: 'topics', values: JSON.stringify({ text_mkr5ord0: 'HAND-1' }) })).create_item!.id;
    await asPerson(CHANGE, { b: ORDER_BOARD, i: changed.id, v: JSON.stringify({ text_mkr5q6n2: 'PO-BY-HAND' }) });
    const moved = await headerOf('GRE-1004');
    await asPerson('mutation ($i: ID!, $g: String!) { move_item_to_group(item_id: $i, group_id: $g) { id } }', { i: moved.id, g: 'topics' });
    const before = emulator.requestLog.length;
    const out = join(dir, `drift-${dialect}`);
    expect(await main(['reconcile', file, '--json', '--out', out])).toBe(1);
    const report = JSON.parse(io.out) as { totals: Record<string, number>; drift: boolean; reportFile: string; boards: { board: string; findings: { kind: string; entity: string; key: string | null; mondayIds: string[]; column?: string; now?: string }[]; groups: { groupId: string; board: { items: number }; database: { items: number } }[] }[] };
    expect(report.drift).toBe(true);
    expect(report.totals).toEqual({ missing: 1, duplicate: 1, orphan: 1, moved: 1, changed: 1 });
    const greyson = report.boards.find((b) => b.board === ORDER_BOARD)!;
    expect(greyson.findings.map((f) => [f.kind, f.entity, f.key, [...f.mondayIds].sort()])).toEqual([
      ['missing', 'item', 'GRE-1001', [deleted.id]],
      ['duplicate', 'item', 'GRE-1002', [copied.id, duplicate].sort()],
      ['orphan', 'item', 'HAND-1', [orphan]],
      ['moved', 'item', 'GRE-1004', [moved.id]],
      ['changed', 'item', 'GRE-1003', [changed.id]],
    ]);
    expect(greyson.findings.find((f) => f.kind === 'changed')).toMatchObject({ column: 'text_mkr5q6n2', now: 'PO-BY-HAND' });
    expect(report.boards.find((b) => b.board !== ORDER_BOARD)!.findings).toEqual([]);
    // The group that gained a copy counts one item more on the board than in the database.
    const topics = greyson.groups.find((g) => g.groupId === 'topics')!;
    expect(topics.board.items - topics.database.items).toBe(2); // the orphan and the moved item
    const md = await readFile(report.reportFile, 'utf8');
    expect(report.reportFile.startsWith(out)).toBe(true);
    expect(md).toContain('## ❌ DRIFT — 1 missing, 1 duplicate, 1 orphan, 1 moved, 1 changed');
    expect(md).toMatch(/```mermaid\npie showData title Drift by kind\n {2}"SYNCED but gone from the board" : 1\n {2}"duplicates by key" : 1\n {2}"items with no database row" : 1\n {2}"moved to another group" : 1\n {2}"values changed since last written" : 1\n```/);
    expect(emulator.requestLog.slice(before).filter((r) => r.operation === 'mutation')).toHaveLength(0);
  });

  it('documents its exit codes in --help and refuses a page size monday does not allow', async () => {
    expect(await main(['reconcile', '--help'])).toBe(0);
    expect(io.out).toMatch(/0 +no drift/);
    expect(io.out).toMatch(/1 +drift found/);
    expect(await main(['reconcile', file, '--page-size', '501'])).toBe(2);
    expect(io.err).toContain('--page-size is at most 500');
  });
});
