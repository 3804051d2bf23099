/** Deno smoke: the process entry (`deno run -A src/cli/ordersync.ts`) parses, validates and exits with its codes. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FLAGSHIP_CONFIG } from './support.ts';

const ENTRY = fileURLToPath(new URL('../../src/cli/ordersync.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Runs the CLI in a child Deno process; resolves to its exit code and output. */
async function ordersync(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = await new Deno.Command(Deno.execPath(), { args: ['run', '-A', ENTRY, ...args], cwd: ROOT, stdout: 'piped', stderr: 'piped' }).output();
  const decoder = new TextDecoder();
  return { code: output.code, stdout: decoder.decode(output.stdout), stderr: decoder.decode(output.stderr) };
}

Deno.test('ordersync validate accepts the flagship pipeline (exit 0)', async () => {
  const r = await ordersync('validate', FLAGSHIP_CONFIG);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /pipeline order-list is valid \(5 customers; postgres-pending → column-map → monday-groups → monday-items → executive-summary\)/);
});

Deno.test('ordersync validate lists every problem with file:line:col (exit 2)', async () => {
  const dir = await Deno.makeTempDir({ prefix: 'ordersync-deno-cli-' });
  try {
    const file = join(dir, 'broken.yaml');
    await Deno.writeTextFile(file, 'pipeline: broken\nmonday: { board: 1 }\ncustomers: []\nstages: {}\nextra: 1\n');
    const r = await ordersync('validate', file);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    const issues = r.stderr.split('\n').filter((line) => line.trim().startsWith('×'));
    assert.ok(issues.length >= 2, r.stderr);
    for (const issue of issues) assert.match(issue, /broken\.yaml:\d+:\d+\)$/);
    assert.ok(issues.some((issue) => /× unknown key "extra" → at extra \(.*broken\.yaml:5:1\)$/.test(issue)), r.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test('ordersync with an unknown command is a usage error (exit 2)', async () => {
  const r = await ordersync('frobnicate');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown command "frobnicate"; commands: .*\bdemo\b.*\bvalidate\b/);
});
