/**
 * `ordersync validate --online`, as a user runs it: every problem of what the config points at,
 * located in the file, exit 2; a config that is right exits 0. Reads only.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.ts';
import { captureOutput } from '../support/capture-output.ts';

const io = captureOutput();

describe('ordersync validate --online', () => {
  let emulator: EmulatorHandle;
  let dir: string;
  /** The flagship config against this test's emulator and an embedded database in the temp dir, with `edit` applied. */
  const configFile = async (name: string, edit: (text: string) => string = (t) => t): Promise<string> => {
    const text = (await readFile('config/order-list.yaml', 'utf8'))
      .replace('url: "${DATABASE_URL:-}"', `url: ""\n  dataDir: ${join(dir, 'pgdata')}`)
      .replace('url: "${MONDAY_API_URL:-}"', `url: "${emulator.url}"`)
      .replace('token: "${MONDAY_API_TOKEN:-}"', `token: "${emulator.token}"`)
      .replaceAll('../templates/', `${process.cwd()}/templates/`);
    const file = join(dir, `${name}.yaml`);
    await writeFile(file, edit(text));
    return file;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ordersync-validate-online-'));
    emulator = await startEmulator({ seed: 'demo' });
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    expect(await main(['demo', await configFile('seed')])).toBe(0);
    vi.restoreAllMocks();
  }, 120_000);
  afterAll(async () => emulator?.close());

  it('passes the flagship config against its own database and board', async () => {
    expect(await main(['validate', await configFile('ok'), '--online'])).toBe(0);
    expect(io.out).toMatch(/valid and everything it points at exists/);
  }, 60_000);

  it('names a source-column typo at its key and line with the nearest column, and exits 2 without writing', async () => {
    const file = await configFile('typo', (t) => t.replace('        po_number:         {', '        po_numbr:          {'));
    const requests = emulator.requestLog.length;
    expect(await main(['validate', file, '--online'])).toBe(2);
    const line = (await readFile(file, 'utf8')).split('\n').findIndex((l) => l.includes('po_numbr:')) + 1;
    expect(io.err).toContain(`× postgres-pending: column po_numbr does not exist in table order_list (did you mean po_number?) → at stages.transform.with.columns.po_numbr (${file}:${line}:`);
    expect(emulator.requestLog.slice(requests).every((r) => r.operation === 'query')).toBe(true);
  }, 60_000);

  it('names a wrong board id and a wrong column id together', async () => {
    const file = await configFile('board', (t) => t.replace('board: 9200517329', 'board: 9200517999').replace('id: text_mkr5dq1b', 'id: text_mkr5dq1x'));
    expect(await main(['validate', file, '--online'])).toBe(2);
    expect(io.err).toMatch(/board 9200517999 \(customers GREYSON, WHITE FOX, SUMMERSALT, TITLE NINE\) does not exist .* → at monday\.board/);
    expect(io.err).toMatch(/board 9609317401 \(Peloton Orders\) has no column text_mkr5dq1x; its text columns: .* → at stages\.transform\.with\.columns\.color\.id/);
  }, 60_000);
});
