/** A complete chaos setup for child-process runs: database, emulator (with a secret token), proxy, pipeline file. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { EngineTables } from '../../../src/db/tables.ts';
import { startEmulator, type EmulatorHandle, type Faults } from '../../../src/emulator/index.ts';
import { checkPromises, type OrderTables, type PromiseCheck } from './check-promises.ts';
import { checkReports } from './check-reports.ts';
import { CHAOS_CUSTOMERS, writeChaosConfig, type ChaosConfigOptions } from './chaos-config.ts';
import { createPgliteChaosDatabase, createPostgresChaosDatabase, type ChaosDatabase, type SecretRole } from './chaos-database.ts';
import { findSecrets, type SecretScan } from './find-secrets.ts';
import { startKillProxy, type KillProxy } from './kill-proxy.ts';
import type { SyncTarget } from './kill-run.ts';

/** Everything one scenario uses; `close()` releases all of it. */
export interface ChaosTarget extends SyncTarget {
  dir: string;
  reportsDir: string;
  db: ChaosDatabase;
  emulator: EmulatorHandle;
  proxy: KillProxy;
  tables: OrderTables[];
  pipeline: string;
  /** Promises 1–3 (and for a final check, the reports too). */
  check(final: boolean): Promise<PromiseCheck>;
  /** The final check and a secret scan of outputs, tables and files, in one opening of the database. */
  finalCheck(secrets: string[], outputs: Record<string, string>): Promise<{ check: PromiseCheck; scan: SecretScan }>;
  close(): Promise<void>;
}

/** Where the database comes from: a PGlite template dir to copy, a PostgreSQL role to own a fresh one, or a database the test made. */
export type DatabaseSource = { template: string } | { role: SecretRole } | { open: () => Promise<ChaosDatabase> };

/** Sets up one scenario; the seed must match what the template (or `seed`) put in. */
export async function startChaosTarget(o: {
  source: DatabaseSource;
  token: string;
  expected: { orders: number; lines: number };
  seed?: Parameters<typeof createPostgresChaosDatabase>[1];
  faults?: Faults;
  /** Keep the emulator's boards in `<dir>/emulator-state.json`. */
  persistEmulator?: boolean;
  config?: Partial<ChaosConfigOptions>;
}): Promise<ChaosTarget> {
  const dir = await mkdtemp(join(tmpdir(), 'ordersync-chaos-'));
  const opened: { close(): Promise<void> }[] = [];
  try {
    const db = 'template' in o.source ? await createPgliteChaosDatabase(o.source.template, dir)
      : 'role' in o.source ? await createPostgresChaosDatabase(o.source.role, o.seed ?? false) : await o.source.open();
    opened.push({ close: () => db.dispose() });
    const emulator = await startEmulator({ seed: 'demo', token: o.token, faults: { latencyMs: 25, seed: 11, ...o.faults }, stateFile: o.persistEmulator ? join(dir, 'emulator-state.json') : undefined });
    opened.push(emulator);
    const proxy = await startKillProxy(emulator.url);
    opened.push(proxy);
    const customers = o.config?.customers ?? CHAOS_CUSTOMERS;
    const { file, reportsDir } = await writeChaosConfig({ dir, dataDir: db.dataDir, ...o.config, customers });
    const tables: OrderTables[] = [{ headers: o.config?.headers ?? 'order_list', lines: o.config?.lines ?? 'order_list_lines', expected: o.expected }];
    const pipeline = o.config?.pipeline ?? 'order-list';
    const boardFor = (customer: string): string => customers.find((c) => c.name === customer)?.board ?? '9200517329';
    const checkAll = async (kdb: Kysely<EngineTables>, final: boolean): Promise<PromiseCheck> => {
      const result = await checkPromises(kdb, emulator.snapshot(), { tables, boardFor, final });
      if (final) result.disagreements.push(...(await checkReports(kdb, tables, pipeline)));
      return result;
    };
    return {
      dir, reportsDir, db, emulator, proxy, tables, pipeline, cwd: dir, config: file,
      env: { ...db.env, MONDAY_API_URL: proxy.url, MONDAY_API_TOKEN: o.token },
      check: (final) => db.use((kdb) => checkAll(kdb, final)),
      finalCheck: (secrets, outputs) => db.use(async (kdb) => ({
        check: await checkAll(kdb, true),
        scan: await findSecrets(secrets, { outputs, db: kdb, paths: [dir] }),
      })),
      close: async () => {
        for (const r of opened.reverse()) await r.close().catch(() => {});
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    for (const r of opened.reverse()) await r.close().catch(() => {});
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
