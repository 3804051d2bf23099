/**
 * The database and monday target of each served pipeline, opened once for the life of `serve`
 * (not per tick). Pipelines naming the same database share one handle: an embedded PGlite
 * directory admits one opener per process, and one pool per PostgreSQL URL is plenty.
 */
import { resolve } from 'node:path';
import type { PipelineConfig } from '../config/load-config.ts';
import { openMigratedDatabase } from '../db/migrate.ts';
import type { Database } from '../db/open-database.ts';
import type { MondayTarget } from '../monday/types.ts';
import type { Logger } from '../pipeline/logger.ts';

/** What one pipeline runs against. */
export interface PipelineConnection {
  database: Database;
  monday: MondayTarget;
  /** Gives both back; the last user of a shared handle closes it. */
  release(): Promise<void>;
}

/** Opens (or shares) what a pipeline needs. */
export type Connect = (config: PipelineConfig, logger: Logger) => Promise<PipelineConnection>;

/** Shared, reference-counted handles. */
export interface ConnectionPool {
  connect: Connect;
  /** Closes everything still open (shutdown). */
  closeAll(): Promise<void>;
}

interface Shared<T> {
  value: Promise<T>;
  refs: number;
  close: (value: T) => Promise<void>;
}

/** Connects a pipeline to its monday target (the CLI's wiring; the built-in emulator when no URL is set). */
export type ConnectMonday = (config: PipelineConfig, logger: Logger) => Promise<MondayTarget>;

/** Creates a pool that opens each database (migrated to latest) and the built-in emulator at most once. */
export function createConnectionPool(connectMonday: ConnectMonday): ConnectionPool {
  const shared = new Map<string, Shared<unknown>>();

  const acquire = async <T>(key: string, open: () => Promise<T>, close: (value: T) => Promise<void>): Promise<T> => {
    let entry = shared.get(key) as Shared<T> | undefined;
    if (!entry) {
      entry = { value: open(), refs: 0, close };
      shared.set(key, entry as Shared<unknown>);
      entry.value.catch(() => shared.delete(key));
    }
    entry.refs++;
    return entry.value;
  };
  const releaseKey = async (key: string): Promise<void> => {
    const entry = shared.get(key);
    if (!entry || --entry.refs > 0) return;
    shared.delete(key);
    await entry.close(await entry.value);
  };

  const connect: Connect = async (config, logger) => {
    const dbKey = config.database.url ? `url:${config.database.url}` : `pglite:${config.database.dataDir.startsWith('memory://') ? config.database.dataDir : resolve(config.database.dataDir)}`;
    const database = await acquire(dbKey, () => openMigratedDatabase(config.database), (d) => d.close());
    const keys = [dbKey];
    try {
      let monday: MondayTarget;
      if (config.monday.url) monday = await connectMonday(config, logger);
      else {
        // One built-in emulator per process (it owns its state file); each pipeline gets its own client of it.
        const emulator = await acquire('emulator', () => connectMonday(config, logger), (t) => t.close());
        keys.push('emulator');
        const handle = emulator.emulator!;
        const own = await connectMonday({ ...config, monday: { ...config.monday, url: handle.url, token: handle.token } }, logger);
        monday = { ...own, target: emulator.target };
      }
      let released = false;
      return {
        database,
        monday,
        release: async () => {
          if (released) return;
          released = true;
          await monday.close();
          for (const key of keys.reverse()) await releaseKey(key);
        },
      };
    } catch (error) {
      for (const key of keys.reverse()) await releaseKey(key);
      throw error;
    }
  };

  return {
    connect,
    closeAll: async () => {
      const entries = [...shared.values()];
      shared.clear();
      for (const entry of entries) await entry.close(await entry.value).catch(() => {});
    },
  };
}
