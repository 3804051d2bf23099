import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createMondayClient } from '../../src/monday/create-monday-client.ts';
import { startHarness, type SyncHarness } from '../support/sync-harness.ts';

describe('runs that monday stops', () => {
  let h: SyncHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('stops cleanly at the daily call limit and leaves the rest PENDING for the next run', async () => {
    h = await startHarness('pglite', { seed: { customers: ['GREYSON'], ordersPerCustomer: 30, dirty: false }, emulator: { limits: { dailyCalls: 4 } } });
    h.config.customers = [{ name: 'GREYSON' }];
    h.config.stages.load.options = { ...(h.config.stages.load.options as object), batchSize: 10 };
    const result = await h.run();
    expect(result.summary.fatal).toMatch(/DAILY_LIMIT_EXCEEDED/);
    expect(result.summary.status).toBe('FAILED');
    const states = await sql<{ sync_state: string; n: number }>`select sync_state, count(*)::int as n from order_list group by 1`.execute(h.t.database.db);
    const count = (s: string): number => states.rows.find((r) => r.sync_state === s)?.n ?? 0;
    expect(count('FAILED')).toBe(0);
    expect(count('PENDING')).toBeGreaterThan(0);
    expect(count('SYNCED') + count('PENDING')).toBe(30);
    const run = await h.t.database.db.selectFrom('ordersync_runs').select(['status', 'error']).executeTakeFirstOrThrow();
    expect(run.status).toBe('FAILED');
    expect(run.error).toMatch(/DAILY_LIMIT_EXCEEDED/);
  });

  it('stops the run on a rejected token with a clear message and never prints the token', async () => {
    h = await startHarness('pglite', { seed: { customers: ['GREYSON'], ordersPerCustomer: 2, dirty: false } });
    h.config.customers = [{ name: 'GREYSON' }];
    const wrong = 'tok-WRONG-123456';
    const monday = createMondayClient({ url: h.emulator.url, token: wrong, apiVersion: '2026-07' });
    const result = await h.run({ monday });
    expect(result.summary.fatal).toMatch(/401|token/i);
    expect(JSON.stringify(result.summary)).not.toContain(wrong);
    const pending = await sql<{ n: number }>`select count(*)::int as n from order_list where sync_state = 'PENDING'`.execute(h.t.database.db);
    expect(pending.rows[0]!.n).toBe(2);
  });
});
