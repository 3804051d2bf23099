/** The executing half of `POST /v2`: locks, budget charge, graphql-js execution, drop faults. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { execute, getVariableValues, type GraphQLSchema } from 'graphql';
import type { BoardLocks } from './board-locks.ts';
import type { BoardStore } from './board-store.ts';
import type { ComplexityBudget } from './complexity-budget.ts';
import type { CursorStore } from './cursor-store.ts';
import { errorBody } from './error-body.ts';
import type { ExecContext } from './exec-context.ts';
import type { EmulatorUser } from './users.ts';
import type { FaultInjector } from './fault-injector.ts';
import { findWriteTargets } from './find-write-targets.ts';
import { formatGraphqlError } from './format-graphql-error.ts';
import type { Reply } from './handle-api-request.ts';
import type { IdempotencyCache } from './idempotency-cache.ts';
import type { PreparedDocument } from './prepare-document.ts';
import type { RequestLogEntry } from './types.ts';

/** Shared state the execution step needs. */
export interface ExecutionDeps {
  schema: GraphQLSchema;
  store: BoardStore;
  cursors: CursorStore;
  budget: ComplexityBudget;
  faults: FaultInjector;
  idempotency: IdempotencyCache;
  locks: BoardLocks;
  /** Makes mutations durable before they are acknowledged; null when state is kept in memory only. */
  durability: Durability | null;
}

/** What execution needs from a state file (see state-persistence.ts). */
export interface Durability {
  /** Null when `count` new item ids may be issued now; else a promise to await first (rejects when refused). */
  reserveIds(count: number): Promise<void> | null;
  /** Resolves once every change made so far is saved; rejects, with the change undone, when it cannot be. */
  commit(): Promise<void>;
}

interface RequestParts {
  req: IncomingMessage;
  res: ServerResponse;
  entry: RequestLogEntry;
  reply: Reply;
  delay: () => Promise<void>;
  requestId: string;
  /** The API version the request resolved to (answers the `version` query). */
  apiVersion: string;
  /** The user the token authenticated. */
  user: EmulatorUser;
}

interface Work {
  prepared: Extract<PreparedDocument, { ok: true }>;
  variables: Record<string, unknown>;
  cost: number;
  mutations: number;
  key: string | null;
}

/**
 * Runs an admitted request; aliases run in document order. With a state file a mutation is
 * acknowledged only once saved; a failed save undoes it and the request gets a 503.
 */
export async function executeRequest(deps: ExecutionDeps, parts: RequestParts, work: Work): Promise<void> {
  const { operation, fragments, document } = work.prepared;
  const coerced = getVariableValues(deps.schema, operation.variableDefinitions ?? [], work.variables);
  if (coerced.errors) return parts.reply(200, { errors: coerced.errors.map(formatGraphqlError) });
  const isMutation = operation.operation === 'mutation';
  const targets = isMutation ? findWriteTargets(operation, fragments, coerced.coerced, deps.store) : [];
  const locked = deps.faults.lockedBoard(targets) ?? deps.locks.acquire(targets);
  // monday: never write to one board concurrently. A second writer is refused, not queued.
  if (locked !== null) {
    const body = errorBody('RESOURCE_LOCKED', 'Resource is locked: another write to this board is in progress', { retry_in_seconds: 1, error_data: { board_id: locked } });
    return parts.reply(423, body, { 'Retry-After': '1' });
  }
  let keyDone = false;
  let locksHeld = true;
  // Board locks guard execution only: the save that follows may batch writes to the same board.
  const unlock = (): void => {
    if (locksHeld) deps.locks.release(targets);
    locksHeld = false;
  };
  try {
    if (work.key) deps.idempotency.begin(work.key);
    const now = Date.now();
    const charged = deps.budget.charge(work.cost, now);
    parts.entry.complexity = work.cost;
    await parts.delay();
    const context: ExecContext = {
      store: deps.store,
      cursors: deps.cursors,
      now,
      apiVersion: parts.apiVersion,
      user: parts.user,
      complexity: { before: charged.before, after: charged.after, query: work.cost, reset_in_x_seconds: deps.budget.resetInSeconds(now) },
    };
    // The last id check and execute() run in one synchronous step (resolvers are synchronous),
    // so no other request can take the reserved ids in between.
    let wait = isMutation ? (deps.durability?.reserveIds(work.mutations) ?? null) : null;
    while (wait) {
      try {
        await wait;
      } catch (error) {
        return await refuse(parts, error);
      }
      wait = deps.durability?.reserveIds(work.mutations) ?? null;
    }
    const result = await execute({ schema: deps.schema, document, operationName: operation.name?.value, variableValues: work.variables, contextValue: context });
    parts.entry.mutations = work.mutations;
    const body: Record<string, unknown> = { data: result.data ?? null };
    if (result.errors && result.errors.length > 0) body.errors = result.errors.map(formatGraphqlError);
    body.account_id = 1;
    body.extensions = { request_id: parts.requestId };
    const text = JSON.stringify(body);
    if (isMutation && deps.durability) {
      unlock();
      try {
        await deps.durability.commit();
      } catch (error) {
        return await refuse(parts, error);
      }
    }
    if (work.key) {
      deps.idempotency.complete(work.key, { status: 200, body: text }, Date.now());
      keyDone = true;
    }
    if (isMutation && deps.faults.drawDrop()) {
      // The work is committed but the client never hears back: exactly a timeout after commit.
      parts.entry.status = 0;
      parts.entry.error = 'dropped after commit';
      parts.req.socket.destroy();
      return;
    }
    await parts.reply(200, text);
  } finally {
    unlock();
    if (work.key && !keyDone) deps.idempotency.abandon(work.key);
  }
}

// The state file could not be written: nothing of this request was kept.
function refuse(parts: RequestParts, error: unknown): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  return parts.reply(503, errorBody('SERVICE_UNAVAILABLE', message, { status_code: 503 }));
}
