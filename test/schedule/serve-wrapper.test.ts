/**
 * `serve` started through a wrapper (npx, a shell) that is killed: the wrapper does not pass its
 * signal on, so `serve` notices that its parent is gone and stops as on SIGTERM instead of serving on.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.ts';
import { makeTempDir, writePipelineFile } from './serve-support.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe.skipIf('Deno' in globalThis)('serve under a killed wrapper', () => {
  let tmp: Awaited<ReturnType<typeof makeTempDir>>;
  let emulator: EmulatorHandle;
  beforeAll(async () => {
    tmp = await makeTempDir();
    emulator = await startEmulator({ seed: 'demo' });
  });
  afterAll(async () => {
    await emulator?.close();
    await tmp?.remove();
  });

  it('stops when its parent process is SIGKILLed, instead of serving on', async () => {
    const file = await writePipelineFile(tmp.dir, 'wrapped.yaml', { pipeline: 'wrapped', dataDir: 'memory://', cron: '0 0 1 1 *' });
    // The shell stands for npx: it starts serve as its child and is killed without passing anything on.
    const wrapper = spawn('sh', ['-c', `"${process.execPath}" --import tsx src/cli/ordersync.ts serve "${file}" --port 0 --log-format json & wait`], {
      cwd: ROOT, env: { ...process.env, DATABASE_URL: '', MONDAY_API_URL: emulator.url, MONDAY_API_TOKEN: emulator.token }, stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    const closed = new Promise<void>((resolve) => wrapper.stderr!.on('close', () => resolve()));
    wrapper.stderr!.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
    const until = async (pattern: RegExp, ms: number): Promise<void> => {
      for (let waited = 0; !pattern.test(log); waited += 100) {
        if (waited > ms) throw new Error(`no ${pattern} in:\n${log}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    await until(/"msg":"serving 1 pipeline/, 120_000);
    wrapper.kill('SIGKILL');
    // serve still writes to the pipe it inherited: its own lines say it stopped, then the pipe closes.
    await until(/the parent process exited .* stopping as on SIGTERM/, 20_000);
    await until(/"msg":"stopped"/, 20_000);
    await closed;
    expect(log).toContain('"msg":"stopped"');
  }, 180_000);
});
