/**
 * The sink load writes through: attempts stamped before requests; outcomes to the api log, record
 * states, the source and the stats. Each kind is written with one statement per batch (the api log
 * insert, the record-state upsert, the write-back's update), in that order, after the response.
 */
import type { Kysely } from 'kysely';
import { appendApiLog, type ApiLogEntry } from '../db/api-log.ts';
import type { EngineTables } from '../db/tables.ts';
import type { EntityOutcome, LoadSink, PluginContext, WriteBack } from './contract/index.ts';
import { conflictEntries } from './conflict-log.ts';
import { findOwner, forgetRecordStates, saveRecordStates } from './record-state.ts';
import type { StageTimer } from './stage-timer.ts';

/** What a sink writes to. */
export interface SinkTargets {
  ctx: PluginContext;
  db: Kysely<EngineTables>;
  writeBack: WriteBack;
  /** false for removed lines: their rows are gone, so only the api log and record states are written. */
  toSource: boolean;
  /** Throws when the run may no longer send (its lock is lost). */
  fence: () => Promise<void>;
  /** Receives every settled outcome (counts, samples). */
  onOutcome(outcome: EntityOutcome): void;
  /** Times and places the work: the write-back is the extract plugin's, the api log and states the core's. */
  timer: StageTimer;
  customer: string;
}

/** A sink for one customer's load. */
export function createSink(t: SinkTargets): LoadSink {
  const attemptOf = new Map<string, string>();
  return {
    async attempt(mark) {
      // Before anything is stamped or sent: a run that lost its lock sends nothing more.
      await t.fence();
      for (const e of mark.entities) attemptOf.set(`${e.entity}:${e.key}`, mark.attemptId);
      await t.timer.stage('extract', t.customer, () => t.writeBack.markAttempt(mark));
    },
    ownerOf: (entity, mondayId) => t.timer.core(() => findOwner(t.db, entity, mondayId)),
    forget: (entity, keys) => t.timer.core(() => forgetRecordStates(t.db, entity, keys)),
    async settle(outcomes) {
      if (outcomes.length === 0) return;
      const sent = outcomes.filter((o) => o.request !== null);
      await t.timer.core(async () => {
        await appendApiLog(t.db, sent.map((o): ApiLogEntry => ({
          runId: t.ctx.runId, attemptId: attemptOf.get(`${o.entity}:${o.key}`) ?? t.ctx.runId, entity: o.entity, recordKey: o.key,
          customer: o.customer, operation: o.operation ?? 'unknown', outcome: o.state, error: o.error, request: o.request, response: o.response,
        })).concat(conflictEntries(t.ctx.runId, outcomes, (o) => attemptOf.get(`${o.entity}:${o.key}`) ?? t.ctx.runId)));
        await saveRecordStates(t.db, t.ctx.boardFor, outcomes);
      });
      if (t.toSource) await t.timer.stage('extract', t.customer, () => t.writeBack.settle(outcomes));
      for (const o of outcomes) t.onOutcome(o);
    },
  };
}
