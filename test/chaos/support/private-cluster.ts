/**
 * A throwaway PostgreSQL cluster of the test's own (initdb into a temp dir, pg_ctl on a free port),
 * so a test may stop it, start it again and terminate its backends without touching the shared
 * server. As root, the server runs as the `postgres` user (PostgreSQL refuses to run as root).
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { migrateToLatest } from '../../../src/db/migrate.ts';
import { openDatabase } from '../../../src/db/open-database.ts';
import { seedDemo, type DemoSeedOptions } from '../../../src/db/seed-demo.ts';
import type { ChaosDatabase } from './chaos-database.ts';

const run = promisify(execFile);

/** A running private cluster. */
export interface PrivateCluster {
  port: number;
  /** A URL to `database` as the superuser, carrying `password` (trust auth: the server never asks for it). */
  url(database: string, password?: string): string;
  /** Stops the server (fast shutdown: sessions are ended, as in an outage). */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** pg_terminate_backend of every ordersync session (application_name ordersync*); how many. */
  terminateOrdersync(): Promise<number>;
  /** A fresh database, migrated and seeded, as a chaos database whose URL carries `password`. */
  createDatabase(seed: DemoSeedOptions, password: string): Promise<ChaosDatabase>;
  dispose(): Promise<void>;
}

/** The directory of initdb and pg_ctl, or null when PostgreSQL's server binaries are not installed. */
export function findPostgresBin(): string | null {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (existsSync(join(root, v, 'bin/initdb'))) return join(root, v, 'bin');
  return null;
}

async function freePort(): Promise<number> {
  for (;;) {
    const port = 5440 + Math.floor(Math.random() * 2_000);
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer().once('error', () => resolve(false)).listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

/** initdb + pg_ctl start; the cluster is removed by `dispose`. */
export async function startPrivateCluster(bin: string): Promise<PrivateCluster> {
  const asRoot = process.getuid?.() === 0;
  const dir = await mkdtemp(join(tmpdir(), 'ordersync-pg-'));
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const pg = (tool: string, args: string[]): Promise<unknown> => (asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]) : run(join(bin, tool), args));
  const data = join(dir, 'data');
  const port = await freePort();
  await pg('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-N']);
  const start = async (): Promise<void> => {
    await pg('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`, 'start']);
  };
  await start();
  const url = (database: string, password?: string): string => `postgres://postgres${password ? `:${password}` : ''}@127.0.0.1:${port}/${database}`;
  const admin = (): postgres.Sql => postgres(url('postgres'), { max: 1, onnotice: () => {} });
  const once = async <T>(fn: (sql: postgres.Sql) => Promise<T>): Promise<T> => {
    const sql = admin();
    try {
      return await fn(sql);
    } finally {
      await sql.end({ timeout: 1 });
    }
  };
  let databases = 0;
  return {
    port,
    url,
    start,
    stop: async () => {
      await pg('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
    },
    terminateOrdersync: () => once(async (sql) => {
      const rows = await sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name like 'ordersync%' and pid <> pg_backend_pid()`;
      return rows.length;
    }),
    createDatabase: async (seed, password) => {
      const name = `outage_${++databases}`;
      await once((sql) => sql.unsafe(`create database ${name}`));
      const database = await openDatabase({ url: url(name, password), maxConnections: 2 });
      await migrateToLatest(database.db);
      await seedDemo(database.db, seed);
      return {
        dialect: 'postgres',
        env: { DATABASE_URL: url(name, password) },
        use: (fn) => fn(database.db, database),
        dispose: () => database.close(),
      };
    },
    dispose: async () => {
      await pg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}
