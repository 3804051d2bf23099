/**
 * Fingerprints are what an upgrade must not change: a record state written by an older build is
 * compared with a fingerprint of this build, so the same values must give the same digest, or every
 * synced record would look changed and be sent again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entityValues, type PlannedEntity } from '../../src/pipeline/contract/index.ts';
import { fingerprintOf, fingerprintOfEntity, hasRecordStates, withPreviousState } from '../../src/pipeline/record-state.ts';
import { plannedEntity, plannedRecord } from '../plugins/support/plugin-harness.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../support/test-database.ts';

const item = { name: 'Tour Polo 137 Black BN-0000001', columns: {
  text_mkr5ord0: 'BN-0000001', text_mkr5wya6: 'Tour Polo 137', long_text_mkr5nt8: { text: 'Sun Dress in navy, recycled blend' },
  dropdown_mkr542p2: { labels: ['GREYSON'] }, numeric_mktb1d19: '240', date_mkr5zp5: { date: '2025-02-02' },
  date_mkr5x1ex: { date: '2026-05-09', time: '14:30:00' }, status: { label: 'Open' }, text_mkr5q6n2: null,
} };
const subitem = { name: 'XS', columns: { text_mkr6c3lk: 'BN-0000001-02', text_mkr6a1sz: 'XS', numeric_mkr6b2qt: '36' } };
const odd = { name: 'x', b: [1, null, 'a"b', { z: 1, a: [true, false] }], a: { checked: 'true' }, '10': 'ten', '2': 'two', é: 'accent', c: 1.5, d: -0, e: '\u2028' };

describe('fingerprints', () => {
  // Digests written down from the build before fingerprints were hashed without copies (commit bd56b36).
  it('are the digests earlier builds stored for the same values', () => {
    expect(fingerprintOf(entityValues(item), 'GREYSON 2025 FALL')).toBe('8e3e44c16a8651eeef51f6bdedc866c4');
    expect(fingerprintOf(entityValues(subitem))).toBe('bc2ec85974cbbb184f941cdb2fe815f0');
    expect(fingerprintOf(odd, 'A "quoted" title')).toBe('5c80e3d0cde383039fc1aef0e48b9f81');
    expect(fingerprintOf({ name: '' })).toBe('2f935d6fead7834d5b2dc8160c9e893c');
  });

  it('of an entity equal those of its values, whatever the order or shape of its columns', () => {
    expect(fingerprintOfEntity(item, 'GREYSON 2025 FALL')).toBe('8e3e44c16a8651eeef51f6bdedc866c4');
    expect(fingerprintOfEntity(subitem)).toBe('bc2ec85974cbbb184f941cdb2fe815f0');
    const { name, ...columns } = odd;
    expect(fingerprintOfEntity({ name, columns }, 'A "quoted" title')).toBe('5c80e3d0cde383039fc1aef0e48b9f81');
    // The same keys in another order are the same values; many shapes in a row do not mix up their keys.
    const reversed = Object.fromEntries(Object.entries(item.columns).reverse());
    expect(fingerprintOfEntity({ name: item.name, columns: reversed }, 'GREYSON 2025 FALL')).toBe('8e3e44c16a8651eeef51f6bdedc866c4');
    for (let i = 0; i < 40; i++) {
      const wide = { name: `n${i}`, columns: Object.fromEntries(Array.from({ length: i % 7 }, (_, k) => [`c${(k * 5 + i) % 11}`, { label: `${k}` }])) };
      expect(fingerprintOfEntity(wide, i % 2 ? null : 'G')).toBe(fingerprintOf(entityValues(wide), i % 2 ? null : 'G'));
    }
    // A column literally called name wins over the entity's name, as in entityValues.
    const named = { name: 'outer', columns: { name: 'inner', a: 1 } };
    expect(fingerprintOfEntity(named)).toBe(fingerprintOf(entityValues(named)));
    expect(fingerprintOfEntity(named)).not.toBe(fingerprintOf({ name: 'outer', a: 1 }));
  });

  it('change when a value, the name or the group changes', () => {
    const base = fingerprintOfEntity(subitem);
    expect(fingerprintOfEntity({ ...subitem, name: 'S' })).not.toBe(base);
    expect(fingerprintOfEntity({ ...subitem, columns: { ...subitem.columns, numeric_mkr6b2qt: '37' } })).not.toBe(base);
    expect(fingerprintOfEntity(subitem, 'A GROUP')).not.toBe(base);
  });
});

describe.each(dialects)('withPreviousState on %s', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    await t.database.db.insertInto('ordersync_record_state').values([
      { entity: 'item', record_key: 'OLD-1', parent_key: null, board_id: '1', monday_id: '900', group_id: 'g', fingerprint: 'f-old', values: { name: 'OLD-1' }, failed_fingerprint: null },
      { entity: 'subitem', record_key: 'BAD-1-01', parent_key: 'BAD-1', board_id: '1', monday_id: null, group_id: null, fingerprint: null, values: null, failed_fingerprint: 'f-bad' },
    ]).execute();
  }, 60_000);
  afterAll(async () => t?.dispose());

  const page = () => [
    plannedRecord(plannedEntity('item', 'OLD-1', { mondayId: '900', columns: { a: 'x' } }), [plannedEntity('subitem', 'OLD-1-01')], { groupTitle: 'G' }),
    plannedRecord(plannedEntity('item', 'NEW-1', { columns: { a: 'y' } }), [plannedEntity('subitem', 'NEW-1-01')]),
    plannedRecord(plannedEntity('item', 'BAD-1'), [plannedEntity('subitem', 'BAD-1-01')]),
  ];
  const summary = (records: Awaited<ReturnType<typeof withPreviousState>>) => records.flatMap((r) => [r.item!, ...r.subitems])
    .map((e: PlannedEntity) => [e.key, e.fingerprint ?? null, e.previous?.fingerprint ?? e.previous?.failedFingerprint ?? null]);

  it('in a run fingerprints every entity (each outcome remembers its fingerprint)', async () => {
    const records = page();
    expect(summary(await withPreviousState(t.database.db, records))).toEqual([
      ['OLD-1', fingerprintOfEntity(records[0]!.item!, 'G'), 'f-old'],
      ['OLD-1-01', fingerprintOfEntity(records[0]!.subitems[0]!), null],
      ['NEW-1', fingerprintOfEntity(records[1]!.item!), null],
      ['NEW-1-01', fingerprintOfEntity(records[1]!.subitems[0]!), null],
      ['BAD-1', fingerprintOfEntity(records[2]!.item!), null],
      ['BAD-1-01', fingerprintOfEntity(records[2]!.subitems[0]!), 'f-bad'],
    ]);
  });

  it('in a dry run fingerprints only the entities with a previous state, the only ones its plan compares', async () => {
    const records = page();
    expect(summary(await withPreviousState(t.database.db, records, { dryRun: true }))).toEqual([
      ['OLD-1', fingerprintOfEntity(records[0]!.item!, 'G'), 'f-old'],
      ['OLD-1-01', null, null],
      ['NEW-1', null, null],
      ['NEW-1-01', null, null],
      ['BAD-1', null, null],
      // No monday id, but it failed for good before: the plan compares it to say "still failed".
      ['BAD-1-01', fingerprintOfEntity(records[2]!.subitems[0]!), 'f-bad'],
    ]);
  });

  it('in a dry run leaves the entities without a previous state as transform made them (no copies)', async () => {
    const records = page();
    const planned = await withPreviousState(t.database.db, records, { dryRun: true });
    expect(planned[1]!.item).toBe(records[1]!.item);
    expect(planned[1]!.subitems[0]).toBe(records[1]!.subitems[0]);
    expect(planned[0]!.item).not.toBe(records[0]!.item);
    expect(records[0]!.item!.previous).toBeUndefined();
  });

  it('knows whether any entity state is remembered at all', async () => {
    expect(await hasRecordStates(t.database.db)).toBe(true);
    const empty = await createTestDatabase(dialect);
    try {
      expect(await hasRecordStates(empty.database.db)).toBe(false);
    } finally {
      await empty.dispose();
    }
  });
});
