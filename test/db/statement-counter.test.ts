import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/open-database.ts';
import { createStatementCounter, statementKind } from '../../src/db/statement-counter.ts';
import { createPostgresDatabase, dialects } from '../support/test-database.ts';

describe('statementKind', () => {
  it('names writes by verb and table, anything else by its first word', () => {
    expect(statementKind('update "order_list" as "h" set x = 1')).toBe('update order_list');
    expect(statementKind('insert into "public"."ordersync_api_log" ("a") values ($1)')).toBe('insert into public.ordersync_api_log');
    expect(statementKind('\n  delete from ordersync_record_state where true')).toBe('delete from ordersync_record_state');
    expect(statementKind('SELECT 1')).toBe('select');
    expect(statementKind('begin')).toBe('begin');
    expect(statementKind('')).toBe('other');
  });
});

describe.each(dialects)('a statement counter on %s', (dialect) => {
  const counter = createStatementCounter();
  let database: Database;
  let drop: () => Promise<void> = async () => {};
  beforeAll(async () => {
    const log = (event: Parameters<typeof counter.log>[0]): void => counter.log(event);
    if (dialect === 'pglite') database = await openDatabase({ dataDir: 'memory://', log });
    else {
      const pg = await createPostgresDatabase();
      drop = pg.drop;
      database = await openDatabase({ url: pg.url, log });
    }
  }, 120_000);
  afterAll(async () => {
    await database?.close();
    await drop();
  });

  it('counts every statement the connection sends: a transaction\'s BEGIN and COMMIT, and a refused statement', async () => {
    await sql`create table counted (n int primary key)`.execute(database.db);
    counter.reset();
    await database.db.transaction().execute(async (tx) => {
      await sql`insert into counted values (1)`.execute(tx);
    });
    await expect(sql`insert into counted values (1)`.execute(database.db)).rejects.toThrow(/duplicate key/);
    await sql`select * from counted`.execute(database.db);
    expect(counter.byKind()).toEqual({ begin: 1, 'insert into counted': 2, commit: 1, select: 1 });
    expect(counter.total()).toBe(5);
    expect(counter.durationMs()).toBeGreaterThan(0);
    counter.reset();
    expect(counter.total()).toBe(0);
    expect(counter.byKind()).toEqual({});
  });
});
