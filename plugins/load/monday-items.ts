/**
 * load: headers become items in their group, then lines become subitems under the new parent
 * ids, in aliased batches. The plan (plan-load.ts) decides; this executes it. Every entity's
 * outcome comes from its own alias. Unchanged records cost nothing; changed ones send only the
 * columns that changed.
 */
import * as v from 'valibot';
import {
  definePlugin,
  entityValues,
  MondayError,
  RunStopError,
  type EntityOutcome,
  type Loader,
  type LoadSink,
  type MutationOp,
  type OpResult,
  type PlanStep,
  type PluginContext,
} from '../../src/pipeline/index.ts';
import { checkBoards } from './check-boards.ts';
import { checkUpdates, type UpdateVerdict } from './check-updates.ts';
import { findExistingItem, findExistingSubitem, type Lookup } from './find-existing.ts';
import { changeValuesOp, createItemOp, createSubitemOp, moveOp, removeOp } from './item-ops.ts';
import { lookUpCreates, writtenKey, type Pending } from './look-up-creates.ts';
import { createNumericLabels } from './numeric-labels.ts';
import { planLoad } from './plan-load.ts';
import { asCreate, settleLinesOfRecreated } from './recreated-lines.ts';
import { updatableValues, type Resolution } from './resolve-conflicts.ts';

/** Most mutations one request may carry: the client sends batches as given, never re-split above this. */
const MAX_BATCH = 100;

/** Options of monday-items. */
export const MondayItemsOptionsSchema = v.strictObject({
  /** Mutations per request (aliases), sent as one request each. Default 25, at most 100. */
  batchSize: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_BATCH, `batchSize is at most ${MAX_BATCH} mutations per request (monday's per-query complexity limit)`)), 25),
  /** Runs that may try a record after transient failures before it becomes FAILED (across runs). Default 5. */
  maxAttempts: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100)), 5),
  /** Let monday add unknown status/dropdown labels. Default false (unknown labels fail the record). */
  createLabelsIfMissing: v.optional(v.boolean(), false),
  /** Subitems whose line was removed upstream: `leave` (default), `archive` or `delete` them. */
  removedLines: v.optional(v.picklist(['leave', 'archive', 'delete'], 'removedLines is leave, archive or delete'), 'leave'),
  /**
   * Look up new records by their key column before creating them (one read per batch), so a restored
   * or switched database adopts the items already on the board instead of duplicating them. Default true.
   */
  adoptBeforeCreate: v.optional(v.boolean(), true),
  /** Orders whose action_type is CANCEL/DELETE: `update` their columns like any change (default) or `archive` the item. */
  cancelledOrders: v.optional(v.picklist(['update', 'archive'], 'cancelledOrders is update or archive'), 'update'),
  /**
   * A column a person changed on monday since ordersync last wrote it, while the source changed it too:
   * `flag` (default: not overwritten, the conflict recorded), `overwrite`, or `keep-monday` (the person's
   * value becomes the baseline). A column's own `onConflict` (column-map) wins.
   */
  onConflict: v.optional(v.picklist(['flag', 'overwrite', 'keep-monday'], 'onConflict is flag, overwrite or keep-monday'), 'flag'),
  /** An item to update that a person deleted or archived on monday: `flag` (default: the record fails with the reason) or `recreate` it (and its subitems). */
  onMissing: v.optional(v.picklist(['flag', 'recreate'], 'onMissing is flag or recreate'), 'flag'),
});

/** Checked options of monday-items. */
export type MondayItemsOptions = v.InferOutput<typeof MondayItemsOptionsSchema>;

type Action = EntityOutcome['action'];
type Result = OpResult<{ id: string; board?: { id: string } }>;
/** One entity's write: its ops (one, or an update plus a move), what it means, and an update's conflict resolution. */
interface Write { step: PlanStep; ops: MutationOp[]; action: Action; mondayId: string | null; parentId: string | null; resolution?: Resolution; recreated?: boolean }

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

const SENT = new Set(['create', 'update', 'recover', 'archive']);

function createLoader(o: MondayItemsOptions, ctx: PluginContext): Loader {
  let attemptSeq = 0;
  const subitemBoards = new Map<string, string>();
  /** Items created again because a person deleted or archived them (their lines follow). */
  const recreatedItems = new Set<string>();
  const numericLabels = createNumericLabels(ctx);

  const outcome = (s: PlanStep, parentItemId: string | null, patch: Partial<EntityOutcome>): EntityOutcome => ({
    entity: s.entity.entity, key: s.entity.key, order: s.record.source.key, customer: s.record.source.customer,
    state: 'PENDING', action: 'skip', mondayId: s.entity.mondayId, parentItemId,
    groupId: s.entity.entity === 'item' ? s.record.groupId : null, groupTitle: s.entity.entity === 'item' ? s.record.groupTitle : null,
    name: s.entity.name, error: null, operation: null, request: null, response: null, apiStatus: null, attempts: s.entity.retryCount,
    values: null, fingerprint: s.entity.fingerprint ?? null, ...patch,
  });

  /** The outcome of a step that sends nothing. */
  const unsent = (s: PlanStep, parentId: string | null): EntityOutcome => {
    if (s.action === 'unchanged') {
      return outcome(s, parentId, { state: 'SYNCED', action: 'unchanged', apiStatus: s.reason ? 'cancelled' : 'unchanged', values: s.entity.previous?.values ?? null });
    }
    const apiStatus = s.action === 'deferred' || (s.action === 'blocked' && s.expect === 'PENDING') ? 'waiting' : s.action === 'still-failed' ? 'unchanged' : 'invalid';
    return outcome(s, parentId, { state: s.expect, error: s.reason, apiStatus });
  };

  /** The ops of a step that sends; a `recover` step looks its entity up by key first (and may fail it instead). */
  const toWrite = async (s: PlanStep, parentId: string | null, sink: LoadSink, looked: Lookup | null | undefined, verdict: UpdateVerdict | undefined): Promise<Write | EntityOutcome> => {
    const { entity, record } = s;
    const isItem = entity.entity === 'item';
    const target = (): string => (isItem ? record.board : subitemBoards.get(record.board) ?? '');
    if (s.action === 'archive') return { step: s, ops: [removeOp(entity.key, entity.mondayId!, 'archive')], action: 'archive', mondayId: entity.mondayId, parentId };
    let mondayId = entity.mondayId;
    const gone = verdict && 'missing' in verdict ? verdict : null;
    if (gone && o.onMissing === 'flag') {
      const error = `${gone.missing} on monday by a person (noticed ${ctx.now().toISOString()}); set onMissing: recreate to create it again, or restore it on monday and retry`;
      return outcome(s, parentId, { state: 'FAILED', error, apiStatus: gone.missing, operation: 'items', request: gone.request, response: gone.response, attempts: entity.retryCount + 1 });
    }
    // recreate: the item is gone, so it is created again in full below, under a new id.
    if (gone) mondayId = null;
    let found: Lookup | null | undefined = looked;
    if (s.action === 'recover') {
      // Look for the key exactly as it was written to the key column (trimmed), not the raw row key.
      const keyValue = writtenKey(entity)!;
      found = isItem
        ? await findExistingItem(ctx, sink, record.board, entity.key, entity.keyColumn!, keyValue)
        : await findExistingSubitem(ctx, sink, parentId!, entity.key, entity.keyColumn!, keyValue);
    }
    if (found && 'refused' in found) return outcome(s, parentId, { state: 'FAILED', error: `not adopted: ${found.refused}`, apiStatus: 'ambiguous-key' });
    if (found?.board) subitemBoards.set(record.board, found.board);
    if (found?.id) {
      // Adopted: nothing is known of its values, so all of them are sent.
      mondayId = found.id;
      const values = await numericLabels(target(), updatableValues(entityValues(entity), entity.columnMeta));
      if ('problem' in values) return outcome(s, parentId, { state: 'FAILED', error: values.problem, apiStatus: 'invalid' });
      return { step: s, ops: [changeValuesOp(entity.key, target(), mondayId, values.values, o.createLabelsIfMissing)], action: 'adopt', mondayId, parentId };
    }
    if (!mondayId) {
      const columns = await numericLabels(isItem ? record.board : subitemBoards.get(record.board) ?? record.board, entity.columns);
      if ('problem' in columns) return outcome(s, parentId, { state: 'FAILED', error: columns.problem, apiStatus: 'invalid' });
      const sent = { ...entity, columns: columns.values };
      const op = isItem ? createItemOp(record, sent, o.createLabelsIfMissing) : createSubitemOp(sent, parentId!, o.createLabelsIfMissing);
      return { step: s, ops: [op], action: 'create', mondayId: null, parentId, recreated: Boolean(gone) };
    }
    const ops: MutationOp[] = [];
    const resolution = verdict && 'resolution' in verdict ? verdict.resolution : undefined;
    const planned = resolution ? resolution.send : s.values;
    const values = planned && Object.keys(planned).length > 0 ? await numericLabels(target(), planned) : null;
    if (values && 'problem' in values) return outcome(s, parentId, { state: 'FAILED', error: values.problem, apiStatus: 'invalid' });
    if (values) ops.push(changeValuesOp(entity.key, target(), mondayId, values.values, o.createLabelsIfMissing));
    if (resolution ? resolution.move : s.move) ops.push(moveOp(entity.key, mondayId, record.groupId!));
    return { step: s, ops, action: 'update', mondayId, parentId, resolution };
  };

  const settleWrite = (w: Write, results: Map<string, Result>): EntityOutcome => {
    const own = w.ops.map((op) => results.get(op.key)!);
    const failed = own.find((r) => !r.ok);
    const main = own[0]!;
    const attempts = w.step.entity.retryCount + 1;
    const common = {
      request: own.length === 1 ? main.request : own.map((r) => r.request), response: own.length === 1 ? main.response : own.map((r) => r.response),
      operation: w.ops.map((op) => op.field).join('+'), attempts, action: w.action, mondayId: w.mondayId,
    };
    if (!failed) {
      const data = main.ok ? main.data : null;
      if (data?.board?.id && w.step.entity.entity === 'subitem') subitemBoards.set(w.step.record.board, data.board.id);
      if (w.recreated && w.step.entity.entity === 'item') recreatedItems.add(w.step.entity.key);
      const settled = w.resolution
        ? { values: w.resolution.values, mondayValues: w.resolution.mondayValues, conflicts: w.resolution.conflicts }
        : { values: entityValues(w.step.entity), mondayValues: null };
      return outcome(w.step, w.parentId, { ...common, state: 'SYNCED', mondayId: String(data?.id ?? w.mondayId), apiStatus: 'ok', ...settled });
    }
    if (failed.ok) throw new Error('unreachable');
    const { error } = failed;
    // Not this record's fault: it stays PENDING, the attempt not counted, and the run stops (see send).
    if (error.class === 'configuration') return outcome(w.step, w.parentId, { ...common, attempts: w.step.entity.retryCount, state: 'PENDING', error: `${error.code}: ${error.message}`, apiStatus: error.code });
    const gaveUp = error.class !== 'permanent' && attempts >= o.maxAttempts;
    const state = error.class === 'permanent' || gaveUp ? 'FAILED' : 'PENDING';
    const message = gaveUp ? `gave up after ${attempts} attempts: ${error.message}` : error.message;
    return outcome(w.step, w.parentId, { ...common, state, error: `${error.code}: ${message}`, apiStatus: error.code });
  };

  const send = async (writes: Write[], sink: LoadSink): Promise<EntityOutcome[]> => {
    const outcomes: EntityOutcome[] = [];
    // Serial per item board (subitems too): monday corrupts data on concurrent writes to one board.
    const boardOf = (w: Write): string => w.step.record.board;
    for (const board of [...new Set(writes.map(boardOf))]) {
      for (const batch of chunkByOps(writes.filter((w) => boardOf(w) === board), o.batchSize)) {
        if (ctx.signal.aborted) return outcomes;
        const attemptId = `${ctx.runId}-${++attemptSeq}`;
        await sink.attempt({ attemptId, entities: batch.map((w) => ({ entity: w.step.entity.entity, key: w.step.entity.key })) });
        let results: Result[];
        try {
          // Scoped to the run: a later run writing X again after Y must not get X's cached response replayed.
          results = await ctx.monday.mutate<{ id: string; board?: { id: string } }>(board, batch.flatMap((w) => w.ops), { idempotencyScope: ctx.runId });
        } catch (error) {
          // Auth or daily limit: what did go through is written back before the run stops.
          if (error instanceof MondayError && error.completed.length > 0) {
            const done = new Map(error.completed.map((r) => [r.key, r as Result]));
            await sink.settle(batch.filter((w) => w.ops.every((op) => done.has(op.key))).map((w) => settleWrite(w, done)));
          }
          throw error;
        }
        const settled = batch.map((w) => settleWrite(w, new Map(results.map((r) => [r.key, r]))));
        await sink.settle(settled);
        outcomes.push(...settled);
        const wrong = results.find((r) => !r.ok && r.error.class === 'configuration');
        if (wrong && !wrong.ok) {
          throw new RunStopError(`monday-items: ${wrong.error.code}: ${wrong.error.message} — a board, group or column of the config does not exist on monday; the records stay PENDING: fix the config (ordersync validate --online) and run again`);
        }
      }
    }
    return outcomes;
  };

  /** Settles the steps that send nothing and sends the rest. */
  const execute = async (steps: Pending[], sink: LoadSink): Promise<EntityOutcome[]> => {
    const early: EntityOutcome[] = [];
    const writes: Write[] = [];
    const looked = o.adoptBeforeCreate ? await lookUpCreates(ctx, o.batchSize, steps, sink) : new Map<PlanStep, Lookup>();
    // One read of the items about to be updated: people's edits, deleted and archived items.
    const verdicts = ctx.signal.aborted ? new Map<PlanStep, UpdateVerdict>() : await checkUpdates(ctx, steps.map((p) => p.step), o.onConflict);
    for (const { step, parentId } of steps) {
      if (!SENT.has(step.action)) {
        early.push(unsent(step, parentId));
        continue;
      }
      const write = await toWrite(step, parentId, sink, looked.get(step), verdicts.get(step));
      if (!('ops' in write)) early.push(write);
      else if (write.ops.length > 0) writes.push(write);
      else if (write.resolution) {
        // Everything left to write was a person's edit: nothing is sent, the new baseline is remembered.
        const { values, mondayValues, conflicts } = write.resolution;
        early.push(outcome(step, parentId, { state: 'SYNCED', action: 'unchanged', apiStatus: 'unchanged', values, mondayValues, conflicts }));
      } else early.push(unsent({ ...step, action: 'unchanged' }, parentId));
    }
    await sink.settle(early);
    return [...early, ...(await send(writes, sink))];
  };

  return {
    plan: (records) => planLoad(records, o, ctx),

    async load(plan, sink) {
      recreatedItems.clear();
      const itemSteps = plan.steps.filter((s) => s.entity.entity === 'item');
      const items = new Map((await execute(itemSteps.map((step) => ({ step, parentId: null, parentCreated: false })), sink)).map((out) => [out.key, out]));
      const subSteps: Pending[] = [];
      const blocked = recreatedItems.size > 0 ? await settleLinesOfRecreated(plan, items, recreatedItems, sink) : [];
      for (const planned of plan.steps) {
        if (planned.entity.entity !== 'subitem') continue;
        const step = planned.record.item && recreatedItems.has(planned.record.item.key) ? asCreate(planned) : planned;
        if (step.action === 'blocked') {
          subSteps.push({ step, parentId: null, parentCreated: false });
          continue;
        }
        const parent = step.record.item ? items.get(step.record.item.key) : null;
        const parentId = step.record.item ? (parent?.state === 'SYNCED' ? parent.mondayId : null) : step.record.source.mondayId;
        if (!parentId) {
          // The plan expected its order on monday; the order's own request did not get it there.
          const failed = parent?.state === 'FAILED';
          const why = `its order ${failed ? 'failed' : 'is still pending'}${parent?.error ? ` — ${parent.error}` : ''}`;
          blocked.push(outcome(step, null, { state: failed ? 'FAILED' : 'PENDING', error: `not sent: ${why}`, apiStatus: failed ? 'invalid' : 'waiting' }));
          continue;
        }
        if (step.entity.mondayId && !subitemBoards.has(step.record.board)) {
          // Updates name the subitems board, which monday only reveals through a subitem.
          const found = await findExistingSubitem(ctx, null, parentId, null, null, null);
          if (found && 'board' in found && found.board) subitemBoards.set(step.record.board, found.board);
        }
        subSteps.push({ step, parentId, parentCreated: parent?.action === 'create' });
      }
      await sink.settle(blocked);
      await execute(subSteps, sink);
    },

    async removeLines(board, customer, lines, sink) {
      if (o.removedLines === 'leave' || lines.length === 0) return;
      const how = o.removedLines;
      const writes: Write[] = lines.map((line) => {
        const entity = { entity: 'subitem' as const, key: line.key, name: '', columns: {}, mondayId: line.mondayId, keyColumn: null, retryCount: 0, attemptId: null, problem: null, deferred: null, fingerprint: 'removed' };
        const record = { source: { key: line.order, customer } as PlanStep['record']['source'], board, item: null, subitems: [], groupTitle: null, groupId: null };
        const step: PlanStep = { entity, record, action: 'archive', values: null, move: false, expect: 'SYNCED', reason: null };
        return { step, ops: [removeOp(line.key, line.mondayId, how)], action: how, mondayId: line.mondayId, parentId: null };
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
  example: { batchSize: 25, maxAttempts: 5, createLabelsIfMissing: true, removedLines: 'archive', cancelledOrders: 'update', onConflict: 'flag', onMissing: 'flag' },
  create: (options, ctx) => createLoader(options, ctx),
  preflight: (options, ctx, scope) => checkBoards(options.createLabelsIfMissing, ctx, scope),
});
