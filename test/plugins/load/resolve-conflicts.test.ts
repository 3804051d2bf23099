/** The conflict rule, column by column: pure, from the record state, our values and monday's current item. */
import { describe, expect, it } from 'vitest';
import type { CurrentItem } from '../../../plugins/load/read-current.ts';
import { resolveConflicts, updatableValues } from '../../../plugins/load/resolve-conflicts.ts';
import type { ColumnMeta, PlannedEntity } from '../../../src/pipeline/index.ts';

const meta: Record<string, ColumnMeta> = {
  name: { type: 'name', owner: 'source', onConflict: null, field: null },
  po: { type: 'text', owner: 'shared', onConflict: null, field: 'po_number' },
  qty: { type: 'numbers', owner: 'source', onConflict: null, field: 'total_quantity' },
  state: { type: 'status', owner: 'monday', onConflict: null, field: 'order_status' },
};

const entity = (columns: Record<string, unknown>, previous: Record<string, unknown> | null, mondayValues: Record<string, string> | null = null): PlannedEntity => ({
  entity: 'item', key: 'GRE-1', name: 'Polo', columns, mondayId: '11', keyColumn: null, retryCount: 0, attemptId: null, problem: null, deferred: null,
  columnMeta: meta, previous: previous && { fingerprint: 'f', values: previous, mondayId: '11', groupId: 'g1', failedFingerprint: null, mondayValues },
});

const onMonday = (values: Record<string, string>, groupId = 'g1'): CurrentItem => ({
  id: '11', state: 'active', name: 'Polo', groupId,
  columns: new Map(Object.entries(values).map(([id, text]) => [id, { type: id === 'qty' ? 'numbers' : 'text', value: JSON.stringify(text), text }])),
});

describe('resolveConflicts', () => {
  const before = { name: 'Polo', po: 'PO-1', qty: '10' };

  it('sends a changed column monday still holds as last written', () => {
    const e = entity({ po: 'PO-2', qty: '10' }, before);
    const r = resolveConflicts(e, { po: 'PO-2' }, false, onMonday({ po: 'PO-1', qty: '10' }), 'g1', 'flag');
    expect(r.send).toEqual({ po: 'PO-2' });
    expect(r.conflicts).toEqual([]);
  });

  it("flags a column changed on both sides: not sent, its old baseline kept, the rest sent", () => {
    const e = entity({ po: 'PO-2', qty: '11' }, before);
    const r = resolveConflicts(e, { po: 'PO-2', qty: '11' }, false, onMonday({ po: 'PO-HAND', qty: '10' }), 'g1', 'flag');
    expect(r.send).toEqual({ qty: '11' });
    expect(r.conflicts).toEqual([{ column: 'po', field: 'po_number', ours: 'PO-2', theirs: 'PO-HAND', policy: 'flag' }]);
    expect(r.values).toMatchObject({ po: 'PO-1', qty: '11' });
    expect(r.mondayValues).toBeNull();
  });

  it("overwrites with the stage's overwrite, and a column's own policy wins over the stage's", () => {
    const e = entity({ po: 'PO-2', qty: '10' }, before);
    expect(resolveConflicts(e, { po: 'PO-2' }, false, onMonday({ po: 'PO-HAND' }), 'g1', 'overwrite').send).toEqual({ po: 'PO-2' });
    const own = { ...e, columnMeta: { ...meta, po: { ...meta.po!, onConflict: 'keep-monday' as const } } };
    const r = resolveConflicts(own, { po: 'PO-2' }, false, onMonday({ po: 'PO-HAND' }), 'g1', 'overwrite');
    expect(r.send).toEqual({});
    expect(r.mondayValues).toEqual({ po: 'PO-HAND' });
    expect(r.values).toMatchObject({ po: 'PO-2' });
  });

  it("measures a person's later edit against the monday value kept earlier", () => {
    const e = entity({ po: 'PO-3', qty: '10' }, { ...before, po: 'PO-2' }, { po: 'PO-HAND' });
    const r = resolveConflicts(e, { po: 'PO-3' }, false, onMonday({ po: 'PO-HAND' }), 'g1', 'flag');
    expect(r.send).toEqual({ po: 'PO-3' });
    expect(r.conflicts).toEqual([]);
    expect(r.mondayValues).toBeNull();
  });

  it('sends nothing for a column the person already set to our value, unless --force resends in full', () => {
    const e = entity({ po: 'PO-2', qty: '10' }, before);
    expect(resolveConflicts(e, { po: 'PO-2' }, false, onMonday({ po: 'PO-2' }), 'g1', 'flag').send).toEqual({});
    expect(resolveConflicts(e, { po: 'PO-2', qty: '10' }, false, onMonday({ po: 'PO-2', qty: '10.0' }), 'g1', 'flag', true).send).toEqual({ po: 'PO-2', qty: '10' });
  });

  it('treats a person\'s edit of a column resent by --force as a conflict, and compares numbers as numbers', () => {
    const e = entity({ po: 'PO-1', qty: '10' }, before);
    const r = resolveConflicts(e, { po: 'PO-1', qty: '10' }, false, onMonday({ po: 'PO-HAND', qty: '10.00' }), 'g1', 'flag', true);
    expect(r.send).toEqual({ qty: '10' });
    expect(r.conflicts.map((c) => c.column)).toEqual(['po']);
  });

  it('sends as planned when nothing was written before (no baseline to compare with)', () => {
    const r = resolveConflicts(entity({ po: 'PO-2' }, null), { po: 'PO-2' }, false, onMonday({ po: 'PO-HAND' }), 'g1', 'flag');
    expect(r.send).toEqual({ po: 'PO-2' });
  });

  it('drops a planned move when the item already is in the target group', () => {
    const e = entity({ po: 'PO-1', qty: '10' }, before);
    expect(resolveConflicts(e, {}, true, onMonday({}, 'g2'), 'g2', 'flag').move).toBe(false);
    expect(resolveConflicts(e, {}, true, onMonday({}, 'g1'), 'g2', 'flag').move).toBe(true);
  });
});

describe('updatableValues', () => {
  it('leaves out monday-owned columns and keeps the rest', () => {
    expect(updatableValues({ name: 'Polo', po: 'PO-1', state: { label: 'Open' } }, meta)).toEqual({ name: 'Polo', po: 'PO-1' });
    expect(updatableValues({ state: { label: 'Open' } }, undefined)).toEqual({ state: { label: 'Open' } });
  });
});
