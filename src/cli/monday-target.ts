/** Connects to monday.com: the real API when a URL is configured, else the built-in emulator in-process. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PipelineConfig } from '../config/load-config.ts';
import { createMondayClient } from '../monday/create-monday-client.ts';
import type { MondayTarget } from '../monday/types.ts';
import type { Logger } from '../pipeline/logger.ts';
import { UsageError } from './parse-args.ts';

/** Where the embedded emulator keeps its boards between runs (beside the embedded database). */
export const EMULATOR_STATE_FILE = '.ordersync/emulator-state.json';

export type { MondayTarget } from '../monday/types.ts';

/** Connects to the configured monday target. */
export async function connectMonday(config: PipelineConfig, logger: Logger, stateFile = EMULATOR_STATE_FILE): Promise<MondayTarget> {
  if (config.monday.url) {
    if (!config.monday.token) throw new UsageError('monday.url is set but monday.token is empty: set MONDAY_API_TOKEN');
    const client = createMondayClient({ url: config.monday.url, token: config.monday.token, apiVersion: config.monday.apiVersion, timeoutMs: config.monday.timeoutMs, logger });
    return { client, target: config.monday.url, emulator: null, close: async () => {} };
  }
  mkdirSync(dirname(stateFile), { recursive: true });
  // Loaded on demand: a run against the real monday.com never loads the emulator.
  const { startEmulator } = await import('../emulator/index.ts');
  const emulator = await startEmulator({ seed: 'demo', stateFile });
  const client = createMondayClient({ url: emulator.url, token: emulator.token, apiVersion: config.monday.apiVersion, timeoutMs: config.monday.timeoutMs, logger });
  logger.debug('monday: using the built-in emulator', { url: emulator.baseUrl });
  return { client, target: `built-in emulator (${stateFile})`, emulator, close: () => emulator.close() };
}
