/** Builds the plugin context: the one place its defaults live. */
import type { Kysely } from 'kysely';
import type { EngineTables } from '../db/tables.ts';
import type { MondayClient } from '../monday/types.ts';
import type { PluginContext } from './contract/index.ts';
import type { Logger } from './logger.ts';

/** What a context must be given; the rest has defaults. */
export interface ContextInput {
  db: Kysely<EngineTables>;
  logger: Logger;
  runId: string;
  pipeline: string;
  configDir: string;
  /** Default: a client that refuses every call (re-rendering a report must not reach monday). */
  monday?: MondayClient;
  signal?: AbortSignal;
  dryRun?: boolean;
  force?: boolean;
  retryFailed?: boolean;
  boardFor?: (customer: string) => string;
  now?: () => Date;
}

/** A plugin context with defaults filled in. */
export function createPluginContext(input: ContextInput): PluginContext {
  return {
    db: input.db,
    monday: input.monday ?? unavailableMonday(),
    logger: input.logger,
    runId: input.runId,
    pipeline: input.pipeline,
    signal: input.signal ?? new AbortController().signal,
    dryRun: input.dryRun ?? false,
    force: input.force ?? false,
    retryFailed: input.retryFailed ?? false,
    configDir: input.configDir,
    boardFor: input.boardFor ?? ((customer) => {
      throw new Error(`no board is known for ${customer} here`);
    }),
    now: input.now ?? (() => new Date()),
  };
}

function unavailableMonday(): MondayClient {
  return new Proxy({} as MondayClient, {
    get(_target, property) {
      if (typeof property === 'symbol' || property === 'then') return undefined;
      throw new Error(`the monday client is not available here (used ${property})`);
    },
  });
}
