/**
 * The postgres.js driver under connection loss (real PostgreSQL, our own backends terminated):
 * every loss is a rejected promise, never an uncaught exception; plus the bounded ping, the
 * bounded wait for a database to come back, and the takeover of runs that are gone.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForDatabase } from '../../src/db/database-outage.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import { runOwner } from '../../src/db/run-record.ts';
import { silentLogger } from '../../src/pipeline/logger.ts';
import { takeOverAbandoned } from '../../src/pipeline/run-guard.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../support/test-database.ts';

const onPostgres = Boolean(process.env.DATABASE_URL);
// Nothing listens on port 1: connections are refused at once.
const NOWHERE = 'postgres://postgres@127.0.0.1:1/nowhere';

describe.runIf(onPostgres)('the postgres.js driver when backends are terminated', () => {
  let t: TestDatabase;
  let admin: postgres.Sql;
  beforeAll(async () => {
    t = await createTestDatabase('postgres', { migrate: false });
    admin = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
  }, 60_000);
  afterAll(async () => {
    await admin?.end();
    await t?.dispose();
  });
  const terminate = (pid: number): Promise<unknown> => admin`select pg_terminate_backend(${pid})`;

  it('rejects the rest of a transaction whose backend was terminated, sends nothing more on it, and serves the next transaction and query', async () => {
    const { db } = t.database;
    const outcome = db.transaction().execute(async (tx) => {
      const pid = Number((await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(tx)).rows[0]!.pid);
      await terminate(pid);
      await sleep(200);
      await sql`select 1`.execute(tx);
      return 'committed';
    });
    await expect(outcome).rejects.toMatchObject({ code: expect.stringMatching(/^(CONNECTION_CLOSED|57P01|ECONNRESET)$/) });
    const again = await db.transaction().execute(async (tx) => (await sql<{ n: number }>`select 2 as n`.execute(tx)).rows[0]!.n);
    expect(again).toBe(2);
    expect((await sql<{ n: number }>`select 3 as n`.execute(db)).rows[0]!.n).toBe(3);
  });

  it('replaces terminated pool connections: the next single query just works', async () => {
    const { db } = t.database;
    const pids = new Set<number>();
    for (let i = 0; i < 4; i++) pids.add(Number((await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db)).rows[0]!.pid));
    for (const pid of pids) await terminate(pid);
    await sleep(200);
    const after = Number((await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db)).rows[0]!.pid);
    expect(pids.has(after)).toBe(false);
  });

  it('closes a RUNNING row of this process that no run here holds as INTERRUPTED', async () => {
    const db = t.database.db;
    const { migrateToLatest } = await import('../../src/db/migrate.ts');
    await migrateToLatest(db);
    const now = new Date();
    await db.insertInto('ordersync_runs').values({ id: 'gone-run', pipeline: 'outage', trigger: 'manual', status: 'RUNNING', dry_run: false, started_at: now, heartbeat_at: now, owner: runOwner }).execute();
    await takeOverAbandoned(t.database, 'outage', 'next-run', silentLogger);
    const row = await db.selectFrom('ordersync_runs').select(['status', 'error']).where('id', '=', 'gone-run').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'INTERRUPTED', error: expect.stringMatching(/closed by run next-run/) });
  });
});

describe('a database that is down', () => {
  it.runIf(onPostgres)('ping answers false (it never throws or waits past its timeout), and the wait for it gives up at its deadline', async () => {
    const database = await openDatabase({ url: NOWHERE });
    try {
      expect(await database.ping(500)).toBe(false);
      expect(await waitForDatabase(database, { timeoutMs: 300, intervalMs: 50 })).toBe(false);
      const stop = new AbortController();
      stop.abort();
      expect(await waitForDatabase(database, { timeoutMs: 60_000, signal: stop.signal })).toBe(false);
      await expect(sql`select 1`.execute(database.db)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      await database.close();
    }
  });

  for (const dialect of dialects) {
    it(`ping answers true for a database that is up (${dialect})`, async () => {
      const t = await createTestDatabase(dialect, { migrate: false });
      try {
        expect(await t.database.ping(2_000)).toBe(true);
        expect(await waitForDatabase(t.database, { timeoutMs: 2_000 })).toBe(true);
      } finally {
        await t.dispose();
      }
    });
  }
});
