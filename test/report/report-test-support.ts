/** Shared pieces of the report tests: a plugin context and temp dirs (databases: test/support/test-database.ts). */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/pipeline/logger.ts';
import type { PluginContext } from '../../src/pipeline/index.ts';

/** A context for a report plugin: it may use configDir, logger, runId and now; anything else throws. */
export function reportContext(configDir: string): PluginContext {
  const base = { configDir, logger: silentLogger, runId: 'test', pipeline: 'order-list', dryRun: false, now: () => new Date() };
  return new Proxy(base as PluginContext, {
    get(target, property) {
      if (property in target || typeof property === 'symbol' || property === 'then') return Reflect.get(target, property);
      throw new Error(`report tests: a report plugin touched ctx.${property}`);
    },
  });
}

/** A fresh temp dir; remove it with the returned function. */
export async function makeTempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ordersync-report-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
