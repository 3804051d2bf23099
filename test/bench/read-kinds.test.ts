/**
 * The bench's request kinds, on documents a real sync sent to the emulator over HTTP: a first sync
 * with write-back configured, then an update with a person's edit (its conflict read). Every
 * request of those runs must have a kind.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyRequest, costByKind, type RequestKind } from '../../bench/read-kinds.ts';
import { FIRST_BOARD_PAGE, NEXT_BOARD_PAGE } from '../../src/reconcile/read-board-items.ts';
import { postAsPerson } from '../emulator/post-graphql.ts';
import { startHarness, type SyncHarness } from '../support/sync-harness.ts';

const CHANGE = `mutation ($b: ID!, $i: ID!, $v: JSON!) { change_multiple_column_values(board_id: $b, item_id: $i, column_values: $v) { id } }`;

describe('request kinds of a real sync (PGlite, emulator over HTTP)', () => {
  let h: SyncHarness;
  let firstSync: SyncHarness['emulator']['requestLog'] = [];
  let update: SyncHarness['emulator']['requestLog'] = [];
  const kindsOf = (log: typeof firstSync): Set<RequestKind> => new Set(log.map(classifyRequest));
  const pagesOf = (log: typeof firstSync): string[] =>
    log.filter((r) => classifyRequest(r) === 'write-back').map((r) => (r.document.includes('next_items_page') ? 'next' : 'first'));

  beforeAll(async () => {
    h = await startHarness('pglite', { seed: { customers: ['GREYSON'], ordersPerCustomer: 5, dirty: false } });
    h.config.customers = [{ name: 'GREYSON' }];
    // pageSize 2 so the write-back read goes on to next_items_page.
    h.config.writeBack = { items: { columns: { status: 'monday_status' }, updatedAt: 'monday_updated_at' }, pageSize: 2, overlapSeconds: 60 };
    let from = h.emulator.requestLog.length;
    await h.run();
    firstSync = h.emulator.requestLog.slice(from);

    const item = (await sql<{ id: string }>`select monday_item_id as id from order_list order by order_number limit 1`.execute(h.t.database.db)).rows[0]!.id;
    const edit = await postAsPerson(h.emulator, CHANGE, { b: h.config.monday.board, i: item, v: JSON.stringify({ text_mkr5q6n2: 'PO by hand' }) });
    expect(edit.body.errors).toBeUndefined();
    await sql`update order_list set total_quantity = (total_quantity::int + 1)::text, po_number = 'PO upstream', sync_state = 'PENDING'`.execute(h.t.database.db);
    from = h.emulator.requestLog.length;
    await h.run();
    update = h.emulator.requestLog.slice(from);
  }, 120_000);
  afterAll(async () => h?.close());

  it('tells preflight, group, adopt-before-create and write-back reads of a first sync apart', () => {
    expect(kindsOf(firstSync)).toEqual(new Set(['preflight', 'groups', 'adopt', 'write-back', 'column-settings', 'mutation']));
    // Write-back reads before the customers are synced: the board is still empty, one page.
    expect(pagesOf(firstSync)).toEqual(['first']);
  });

  it('finds the conflict read of an update, one per 100 ids, and no adopt look-up (nothing is created)', () => {
    const kinds = update.map(classifyRequest);
    expect(kinds.filter((k) => k === 'conflict')).toHaveLength(1);
    expect(kinds).not.toContain('adopt');
    expect(kinds).not.toContain('other-read');
    // Five items changed today, two per page: the first page and two next pages.
    expect(pagesOf(update)).toEqual(['first', 'next', 'next']);
  });

  it('sums requests and complexity per kind, with every kind present', () => {
    const costs = costByKind(firstSync);
    expect(Object.values(costs).reduce((n, c) => n + c.requests, 0)).toBe(firstSync.length);
    expect(Object.values(costs).reduce((n, c) => n + c.complexity, 0)).toBe(firstSync.reduce((n, r) => n + r.complexity, 0));
    expect(costs.conflict).toEqual({ requests: 0, complexity: 0 });
    expect(costs.mutation.complexity).toBeGreaterThan(0);
  });

  it('tells reconcile pages apart and leaves a read no sync sends unclassified', () => {
    expect(classifyRequest({ operation: 'query', document: FIRST_BOARD_PAGE })).toBe('reconcile');
    expect(classifyRequest({ operation: 'query', document: NEXT_BOARD_PAGE })).toBe('reconcile');
    expect(classifyRequest({ operation: 'query', document: 'query { boards(ids: [1]) { items_page(limit: 500) { cursor items { id name } } } }' })).toBe('other-read');
  });
});
