import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/db/seed-demo.ts';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { eventually, makeTempDir, overlappingRuns, readRuns, spawnServe, writePipelineFile, type ServeProcess } from './serve-support.ts';

// Two processes can share a database only on PostgreSQL (PGlite is one process per data directory).
describe.skipIf(!process.env.DATABASE_URL)('two serve replicas on one PostgreSQL database', () => {
  let t: TestDatabase;
  let emulator: EmulatorHandle;
  let tmp: Awaited<ReturnType<typeof makeTempDir>>;
  beforeAll(async () => {
    t = await createTestDatabase('postgres');
    emulator = await startEmulator({ seed: 'demo', faults: { latencyMs: 150 } });
    tmp = await makeTempDir();
  });
  afterAll(async () => {
    await emulator?.close();
    await t?.dispose();
    await tmp?.remove();
  });

  it('never run the same pipeline at once: the loser of each tick logs that the lock is held and skips', async () => {
    const customers = ['GREYSON', 'PELOTON', 'SUMMERSALT'];
    await seedDemo(t.database.db, { customers, ordersPerCustomer: 6 });
    const file = await writePipelineFile(tmp.dir, 'replicated.yaml', { pipeline: 'replicated', cron: '* * * * * *', customers, databaseUrl: t.url! });
    const env = { MONDAY_API_URL: emulator.url, MONDAY_API_TOKEN: emulator.token };
    const replicas: ServeProcess[] = [spawnServe([file], env), spawnServe([file], env)];
    try {
      const locked = (): number => replicas.reduce((n, r) => n + r.lines.filter((l) => l.skipped === 'locked').length, 0);
      await eventually(async () => locked() > 0 && (await readRuns(t.database.db, 'replicated')).filter((r) => r.finishedAt !== null).length >= 3, 180_000, 'three runs and a locked-out tick');
      for (const replica of replicas) replica.kill('SIGTERM');
      for (const replica of replicas) expect(await replica.exit).toEqual({ code: 0, signal: null });
    } finally {
      for (const replica of replicas) replica.kill('SIGKILL');
    }

    const runs = await readRuns(t.database.db, 'replicated');
    expect(runs.every((r) => r.finishedAt !== null)).toBe(true);
    expect(overlappingRuns(runs)).toEqual([]);
    const skip = replicas.flatMap((r) => r.lines).find((l) => l.skipped === 'locked')!;
    expect(skip.msg).toMatch(/^skipped a tick of replicated: lock: pipeline replicated is already running \(another run or serve process holds its lock\)/);
    // Both replicas wrote nothing twice: every order and line key is on the board once.
    const keys = emulator.snapshot().items.filter((i) => i.state === 'active').map((i) => JSON.stringify(i.column_values.text_mkr5ord0 ?? i.column_values.text_mkr6c3lk));
    expect(keys.length).toBeGreaterThan(0);
    expect(new Set(keys).size).toBe(keys.length);
  }, 240_000);
});
