/** `POST /v2`: auth, limits, faults, idempotency, board locks, complexity, then execution. */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BoardLocks } from './board-locks.ts';
import type { ComplexityBudget } from './complexity-budget.ts';
import { errorBody } from './error-body.ts';
import { estimateComplexity } from './estimate-complexity.ts';
import { executeRequest, type ExecutionDeps } from './execute-request.ts';
import type { FaultInjector } from './fault-injector.ts';
import { CURRENT_API_VERSION, resolveApiVersion } from './api-versions.ts';
import { BodyTooLargeError, headerOf, readBody, sendBody } from './http-io.ts';
import type { IdempotencyCache } from './idempotency-cache.ts';
import type { DocumentPreparer } from './prepare-document.ts';
import { exceededPolicy, rateLimitHeaders } from './rate-limit-headers.ts';
import type { RequestLimits } from './request-limits.ts';
import type { ResolvedOptions } from './resolve-options.ts';
import type { RequestLogEntry } from './types.ts';
import { userOfToken } from './users.ts';

/** Everything the API handler shares across requests. */
export interface ApiDeps extends ExecutionDeps {
  options: ResolvedOptions;
  budget: ComplexityBudget;
  limits: RequestLimits;
  faults: FaultInjector;
  idempotency: IdempotencyCache;
  locks: BoardLocks;
  documents: DocumentPreparer;
  log(entry: RequestLogEntry): void;
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** A response to send: status, body (objects get `extensions.request_id`), extra headers. */
export type Reply = (status: number, body: object | string, headers?: Record<string, string>) => Promise<void>;

/** Creates the handler for API requests; every request is logged once it ends. */
export function createApiHandler(deps: ApiDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const entry: RequestLogEntry = {
      at: Date.now(),
      status: 0,
      operation: 'none',
      document: '',
      variables: {},
      complexity: 0,
      idempotencyKey: headerOf(req, 'idempotency-key'),
      replayed: false,
      mutations: 0,
    };
    const requestId = randomUUID();
    const version = resolveApiVersion(req.headers['api-version']);
    let delayed = false;
    // Latency is served once per request: before executing, or before an early answer.
    const delay = async (): Promise<void> => {
      if (delayed) return;
      delayed = true;
      const ms = deps.faults.latencyMs();
      if (ms > 0) await sleep(ms);
    };
    const reply: Reply = async (status, body, headers = {}) => {
      await delay();
      entry.status = status;
      entry.error ??= firstError(body) ?? (status >= 400 ? `HTTP ${status}` : undefined);
      const sent = typeof body === 'string' ? body : { ...body, extensions: { ...(body as { extensions?: object }).extensions, request_id: requestId } };
      const exceeded = status === 429 ? exceededPolicy(firstErrorCode(body)) : null;
      const common = { 'API-Version': version ?? CURRENT_API_VERSION, 'X-Request-Id': requestId, ...rateLimitHeaders(deps.limits, deps.budget, Date.now(), exceeded) };
      if (!res.destroyed && !res.headersSent) sendBody(res, status, sent, { ...common, ...headers });
    };
    // Concurrency is judged on arrival, before the body is read, as a gateway would.
    const concurrent = deps.limits.enter();
    try {
      await handle(deps, req, res, entry, { reply, delay, requestId, version, concurrent });
    } catch (error) {
      entry.error = `internal: ${error instanceof Error ? error.message : String(error)}`;
      await reply(500, errorBody('INTERNAL_SERVER_ERROR', 'Internal server error', { status_code: 500 }));
    } finally {
      deps.limits.leave();
      deps.log(entry);
    }
  };
}

interface RequestTools {
  reply: Reply;
  delay: () => Promise<void>;
  requestId: string;
  /** The API version the request resolved to; null when its header was malformed. */
  version: string | null;
  concurrent: boolean;
}

async function handle(deps: ApiDeps, req: IncomingMessage, res: ServerResponse, entry: RequestLogEntry, tools: RequestTools): Promise<void> {
  const { reply } = tools;
  let raw: string;
  try {
    raw = await readBody(req, MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return reply(413, errorBody('PAYLOAD_TOO_LARGE', 'Request body is too large', { status_code: 413 }));
    throw error;
  }
  const user = userOfToken(headerOf(req, 'authorization'), deps.options);
  if (!user) {
    return reply(401, { ...errorBody('UNAUTHENTICATED', 'Not Authenticated', { status_code: 401 }), error_message: 'Not Authenticated', status_code: 401 });
  }
  entry.userId = user.id;
  if (tools.version === null) {
    // API reference "Error handling": InvalidVersionException is an application error, HTTP 200.
    const message = `Invalid API version "${headerOf(req, 'api-version')}"; expected YYYY-MM (months 01, 04, 07, 10)`;
    return reply(200, errorBody('InvalidVersionException', message, { status_code: 200 }));
  }
  const apiVersion = tools.version;
  const refusal = deps.limits.admit(Date.now(), tools.concurrent);
  if (refusal) return tooMany(reply, refusal.code, refusal.message, refusal.retryInSeconds);
  const injected5xx = deps.faults.draw5xx();
  if (injected5xx !== null) return reply5xx(reply, injected5xx);
  if (deps.faults.draw429()) return tooMany(reply, 'MINUTE_RATE_LIMIT_EXCEEDED', 'Rate limit exceeded for the minute', 5);

  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return reply(400, errorBody('INVALID_REQUEST', 'Request body is not valid JSON', { status_code: 400 }));
  }
  if (!isRecord(body) || typeof body.query !== 'string' || body.query.trim() === '') {
    return reply(400, errorBody('INVALID_REQUEST', 'No query string was present', { status_code: 400 }));
  }
  entry.document = body.query;
  // Since 2025-04 monday rejects variables sent as a JSON string; they must be an object.
  if (body.variables !== undefined && body.variables !== null && !isRecord(body.variables)) {
    return reply(400, errorBody('INVALID_REQUEST', 'variables must be a JSON object', { status_code: 400 }));
  }
  const variables = isRecord(body.variables) ? body.variables : {};
  entry.variables = variables;
  const prepared = deps.documents.prepare(body.query, typeof body.operationName === 'string' ? body.operationName : null);
  if (!prepared.ok) return reply(200, { errors: prepared.errors });
  const { operation } = prepared;
  if (operation.operation === 'subscription') return reply(200, errorBody('GRAPHQL_VALIDATION_FAILED', 'Subscriptions are not supported'));
  entry.operation = operation.operation;

  const { cost, mutations } = estimateComplexity(operation, prepared.fragments, variables, deps.options.budget.mutationCost);
  // A request bigger than a whole window's budget could never run: refuse it as too complex
  // rather than answer 429 forever (only possible when the emulator's budget is set small).
  const max = Math.min(deps.options.budget.maxQueryComplexity, deps.options.budget.points);
  if (cost > max) {
    return reply(200, errorBody('maxComplexityExceeded', `Query has complexity of ${cost}, which exceeds max complexity of ${max}`, { complexity: cost, max_complexity: max }));
  }
  const key = operation.operation === 'mutation' ? entry.idempotencyKey : null;
  if (key) {
    const found = deps.idempotency.lookup(key, Date.now());
    if (found.kind === 'replay') {
      entry.replayed = true;
      entry.error = firstError(found.response.body);
      return reply(found.response.status, found.response.body, { 'Idempotency-Replayed': 'true' });
    }
    if (found.kind === 'in-flight') {
      return reply(409, errorBody('IDEMPOTENCY_CONFLICT', 'A request with this Idempotency-Key is still in progress', { retry_in_seconds: 1 }), { 'Retry-After': '1' });
    }
  }
  const now = Date.now();
  if (cost > deps.budget.remaining(now)) {
    return tooMany(reply, 'COMPLEXITY_BUDGET_EXHAUSTED', 'Complexity budget exhausted', deps.budget.resetInSeconds(now));
  }
  await executeRequest(deps, { req, res, entry, reply, delay: tools.delay, requestId: tools.requestId, apiVersion, user }, { prepared, variables, cost, mutations, key });
}

function tooMany(reply: Reply, code: string, message: string, retryInSeconds: number): Promise<void> {
  return reply(429, errorBody(code, message, { retry_in_seconds: retryInSeconds }), { 'Retry-After': String(retryInSeconds) });
}

// A 502 comes from the gateway in front of the API: an HTML page, not GraphQL JSON.
function reply5xx(reply: Reply, status: 500 | 502 | 503): Promise<void> {
  if (status === 502) return reply(502, '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>', { 'Content-Type': 'text/html' });
  if (status === 503) return reply(503, errorBody('SERVICE_UNAVAILABLE', 'Service unavailable', { status_code: 503 }));
  return reply(500, errorBody('INTERNAL_SERVER_ERROR', 'Internal server error', { status_code: 500 }));
}

function firstError(body: object | string): string | undefined {
  const parsed: unknown = typeof body === 'string' ? safeParse(body) : body;
  const first = isRecord(parsed) && Array.isArray(parsed.errors) ? parsed.errors[0] : undefined;
  if (!isRecord(first)) return undefined;
  const code = isRecord(first.extensions) ? first.extensions.code : undefined;
  return typeof code === 'string' ? `${code}: ${String(first.message)}` : String(first.message);
}

function firstErrorCode(body: object | string): string | undefined {
  const parsed: unknown = typeof body === 'string' ? safeParse(body) : body;
  const first = isRecord(parsed) && Array.isArray(parsed.errors) ? parsed.errors[0] : undefined;
  const code = isRecord(first) && isRecord(first.extensions) ? first.extensions.code : undefined;
  return typeof code === 'string' ? code : undefined;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text.slice(0, 200);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
