import type { BatchPart } from './build-mutation-batch.ts';
import { classifyOpError, requestErrors } from './classify-response.ts';
import type { RequestOutcome } from './execute-request.ts';
import { errorAliasOf, type GraphqlError } from './read-graphql-body.ts';
import type { MondayErrorInfo, MutationOp, OpRequest, OpResult } from './types.ts';

/** What every op of one request shares: its key, API version and how often it was sent. */
export interface BatchContext {
  idempotencyKey: string | null;
  apiVersion: string;
}

/**
 * Gives every op its own result: its alias's data, or its own error (`path[0] === alias`),
 * or, when it has neither, the request-wide errors. An op whose alias returned data did
 * commit, so it is a success even if a request-wide error came along.
 */
export function mapOpResults<T>(
  ops: readonly MutationOp[],
  parts: readonly BatchPart[],
  outcome: RequestOutcome,
  batch: BatchContext,
): OpResult<T>[] {
  return ops.map((op, index) => {
    const part = parts[index] as BatchPart;
    const request: OpRequest = {
      document: part.fieldText,
      variables: part.variables,
      idempotencyKey: batch.idempotencyKey,
      apiVersion: batch.apiVersion,
    };
    if (!outcome.ok) {
      const response = {
        status: outcome.status,
        errors: outcome.body ? [...requestErrors(outcome.body), ...outcome.body.errors.filter((e) => errorAliasOf(e) === part.alias)] : [],
        error: outcome.error,
        request_id: outcome.body?.requestId ?? null,
      };
      return { key: op.key, ok: false, error: outcome.error, request, response, attempts: outcome.attempts };
    }
    const { body } = outcome;
    const value = body.data?.[part.alias];
    const own = body.errors.filter((error) => errorAliasOf(error) === part.alias);
    const response: Record<string, unknown> = { data: { [part.alias]: value ?? null } };
    if (value !== null && value !== undefined) {
      if (own.length > 0) response.errors = own;
      Object.assign(response, trailer(outcome));
      return { key: op.key, ok: true, data: value as T, request, response, attempts: outcome.attempts };
    }
    const errors: GraphqlError[] = own.length > 0 ? own : requestErrors(body);
    const error: MondayErrorInfo =
      errors.length > 0
        ? classifyOpError(errors[0] as GraphqlError, outcome.status)
        : { class: 'permanent', code: 'EMPTY_RESULT', message: `${op.field} returned no data`, httpStatus: outcome.status };
    response.errors = errors;
    Object.assign(response, trailer(outcome));
    return { key: op.key, ok: false, error, request, response, attempts: outcome.attempts };
  });
}

function trailer(outcome: RequestOutcome & { ok: true }): Record<string, unknown> {
  return outcome.replayed ? { request_id: outcome.body.requestId, replayed: true } : { request_id: outcome.body.requestId };
}
