import { isTimeoutError, type KyInstance } from 'ky';
import type { MondayErrorInfo } from './types.ts';

/** The outcome of one HTTP attempt: a response of any status, or a transport failure. */
export type Attempt =
  | { kind: 'response'; status: number; headers: Headers; json: unknown; durationMs: number }
  | { kind: 'network'; error: MondayErrorInfo; durationMs: number };

/** One POST of a GraphQL body. */
export interface SendInput {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * POSTs once through ky (which must be created with `retry: 0`, `throwHttpErrors: false`).
 * Timeouts, resets and dropped connections become a 'transient' attempt; an abort by the
 * caller is rethrown as is. The deadline also covers reading the body, which ky's does not.
 */
export async function sendGraphql(http: KyInstance, input: SendInput): Promise<Attempt> {
  const started = Date.now();
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new Error('monday client: request deadline')), input.timeoutMs);
  const signal = input.signal ? AbortSignal.any([input.signal, deadline.signal]) : deadline.signal;
  try {
    const response = await http.post(input.url, { headers: input.headers, body: input.body, timeout: input.timeoutMs, signal });
    const text = await response.text();
    return { kind: 'response', status: response.status, headers: response.headers, json: parseJson(text), durationMs: Date.now() - started };
  } catch (error) {
    if (input.signal?.aborted) throw input.signal.reason;
    const durationMs = Date.now() - started;
    if (isTimeoutError(error) || deadline.signal.aborted) {
      return { kind: 'network', durationMs, error: networkError('TIMEOUT', `no response within ${input.timeoutMs} ms`) };
    }
    if (error instanceof TypeError || isSystemError(error)) {
      return { kind: 'network', durationMs, error: networkError('NETWORK_ERROR', describe(error)) };
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

function networkError(code: string, message: string): MondayErrorInfo {
  return { class: 'transient', code, message, httpStatus: null };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

// undici reports resets as TypeError('fetch failed' | 'terminated') with the socket error as cause.
function describe(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    parts.push(typeof code === 'string' ? `${current.message} (${code})` : current.message);
    current = current.cause;
  }
  return parts.join(': ') || 'connection failed';
}

function isSystemError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(code);
}
