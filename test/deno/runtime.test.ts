/** Deno smoke: the runtime module's process services (signals, exit code, liveness) behave on Deno as on Node. */
import assert from 'node:assert/strict';
import { isProcessAlive, pid } from '../../src/runtime/index.ts';

const RUNTIME = new URL('../../src/runtime/index.ts', import.meta.url).href;

Deno.test('onSignal hears SIGTERM and setExitCode sets the code the process ends with', async () => {
  const script = `
    import { onSignal, setExitCode, writeOut } from '${RUNTIME}';
    const keepAlive = setInterval(() => {}, 1000);
    const off = onSignal('SIGTERM', () => { off(); clearInterval(keepAlive); setExitCode(7); writeOut('stopping'); });
    writeOut('ready');`;
  const child = new Deno.Command(Deno.execPath(), { args: ['eval', script], stdout: 'piped', stderr: 'inherit' }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = '';
  while (!out.includes('ready')) {
    const { value, done } = await reader.read();
    if (done) break;
    out += value;
  }
  child.kill('SIGTERM');
  for (let next = await reader.read(); !next.done; next = await reader.read()) out += next.value;
  const status = await child.status;
  assert.equal(out, 'ready\nstopping\n');
  assert.equal(status.code, 7);
});

Deno.test('a registered signal handler does not keep the process alive (as on Node)', async () => {
  const script = `
    import { onSignal, writeOut } from '${RUNTIME}';
    onSignal('SIGTERM', () => {}); onSignal('SIGINT', () => {}); onSignal('SIGHUP', () => {});
    writeOut('registered');`;
  const child = new Deno.Command(Deno.execPath(), { args: ['eval', script], stdout: 'piped', stderr: 'piped' }).spawn();
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  const output = await child.output();
  clearTimeout(timer);
  assert.equal(new TextDecoder().decode(output.stdout), 'registered\n');
  assert.equal(output.code, 0, 'exited on its own');
});

Deno.test('isProcessAlive: this process is, a finished one is not', async () => {
  assert.equal(isProcessAlive(pid), true);
  const child = new Deno.Command(Deno.execPath(), { args: ['eval', ''], stdout: 'null', stderr: 'null' }).spawn();
  const childPid = child.pid;
  await child.status;
  assert.equal(isProcessAlive(childPid), false);
});
