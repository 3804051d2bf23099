/** Flag mistakes, an unreachable database and the exit-code table: one line each, with its own code. */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/command.ts';
import { main } from '../../src/cli/main.ts';
import { captureOutput } from '../support/capture-output.ts';

const io = captureOutput();

const dir = await mkdtemp(join(tmpdir(), 'ordersync-usage-'));

describe('flag values', () => {
  it.each([
    [['run', '--log-format', 'xml'], /^ordersync run: --log-format must be pretty or json, got "xml"$/],
    [['demo', '--run', '--log-format', 'xml'], /^ordersync demo: --log-format must be pretty or json, got "xml"$/],
    [['serve', '--log-format', 'yaml'], /^ordersync serve: --log-format must be pretty or json, got "yaml"$/],
    [['run', '--limit', '10x'], /^ordersync run: --limit must be a positive whole number, got "10x"$/],
    [['run', '--limit', '0'], /^ordersync run: --limit must be a positive whole number, got "0"$/],
    [['runs', '--limit=-3'], /^ordersync runs: --limit must be a positive whole number, got "-3"$/],
    [['run', '--frobnicate'], /^ordersync run: Unknown option '--frobnicate'$/],
    [['run', 'a.yaml', 'b.yaml'], /^ordersync run: unexpected argument "b.yaml"$/],
    [['records', '--state', 'DONE'], /^ordersync records: --state must be FAILED, PENDING or SYNCED, got "DONE"$/],
  ])('%j is refused in one line with a pointer to --help, exit 2', async (args, first) => {
    expect(await main(args)).toBe(EXIT.usage);
    const lines = io.err.trimEnd().split('\n');
    expect(lines[0]).toMatch(first);
    expect(lines[1]).toBe(`  see: ordersync ${args[0]} --help`);
    expect(lines).toHaveLength(2);
  });
});

describe('an unreachable database', () => {
  it('names host, port and database (never the password) and exits 4', async () => {
    const text = (await readFile('config/order-list.yaml', 'utf8')).replace('url: "${DATABASE_URL:-}"', 'url: "postgres://ops:hunter2secret@127.0.0.1:1/orders"');
    const file = join(dir, 'unreachable.yaml');
    await writeFile(file, text.replaceAll('../templates/', `${process.cwd()}/templates/`));
    for (const command of ['run', 'migrate']) {
      io.err = '';
      expect(await main([command, file])).toBe(EXIT.database);
      expect(io.err).toMatch(new RegExp(`^ordersync ${command}: db: cannot connect to PostgreSQL at 127\\.0\\.0\\.1:1, database "orders" as user "ops": connection refused`));
      expect(io.err).toContain('[ECONNREFUSED]');
      expect(io.err).not.toContain('hunter2secret');
      expect(io.err).not.toContain('migration unknown');
    }
  });
});

describe('exit codes', () => {
  it('are one table, the same in ordersync --help, run --help and demo --help', async () => {
    const table = async (args: string[]): Promise<string> => {
      io.out = '';
      await main(args);
      return io.out.slice(io.out.indexOf('Exit codes'));
    };
    const overview = await table(['--help']);
    for (const code of ['0 ', '1 ', '2 ', '3 ', '4 ', '5 ', '130 ']) expect(overview).toContain(`\n  ${code}`);
    expect(await table(['run', '--help'])).toBe(overview);
    expect(await table(['demo', '--help'])).toBe(overview);
    const readme = await readFile('README.md', 'utf8');
    for (const [code, words] of [[0, 'every record'], [1, 'FAILED'], [2, 'usage'], [3, 'lock'], [4, 'database'], [5, 'INTERRUPTED'], [130, 'second']] as const) {
      expect(readme).toMatch(new RegExp(`\\| \\*\\*${code}\\*\\* \\|[^\\n]*${words}`));
    }
  });
});

describe('a pipeline name used by two files', () => {
  it('is reported at the second file\'s pipeline: key, not at 1:1', async () => {
    const text = (await readFile('config/order-list.yaml', 'utf8')).replaceAll('../templates/', `${process.cwd()}/templates/`);
    const [a, b] = [join(dir, 'first.yaml'), join(dir, 'second.yaml')];
    await writeFile(a, text);
    await writeFile(b, `# a copy\n# that forgot to rename its pipeline\n\n${text}`);
    const line = `# a copy\n# that forgot to rename its pipeline\n\n${text}`.split('\n').findIndex((l) => l.startsWith('pipeline:')) + 1;
    expect(line).toBeGreaterThan(3);
    expect(await main(['validate', a, b])).toBe(EXIT.usage);
    expect(io.err).toContain(`pipeline name "order-list" is used by ${a} too; names must be unique → at pipeline (${b}:${line}:1)`);
  });
});
