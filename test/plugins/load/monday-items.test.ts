import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../../plugins/load/monday-items.ts';
import type { EntityOutcome, Loader, LoadPlan, PlannedEntity, PlannedRecord, PluginContext } from '../../../src/pipeline/index.ts';
import {
  BOARD,
  SUBITEMS_BOARD,
  createPlain,
  deepFreeze,
  plannedEntity,
  plannedRecord,
  recordingSink,
  testPlugin,
  type Plain,
} from '../support/plugin-harness.ts';

/** A new order's item, keyed on monday by the flagship key column; fingerprint set as the core would. */
const item = (key: string, patch: Partial<PlannedEntity> = {}): PlannedEntity => plannedEntity('item', key, {
  name: `Tour Polo ${key}`, columns: { text_mkr5ord0: key, text_mkr5dq1b: 'Navy', numeric_mktb1d19: '120' }, keyColumn: 'text_mkr5ord0',
  fingerprint: `fp-${key}`, previous: null, ...patch,
});

/** A new line's subitem. */
const sub = (key: string, patch: Partial<PlannedEntity> = {}): PlannedEntity => plannedEntity('subitem', key, {
  name: key.slice(-1), columns: { text_mkr6c3lk: key, numeric_mkr6b2qt: '12' }, keyColumn: 'text_mkr6c3lk',
  fingerprint: `fp-${key}`, previous: null, ...patch,
});

/** The entity as monday last confirmed it: same fingerprint and values unless told otherwise. */
const synced = (entity: PlannedEntity, mondayId: string, previous: Partial<NonNullable<PlannedEntity['previous']>> = {}): PlannedEntity => ({
  ...entity, mondayId,
  previous: { fingerprint: entity.fingerprint!, values: { name: entity.name, ...entity.columns }, mondayId, groupId: 'topics', failedFingerprint: null, ...previous },
});

/** The entity as monday last confirmed it before `old` changed: an older fingerprint, `old` in place of the current values. */
const changedSince = (entity: PlannedEntity, mondayId: string, old: Record<string, unknown>): PlannedEntity =>
  synced(entity, mondayId, { fingerprint: `${entity.fingerprint}-before`, values: { name: entity.name, ...entity.columns, ...old } });

/** An order in the board's top group. */
const order = (head: PlannedEntity | null, subs: PlannedEntity[] = [], patch: Parameters<typeof plannedRecord>[2] = {}): PlannedRecord =>
  plannedRecord(head, subs, { groupId: 'topics', groupTitle: 'Group Title', ...patch });

const steps = (plan: LoadPlan) => plan.steps.map((s) => ({ entity: s.entity.entity, key: s.entity.key, action: s.action, expect: s.expect }));
const stepOf = (plan: LoadPlan, key: string) => plan.steps.find((s) => s.entity.key === key)!;

describe('monday-items', () => {
  // No database in the context: load reaches only monday (the emulator over HTTP) and the sink.
  let plain: Plain;
  beforeAll(async () => {
    plain = await createPlain({ monday: true });
  }, 120_000);
  afterAll(async () => {
    await plain?.close();
  });

  const loader = (options: Record<string, unknown> = {}, ctx: PluginContext = plain.context()): Promise<Loader> => testPlugin(plugin, options, ctx);
  const mutations = () => plain.emulator!.requestLog.filter((r) => r.operation === 'mutation').length;
  const itemOnMonday = (id: string | null) => plain.emulator!.snapshot().items.find((i) => i.id === id);
  const outcomeOf = (outcomes: EntityOutcome[], key: string) => outcomes.find((o) => o.key === key)!;

  describe('plan', () => {
    it('is pure: the same records give the same plan, edit nothing and send nothing', async () => {
      const records = deepFreeze([
        order(item('P-1'), [sub('P-1-1')]),
        order(changedSince(item('P-2', { name: 'renamed' }), '1700', { name: 'Tour Polo P-2' })),
        order(item('P-3', { problem: 'order_date: not a date' }), [sub('P-3-1')]),
      ]);
      const before = { requests: plain.emulator!.requestLog.length, state: plain.emulator!.snapshot() };
      const l = await loader();
      const first = l.plan(records);
      expect(l.plan(records)).toEqual(first);
      expect(steps(first)).toEqual([
        { entity: 'item', key: 'P-1', action: 'create', expect: 'SYNCED' },
        { entity: 'item', key: 'P-2', action: 'update', expect: 'SYNCED' },
        { entity: 'item', key: 'P-3', action: 'invalid', expect: 'FAILED' },
        { entity: 'subitem', key: 'P-1-1', action: 'create', expect: 'SYNCED' },
        { entity: 'subitem', key: 'P-3-1', action: 'blocked', expect: 'FAILED' },
      ]);
      expect(plain.emulator!.requestLog.length).toBe(before.requests);
      expect(plain.emulator!.snapshot()).toEqual(before.state);
    });

    it('creates what monday has never seen, and recovers what an interrupted attempt may have created', async () => {
      const plan = (await loader()).plan([
        order(item('C-1'), [sub('C-1-1')]),
        order(item('C-2', { attemptId: 'run-1-3' }), [sub('C-2-1', { attemptId: 'run-1-3' })]),
        order(item('C-3', { attemptId: 'run-1-3', keyColumn: null })),
      ]);
      expect(steps(plan).map((s) => `${s.key}:${s.action}`)).toEqual(['C-1:create', 'C-2:recover', 'C-3:create', 'C-1-1:create', 'C-2-1:recover']);
      expect(plan.steps.every((s) => s.expect === 'SYNCED' && s.values === null && !s.move)).toBe(true);
    });

    it('updates only the columns that changed; a column no longer mapped is cleared', async () => {
      const current = item('U-1', { columns: { text_mkr5ord0: 'U-1', text_mkr5dq1b: 'Sage', numeric_mktb1d19: '120' } });
      const entity = synced(current, '1701', { fingerprint: 'fp-before', values: { name: current.name, text_mkr5ord0: 'U-1', text_mkr5dq1b: 'Navy', numeric_mktb1d19: '120', text_mkr5q6n2: 'PO-1' } });
      const step = stepOf((await loader()).plan([order(entity)]), 'U-1');
      expect(step).toMatchObject({ action: 'update', expect: 'SYNCED', move: false, values: { text_mkr5dq1b: 'Sage', text_mkr5q6n2: null } });
      expect(Object.keys(step.values!)).toEqual(['text_mkr5dq1b', 'text_mkr5q6n2']);
    });

    it('leaves an entity whose fingerprint is what monday last confirmed unchanged', async () => {
      const plan = (await loader()).plan([order(synced(item('N-1'), '1702'), [synced(sub('N-1-1'), '1703')])]);
      expect(plan.steps.map((s) => [s.entity.key, s.action, s.expect, s.values])).toEqual([['N-1', 'unchanged', 'SYNCED', null], ['N-1-1', 'unchanged', 'SYNCED', null]]);
    });

    it('moves an unchanged item whose group changed, sending no values', async () => {
      const step = stepOf((await loader()).plan([order(synced(item('M-1'), '1704'), [], { groupId: 'new_group' })]), 'M-1');
      expect(step).toMatchObject({ action: 'update', move: true, values: {} });
    });

    it('does not resend what failed for good and has not changed since, unless retryFailed', async () => {
      const failed = item('F-1', { previous: { fingerprint: null, values: null, mondayId: null, groupId: null, failedFingerprint: 'fp-F-1' } });
      const records = [order(failed, [sub('F-1-1')], { source: { lastError: 'ColumnValueException: bad date' } })];
      const plan = (await loader()).plan(records);
      expect(stepOf(plan, 'F-1')).toMatchObject({ action: 'still-failed', expect: 'FAILED', reason: 'unchanged since it failed: ColumnValueException: bad date' });
      expect(stepOf(plan, 'F-1-1')).toMatchObject({ action: 'blocked', expect: 'FAILED' });
      const retry = (await loader({}, plain.context({ retryFailed: true }))).plan(records);
      expect(steps(retry).map((s) => s.action)).toEqual(['create', 'create']);
    });

    it('with --force resends every value in full, even unchanged ones', async () => {
      const entity = synced(item('FO-1'), '1705');
      const step = stepOf((await loader({}, plain.context({ force: true }))).plan([order(entity)]), 'FO-1');
      expect(step).toMatchObject({ action: 'update', expect: 'SYNCED', values: { name: entity.name, ...entity.columns } });
    });

    it('archives a cancelled order with cancelledOrders: archive, and updates it by default', async () => {
      const cancelled = order(changedSince(item('X-1', { columns: { text_mkr5ord0: 'X-1', status: { label: 'Cancelled' } } }), '1706', { status: { label: 'Open' } }), [], { source: { action: 'CANCEL' } });
      expect(stepOf((await loader({ cancelledOrders: 'archive' })).plan([cancelled]), 'X-1')).toMatchObject({ action: 'archive', expect: 'SYNCED' });
      expect(stepOf((await loader()).plan([cancelled]), 'X-1')).toMatchObject({ action: 'update', expect: 'SYNCED' });
      const neverSent = order(item('X-2'), [], { source: { action: 'cancelled' } });
      expect(stepOf((await loader({ cancelledOrders: 'archive' })).plan([neverSent]), 'X-2'))
        .toMatchObject({ action: 'unchanged', expect: 'SYNCED', reason: 'cancelled upstream before it reached monday' });
    });

    // Found by this suite: the lines were once planned `blocked` (PENDING), waiting for an order that
    // would never be sent, so they were re-read on every run and never left PENDING.
    it('settles the lines of an order cancelled before it reached monday with their order, never waiting', async () => {
      const neverSent = order(item('X-3'), [sub('X-3-1')], { source: { action: 'CANCEL' } });
      const line = stepOf((await loader({ cancelledOrders: 'archive' })).plan([neverSent]), 'X-3-1');
      expect(line).toMatchObject({ action: 'unchanged', expect: 'SYNCED', reason: 'cancelled upstream before it reached monday' });
    });

    it('never sends an invalid entity, and blocks the lines of an invalid order', async () => {
      const plan = (await loader()).plan([
        order(item('I-1', { problem: 'total_quantity: "lots" is not a number' }), [sub('I-1-1')]),
        order(item('I-2'), [sub('I-2-1', { problem: 'quantity: required but empty' }), sub('I-2-2')]),
      ]);
      expect(plan.steps.map((s) => [s.entity.key, s.action, s.expect, s.reason])).toEqual([
        ['I-1', 'invalid', 'FAILED', 'total_quantity: "lots" is not a number'],
        ['I-2', 'create', 'SYNCED', null],
        ['I-1-1', 'blocked', 'FAILED', 'not sent: its order failed — total_quantity: "lots" is not a number'],
        ['I-2-1', 'invalid', 'FAILED', 'quantity: required but empty'],
        ['I-2-2', 'create', 'SYNCED', null],
      ]);
    });

    it('defers an order waiting for its group, and its lines with it', async () => {
      const plan = (await loader()).plan([order(item('D-1', { deferred: 'group "ACME 2025 FALL" could not be created: HTTP_503' }), [sub('D-1-1')])]);
      expect(steps(plan).map((s) => `${s.key}:${s.action}:${s.expect}`)).toEqual(['D-1:deferred:PENDING', 'D-1-1:blocked:PENDING']);
    });

    it('plans the pending lines of an order already on monday without its item, and blocks them when it is not', async () => {
      const plan = (await loader()).plan([
        order(null, [sub('S-1-1')], { source: { key: 'S-1', state: 'SYNCED', mondayId: '1707' } }),
        order(null, [sub('S-2-1')], { source: { key: 'S-2', state: 'SYNCED', mondayId: null } }),
      ]);
      expect(plan.steps.map((s) => [s.entity.key, s.action, s.expect, s.reason])).toEqual([
        ['S-1-1', 'create', 'SYNCED', null],
        ['S-2-1', 'blocked', 'PENDING', 'not sent: its order is still pending'],
      ]);
    });
  });

  describe('load', () => {
    it('creates items in their group, then subitems under them, each outcome with its monday id', async () => {
      const l = await loader();
      const sink = recordingSink();
      await l.load(l.plan([order(item('L-1'), [sub('L-1-1'), sub('L-1-2')]), order(item('L-2'), [sub('L-2-1')])]), sink);
      const outcomes = sink.outcomes();
      for (const key of ['L-1', 'L-2']) {
        const out = outcomeOf(outcomes, key);
        expect(out).toMatchObject({ entity: 'item', state: 'SYNCED', action: 'create', operation: 'create_item', groupId: 'topics', error: null, attempts: 1 });
        expect(itemOnMonday(out.mondayId)).toMatchObject({ board_id: BOARD, group_id: 'topics', name: `Tour Polo ${key}`, parent_item_id: null, state: 'active' });
        expect(itemOnMonday(out.mondayId)!.column_values).toMatchObject({ text_mkr5ord0: key, text_mkr5dq1b: 'Navy' });
      }
      for (const [key, parent] of [['L-1-1', 'L-1'], ['L-1-2', 'L-1'], ['L-2-1', 'L-2']] as const) {
        const out = outcomeOf(outcomes, key);
        const parentId = outcomeOf(outcomes, parent).mondayId;
        expect(out).toMatchObject({ entity: 'subitem', order: parent, state: 'SYNCED', action: 'create', parentItemId: parentId });
        expect(itemOnMonday(out.mondayId)).toMatchObject({ board_id: SUBITEMS_BOARD, parent_item_id: parentId, name: key.slice(-1) });
      }
      expect(outcomes).toHaveLength(5);
    });

    it('stamps every batch\'s attempt before its request and before its outcomes', async () => {
      const l = await loader({ batchSize: 2 });
      const sink = recordingSink();
      const sentBefore = mutations();
      await l.load(l.plan([order(item('B-1'), [sub('B-1-1')]), order(item('B-2')), order(item('B-3')), order(item('B-4', { problem: 'bad' }))]), sink);
      // Items B-1..B-3 in batches of two, then the subitem: three requests, three attempts.
      expect(mutations() - sentBefore).toBe(3);
      const attempts = sink.events.flatMap((e, at) => (e.kind === 'attempt' ? [{ at, keys: e.mark.entities.map((x) => x.key) }] : []));
      expect(attempts.map((a) => a.keys)).toEqual([['B-1', 'B-2'], ['B-3'], ['B-1-1']]);
      expect(new Set(sink.events.flatMap((e) => (e.kind === 'attempt' ? [e.mark.attemptId] : []))).size).toBe(3);
      sink.events.forEach((e, at) => {
        if (e.kind !== 'settle') return;
        for (const out of e.outcomes.filter((o) => o.request !== null)) {
          expect(attempts.some((a) => a.at < at && a.keys.includes(out.key)), `${out.key} settled before its attempt was stamped`).toBe(true);
        }
      });
      // The invalid one was never attempted, yet settled.
      expect(attempts.flatMap((a) => a.keys)).not.toContain('B-4');
      expect(outcomeOf(sink.outcomes(), 'B-4')).toMatchObject({ state: 'FAILED', action: 'skip', request: null, error: 'bad' });
    });

    it('settles every step exactly once, in the state its plan expected', async () => {
      const setup = recordingSink();
      const l = await loader();
      await l.load(l.plan([order(item('E-1')), order(item('E-2'))]), setup);
      const [e1, e2] = ['E-1', 'E-2'].map((key) => outcomeOf(setup.outcomes(), key).mondayId!);
      const plan = l.plan([
        order(item('E-0'), [sub('E-0-1')]),
        order(synced(item('E-1'), e1!), [sub('E-1-1')]),
        order(changedSince(item('E-2', { columns: { text_mkr5ord0: 'E-2', text_mkr5dq1b: 'Coral', numeric_mktb1d19: '120' } }), e2!, { text_mkr5dq1b: 'Navy' })),
        order(item('E-3', { problem: 'order_date: not a date' }), [sub('E-3-1')]),
        order(item('E-4', { deferred: 'group not created yet' }), [sub('E-4-1')]),
      ]);
      const sink = recordingSink();
      await l.load(plan, sink);
      const outcomes = sink.outcomes();
      expect(outcomes.map((o) => `${o.entity}:${o.key}`).sort()).toEqual(plan.steps.map((s) => `${s.entity.entity}:${s.entity.key}`).sort());
      for (const step of plan.steps) expect([step.entity.key, outcomeOf(outcomes, step.entity.key).state]).toEqual([step.entity.key, step.expect]);
      expect(outcomeOf(outcomes, 'E-1')).toMatchObject({ action: 'unchanged', request: null, mondayId: e1 });
      expect(outcomeOf(outcomes, 'E-1-1')).toMatchObject({ action: 'create', parentItemId: e1 });
      expect(itemOnMonday(e2!)!.column_values.text_mkr5dq1b).toBe('Coral');
    });

    it('sends an update with only the changed columns', async () => {
      const setup = recordingSink();
      const l = await loader();
      await l.load(l.plan([order(item('V-1'))]), setup);
      const id = outcomeOf(setup.outcomes(), 'V-1').mondayId!;
      const changed = item('V-1', { columns: { text_mkr5ord0: 'V-1', text_mkr5dq1b: 'Sage', numeric_mktb1d19: '120' }, fingerprint: 'fp-V-1-sage' });
      const sink = recordingSink();
      await l.load(l.plan([order(synced(changed, id, { fingerprint: 'fp-V-1', values: { name: changed.name, text_mkr5ord0: 'V-1', text_mkr5dq1b: 'Navy', numeric_mktb1d19: '120' } }))]), sink);
      const out = outcomeOf(sink.outcomes(), 'V-1');
      expect(out).toMatchObject({ state: 'SYNCED', action: 'update', operation: 'change_multiple_column_values', mondayId: id });
      const sent = Object.entries((out.request as { variables: Record<string, unknown> }).variables).find(([name]) => name.endsWith('column_values'))![1];
      expect(JSON.parse(sent as string)).toEqual({ text_mkr5dq1b: 'Sage' });
      expect(itemOnMonday(id)!.column_values).toMatchObject({ text_mkr5dq1b: 'Sage', numeric_mktb1d19: '120' });
      // What monday now holds, in full, for the core to remember.
      expect(out.values).toEqual({ name: changed.name, ...changed.columns });
    });

    it('archives a cancelled order on monday with cancelledOrders: archive', async () => {
      const l = await loader({ cancelledOrders: 'archive' });
      const setup = recordingSink();
      await l.load(l.plan([order(item('A-1'))]), setup);
      const id = outcomeOf(setup.outcomes(), 'A-1').mondayId!;
      const sink = recordingSink();
      await l.load(l.plan([order(synced(item('A-1', { fingerprint: 'fp-cancelled' }), id), [], { source: { action: 'CANCEL' } })]), sink);
      expect(outcomeOf(sink.outcomes(), 'A-1')).toMatchObject({ state: 'SYNCED', action: 'archive', operation: 'archive_item', mondayId: id });
      expect(itemOnMonday(id)!.state).toBe('archived');
    });

    it('recovers an item an interrupted attempt created: adopts it by its key instead of creating a second', async () => {
      const l = await loader();
      const setup = recordingSink();
      await l.load(l.plan([order(item('RC-1'))]), setup);
      const id = outcomeOf(setup.outcomes(), 'RC-1').mondayId!;
      const itemsBefore = plain.emulator!.snapshot().items.length;
      const sink = recordingSink();
      // Stamped, never settled: no monday id known, an attempt id left behind.
      await l.load(l.plan([order(item('RC-1', { attemptId: 'crashed-run-1' }))]), sink);
      expect(outcomeOf(sink.outcomes(), 'RC-1')).toMatchObject({ state: 'SYNCED', action: 'adopt', mondayId: id, operation: 'change_multiple_column_values' });
      expect(plain.emulator!.snapshot().items.length).toBe(itemsBefore);
    });

    // API reference "items_page_by_column_values": a text column matches its whole value without case.
    it('does not adopt an item whose key differs only in case: no exact match, so it creates its own', async () => {
      const l = await loader();
      const setup = recordingSink();
      await l.load(l.plan([order(item('CASE-1'))]), setup);
      const other = outcomeOf(setup.outcomes(), 'CASE-1').mondayId!;
      const sink = recordingSink();
      await l.load(l.plan([order(item('case-1', { attemptId: 'crashed-run-2', columns: { text_mkr5ord0: 'case-1' } }))]), sink);
      const own = outcomeOf(sink.outcomes(), 'case-1');
      expect(own).toMatchObject({ state: 'SYNCED', action: 'create' });
      expect(own.mondayId).not.toBe(other);
    });

    it('refuses to adopt an item another record already holds, and fails the record with the reason', async () => {
      const l = await loader();
      const setup = recordingSink();
      await l.load(l.plan([order(item('OWN-1'))]), setup);
      const id = outcomeOf(setup.outcomes(), 'OWN-1').mondayId!;
      const sink = recordingSink({ [id]: ' OWN-1' });
      await l.load(l.plan([order(item('OWN-1', { attemptId: 'crashed-run-3' }))]), sink);
      expect(outcomeOf(sink.outcomes(), 'OWN-1')).toMatchObject({
        state: 'FAILED', apiStatus: 'ambiguous-key', error: expect.stringMatching(/^not adopted: its key "OWN-1" is the same on monday as " OWN-1"'s \(item \d+\)/),
      });
    });

    it('refuses to adopt when more than one item holds the key exactly', async () => {
      const l = await loader();
      await l.load(l.plan([order(item('DUP-1'))]), recordingSink());
      // A second create of the same key, without the lookup that would adopt the first: two items hold it.
      const blind = await loader({ adoptBeforeCreate: false });
      await blind.load(blind.plan([order(item('DUP-1', { name: 'Another DUP-1' }))]), recordingSink());
      const sink = recordingSink();
      await l.load(l.plan([order(item('DUP-1', { attemptId: 'crashed-run-4' }))]), sink);
      expect(outcomeOf(sink.outcomes(), 'DUP-1')).toMatchObject({ state: 'FAILED', error: expect.stringMatching(/^not adopted: 2 items on monday have the key "DUP-1"/) });
    });

    it('fails both records of a page whose keys would be one key on monday, before anything is sent', async () => {
      const l = await loader();
      const before = mutations();
      const plan = l.plan([order(item('TW-1')), order(item(' tw-1 ', { columns: { text_mkr5ord0: 'tw-1' } }))]);
      expect(plan.steps.map((s) => [s.entity.key, s.action, s.expect])).toEqual([['TW-1', 'invalid', 'FAILED'], [' tw-1 ', 'invalid', 'FAILED']]);
      expect(stepOf(plan, 'TW-1').reason).toBe('its key "TW-1" is the same on monday as " tw-1 " (monday trims keys and matches them without case); rename one of them upstream');
      await l.load(plan, recordingSink());
      expect(mutations()).toBe(before);
    });

    // API reference "Status": a numeric label is read as an index, so {"label": "2"} would silently set the third label.
    it('never sends a numeric status label as text: with no label of that name on the board the record fails with the reason', async () => {
      const l = await loader();
      const sink = recordingSink();
      const before = mutations();
      await l.load(l.plan([order(item('NUM-1', { columns: { text_mkr5ord0: 'NUM-1', status: { label: '2' } } }))]), sink);
      expect(outcomeOf(sink.outcomes(), 'NUM-1')).toMatchObject({
        state: 'FAILED', error: 'status: label "2" is a number, which monday reads as an index or id, and the column has no label by that name; add it on the board',
      });
      expect(mutations()).toBe(before);
    });

    it('archives subitems whose lines were removed upstream with removedLines: archive, and leaves them by default', async () => {
      const l = await loader({ removedLines: 'archive' });
      const setup = recordingSink();
      await l.load(l.plan([order(item('RL-1'), [sub('RL-1-1'), sub('RL-1-2')])]), setup);
      const [gone, kept] = ['RL-1-1', 'RL-1-2'].map((key) => outcomeOf(setup.outcomes(), key).mondayId!);
      const left = recordingSink();
      await (await loader()).removeLines!(BOARD, 'ACME', [{ key: 'RL-1-1', order: 'RL-1', mondayId: gone! }], left);
      expect(left.events).toEqual([]);
      expect(itemOnMonday(gone!)!.state).toBe('active');
      const sink = recordingSink();
      await l.removeLines!(BOARD, 'ACME', [{ key: 'RL-1-1', order: 'RL-1', mondayId: gone! }], sink);
      expect(sink.events.map((e) => e.kind)).toEqual(['attempt', 'settle']);
      expect(outcomeOf(sink.outcomes(), 'RL-1-1')).toMatchObject({ entity: 'subitem', state: 'SYNCED', action: 'archive', operation: 'archive_item' });
      expect(itemOnMonday(gone!)!.state).toBe('archived');
      expect(itemOnMonday(kept!)!.state).toBe('active');
    });

    it('fails an order monday refuses, and its lines with it, without sending them', async () => {
      const l = await loader();
      const sink = recordingSink();
      const sentBefore = mutations();
      await l.load(l.plan([order(item('R-1', { columns: { status: { label: 'No Such Label' } } }), [sub('R-1-1')]), order(item('R-2'))]), sink);
      const outcomes = sink.outcomes();
      expect(outcomeOf(outcomes, 'R-1')).toMatchObject({ state: 'FAILED', action: 'create', mondayId: null, attempts: 1 });
      expect(outcomeOf(outcomes, 'R-1').error).toMatch(/^ColumnValueException: /);
      expect(outcomeOf(outcomes, 'R-1-1')).toMatchObject({ state: 'FAILED', request: null });
      expect(outcomeOf(outcomes, 'R-1-1').error).toMatch(/^not sent: its order failed — ColumnValueException/);
      expect(outcomeOf(outcomes, 'R-2')).toMatchObject({ state: 'SYNCED' });
      // One request for both items; nothing for the blocked line.
      expect(mutations() - sentBefore).toBe(1);
    });
  });
  describe('configuration errors met during a run', () => {
    // API reference "Error handling": InvalidColumnIdException names a column the board does not have.
    it('stops the run on a column that does not exist, leaving the records PENDING with their attempt not counted', async () => {
      const bad = order(item('CFG-1', { columns: { text_mkr5ord0: 'CFG-1', text_nosuchcol: 'x' }, retryCount: 2 }));
      const l = await loader();
      const sink = recordingSink();
      await expect(l.load(l.plan([bad]), sink)).rejects.toMatchObject({ name: 'RunStopError', message: expect.stringMatching(/InvalidColumnIdException.*text_nosuchcol.*fix the config/) });
      expect(outcomeOf(sink.outcomes(), 'CFG-1')).toMatchObject({ state: 'PENDING', attempts: 2, apiStatus: 'InvalidColumnIdException' });
    });
  });
});
