import ky from 'ky';
import { BudgetPacer } from './budget-pacer.ts';
import { classifyOpError, requestErrors } from './classify-response.ts';
import { executeRequest, type MondayLogger, type RequestContext } from './execute-request.ts';
import { createKeyedQueue } from './keyed-queue.ts';
import { isRecord, type GraphqlError } from './read-graphql-body.ts';
import { sendMutations } from './send-mutations.ts';
import { sleep as defaultSleep } from './sleep.ts';
import { MondayError, type ClientStats, type MondayClient, type MutationOp } from './types.ts';
import { withComplexityField } from './with-complexity-field.ts';

export type { MondayLogger } from './execute-request.ts';

/** Options of createMondayClient; every default is noted beside its option. */
export interface MondayClientOptions {
  /** API endpoint, e.g. https://api.monday.com/v2 or the emulator's http://127.0.0.1:PORT/v2. */
  url: string;
  /** Sent raw as `Authorization`; never logged, never in OpRequest, responses or errors. */
  token: string;
  /** Pinned `API-Version`, e.g. `2026-10`. */
  apiVersion: string;
  /** Per attempt, including reading the body. Default 60_000 (monday's own limit). */
  timeoutMs?: number;
  /** Attempts of one request against transient failures (5xx, timeouts, resets, 423, 409); not `monday-items`' maxAttempts (runs per record). Default 5. */
  attemptsPerRequest?: number;
  /** Exponential backoff with jitter. Defaults: baseMs 500, maxMs 30_000. */
  backoff?: { baseMs?: number; maxMs?: number };
  /** Total time one request may spend waiting out 429s before it fails as 'rate-limit'. Default 600_000. */
  maxRateLimitWaitMs?: number;
  /** Most aliased mutations in one request: a ceiling; callers batch (monday-items' batchSize). Default 100. */
  maxOpsPerRequest?: number;
  /** Assumed cost of one mutation until a response shows the real one. Default 30_000. */
  mutationCostEstimate?: number;
  /** Assumed cost of a read document not answered before (later reads of it cost what it cost last time). Default 100_000. */
  readCostEstimate?: number;
  /** A batch that does not fit what is left of the budget window is cut to what fits, when at least this many ops fit; else it waits whole for the reset. Default 5. */
  minCutOps?: number;
  /** Wake this long after the budget's known reset, for jitter on the way to monday (ms). Default 20. */
  resetMarginMs?: number;
  /** Jitter source. Default Math.random. */
  random?: () => number;
  /** Waits (backoff, rate limits, pacing). Default: a timer that honours the signal. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Clock for budget pacing. Default Date.now. */
  now?: () => number;
  /** Receives debug lines per request and a warning when the client gives up. Default: silent. */
  logger?: MondayLogger;
  /** Passed to ky. Default globalThis.fetch. */
  fetch?: typeof fetch;
}

/** Creates the monday.com GraphQL client (ky underneath; retries, pacing and batching are ours). */
export function createMondayClient(options: MondayClientOptions): MondayClient {
  const settings = checkOptions(options);
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const stats: ClientStats = { requests: 0, mutations: 0, retries: 0, rateLimited: 0, waitMs: 0, complexityUsed: 0 };
  const pacer = new BudgetPacer({ now, sleep }, { mutationCost: settings.mutationCostEstimate, readCost: settings.readCostEstimate, resetMarginMs: settings.resetMarginMs });
  const ctx: RequestContext = {
    http: ky.create({ retry: 0, throwHttpErrors: false, timeout: settings.timeoutMs, ...(options.fetch ? { fetch: options.fetch } : {}) }),
    url: options.url,
    token: options.token,
    apiVersion: options.apiVersion,
    timeoutMs: settings.timeoutMs,
    attemptsPerRequest: settings.attemptsPerRequest,
    backoff: settings.backoff,
    maxRateLimitWaitMs: settings.maxRateLimitWaitMs,
    random: options.random ?? Math.random,
    sleep,
    now,
    logger: options.logger,
    pacer,
    stats,
  };
  const boards = createKeyedQueue();

  return {
    async query<T = Record<string, unknown>>(document: string, variables: Record<string, unknown> = {}, queryOptions: { signal?: AbortSignal } = {}) {
      if (!isRecord(variables)) throw new TypeError('monday client: query variables must be a JSON object');
      const sent = withComplexityField(document);
      const outcome = await executeRequest(ctx, {
        kind: 'query',
        document: sent.document,
        variables,
        idempotencyKey: null,
        estimate: pacer.estimateRead(document),
        mutations: 0,
        documentKey: document,
        signal: queryOptions.signal,
      });
      if (!outcome.ok) throw new MondayError(outcome.error);
      const { body } = outcome;
      const first: GraphqlError | undefined = [...requestErrors(body), ...body.errors][0];
      if (first !== undefined) throw new MondayError(classifyOpError(first, outcome.status));
      if (body.data === null) {
        throw new MondayError({ class: 'permanent', code: 'EMPTY_RESULT', message: 'query returned no data', httpStatus: outcome.status });
      }
      const data: Record<string, unknown> = { ...body.data };
      if (sent.injected) delete data.complexity;
      return { data: data as T, requestId: body.requestId };
    },

    async mutate<T = Record<string, unknown>>(board: string, ops: MutationOp[], mutateOptions: { signal?: AbortSignal; idempotencyScope?: string } = {}) {
      if (typeof board !== 'string' || board.trim() === '') throw new TypeError('monday client: mutate() needs a board id');
      if (ops.length === 0) return [];
      const { signal, idempotencyScope } = mutateOptions;
      // Serial per board: monday refuses (423) or interleaves concurrent writes to one board.
      return boards.run(board, () => {
        signal?.throwIfAborted();
        return sendMutations<T>(ctx, { board, ops, maxOpsPerRequest: settings.maxOpsPerRequest, minCutOps: settings.minCutOps, signal, idempotencyScope });
      });
    },

    stats: () => ({ ...stats }),
  };
}

interface Settings {
  timeoutMs: number;
  attemptsPerRequest: number;
  backoff: { baseMs: number; maxMs: number };
  maxRateLimitWaitMs: number;
  maxOpsPerRequest: number;
  mutationCostEstimate: number;
  readCostEstimate: number;
  minCutOps: number;
  resetMarginMs: number;
}

// Checked eagerly so a bad config fails at startup, not on the first sync; the token is never echoed.
function checkOptions(options: MondayClientOptions): Settings {
  const problems: string[] = [];
  let url: URL | null = null;
  try {
    url = new URL(options.url);
  } catch {
    problems.push(`url "${options.url}" is not a URL`);
  }
  if (url && url.protocol !== 'https:' && url.protocol !== 'http:') problems.push('url must be http(s)');
  if (typeof options.token !== 'string' || options.token.trim() === '') problems.push('token is empty (set MONDAY_API_TOKEN)');
  else if (/[\r\n]/.test(options.token)) problems.push('token contains a line break');
  if (!/^\d{4}-(01|04|07|10)$/.test(options.apiVersion)) problems.push(`apiVersion "${options.apiVersion}" is not YYYY-MM with month 01/04/07/10`);
  const settings: Settings = {
    timeoutMs: positive('timeoutMs', options.timeoutMs ?? 60_000, problems, 2_147_483_647),
    attemptsPerRequest: positive('attemptsPerRequest', options.attemptsPerRequest ?? 5, problems, 100, true),
    backoff: {
      baseMs: positive('backoff.baseMs', options.backoff?.baseMs ?? 500, problems),
      maxMs: positive('backoff.maxMs', options.backoff?.maxMs ?? 30_000, problems),
    },
    maxRateLimitWaitMs: positive('maxRateLimitWaitMs', options.maxRateLimitWaitMs ?? 600_000, problems, Infinity, false, true),
    maxOpsPerRequest: positive('maxOpsPerRequest', options.maxOpsPerRequest ?? 100, problems, 1_000, true),
    mutationCostEstimate: positive('mutationCostEstimate', options.mutationCostEstimate ?? 30_000, problems, Infinity, false, true),
    readCostEstimate: positive('readCostEstimate', options.readCostEstimate ?? 100_000, problems, Infinity, false, true),
    minCutOps: positive('minCutOps', options.minCutOps ?? 5, problems, 1_000, true),
    resetMarginMs: positive('resetMarginMs', options.resetMarginMs ?? 20, problems, 60_000, false, true),
  };
  if (problems.length > 0) throw new TypeError(`monday client: invalid options: ${problems.join('; ')}`);
  return settings;
}

function positive(name: string, value: number, problems: string[], max = Infinity, integer = false, zeroOk = false): number {
  const ok = typeof value === 'number' && Number.isFinite(value) && (zeroOk ? value >= 0 : value > 0) && value <= max && (!integer || Number.isInteger(value));
  if (!ok) problems.push(`${name} must be ${integer ? 'an integer' : 'a number'} ${zeroOk ? '≥ 0' : '> 0'}${max < Infinity ? ` and ≤ ${max}` : ''} (got ${String(value)})`);
  return value;
}
