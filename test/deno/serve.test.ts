/**
 * Deno smoke: `ordersync serve` on the embedded defaults (PGlite + built-in emulator) in a temp
 * working directory: a one-second schedule fires a run that writes its report, /healthz answers,
 * and SIGTERM stops it cleanly with exit 0.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FLAGSHIP_CONFIG } from './support.ts';

const ENTRY = fileURLToPath(new URL('../../src/cli/ordersync.ts', import.meta.url));
const TEMPLATES = fileURLToPath(new URL('../../templates', import.meta.url));
/** Embedded defaults whatever the calling environment says (CI sets DATABASE_URL). */
const EMBEDDED_ENV = { DATABASE_URL: '', MONDAY_API_URL: '', MONDAY_API_TOKEN: '' };

interface LogLine { msg: string; [field: string]: unknown }

/** Reads JSON log lines from a stream, resolving once one matches (or rejecting when the stream ends). */
function createLogReader(stream: ReadableStream<Uint8Array>): { seen: LogLine[]; until(match: (line: LogLine) => boolean): Promise<LogLine> } {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  const seen: LogLine[] = [];
  let buffered = '';
  return {
    seen,
    async until(match) {
      for (;;) {
        const found = seen.find(match);
        if (found) return found;
        const { value, done } = await reader.read();
        if (done) throw new Error(`serve's log ended without the expected line:\n${seen.map((l) => l.msg).join('\n')}`);
        buffered += value;
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const line of lines) if (line.startsWith('{')) seen.push(JSON.parse(line) as LogLine);
      }
    },
  };
}

Deno.test('ordersync serve fires a scheduled run, answers /healthz and stops on SIGTERM', async () => {
  const cwd = await Deno.makeTempDir({ prefix: 'ordersync-deno-serve-' });
  try {
    // The flagship pipeline on a one-second schedule; templates beside it as in the repository.
    await Deno.mkdir(join(cwd, 'config'));
    await Deno.symlink(TEMPLATES, join(cwd, 'templates'));
    const yaml = (await Deno.readTextFile(FLAGSHIP_CONFIG)).replace(/cron: "[^"]*"/, 'cron: "* * * * * *"');
    assert.match(yaml, /cron: "\* \* \* \* \* \*"/);
    await Deno.writeTextFile(join(cwd, 'config', 'order-list.yaml'), yaml);

    const deno = (args: string[], stderr: 'piped' | 'null' = 'null'): Deno.Command =>
      new Deno.Command(Deno.execPath(), { args: ['run', '-A', ENTRY, ...args], cwd, env: EMBEDDED_ENV, stdout: 'null', stderr, stdin: 'null' });
    const seeded = await deno(['demo', '--orders', '2']).output();
    assert.equal(seeded.code, 0, 'demo seeding');

    const serve = deno(['serve', '--port', '0', '--log-format', 'json'], 'piped').spawn();
    const log = createLogReader(serve.stderr);
    let stopped = false;
    const watchdog = setTimeout(() => stopped || serve.kill('SIGKILL'), 60_000);
    try {
      const serving = await log.until((l) => l.msg.startsWith('serving 1 pipeline(s): order-list'));
      const health = await fetch(`${serving.url}/healthz`);
      assert.equal(health.status, 200);
      const body = await health.json() as { status: string; pipelines: unknown[] };
      assert.equal(body.status, 'ok');
      assert.equal(body.pipelines.length, 1);

      const written = await log.until((l) => l.msg === 'report written');
      const reportPath = String(written.path);
      assert.ok(reportPath.startsWith(join(cwd, 'reports', 'sync')), reportPath);
      const summary = await Deno.readTextFile(join(reportPath, '_SYNC_SUMMARY.md'));
      assert.match(summary, /\n## (✅ SUCCESS|⚠️ PARTIAL|❌ FAILED)\n\n\| Customer \| Status \| Records Processed \| Errors \| Execution Time \|\n/);
      const runJson = JSON.parse(await Deno.readTextFile(join(reportPath, 'run.json'))) as { trigger: string; totals: { processed: number } };
      assert.equal(runJson.trigger, 'schedule');
      assert.ok(runJson.totals.processed > 0, 'the first scheduled run synced the seeded orders');
    } finally {
      serve.kill('SIGTERM');
      stopped = true;
    }
    await log.until((l) => l.msg === 'stopped').catch(() => undefined);
    const status = await serve.status;
    clearTimeout(watchdog);
    assert.equal(status.code, 0, log.seen.map((l) => l.msg).join('\n'));
    assert.ok(log.seen.some((l) => l.msg === 'stopped'), 'logged its stop');
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
});
