// The compiled build (dist/, what `npx ordersync` and `npm start` run with plain node) against the
// TypeScript sources: the same answers, and a start that loads only what the command needs.
// The build under test is made here, from the current sources, into a temp dir: a stale dist/
// in the working tree can neither fail nor pass this file.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST_ENTRY, isBuildCurrent } from '../../bin/build-state.mjs';
import { commands } from '../../src/cli/commands/index.ts';

const run = promisify(execFile);
const REPO_ROOT = resolve(import.meta.dirname, '../..');
const TSX = pathToFileURL(join(REPO_ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

// Records every file the process loads: ESM through a loader hook (in its own thread, so it appends
// to the file as it goes), CommonJS from the module cache at exit (handlebars is CommonJS).
const TRACE_PRELOAD = `import { register, createRequire } from 'node:module';
import { appendFileSync } from 'node:fs';
register('./trace-hooks.mjs', import.meta.url, { data: { out: process.env.ORDERSYNC_TRACE_FILE } });
const require = createRequire(import.meta.url);
process.on('exit', () => {
  for (const file of Object.keys(require('node:module')._cache)) appendFileSync(process.env.ORDERSYNC_TRACE_FILE, file + '\\n');
});
`;
const TRACE_HOOKS = `import { appendFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
let out;
export function initialize(data) { out = data.out; }
export async function load(url, context, next) {
  if (url.startsWith('file:')) appendFileSync(out, fileURLToPath(url) + '\\n');
  return next(url, context);
}
`;

/** How one CLI process ended. */
interface Answer {
  code: number;
  stdout: string;
  stderr: string;
}

let dir = '';
let traceCount = 0;

async function ask(argv: string[], nodeArgs: string[], env: Record<string, string> = {}): Promise<Answer> {
  try {
    const { stdout, stderr } = await run(process.execPath, [...nodeArgs, ...argv], { cwd: REPO_ROOT, env: { ...process.env, ...env }, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** The CLI run from the TypeScript sources under tsx, as the other CLI tests run it. */
const fromSources = (argv: string[]): Promise<Answer> => ask(argv, ['--import', TSX, join(REPO_ROOT, 'src/cli/ordersync.ts')]);
/** The CLI run from the fresh build with plain node. */
const compiled = (argv: string[]): Promise<Answer> => ask(argv, [join(dir, DIST_ENTRY)]);

/** The compiled CLI's answer and the package folders (under node_modules) of every file it loaded. */
async function compiledTrace(argv: string[]): Promise<{ answer: Answer; packages: Set<string> }> {
  const traceFile = join(dir, `trace-${++traceCount}.txt`);
  await writeFile(traceFile, '');
  const answer = await ask(argv, ['--import', pathToFileURL(join(dir, 'trace-preload.mjs')).href, join(dir, DIST_ENTRY)], { ORDERSYNC_TRACE_FILE: traceFile });
  const packages = new Set<string>();
  for (const file of (await readFile(traceFile, 'utf8')).split('\n')) {
    const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file);
    if (match) packages.add(match[1]!);
  }
  return { answer, packages };
}

/** Packages that only some commands need; none of them may load for `--help`. */
const HEAVY = ['@electric-sql/pglite', 'kysely', 'kysely-pglite-dialect', 'postgres', 'graphql', 'yaml', 'handlebars', 'tsx'];

describe('the compiled build', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ordersync-build-'));
    // Bare imports (kysely, yaml, …) resolve through node_modules, and .js files are ESM by package.json.
    await symlink(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    await writeFile(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    await writeFile(join(dir, 'trace-preload.mjs'), TRACE_PRELOAD);
    await writeFile(join(dir, 'trace-hooks.mjs'), TRACE_HOOKS);
    await run(process.execPath, [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', join(dir, 'dist')], { cwd: REPO_ROOT, timeout: 120_000 });
  }, 180_000);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('answers --help, a command help and a usage error exactly as the sources do', async () => {
    for (const argv of [['--help'], ['validate', '--help'], ['run', '--frobnicate'], ['frobnicate']]) {
      const [built, source] = await Promise.all([compiled(argv), fromSources(argv)]);
      expect(built, argv.join(' ')).toEqual(source);
    }
    expect((await compiled(['--help'])).stdout).toContain('Exit codes');
  }, 60_000);

  it('validates the flagship pipeline and a broken one exactly as the sources do', async () => {
    const broken = join('test/fixtures', 'compiled-build-broken.yaml');
    const flagship = await readFile('config/order-list.yaml', 'utf8');
    await writeFile(broken, flagship.replace('use: monday-groups', 'use: monday-groupz').replace(/batchSize: \d+/, 'batchSize: 0'));
    try {
      for (const argv of [['validate', 'config/order-list.yaml'], ['validate', broken]]) {
        const [built, source] = await Promise.all([compiled(argv), fromSources(argv)]);
        expect(built, argv.join(' ')).toEqual(source);
      }
      const bad = await compiled(['validate', broken]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/unknown group-resolve plugin "monday-groupz"/);
    } finally {
      await rm(broken, { force: true });
    }
  }, 60_000);

  it('imports no .ts file from compiled code, statically or through import() (tsc leaves some untouched)', async () => {
    const offenders: string[] = [];
    const walk = async (folder: string): Promise<void> => {
      for (const entry of await readdir(folder, { withFileTypes: true })) {
        const path = join(folder, entry.name);
        if (entry.isDirectory()) await walk(path);
        else if (entry.name.endsWith('.js')) {
          const text = await readFile(path, 'utf8');
          for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*)(['"])(\.{1,2}\/[^'"]+?\.ts)\1/g)) offenders.push(`${path.slice(dir.length + 1)}: ${m[2]}`);
        }
      }
    };
    await walk(join(dir, 'dist'));
    expect(offenders).toEqual([]);
  });

  it('runs the demo sync end to end from the compiled build (every stage, lazy imports included)', async () => {
    const work = await mkdtemp(join(tmpdir(), 'ordersync-compiled-demo-'));
    try {
      await symlink(join(REPO_ROOT, 'config'), join(work, 'config'), 'dir');
      await symlink(join(REPO_ROOT, 'templates'), join(work, 'templates'), 'dir');
      // The embedded defaults (PGlite under the temp dir, the built-in emulator), never the suite's shared PostgreSQL.
      const env = { ...process.env, DATABASE_URL: '', MONDAY_API_URL: '', MONDAY_API_TOKEN: '' };
      const demo = await run(process.execPath, [join(dir, DIST_ENTRY), 'demo', '--run'], { cwd: work, env, timeout: 120_000 }).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
      // Exit 1 is the demo's PARTIAL: its four dirty rows fail on purpose.
      expect([0, 1], demo.stderr).toContain(demo.code);
      expect(demo.stdout).toMatch(/report: .*_SYNC_SUMMARY\.md/);
      expect(demo.stdout).toMatch(/in pglite \.ordersync\/pgdata/);
      expect(demo.stdout).toMatch(/[1-9]\d* mutations/);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }, 150_000);

  it('loads the README example plugin, a .ts file, from the compiled CLI (tsx registered only then)', async () => {
    // Relative to the pipeline file: test/fixtures/plugins/upper-names.ts.
    const file = join('test/fixtures', 'compiled-build-upper-names.yaml');
    const flagship = await readFile('config/order-list.yaml', 'utf8');
    await writeFile(file, flagship.replace('use: column-map', 'use: ./plugins/upper-names.ts').replaceAll('../templates/', '../../templates/'));
    try {
      const { answer, packages } = await compiledTrace(['validate', file]);
      expect(answer.stderr).toBe('');
      expect(answer.stdout).toContain('postgres-pending → ./plugins/upper-names.ts → monday-groups');
      expect(answer.code).toBe(0);
      expect(packages.has('tsx')).toBe(true);
      expect(await fromSources(['validate', file])).toEqual(answer);
    } finally {
      await rm(file, { force: true });
    }
  }, 60_000);

  it('loads no database driver, GraphQL, YAML, Handlebars or tsx for --help', async () => {
    const help = await compiledTrace(['--help']);
    expect(help.answer.code).toBe(0);
    expect([...help.packages].filter((p) => HEAVY.includes(p))).toEqual([]);
    // The same trace sees what validate needs (YAML) and that it still leaves PGlite, GraphQL and tsx alone.
    const validate = await compiledTrace(['validate', 'config/order-list.yaml']);
    expect(validate.answer.code).toBe(0);
    expect(validate.packages.has('yaml')).toBe(true);
    expect([...validate.packages].filter((p) => ['@electric-sql/pglite', 'kysely-pglite-dialect', 'postgres', 'graphql', 'tsx'].includes(p))).toEqual([]);
  }, 60_000);
});

describe('the command index', () => {
  it('loads, for each name, the command of that name', async () => {
    for (const entry of commands) expect((await entry.load()).name).toBe(entry.name);
  });
});

describe('the launcher', () => {
  it('runs dist/ only while it is at least as new as every file under src/ and plugins/', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ordersync-launch-'));
    try {
      await mkdir(join(root, 'src/cli'), { recursive: true });
      await mkdir(join(root, 'plugins/load'), { recursive: true });
      await writeFile(join(root, 'src/cli/ordersync.ts'), '');
      await writeFile(join(root, 'plugins/load/x.ts'), '');
      expect(isBuildCurrent(root)).toBe(false); // no build at all
      await mkdir(join(root, 'dist/src/cli'), { recursive: true });
      await writeFile(join(root, DIST_ENTRY), '');
      const built = new Date('2026-06-01T12:00:00Z');
      await utimes(join(root, DIST_ENTRY), built, built);
      const before = new Date('2026-06-01T11:00:00Z');
      await utimes(join(root, 'src/cli/ordersync.ts'), before, before);
      await utimes(join(root, 'plugins/load/x.ts'), before, before);
      expect(isBuildCurrent(root)).toBe(true);
      const after = new Date('2026-06-01T13:00:00Z');
      await utimes(join(root, 'plugins/load/x.ts'), after, after); // a plugin edited since the build
      expect(isBuildCurrent(root)).toBe(false);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
