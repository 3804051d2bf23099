/** Builds the monday mutations for one entity: create, update only what changed, move, archive or delete. */
import type { MutationOp, PlannedEntity, PlannedRecord } from '../../src/pipeline/index.ts';

/** Upstream `action_type` values that mean the order was cancelled. */
export const CANCEL_ACTIONS = new Set(['CANCEL', 'CANCELLED', 'CANCELED', 'DELETE', 'DELETED']);

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Columns (and `name`) whose value differs from what monday last confirmed; removed ones become null. */
export function changedValues(current: Record<string, unknown>, previous: Record<string, unknown> | null): Record<string, unknown> {
  if (!previous) return current;
  const changed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(current)) if (!same(value, previous[key])) changed[key] = value;
  for (const key of Object.keys(previous)) if (!(key in current) && previous[key] !== null) changed[key] = null;
  return changed;
}

const labels = (create: boolean): MutationOp['args'] => ({ create_labels_if_missing: { type: 'Boolean', value: create } });

/** `create_item` in the record's group. */
export function createItemOp(record: PlannedRecord, entity: PlannedEntity, createLabels: boolean): MutationOp {
  return {
    key: entity.key, field: 'create_item', selection: 'id',
    args: {
      board_id: { type: 'ID!', value: record.board }, item_name: { type: 'String!', value: entity.name },
      group_id: { type: 'String', value: record.groupId }, column_values: { type: 'JSON', value: JSON.stringify(entity.columns) }, ...labels(createLabels),
    },
  };
}

/** `create_subitem` under its parent item. */
export function createSubitemOp(entity: PlannedEntity, parentId: string, createLabels: boolean): MutationOp {
  return {
    key: entity.key, field: 'create_subitem', selection: 'id board { id }',
    args: {
      parent_item_id: { type: 'ID!', value: parentId }, item_name: { type: 'String!', value: entity.name },
      column_values: { type: 'JSON', value: JSON.stringify(entity.columns) }, ...labels(createLabels),
    },
  };
}

/** `change_multiple_column_values` with the given values (`name` renames). */
export function changeValuesOp(key: string, board: string, mondayId: string, values: Record<string, unknown>, createLabels: boolean): MutationOp {
  return {
    key, field: 'change_multiple_column_values', selection: 'id',
    args: { board_id: { type: 'ID!', value: board }, item_id: { type: 'ID', value: mondayId }, column_values: { type: 'JSON!', value: JSON.stringify(values) }, ...labels(createLabels) },
  };
}

/** `move_item_to_group`; keyed `<key>#move` beside the entity's own op. */
export function moveOp(key: string, mondayId: string, groupId: string): MutationOp {
  return { key: `${key}#move`, field: 'move_item_to_group', selection: 'id', args: { item_id: { type: 'ID', value: mondayId }, group_id: { type: 'String!', value: groupId } } };
}

/** `archive_item` or `delete_item`. */
export function removeOp(key: string, mondayId: string, how: 'archive' | 'delete'): MutationOp {
  return { key, field: how === 'archive' ? 'archive_item' : 'delete_item', selection: 'id', args: { item_id: { type: 'ID', value: mondayId } } };
}
