import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { commands } from '../../src/cli/commands/index.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import { captureOutput } from '../support/capture-output.ts';

const io = captureOutput();

const dir = await mkdtemp(join(tmpdir(), 'ordersync-cli-'));

/** The flagship config with its embedded database moved into the temp dir. */
async function tempConfig(name: string): Promise<string> {
  const text = (await readFile('config/order-list.yaml', 'utf8'))
    .replace('url: "${DATABASE_URL:-}"', `url: ""\n  dataDir: ${join(dir, name)}`)
    .replaceAll('../templates/', `${process.cwd()}/templates/`);
  const file = join(dir, `${name}.yaml`);
  await writeFile(file, text);
  return file;
}

describe('ordersync CLI', () => {
  it('shows help for every command and exits 0', async () => {
    for (const command of commands) {
      io.out = '';
      expect(await main([command.name, '--help'])).toBe(0);
      expect(io.out).toMatch(/Usage: ordersync/);
    }
    expect(await main(['--help'])).toBe(0);
    expect(io.out).toContain('Exit codes');
  });

  it('exits 2 with the command help for an unknown option or command', async () => {
    expect(await main(['run', '--frobnicate'])).toBe(2);
    expect(io.err).toMatch(/Unknown option '--frobnicate'/);
    expect(await main(['frobnicate'])).toBe(2);
    expect(io.err).toMatch(/unknown command "frobnicate"/);
  });

  it('validates the flagship config and exits 0', async () => {
    expect(await main(['validate', 'config/order-list.yaml'])).toBe(0);
    expect(io.out).toMatch(/✓ config\/order-list\.yaml: pipeline order-list is valid/);
  });

  it('prints every problem of a broken file with its line and exits 2', async () => {
    const file = join(dir, 'broken.yaml');
    const source = (await readFile('config/order-list.yaml', 'utf8')).replaceAll('../templates/', `${process.cwd()}/templates/`);
    const lineOf = (text: string): number => source.split('\n').findIndex((l) => l.includes(text)) + 1;
    await writeFile(file, source
      .replace('  board: 9200517329', '  bord: 9200517329')
      .replace('pageSize: 500', 'pageSize: "500 rows"')
      .replace('use: monday-groups', 'use: monday-group'));
    expect(await main(['validate', file])).toBe(2);
    const lines = io.err.split('\n').filter((l) => l.includes('×'));
    expect(lines).toHaveLength(4);
    expect(io.err).toContain(`unknown key "bord" → at monday.bord (${file}:${lineOf('board: 9200517329')}:3)`);
    expect(io.err).toMatch(/missing required key "board" → at monday/);
    expect(io.err).toContain(`expected number but got "500 rows" → at stages.extract.with.pageSize (${file}:${lineOf('pageSize: 500')}:17)`);
    expect(io.err).toMatch(new RegExp(`unknown group-resolve plugin "monday-group" \\(did you mean monday-groups\\?\\).*broken\\.yaml:${lineOf('use: monday-groups')}:10`));
  });

  it('migrates the embedded database, and a second migrate is a no-op', async () => {
    const file = await tempConfig('migrate');
    expect(await main(['migrate', file])).toBe(0);
    expect(io.out).toMatch(/applied 0001-engine-tables, 0002-demo-orders/);
    io.out = '';
    expect(await main(['migrate', file])).toBe(0);
    expect(io.out).toMatch(/is up to date; nothing to apply/);
  });

  it('refuses a second opener of the embedded database with exit 3 and a clear message', async () => {
    const file = await tempConfig('locked');
    const held = await openDatabase({ dataDir: join(dir, 'locked') });
    try {
      expect(await main(['migrate', file])).toBe(3);
      expect(io.err).toMatch(/is in use by process \d+; stop it or set DATABASE_URL/);
    } finally {
      await held.close();
    }
    expect(await main(['migrate', file])).toBe(0);
  });
});
