/**
 * load: headers become items in their group, then lines become subitems under the new parent
 * ids, in aliased batches. Every entity's outcome comes from its own alias. Unchanged records
 * cost nothing; changed ones send only the columns that changed.
 */
import * as v from 'valibot';
import {
  definePlugin,
  MondayError,
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
import { CANCEL_ACTIONS, changedValues, changeValuesOp, createItemOp, createSubitemOp, moveOp, removeOp, valuesOf } from './item-ops.ts';

/** Options of monday-items. */
export const MondayItemsOptionsSchema = v.strictObject({
  /** Mutations per request (aliases). Default 25. */
  batchSize: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100)), 25),
  /** Attempts (across runs) before a transient failure becomes FAILED. Default 5. */
  maxAttempts: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100)), 5),
  /** Let monday add unknown status/dropdown labels. Default false (unknown labels fail the record). */
  createLabelsIfMissing: v.optional(v.boolean(), false),
  /** Subitems whose line was removed upstream: `leave` (default), `archive` or `delete` them. */
  removedLines: v.optional(v.picklist(['leave', 'archive', 'delete'], 'removedLines is leave, archive or delete'), 'leave'),
  /** Orders whose action_type is CANCEL/DELETE: `update` their columns like any change (default) or `archive` the item. */
  cancelledOrders: v.optional(v.picklist(['update', 'archive'], 'cancelledOrders is update or archive'), 'update'),
});

/** Checked options of monday-items. */
export type MondayItemsOptions = v.InferOutput<typeof MondayItemsOptionsSchema>;

type Action = EntityOutcome['action'];
/** One entity's write: its ops (one, or an update plus a move) and what it means. */
interface Write { entity: PlannedEntity; record: PlannedRecord; ops: MutationOp[]; action: Action; parentId: string | null; board: string }

const chunkByOps = (writes: Write[], size: number): Write[][] => {
  const batches: Write[][] = [];
  let current: Write[] = [];
  let ops = 0;
  for (const w of writes) {
    if (ops + w.ops.length > size && current.length > 0) {
      batches.push(current);
      current = [];
      ops = 0;
    }
    current.push(w);
    ops += w.ops.length;
  }
  if (current.length > 0) batches.push(current);
  return batches;
};

function createLoader(o: MondayItemsOptions, ctx: PluginContext): Loader {
  let attemptSeq = 0;
  const subitemBoards = new Map<string, string>();

  const outcome = (record: PlannedRecord, entity: PlannedEntity, parentItemId: string | null, patch: Partial<EntityOutcome>): EntityOutcome => ({
    entity: entity.entity, key: entity.key, order: record.source.key, customer: record.source.customer,
    state: 'PENDING', action: 'skip', mondayId: entity.mondayId, parentItemId,
    groupId: entity.entity === 'item' ? record.groupId : null, groupTitle: entity.entity === 'item' ? record.groupTitle : null,
    name: entity.name, error: null, request: null, response: null, apiStatus: null, attempts: entity.retryCount,
    values: null, fingerprint: entity.fingerprint ?? null, ...patch,
  });

  /** What to do with a valid entity: nothing (unchanged / still failed) or a write. */
  const decide = (record: PlannedRecord, entity: PlannedEntity, parentId: string | null, board: string): Write | EntityOutcome => {
    const prev = ctx.force ? null : entity.previous ?? null;
    const isItem = entity.entity === 'item';
    if (isItem && o.cancelledOrders === 'archive' && CANCEL_ACTIONS.has((record.source.action ?? '').toUpperCase())) {
      if (!entity.mondayId) return outcome(record, entity, parentId, { state: 'SYNCED', action: 'unchanged', apiStatus: 'cancelled', error: null });
      return { entity, record, ops: [removeOp(entity.key, entity.mondayId, 'archive')], action: 'archive', parentId, board };
    }
    const movedGroup = isItem && prev?.groupId && record.groupId && prev.groupId !== record.groupId;
    if (entity.mondayId && prev?.fingerprint && prev.fingerprint === entity.fingerprint && !movedGroup) {
      return outcome(record, entity, parentId, { state: 'SYNCED', action: 'unchanged', apiStatus: 'unchanged', values: prev.values });
    }
    if (!ctx.retryFailed && prev?.failedFingerprint && prev.failedFingerprint === entity.fingerprint) {
      const lastError = entity.entity === 'item' ? record.source.lastError : record.source.lines.find((l) => l.key === entity.key)?.lastError;
      return outcome(record, entity, parentId, { state: 'FAILED', apiStatus: 'unchanged', error: `unchanged since it failed: ${lastError ?? 'see the api log'}` });
    }
    if (!entity.mondayId) {
      const op = isItem ? createItemOp(record, entity, o.createLabelsIfMissing) : createSubitemOp(entity, parentId!, o.createLabelsIfMissing);
      return { entity, record, ops: [op], action: 'create', parentId, board };
    }
    const changed = changedValues(valuesOf(entity), prev?.values ?? null);
    const target = isItem ? record.board : subitemBoards.get(record.board) ?? '';
    const ops: MutationOp[] = [];
    if (Object.keys(changed).length > 0) ops.push(changeValuesOp(entity.key, target, entity.mondayId, changed, o.createLabelsIfMissing));
    if (movedGroup) ops.push(moveOp(entity.key, entity.mondayId, record.groupId!));
    if (ops.length === 0) return outcome(record, entity, parentId, { state: 'SYNCED', action: 'unchanged', apiStatus: 'unchanged', values: prev?.values ?? null });
    return { entity, record, ops, action: entity.attemptId && !prev ? 'adopt' : 'update', parentId, board };
  };

  const settleWrite = (w: Write, results: Map<string, OpResult<{ id: string; board?: { id: string } }>>): EntityOutcome => {
    const own = w.ops.map((op) => results.get(op.key)!);
    const failed = own.find((r) => !r.ok);
    const main = own[0]!;
    const attempts = w.entity.retryCount + 1;
    const common = { request: own.length === 1 ? main.request : own.map((r) => r.request), response: own.length === 1 ? main.response : own.map((r) => r.response), attempts, action: w.action };
    if (!failed) {
      const data = main.ok ? main.data : null;
      if (data?.board?.id && w.entity.entity === 'subitem') subitemBoards.set(w.record.board, data.board.id);
      return outcome(w.record, w.entity, w.parentId, { ...common, state: 'SYNCED', mondayId: String(data?.id ?? w.entity.mondayId), apiStatus: 'ok', values: valuesOf(w.entity) });
    }
    if (failed.ok) throw new Error('unreachable');
    const { error } = failed;
    const gaveUp = error.class !== 'permanent' && attempts >= o.maxAttempts;
    const state = error.class === 'permanent' || gaveUp ? 'FAILED' : 'PENDING';
    const message = gaveUp ? `gave up after ${attempts} attempts: ${error.message}` : error.message;
    return outcome(w.record, w.entity, w.parentId, { ...common, state, error: `${error.code}: ${message}`, apiStatus: error.code });
  };

  const send = async (writes: Write[], sink: LoadSink): Promise<EntityOutcome[]> => {
    const outcomes: EntityOutcome[] = [];
    for (const board of [...new Set(writes.map((w) => w.board))]) {
      for (const batch of chunkByOps(writes.filter((w) => w.board === board), o.batchSize)) {
        if (ctx.signal.aborted) return outcomes;
        const attemptId = `${ctx.runId}-${++attemptSeq}`;
        await sink.attempt({ attemptId, entities: batch.map((w) => ({ entity: w.entity.entity, key: w.entity.key })) });
        // Scoped to the run: a later run writing X again after Y must not get X's cached response replayed.
        let results: OpResult<{ id: string; board?: { id: string } }>[];
        try {
          results = await ctx.monday.mutate<{ id: string; board?: { id: string } }>(board, batch.flatMap((w) => w.ops), { idempotencyScope: ctx.runId });
        } catch (error) {
          // Auth or daily limit: what did go through is written back before the run stops.
          if (error instanceof MondayError && error.completed.length > 0) {
            const done = new Map(error.completed.map((r) => [r.key, r as OpResult<{ id: string; board?: { id: string } }>]));
            await sink.settle(batch.filter((w) => w.ops.every((op) => done.has(op.key))).map((w) => settleWrite(w, done)));
          }
          throw error;
        }
        const settled = batch.map((w) => settleWrite(w, new Map(results.map((r) => [r.key, r]))));
        await sink.settle(settled);
        outcomes.push(...settled);
      }
    }
    return outcomes;
  };

  /** Splits entities into immediate outcomes and writes, looking up possible crash leftovers first. */
  const prepare = async (record: PlannedRecord, entity: PlannedEntity, parentId: string | null): Promise<Write | EntityOutcome> => {
    if (entity.problem) return outcome(record, entity, parentId, { state: 'FAILED', error: entity.problem, apiStatus: 'invalid' });
    if (entity.deferred) return outcome(record, entity, parentId, { state: 'PENDING', error: entity.deferred, apiStatus: 'waiting' });
    if (!entity.mondayId && entity.attemptId && entity.keyColumn) {
      // An earlier run may have created it and died before writing back: adopt, never duplicate.
      // Look for the key exactly as it was written to the key column (trimmed), not the raw row key.
      const written = entity.columns[entity.keyColumn];
      const keyValue = typeof written === 'string' && written ? written : entity.key;
      const found = entity.entity === 'item'
        ? { id: await findExistingItem(ctx, record.board, entity.keyColumn, keyValue), board: null }
        : await findExistingSubitem(ctx, parentId!, entity.keyColumn, keyValue);
      // An adopted subitem is then updated, which names the subitems board it revealed.
      if (found?.board) subitemBoards.set(record.board, found.board);
      if (found?.id) entity.mondayId = found.id;
    }
    return decide(record, entity, parentId, record.board);
  };

  const isWrite = (x: Write | EntityOutcome): x is Write => 'ops' in x;

  return {
    async load(records, sink) {
      const itemWrites: Write[] = [];
      const early: EntityOutcome[] = [];
      for (const record of records) {
        if (!record.item) continue;
        const next = await prepare(record, record.item, null);
        if (isWrite(next)) itemWrites.push(next);
        else early.push(next);
      }
      await sink.settle(early);
      const items = new Map([...early, ...(await send(itemWrites, sink))].map((out) => [out.key, out]));

      const subWrites: Write[] = [];
      const waiting: EntityOutcome[] = [];
      for (const record of records) {
        const parent = record.item ? items.get(record.item.key) : null;
        const parentId = record.item ? (parent?.state === 'SYNCED' ? parent.mondayId : null) : record.source.mondayId;
        for (const sub of record.subitems) {
          if (!parentId) {
            const failed = parent?.state === 'FAILED';
            const why = `its order ${failed ? 'failed' : 'is still pending'}${parent?.error ? ` — ${parent.error}` : ''}`;
            waiting.push(outcome(record, sub, null, { state: failed ? 'FAILED' : 'PENDING', error: `not sent: ${why}`, apiStatus: failed ? 'invalid' : 'waiting' }));
            continue;
          }
          if (sub.mondayId && !subitemBoards.has(record.board)) {
            // Updates name the subitems board, which monday only reveals through a subitem.
            const found = await findExistingSubitem(ctx, parentId, null, null);
            if (found?.board) subitemBoards.set(record.board, found.board);
          }
          const next = await prepare(record, sub, parentId);
          if (isWrite(next)) subWrites.push(next);
          else waiting.push(next);
        }
      }
      await sink.settle(waiting);
      await send(subWrites, sink);
    },

    async removeLines(board, customer, lines, sink) {
      if (o.removedLines === 'leave' || lines.length === 0) return;
      const writes: Write[] = lines.map((line) => {
        const entity: PlannedEntity = { entity: 'subitem', key: line.key, name: '', columns: {}, mondayId: line.mondayId, keyColumn: null, retryCount: 0, attemptId: null, problem: null, deferred: null, fingerprint: 'removed' };
        const record = { source: { key: line.order, customer } as PlannedRecord['source'], board, item: null, subitems: [], groupTitle: null, groupId: null } as PlannedRecord;
        return { entity, record, ops: [removeOp(line.key, line.mondayId, o.removedLines as 'archive' | 'delete')], action: o.removedLines as Action, parentId: null, board };
      });
      await send(writes, sink);
    },
  };
}

/** The monday-items load plugin. */
export default definePlugin({
  kind: 'load',
  name: 'monday-items',
  summary: 'Creates or updates one item per order and one subitem per line, in aliased batches, each with its own outcome',
  options: MondayItemsOptionsSchema,
  example: { batchSize: 25, maxAttempts: 5, createLabelsIfMissing: true, removedLines: 'archive', cancelledOrders: 'update' },
  create: (options, ctx) => createLoader(options, ctx),
});
