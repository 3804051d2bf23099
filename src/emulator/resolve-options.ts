/** Emulator options with every default filled in, checked eagerly. */
import { writeErr } from '../runtime/index.ts';
import type { EmulatorOptions, Faults } from './types.ts';

/** Options after defaults; see `EmulatorOptions` for each meaning. */
export interface ResolvedOptions {
  port: number;
  host: string;
  token: string;
  userToken: string;
  stateFile: string | null;
  seed: 'demo' | 'empty';
  budget: { points: number; windowMs: number; mutationCost: number; maxQueryComplexity: number };
  limits: { requestsPerMinute: number; maxConcurrency: number; dailyCalls: number };
  faults: Faults;
  itemsPerBoard: number;
  idempotencyTtlMs: number;
  requestLogLimit: number;
  warn: (message: string) => void;
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/;

/** Fills in defaults and rejects what cannot work (non-loopback host, negative numbers). */
export function resolveOptions(options: EmulatorOptions = {}): ResolvedOptions {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.test(host)) {
    throw new Error(`emulator: refusing to listen on "${host}"; only loopback hosts (127.0.0.1, ::1, localhost) are allowed`);
  }
  const resolved: ResolvedOptions = {
    port: options.port ?? 0,
    host,
    token: options.token ?? 'emulator-token',
    userToken: options.userToken ?? 'emulator-user-token',
    stateFile: options.stateFile ?? null,
    seed: options.seed ?? 'demo',
    budget: {
      points: options.budget?.points ?? 10_000_000,
      windowMs: options.budget?.windowMs ?? 60_000,
      mutationCost: options.budget?.mutationCost ?? 10_000,
      maxQueryComplexity: options.budget?.maxQueryComplexity ?? 5_000_000,
    },
    limits: {
      requestsPerMinute: options.limits?.requestsPerMinute ?? 5000,
      maxConcurrency: options.limits?.maxConcurrency ?? 40,
      dailyCalls: options.limits?.dailyCalls ?? Infinity,
    },
    faults: checkFaults(options.faults ?? {}),
    itemsPerBoard: options.itemsPerBoard ?? 10_000,
    idempotencyTtlMs: options.idempotencyTtlMs ?? 30 * 60_000,
    requestLogLimit: options.requestLogLimit ?? 20_000,
    warn: options.warn ?? writeErr,
  };
  if (!Number.isInteger(resolved.port) || resolved.port < 0 || resolved.port > 65_535) {
    throw new RangeError(`emulator: port must be an integer 0..65535, got ${resolved.port}`);
  }
  if (resolved.token === '') throw new RangeError('emulator: token must not be empty');
  if (resolved.userToken === '' || resolved.userToken === resolved.token) {
    throw new RangeError('emulator: userToken must not be empty and must differ from token');
  }
  if (resolved.seed !== 'demo' && resolved.seed !== 'empty') throw new RangeError(`emulator: seed must be 'demo' or 'empty'`);
  const positive: Record<string, number> = {
    'budget.points': resolved.budget.points,
    'budget.windowMs': resolved.budget.windowMs,
    'budget.maxQueryComplexity': resolved.budget.maxQueryComplexity,
    'limits.requestsPerMinute': resolved.limits.requestsPerMinute,
    'limits.maxConcurrency': resolved.limits.maxConcurrency,
    'limits.dailyCalls': resolved.limits.dailyCalls,
    itemsPerBoard: resolved.itemsPerBoard,
    idempotencyTtlMs: resolved.idempotencyTtlMs,
    requestLogLimit: resolved.requestLogLimit,
  };
  for (const [name, value] of Object.entries(positive)) {
    if (!(value > 0)) throw new RangeError(`emulator: ${name} must be a positive number, got ${value}`);
  }
  if (!(resolved.budget.mutationCost >= 0)) throw new RangeError('emulator: budget.mutationCost must be ≥ 0');
  return resolved;
}

/** Checks fault rates are probabilities; returns a copy. */
export function checkFaults(faults: Faults): Faults {
  for (const name of ['rate5xx', 'rate429', 'dropAfterCommitRate'] as const) {
    const value = faults[name];
    if (value !== undefined && !(value >= 0 && value <= 1)) {
      throw new RangeError(`emulator: faults.${name} must be between 0 and 1, got ${value}`);
    }
  }
  if (faults.latencyMs !== undefined && !(faults.latencyMs >= 0)) {
    throw new RangeError(`emulator: faults.latencyMs must be ≥ 0, got ${faults.latencyMs}`);
  }
  return { ...faults, lockedBoards: faults.lockedBoards ? [...faults.lockedBoards] : undefined };
}
