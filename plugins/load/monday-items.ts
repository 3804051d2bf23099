/**
 * load: headers become items in their group, then lines become subitems under the new
 * parent ids, in aliased batches. Every entity's outcome comes from its own alias.
 */
import * as v from 'valibot';
import {
  definePlugin,
  type EntityOutcome,
  type Loader,
  type LoadSink,
  type MutationOp,
  type OpResult,
  type PlannedEntity,
  type PlannedRecord,
  type PluginContext,
} from '../../src/pipeline/index.ts';
import { findExistingItem, findExistingSubitem } from './find-existing.ts';

/** Options of monday-items. */
export const MondayItemsOptionsSchema = v.strictObject({
  /** Mutations per request (aliases). Default 25. */
  batchSize: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100)), 25),
  /** Attempts (across runs) before a transient failure becomes FAILED. Default 5. */
  maxAttempts: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100)), 5),
  /** Let monday add unknown status/dropdown labels. Default false (unknown labels fail the record). */
  createLabelsIfMissing: v.optional(v.boolean(), false),
});

/** Checked options of monday-items. */
export type MondayItemsOptions = v.InferOutput<typeof MondayItemsOptionsSchema>;

type Op = { entity: PlannedEntity; record: PlannedRecord; op: MutationOp; action: EntityOutcome['action']; parentId: string | null };

const chunk = <T>(list: T[], size: number): T[][] => Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));

function createLoader(o: MondayItemsOptions, ctx: PluginContext): Loader {
  let attemptSeq = 0;
  const subitemBoards = new Map<string, string>();

  const base = (record: PlannedRecord, entity: PlannedEntity, parentItemId: string | null): EntityOutcome => ({
    entity: entity.entity,
    key: entity.key,
    order: record.source.key,
    customer: record.source.customer,
    state: 'PENDING',
    action: 'skip',
    mondayId: entity.mondayId,
    parentItemId,
    groupId: entity.entity === 'item' ? record.groupId : null,
    groupTitle: entity.entity === 'item' ? record.groupTitle : null,
    name: entity.name,
    error: null,
    request: null,
    response: null,
    apiStatus: null,
    attempts: entity.retryCount,
  });

  const notSent = (record: PlannedRecord, entity: PlannedEntity, state: 'FAILED' | 'PENDING', error: string, parentItemId: string | null = null): EntityOutcome =>
    ({ ...base(record, entity, parentItemId), state, error, apiStatus: state === 'FAILED' ? 'invalid' : 'waiting' });

  const columnArgs = (entity: PlannedEntity): MutationOp['args'] => ({
    column_values: { type: entity.mondayId ? 'JSON!' : 'JSON', value: JSON.stringify(entity.columns) },
    create_labels_if_missing: { type: 'Boolean', value: o.createLabelsIfMissing },
  });

  const itemOp = (record: PlannedRecord, entity: PlannedEntity): MutationOp =>
    entity.mondayId
      ? { key: entity.key, field: 'change_multiple_column_values', selection: 'id', args: {
          board_id: { type: 'ID!', value: record.board }, item_id: { type: 'ID', value: entity.mondayId },
          ...columnArgs({ ...entity, columns: { ...entity.columns, name: entity.name } }) } }
      : { key: entity.key, field: 'create_item', selection: 'id', args: {
          board_id: { type: 'ID!', value: record.board }, item_name: { type: 'String!', value: entity.name },
          group_id: { type: 'String', value: record.groupId }, ...columnArgs(entity) } };

  const subitemOp = (record: PlannedRecord, entity: PlannedEntity, parentId: string): MutationOp =>
    entity.mondayId
      ? { key: entity.key, field: 'change_multiple_column_values', selection: 'id', args: {
          board_id: { type: 'ID!', value: subitemBoards.get(record.board) ?? '' }, item_id: { type: 'ID', value: entity.mondayId },
          ...columnArgs({ ...entity, columns: { ...entity.columns, name: entity.name } }) } }
      : { key: entity.key, field: 'create_subitem', selection: 'id board { id }', args: {
          parent_item_id: { type: 'ID!', value: parentId }, item_name: { type: 'String!', value: entity.name }, ...columnArgs(entity) } };

  const outcomeOf = (op: Op, result: OpResult<{ id: string; board?: { id: string } }>): EntityOutcome => {
    const attempts = op.entity.retryCount + 1;
    const common = { ...base(op.record, op.entity, op.parentId), request: result.request, response: result.response, attempts, action: op.action };
    if (result.ok) {
      if (result.data.board?.id && op.entity.entity === 'subitem') subitemBoards.set(op.record.board, result.data.board.id);
      return { ...common, state: 'SYNCED', mondayId: String(result.data.id), apiStatus: 'ok' };
    }
    const { error } = result;
    const gaveUp = error.class !== 'permanent' && attempts >= o.maxAttempts;
    const state = error.class === 'permanent' || gaveUp ? 'FAILED' : 'PENDING';
    const message = gaveUp ? `gave up after ${attempts} attempts: ${error.message}` : error.message;
    return { ...common, state, error: `${error.code}: ${message}`, apiStatus: error.code };
  };

  const send = async (board: string, ops: Op[], sink: LoadSink): Promise<EntityOutcome[]> => {
    const outcomes: EntityOutcome[] = [];
    for (const batch of chunk(ops, o.batchSize)) {
      if (ctx.signal.aborted) break;
      const attemptId = `${ctx.runId}-${++attemptSeq}`;
      await sink.attempt({ attemptId, entities: batch.map((b) => ({ entity: b.entity.entity, key: b.entity.key })) });
      const results = await ctx.monday.mutate<{ id: string; board?: { id: string } }>(board, batch.map((b) => b.op), { signal: ctx.signal });
      const byKey = new Map(results.map((r) => [r.key, r]));
      const settled = batch.map((b) => outcomeOf(b, byKey.get(b.entity.key)!));
      await sink.settle(settled);
      outcomes.push(...settled);
    }
    return outcomes;
  };

  return {
    async load(records, sink) {
      const early: EntityOutcome[] = [];
      const itemOps: Op[] = [];
      for (const record of records) {
        const item = record.item;
        if (!item) continue;
        if (item.problem) early.push(notSent(record, item, 'FAILED', item.problem));
        else if (item.deferred) early.push(notSent(record, item, 'PENDING', item.deferred));
        else {
          let action: EntityOutcome['action'] = item.mondayId ? 'update' : 'create';
          if (!item.mondayId && item.attemptId && item.keyColumn) {
            // An earlier run may have created it and died before writing back: adopt, never duplicate.
            const found = await findExistingItem(ctx, record.board, item.keyColumn, item.key);
            if (found) [item.mondayId, action] = [found, 'adopt'];
          }
          itemOps.push({ entity: item, record, op: itemOp(record, item), action, parentId: null });
        }
      }
      await sink.settle(early);
      const boards = [...new Set(itemOps.map((op) => op.record.board))];
      const itemOutcomes = new Map<string, EntityOutcome>();
      for (const board of boards) {
        const outs = await send(board, itemOps.filter((op) => op.record.board === board), sink);
        for (const out of outs) itemOutcomes.set(out.key, out);
      }
      for (const out of early) itemOutcomes.set(out.key, out);

      const waiting: EntityOutcome[] = [];
      const subOps: Op[] = [];
      for (const record of records) {
        const parent = record.item ? itemOutcomes.get(record.item.key) : null;
        const parentId = record.item ? (parent?.state === 'SYNCED' ? parent.mondayId : null) : record.source.mondayId;
        for (const sub of record.subitems) {
          if (!parentId) {
            const failed = parent?.state === 'FAILED';
            const why = `its order ${failed ? 'failed' : 'is still pending'}${parent?.error ? ` — ${parent.error}` : ''}`;
            waiting.push(notSent(record, sub, failed ? 'FAILED' : 'PENDING', `not sent: ${why}`));
          } else if (sub.problem) waiting.push(notSent(record, sub, 'FAILED', sub.problem, parentId));
          else {
            let action: EntityOutcome['action'] = sub.mondayId ? 'update' : 'create';
            if (!sub.mondayId && sub.attemptId && sub.keyColumn) {
              const found = await findExistingSubitem(ctx, parentId, sub.keyColumn, sub.key);
              if (found) [sub.mondayId, action] = [found.id, 'adopt'];
              if (found?.board) subitemBoards.set(record.board, found.board);
            }
            subOps.push({ entity: sub, record, op: { key: sub.key, field: '', args: {}, selection: '' }, action, parentId });
          }
        }
      }
      await sink.settle(waiting);
      for (const board of [...new Set(subOps.map((op) => op.record.board))]) {
        const ops = subOps.filter((op) => op.record.board === board);
        const update = ops.find((op) => op.entity.mondayId);
        if (update && !subitemBoards.has(board)) {
          // Updates name the subitems board, which monday only reveals through a subitem.
          const found = await findExistingSubitem(ctx, update.parentId!, null, null);
          if (found?.board) subitemBoards.set(board, found.board);
        }
        await send(board, ops.map((op) => ({ ...op, op: subitemOp(op.record, op.entity, op.parentId!) })), sink);
      }
    },
  };
}

/** The monday-items load plugin. */
export default definePlugin({
  kind: 'load',
  name: 'monday-items',
  summary: 'Creates or updates one item per order and one subitem per line, in aliased batches, each with its own outcome',
  options: MondayItemsOptionsSchema,
  example: { batchSize: 25, maxAttempts: 5, createLabelsIfMissing: true },
  create: (options, ctx) => createLoader(options, ctx),
});
