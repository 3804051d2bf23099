import { buildMutationBatch } from './build-mutation-batch.ts';
import { deriveIdempotencyKey } from './derive-idempotency-key.ts';
import { executeRequest, type RequestContext } from './execute-request.ts';
import { mapOpResults } from './map-op-results.ts';
import { MondayError, type MutationOp, type OpResult } from './types.ts';

/** How one mutate() call is sent. */
export interface SendMutationsInput {
  board: string;
  ops: readonly MutationOp[];
  maxOpsPerRequest: number;
  /** Fewest ops worth a request of their own when a batch is cut to what is left of the budget window. */
  minCutOps: number;
  signal?: AbortSignal;
  idempotencyScope?: string;
}

/**
 * Sends a board's ops as aliased requests of at most `maxOpsPerRequest` (fewer when the budget
 * is known to hold fewer), returning one result per op in order. A request that does not fit
 * what is left of the current budget window is cut to what fits, and the rest follows after the
 * reset. Auth and daily-limit failures throw a MondayError carrying the results of the requests
 * that already committed.
 */
export async function sendMutations<T>(ctx: RequestContext, input: SendMutationsInput): Promise<OpResult<T>[]> {
  const results: OpResult<T>[] = [];
  let next = 0;
  let sizeCap = input.maxOpsPerRequest;
  while (next < input.ops.length) {
    input.signal?.throwIfAborted();
    const size = Math.max(1, Math.min(sizeCap, ctx.pacer.maxMutationsPerRequest()));
    // No await between sizing and sending: the pacer reserves the chunk's cost before anything else runs.
    const chunk = input.ops.slice(next, next + cutToFit(Math.min(size, input.ops.length - next), ctx.pacer.mutationsThatFitNow(), input.minCutOps));
    let chunkResults: OpResult<T>[] | 'split';
    try {
      chunkResults = await sendChunk<T>(ctx, input, chunk);
    } catch (error) {
      // Earlier requests did commit: hand their results over with the error.
      if (error instanceof MondayError) throw new MondayError(error.info, { cause: error, completed: results });
      throw error;
    }
    if (chunkResults === 'split') {
      sizeCap = Math.max(1, Math.floor(chunk.length / 2));
      continue;
    }
    next += chunk.length;
    results.push(...chunkResults);
    const stop = chunkResults.find((result) => !result.ok && (result.error.class === 'daily-limit' || result.error.class === 'auth'));
    if (stop && !stop.ok) throw new MondayError(stop.error, { completed: results });
  }
  return results;
}

/**
 * How many of `wanted` ops to send now when `fitting` fit into what is left of the window: all of
 * them, what fits (when that is at least `minCut`, so a cut never costs a request for a few ops),
 * or all of them after the reset (too few fit to be worth a request).
 */
export function cutToFit(wanted: number, fitting: number, minCut: number): number {
  if (fitting >= wanted) return wanted;
  return fitting >= minCut ? fitting : wanted;
}

async function sendChunk<T>(ctx: RequestContext, input: SendMutationsInput, chunk: MutationOp[]): Promise<OpResult<T>[] | 'split'> {
  const batch = buildMutationBatch(chunk);
  const idempotencyKey = deriveIdempotencyKey({ board: input.board, document: batch.document, variables: batch.variables, scope: input.idempotencyScope });
  const outcome = await executeRequest(ctx, {
    kind: 'mutation',
    document: batch.document,
    variables: batch.variables,
    idempotencyKey,
    estimate: ctx.pacer.estimateMutations(chunk.length),
    mutations: chunk.length,
    signal: input.signal,
    logFields: { board: input.board, ops: chunk.length },
    splittable: chunk.length > 1,
  });
  if (!outcome.ok && outcome.split) {
    ctx.logger?.debug('monday: request exceeds the complexity budget; splitting it', { board: input.board, ops: chunk.length });
    return 'split';
  }
  ctx.stats.mutations += chunk.length;
  return mapOpResults<T>(chunk, batch.parts, outcome, { idempotencyKey, apiVersion: ctx.apiVersion });
}
