import type { ErrorClass, MondayErrorInfo } from './types.ts';
import { errorAliasOf, errorCodeOf, errorStatusOf, type GraphqlBody, type GraphqlError } from './read-graphql-body.ts';

/** What the retry loop should do with one HTTP response. */
export type Verdict =
  | { kind: 'ok' } // map the body to per-op results
  | { kind: 'rate-limit'; error: MondayErrorInfo; waitMs: number | null }
  | { kind: 'transient'; error: MondayErrorInfo; waitMs: number | null }
  | { kind: 'fatal'; error: MondayErrorInfo } // auth or daily limit: the caller must stop
  | { kind: 'failed'; error: MondayErrorInfo } // the whole request failed permanently
  | { kind: 'too-complex'; error: MondayErrorInfo }; // over the per-request complexity cap: smaller requests may pass

// Compared without case or punctuation, so older spellings (maxConcurrencyExceeded) match too.
const RATE_LIMIT_CODES = new Set([
  'complexitybudgetexhausted',
  'minuteratelimitexceeded',
  'maxconcurrencyexceeded',
  'concurrencylimitexceeded',
  'ratelimitexceeded',
  'ipratelimitexceeded',
  'minutelimitexceeded',
]);
const TRANSIENT_CODES = new Set(['internalservererror', 'resourcelocked', 'idempotencyconflict', 'serviceunavailable']);
// The request names a board, group or column that does not exist (API reference "Error handling"): no record can succeed.
const CONFIGURATION_CODES = new Set(['invalidboardidexception', 'invalidcolumnidexception']);

/** A missing board or group is configuration; a missing item is that record's own problem (deleted on monday). */
function isConfigurationError(normalised: string, error: GraphqlError): boolean {
  if (CONFIGURATION_CODES.has(normalised)) return true;
  if (normalised !== 'resourcenotfoundexception') return false;
  const data = error.extensions?.error_data as Record<string, unknown> | undefined;
  return data ? !('item_id' in data) && ('board_id' in data || 'group_id' in data) : /^(board|group)\b/i.test(error.message);
}

/** The ids monday names in `error_data` (column, board, group), so a message says which one. */
function detailsOf(error: GraphqlError): string {
  const data = error.extensions?.error_data as Record<string, unknown> | undefined;
  if (!data || typeof data !== 'object') return '';
  const parts = ['column_id', 'board_id', 'group_id', 'item_id'].filter((k) => data[k] !== undefined && data[k] !== null && !error.message.includes(String(data[k]))).map((k) => `${k} ${String(data[k])}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

/** Classifies one HTTP response: 429 first, then auth, transient statuses, then the body. */
export function classifyResponse(status: number, body: GraphqlBody | null, headers: Headers, now: number): Verdict {
  const errors = requestErrors(body);
  const first = errors[0];
  const code = (first && errorCodeOf(first)) ?? `HTTP_${status}`;
  const message = first?.message ?? `HTTP ${status}`;
  const info = (errorClass: ErrorClass, text = message, withCode = code): MondayErrorInfo => ({
    class: errorClass,
    code: withCode,
    message: truncate(text),
    httpStatus: status,
  });
  const daily = errors.find((error) => normalise(errorCodeOf(error)) === 'dailylimitexceeded');
  if (daily) return { kind: 'fatal', error: info('daily-limit', daily.message, 'DAILY_LIMIT_EXCEEDED') };
  if (status === 429) return { kind: 'rate-limit', error: info('rate-limit'), waitMs: retryWaitMs(errors, headers, now) };
  if (status === 401) return { kind: 'fatal', error: info('auth', 'monday rejected the API token (401) — check MONDAY_API_TOKEN') };
  if (status === 403) {
    const detail = first ? `: ${first.message}` : '';
    return { kind: 'fatal', error: info('auth', `monday refused the API token (403${detail}) — check MONDAY_API_TOKEN and its permissions`) };
  }
  if (status >= 500 || status === 408 || status === 409 || status === 423) {
    return { kind: 'transient', error: info('transient'), waitMs: retryAfterHeaderMs(headers, now) };
  }
  if (body === null) {
    if (status >= 200 && status < 300) {
      return { kind: 'transient', error: info('transient', 'response body is not JSON', 'INVALID_RESPONSE'), waitMs: null };
    }
    return { kind: 'failed', error: info('permanent') };
  }
  const budget = errors.find((error) => errorAliasOf(error) === null && isBudgetError(error));
  if (budget && !hasAliasData(body)) {
    const error = info('rate-limit', budget.message, errorCodeOf(budget) ?? 'COMPLEXITY_BUDGET_EXHAUSTED');
    return { kind: 'rate-limit', error, waitMs: retryWaitMs(errors, headers, now) };
  }
  const tooComplex = errors.find((error) => errorAliasOf(error) === null && isOverQueryCap(error));
  if (tooComplex && !hasAliasData(body)) {
    return { kind: 'too-complex', error: info('permanent', tooComplex.message, errorCodeOf(tooComplex) ?? 'maxComplexityExceeded') };
  }
  // A request-wide server error before any alias ran: nothing committed, so the request is retried.
  if (first && !hasAliasData(body) && classifyOpError(first, status).class === 'transient') {
    return { kind: 'transient', error: info('transient'), waitMs: retryAfterHeaderMs(headers, now) };
  }
  return { kind: 'ok' };
}

/** Classifies one error that belongs to one op (or applies to all of them). */
export function classifyOpError(error: GraphqlError, httpStatus: number | null): MondayErrorInfo {
  const code = errorCodeOf(error) ?? (httpStatus !== null && httpStatus !== 200 ? `HTTP_${httpStatus}` : 'GRAPHQL_ERROR');
  const status = errorStatusOf(error);
  const normalised = normalise(code);
  let errorClass: ErrorClass = 'permanent';
  if (normalised === 'dailylimitexceeded') errorClass = 'daily-limit';
  else if (isConfigurationError(normalised, error)) errorClass = 'configuration';
  else if (isRateLimitError(error)) errorClass = 'rate-limit';
  else if ((status !== null && (status >= 500 || status === 423)) || TRANSIENT_CODES.has(normalised)) {
    errorClass = 'transient';
  }
  return { class: errorClass, code, message: truncate(`${error.message}${detailsOf(error)}`), httpStatus };
}

/** Errors that concern the whole request: path-less ones, plus a legacy top-level error. */
export function requestErrors(body: GraphqlBody | null): GraphqlError[] {
  if (body === null) return [];
  const errors = body.errors.filter((error) => errorAliasOf(error) === null);
  if (body.legacy) {
    const extensions: Record<string, unknown> = {};
    if (body.legacy.code !== null) extensions.code = body.legacy.code;
    if (body.legacy.statusCode !== null) extensions.status_code = body.legacy.statusCode;
    errors.unshift({ message: body.legacy.message ?? body.legacy.code ?? 'unknown error', extensions });
  }
  return errors;
}

/** How long monday asks us to wait: `retry_in_seconds`, `Retry-After`, or "reset in N seconds". */
export function retryWaitMs(errors: readonly GraphqlError[], headers: Headers, now: number): number | null {
  const candidates: number[] = [];
  for (const error of errors) {
    const seconds = error.extensions?.retry_in_seconds;
    if (typeof seconds === 'number' && Number.isFinite(seconds)) candidates.push(seconds * 1000);
    const match = /reset in (\d+(?:\.\d+)?) seconds?/i.exec(error.message);
    if (match) candidates.push(Number(match[1]) * 1000);
  }
  const header = retryAfterHeaderMs(headers, now);
  if (header !== null) candidates.push(header);
  return candidates.length > 0 ? Math.max(0, ...candidates) : null;
}

function retryAfterHeaderMs(headers: Headers, now: number): number | null {
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

function isRateLimitError(error: GraphqlError): boolean {
  return errorStatusOf(error) === 429 || RATE_LIMIT_CODES.has(normalise(errorCodeOf(error))) || isBudgetError(error);
}

// ComplexityException also names the per-query cap ("exceeds max complexity"), which waiting cannot fix.
function isBudgetError(error: GraphqlError): boolean {
  const code = normalise(errorCodeOf(error));
  if (RATE_LIMIT_CODES.has(code) || errorStatusOf(error) === 429) return true;
  return code === 'complexityexception' && /budget|reset in/i.test(error.message);
}

function isOverQueryCap(error: GraphqlError): boolean {
  const code = normalise(errorCodeOf(error));
  return code === 'maxcomplexityexceeded' || (code === 'complexityexception' && /exceeds max complexity/i.test(error.message));
}

function hasAliasData(body: GraphqlBody): boolean {
  if (body.data === null) return false;
  return Object.entries(body.data).some(([key, value]) => key !== 'complexity' && value !== null);
}

function normalise(code: string | null): string {
  return (code ?? '').toLowerCase().replace(/[^a-z]/g, '');
}

function truncate(text: string): string {
  return text.length > 500 ? `${text.slice(0, 497)}...` : text;
}
