import type { KyInstance } from 'ky';
import type { BudgetPacer } from './budget-pacer.ts';
import { classifyResponse, type Verdict } from './classify-response.ts';
import { computeBackoffMs, type BackoffOptions } from './compute-backoff.ts';
import { readComplexity } from './read-complexity.ts';
import { readGraphqlBody, type GraphqlBody } from './read-graphql-body.ts';
import { redact } from './redact.ts';
import { sendGraphql } from './send-graphql.ts';
import { MondayError, type ClientStats, type MondayErrorInfo } from './types.ts';

/** The optional logger the client reports to (debug for every request, warn when giving up). */
export interface MondayLogger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
}

/** Everything the retry loop needs, fixed when the client is created. */
export interface RequestContext {
  http: KyInstance;
  url: string;
  token: string;
  apiVersion: string;
  timeoutMs: number;
  attemptsPerRequest: number;
  backoff: BackoffOptions;
  maxRateLimitWaitMs: number;
  random: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  now: () => number;
  logger: MondayLogger | undefined;
  pacer: BudgetPacer;
  stats: ClientStats;
}

/** One GraphQL request to send until it succeeds, fails for good, or runs out of attempts. */
export interface RequestSpec {
  kind: 'mutation' | 'query';
  document: string;
  variables: Record<string, unknown>;
  idempotencyKey: string | null;
  /** Estimated complexity, for pacing. */
  estimate: number;
  /** Number of mutations in the document (learns the per-mutation cost). */
  mutations: number;
  /** Key under which a read's cost is remembered. */
  documentKey?: string;
  signal?: AbortSignal;
  /** Extra log fields (e.g. board). */
  logFields?: Record<string, unknown>;
  /** Answer `split` instead of failing or waiting when the request is too big for the budget or the per-request cap. */
  splittable?: boolean;
}

/** How a request ended, short of a thrown auth / daily-limit MondayError. */
export type RequestOutcome =
  | { ok: true; status: number; body: GraphqlBody; attempts: number; replayed: boolean }
  | {
      ok: false;
      error: MondayErrorInfo;
      status: number | null;
      body: GraphqlBody | null;
      attempts: number;
      /** The request seems too costly for the budget on its own: send its mutations in smaller requests. */
      split?: boolean;
    };

// monday's window is a minute; a 429 without any hint waits for it. A zero hint must not spin.
const FALLBACK_RATE_LIMIT_WAIT_MS = 60_000;
const MIN_RATE_LIMIT_WAIT_MS = 500;

/**
 * Sends a request with monday's retry rules: rate limits are waited out without using up
 * attempts (bounded by a total wait cap), transient failures back off exponentially with
 * jitter up to `attemptsPerRequest`, auth and daily-limit failures throw. The Idempotency-Key is the
 * same on every attempt, so a retried mutation is replayed rather than applied twice.
 */
export async function executeRequest(ctx: RequestContext, spec: RequestSpec): Promise<RequestOutcome> {
  const payload = JSON.stringify({ query: spec.document, variables: spec.variables });
  const headers: Record<string, string> = {
    Authorization: ctx.token,
    'Content-Type': 'application/json',
    Accept: 'application/json',
    'API-Version': ctx.apiVersion,
  };
  if (spec.idempotencyKey !== null) headers['Idempotency-Key'] = spec.idempotencyKey;
  let attempts = 0;
  let failures = 0;
  let rateLimitWaitMs = 0;
  let budgetBounces = 0;
  // A lost response may have committed: then only this request (same Idempotency-Key) may be resent, never split.
  let mayHaveCommitted = false;
  for (;;) {
    spec.signal?.throwIfAborted();
    const slot = await ctx.pacer.acquire(spec.estimate, spec.signal);
    if (slot.waitedMs > 0) {
      ctx.stats.waitMs += slot.waitedMs;
      log(ctx, 'monday: paced request until the complexity budget resets', { ...spec.logFields, waitMs: slot.waitedMs, estimate: spec.estimate });
    }
    attempts += 1;
    ctx.stats.requests += 1;
    if (attempts > 1) ctx.stats.retries += 1;
    let verdict: Verdict;
    let status: number | null = null;
    let body: GraphqlBody | null = null;
    let replayed = false;
    let observed = false;
    const sentAt = ctx.now();
    let receivedAt = sentAt;
    try {
      const attempt = await sendGraphql(ctx.http, { url: ctx.url, headers, body: payload, timeoutMs: ctx.timeoutMs, signal: spec.signal });
      if (attempt.kind === 'network') {
        verdict = { kind: 'transient', error: attempt.error, waitMs: null };
      } else {
        status = attempt.status;
        body = readGraphqlBody(attempt.json, attempt.headers);
        replayed = attempt.headers.get('idempotency-replayed') === 'true';
        receivedAt = ctx.now();
        observed = observeBudget(ctx, spec, { body, headers: attempt.headers, replayed, sentAt, receivedAt });
        verdict = classifyResponse(attempt.status, body, attempt.headers, ctx.now());
      }
      if (verdict.kind !== 'ok') verdict = { ...verdict, error: redact(verdict.error, [ctx.token]) };
      log(ctx, 'monday: request', {
        ...spec.logFields,
        kind: spec.kind,
        attempt: attempts,
        status,
        durationMs: attempt.durationMs,
        requestId: body?.requestId ?? null,
        replayed,
        outcome: verdict.kind,
        code: verdict.kind === 'ok' ? undefined : verdict.error.code,
      });
    } finally {
      slot.release();
    }
    switch (verdict.kind) {
      case 'ok':
        return { ok: true, status: status ?? 200, body: body as GraphqlBody, attempts, replayed };
      case 'fatal':
        throw new MondayError(verdict.error);
      case 'failed':
        return { ok: false, error: verdict.error, status, body, attempts };
      case 'too-complex':
        return { ok: false, error: verdict.error, status, body, attempts, split: spec.splittable === true && !mayHaveCommitted };
      case 'rate-limit': {
        ctx.stats.rateLimited += 1;
        let waitMs = Math.max(MIN_RATE_LIMIT_WAIT_MS, verdict.waitMs ?? ctx.pacer.msUntilReset() ?? FALLBACK_RATE_LIMIT_WAIT_MS);
        const budgetExhausted = /complexity/i.test(verdict.error.code);
        if (budgetExhausted) {
          // The wait is the pacer's: it ends with the window it knows of, not retry_in_seconds after the answer.
          ctx.pacer.observeExhausted({ sentAt, receivedAt }, waitMs, slot.informed);
          waitMs = Math.max(1, ctx.pacer.msUntilReset() ?? waitMs);
          // Waiting cannot help a request that costs more than a whole window (or already bounced
          // off a fresh one): its ops go out again in smaller requests.
          const limit = ctx.pacer.limit();
          if (spec.splittable && !mayHaveCommitted && ((limit !== null && spec.estimate > limit) || budgetBounces > 0)) {
            return { ok: false, error: verdict.error, status, body, attempts, split: true };
          }
          budgetBounces += 1;
        }
        if (rateLimitWaitMs + waitMs > ctx.maxRateLimitWaitMs) {
          warn(ctx, 'monday: rate-limit waits exceed the cap; giving up on this request', { ...spec.logFields, code: verdict.error.code, waitedMs: rateLimitWaitMs });
          return { ok: false, error: verdict.error, status, body, attempts };
        }
        rateLimitWaitMs += waitMs;
        await wait(ctx, waitMs, spec, { reason: 'rate-limit', code: verdict.error.code });
        break;
      }
      case 'transient': {
        failures += 1;
        mayHaveCommitted = true;
        // No reading came back: the request may still have been charged.
        if (!observed) ctx.pacer.observeLost(spec.estimate);
        if (failures >= ctx.attemptsPerRequest) {
          warn(ctx, 'monday: giving up after transient failures', { ...spec.logFields, attempts, code: verdict.error.code });
          return { ok: false, error: verdict.error, status, body, attempts };
        }
        const backoffMs = computeBackoffMs(failures, ctx.backoff, ctx.random);
        const waitMs = Math.max(backoffMs, Math.min(verdict.waitMs ?? 0, ctx.backoff.maxMs));
        await wait(ctx, waitMs, spec, { reason: 'transient', code: verdict.error.code });
        break;
      }
    }
  }
}

/** One answer as the budget sees it: body, headers, whether it was replayed, and when it left and came back. */
interface Answer {
  body: GraphqlBody | null;
  headers: Headers;
  replayed: boolean;
  sentAt: number;
  receivedAt: number;
}

/** Feeds an answer's budget figures to the pacer; false when it had none (a replay's are stale). */
function observeBudget(ctx: RequestContext, spec: RequestSpec, answer: Answer): boolean {
  // A replayed response is a cached copy: its complexity was spent by the original request.
  if (answer.replayed) return false;
  const reading = readComplexity(answer.body?.data ?? null);
  if (reading === null) {
    ctx.pacer.observeHeaders(answer.headers, answer.receivedAt);
    return false;
  }
  ctx.stats.complexityUsed += reading.query;
  ctx.pacer.observe(reading, { sentAt: answer.sentAt, receivedAt: answer.receivedAt, mutations: spec.mutations, documentKey: spec.documentKey });
  return true;
}

async function wait(ctx: RequestContext, waitMs: number, spec: RequestSpec, fields: Record<string, unknown>): Promise<void> {
  log(ctx, 'monday: waiting before retry', { ...spec.logFields, ...fields, waitMs });
  await ctx.sleep(waitMs, spec.signal);
  ctx.stats.waitMs += waitMs;
}

function log(ctx: RequestContext, msg: string, fields: Record<string, unknown>): void {
  ctx.logger?.debug(msg, redact(fields, [ctx.token]));
}

function warn(ctx: RequestContext, msg: string, fields: Record<string, unknown>): void {
  ctx.logger?.warn(msg, redact(fields, [ctx.token]));
}
