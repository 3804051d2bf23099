import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import plugin from '../../../plugins/group-resolve/monday-groups.ts';
import type { PlannedRecord, PluginContext } from '../../../src/pipeline/index.ts';
import { dialects } from '../../support/test-database.ts';
import { BOARD, RUN_ID, createPlain, deepFreeze, flagshipOptions, plannedEntity, plannedRecord, selectRows, testPlugin, type Plain } from '../support/plugin-harness.ts';

/** A planned order of `customer` whose title fields are the given seasons (null: empty). */
const order = (key: string, customer: string, season: string | null, houseSeason: string | null = null, patch: Omit<Partial<PlannedRecord>, 'source'> = {}): PlannedRecord =>
  plannedRecord(plannedEntity('item', key), [], {
    source: { customer, fields: { order_number: key, customer_name: customer, customer_season: season, aag_season: houseSeason } },
    ...patch,
  });

describe.each(dialects)('monday-groups on %s', (dialect) => {
  let plain: Plain;
  beforeAll(async () => {
    plain = await createPlain({ dialect, monday: true });
  }, 120_000);
  afterAll(async () => {
    await plain?.close();
  });
  beforeEach(async () => {
    await sql`truncate ordersync_groups`.execute(plain.db);
  });

  // The emulator lives for the whole file: each test uses its own customer, so its titles are new to the board.
  const resolver = (options: Record<string, unknown> = {}, ctx: PluginContext = plain.context()) =>
    testPlugin(plugin, { ...flagshipOptions('group-resolve'), ...options }, ctx);
  const groupsTitled = (title: string) => plain.emulator!.snapshot().boards.find((b) => b.id === BOARD)!.groups.filter((g) => g.title === title && !g.deleted);
  const boardGroupCount = () => plain.emulator!.snapshot().boards.find((b) => b.id === BOARD)!.groups.length;
  const mutations = () => plain.emulator!.requestLog.filter((r) => r.operation === 'mutation').length;
  const groupRows = () => selectRows(plain.db, 'ordersync_groups', 'title', 'board_id, title, group_id, created_by_run');
  const createGroupOnBoard = async (title: string): Promise<string> => {
    const [result] = await plain.monday!.mutate<{ id: string }>(BOARD, [{
      key: 'g', field: 'create_group', selection: 'id',
      args: { board_id: { type: 'ID!', value: BOARD }, group_name: { type: 'String!', value: title } },
    }]);
    if (!result?.ok) throw new Error('the emulator did not create the group');
    return result.data.id;
  };

  it('creates one group per title in one request and assigns it, leaving the records as they were', async () => {
    const records = deepFreeze([
      order('AL-1', 'ALPHA', '2025 FALL'),
      order('AL-2', 'ALPHA', '2025 FALL'),
      order('AL-3', 'ALPHA', '2026 SPRING'),
      // Already on monday with only lines pending: no item, so no assignment.
      plannedRecord(null, [plannedEntity('subitem', 'AL-4-01')], { source: { key: 'AL-4', customer: 'ALPHA', mondayId: '1700', fields: { customer_name: 'ALPHA', customer_season: '2025 FALL' } } }),
    ]);
    const before = JSON.stringify(records);
    const sentBefore = mutations();
    const { assignments, groups } = await (await resolver()).resolve(records);
    expect(JSON.stringify(records)).toBe(before);
    expect(mutations() - sentBefore).toBe(1);
    const [fall] = groupsTitled('ALPHA 2025 FALL');
    const [spring] = groupsTitled('ALPHA 2026 SPRING');
    expect(groupsTitled('ALPHA 2025 FALL')).toHaveLength(1);
    expect(groupsTitled('ALPHA 2026 SPRING')).toHaveLength(1);
    expect(assignments).toEqual([
      { key: 'AL-1', title: 'ALPHA 2025 FALL', groupId: fall!.id, problem: null, deferred: null },
      { key: 'AL-2', title: 'ALPHA 2025 FALL', groupId: fall!.id, problem: null, deferred: null },
      { key: 'AL-3', title: 'ALPHA 2026 SPRING', groupId: spring!.id, problem: null, deferred: null },
    ]);
    expect(groups).toEqual([
      { board: BOARD, title: 'ALPHA 2025 FALL', groupId: fall!.id, origin: 'created' },
      { board: BOARD, title: 'ALPHA 2026 SPRING', groupId: spring!.id, origin: 'created' },
    ]);
    expect(await groupRows()).toEqual([
      { board_id: BOARD, title: 'ALPHA 2025 FALL', group_id: fall!.id, created_by_run: RUN_ID },
      { board_id: BOARD, title: 'ALPHA 2026 SPRING', group_id: spring!.id, created_by_run: RUN_ID },
    ]);
  });

  it('reuses a title it created in an earlier run without asking monday again', async () => {
    const first = await (await resolver()).resolve([order('BR-1', 'BRAVO', '2025 FALL')]);
    const groupId = first.assignments[0]!.groupId;
    const requests = plain.emulator!.requestLog.length;
    const later = await resolver({}, plain.context({ runId: '202611281545-SYNC-LATER' }));
    const { assignments, groups } = await later.resolve([order('BR-2', 'BRAVO', '2025 FALL')]);
    expect(groups).toEqual([{ board: BOARD, title: 'BRAVO 2025 FALL', groupId, origin: 'reused' }]);
    expect(assignments[0]!.groupId).toBe(groupId);
    expect(plain.emulator!.requestLog.length).toBe(requests);
    expect(groupsTitled('BRAVO 2025 FALL')).toHaveLength(1);
  });

  it('adopts a group that is already on the board instead of making a second one', async () => {
    const existing = await createGroupOnBoard('CHARLIE 2025 FALL');
    const { assignments, groups } = await (await resolver()).resolve([order('CH-1', 'CHARLIE', '2025 FALL')]);
    expect(groups).toEqual([{ board: BOARD, title: 'CHARLIE 2025 FALL', groupId: existing, origin: 'adopted' }]);
    expect(assignments[0]!.groupId).toBe(existing);
    expect(groupsTitled('CHARLIE 2025 FALL')).toHaveLength(1);
    expect(await groupRows()).toEqual([{ board_id: BOARD, title: 'CHARLIE 2025 FALL', group_id: existing, created_by_run: RUN_ID }]);
  });

  it('falls back to the next template when a field is empty, then to catchAll', async () => {
    const r = await resolver({ catchAll: 'DELTA UNSORTED' });
    const { assignments } = await r.resolve([order('DE-1', 'DELTA', null, 'FA25'), order('DE-2', 'DELTA', '  ', null), order('DE-3', 'DELTA', '2025 FALL', 'FA25')]);
    expect(assignments.map((a) => [a.key, a.title, a.problem])).toEqual([
      ['DE-1', 'DELTA FA25', null],
      ['DE-2', 'DELTA UNSORTED', null],
      ['DE-3', 'DELTA 2025 FALL', null],
    ]);
    expect(assignments.every((a) => a.groupId !== null)).toBe(true);
    expect(groupsTitled('DELTA UNSORTED')).toHaveLength(1);
  });

  it('gives an order a problem naming the empty fields when every template has one and there is no catchAll', async () => {
    const groupsBefore = boardGroupCount();
    const sentBefore = mutations();
    const { assignments, groups } = await (await resolver()).resolve([order('EC-1', 'ECHO', null, null, { groupId: 'kept' })]);
    expect(assignments).toEqual([{ key: 'EC-1', title: null, groupId: 'kept', problem: 'no group title: empty customer_season, aag_season', deferred: null }]);
    expect(groups).toEqual([]);
    expect(mutations()).toBe(sentBefore);
    expect(boardGroupCount()).toBe(groupsBefore);
  });

  it('in a dry run plans new groups and adopts existing ones, creating and recording nothing', async () => {
    const existing = await createGroupOnBoard('FOXTROT 2026 SPRING');
    const groupsBefore = boardGroupCount();
    const sentBefore = mutations();
    const dry = await resolver({}, plain.context({ dryRun: true }));
    const { assignments, groups } = await dry.resolve([order('FO-1', 'FOXTROT', '2025 FALL'), order('FO-2', 'FOXTROT', '2026 SPRING')]);
    expect(groups).toEqual([
      { board: BOARD, title: 'FOXTROT 2025 FALL', groupId: null, origin: 'planned' },
      { board: BOARD, title: 'FOXTROT 2026 SPRING', groupId: existing, origin: 'adopted' },
    ]);
    expect(assignments.map((a) => [a.title, a.groupId])).toEqual([['FOXTROT 2025 FALL', null], ['FOXTROT 2026 SPRING', existing]]);
    expect(mutations()).toBe(sentBefore);
    expect(boardGroupCount()).toBe(groupsBefore);
    expect(await groupRows()).toEqual([]);
  });

  it('in a dry run reads each board once for the whole run, however many customers and pages share it', async () => {
    const existing = await createGroupOnBoard('JULIET 2026 SPRING');
    const boardReads = () => plain.emulator!.requestLog.filter((r) => r.operation === 'query' && /\bgroups\s*\{/.test(r.document)).length;
    const readsBefore = boardReads();
    const dry = await resolver({}, plain.context({ dryRun: true }));
    const first = await dry.resolve([order('JU-1', 'JULIET', '2025 FALL')]);
    const second = await dry.resolve([order('KI-1', 'KILO', '2025 FALL'), order('JU-2', 'JULIET', '2026 SPRING')]);
    expect(boardReads() - readsBefore).toBe(1);
    expect(first.groups).toEqual([{ board: BOARD, title: 'JULIET 2025 FALL', groupId: null, origin: 'planned' }]);
    expect(second.groups).toEqual([
      { board: BOARD, title: 'KILO 2025 FALL', groupId: null, origin: 'planned' },
      { board: BOARD, title: 'JULIET 2026 SPRING', groupId: existing, origin: 'adopted' },
    ]);
  });

  it('in a real run looks at the board again for every new title (another run may have just created it)', async () => {
    const boardReads = () => plain.emulator!.requestLog.filter((r) => r.operation === 'query' && /\bgroups\s*\{/.test(r.document)).length;
    const readsBefore = boardReads();
    const r = await resolver();
    await r.resolve([order('LI-1', 'LIMA', '2025 FALL')]);
    await r.resolve([order('MI-1', 'MIKE', '2025 FALL')]);
    expect(boardReads() - readsBefore).toBe(2);
  });

  it('defers the orders of a title monday cannot create just now, and creates it on a later page', async () => {
    const r = await resolver();
    // 423 on writes to the board: transient, so the order waits instead of failing.
    plain.emulator!.setFaults({ lockedBoards: [BOARD] });
    try {
      const { assignments, groups } = await r.resolve([order('HO-1', 'HOTEL', '2025 FALL')]);
      expect(assignments[0]).toMatchObject({ key: 'HO-1', title: 'HOTEL 2025 FALL', groupId: null, problem: null });
      expect(assignments[0]!.deferred).toMatch(/^group "HOTEL 2025 FALL" could not be created: /);
      expect(groups).toEqual([]);
    } finally {
      plain.emulator!.setFaults({});
    }
    expect(groupsTitled('HOTEL 2025 FALL')).toHaveLength(0);
    expect(await groupRows()).toEqual([]);
    const { assignments } = await r.resolve([order('HO-2', 'HOTEL', '2025 FALL')]);
    expect(assignments[0]).toMatchObject({ groupId: groupsTitled('HOTEL 2025 FALL')[0]!.id, deferred: null });
  });

  it('creates groups in the configured color', async () => {
    await (await resolver({ color: '#ff642e' })).resolve([order('GO-1', 'GOLF', '2025 FALL')]);
    expect(groupsTitled('GOLF 2025 FALL').map((g) => g.color)).toEqual(['#ff642e']);
  });
});
