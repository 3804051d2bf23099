/**
 * The chaos suite's figures. Each test file counts what it tried and found, writes its share to
 * a folder of this vitest run, and prints the totals so far; the last file to finish prints the
 * totals of the whole run (and writes them as Markdown for RELIABILITY.md).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { FULL } from './scale.ts';

/** Counters of one test file (all start at 0). */
export interface Figures {
  killPointsTried: number;
  killPointsSurvived: number;
  emulatorKills: number;
  lockLosses: number;
  databaseOutages: number;
  faultMixes: number;
  badInputs: number;
  generatedRows: number;
  renderings: number;
  races: number;
  runs: number;
  recordsChecked: number;
  duplicatesFound: number;
  recordsLost: number;
  recordsUnexplained: number;
  disagreements: number;
  openBugsReproduced: number;
  secretPlacesScanned: number;
  secretsFound: number;
}

const LABELS: Record<keyof Figures, string> = {
  killPointsTried: 'kill points tried (SIGKILL)',
  killPointsSurvived: 'kill points survived (recovered, promises 1–3 held)',
  emulatorKills: 'emulator SIGKILLs with writes in flight (restarted on its state file)',
  lockLosses: 'pipeline-lock backends terminated mid-run',
  databaseOutages: 'database outages and terminated backends mid-run',
  faultMixes: 'fault mixes',
  badInputs: 'bad inputs tried (configs + hostile values)',
  generatedRows: 'generated rows (fast-check)',
  renderings: 'hostile values rendered (Markdown + HTML)',
  races: 'races',
  runs: 'sync runs (child processes and in-process)',
  recordsChecked: 'record checks (rows × checks)',
  duplicatesFound: 'duplicates found',
  recordsLost: 'records lost',
  recordsUnexplained: 'records FAILED/PENDING without a reason',
  disagreements: 'database/monday/report disagreements',
  openBugsReproduced: 'open product bugs reproduced (it.fails tests, not counted above)',
  secretPlacesScanned: 'places scanned for secrets (outputs, rows, files)',
  secretsFound: 'secret occurrences found',
};

const empty = (): Figures => Object.fromEntries(Object.keys(LABELS).map((k) => [k, 0])) as unknown as Figures;
const CHAOS_DIR = join(import.meta.dirname, '..');
// The vitest main process is the parent of every test-file worker: one folder per `vitest run`.
const RUN_DIR = join(tmpdir(), 'ordersync-chaos-figures', String(process.ppid));

/** Counters for one test file; `flush()` in afterAll writes and prints them. */
export function createFigures(testFile: string): { add(part: Partial<Figures>): void; flush(): void } {
  const mine = empty();
  const started = Date.now();
  return {
    add(part) {
      for (const [k, v] of Object.entries(part)) mine[k as keyof Figures] += v ?? 0;
    },
    flush() {
      removeOldRuns();
      mkdirSync(RUN_DIR, { recursive: true });
      writeFileSync(join(RUN_DIR, `${basename(testFile)}.json`), JSON.stringify({ figures: mine, ms: Date.now() - started, full: FULL }));
      printTotals();
    },
  };
}

/** Folders of runs older than a day. */
function removeOldRuns(): void {
  const parent = dirname(RUN_DIR);
  for (const name of existsSync(parent) ? readdirSync(parent) : []) {
    if (statSync(join(parent, name)).mtimeMs < Date.now() - 86_400_000) rmSync(join(parent, name), { recursive: true, force: true });
  }
}

// Files with nothing to run without PostgreSQL (vitest runs no hooks in a file whose tests are all skipped).
const POSTGRES_ONLY = new Set(['kill-points-postgres.test.ts', 'races.test.ts']);

function printTotals(): void {
  const expected = readdirSync(CHAOS_DIR).filter((f) => f.endsWith('.test.ts') && (process.env.DATABASE_URL || !POSTGRES_ONLY.has(f)));
  const hour = Date.now() - 3_600_000;
  const parts = readdirSync(RUN_DIR)
    .filter((f) => f.endsWith('.json') && statSync(join(RUN_DIR, f)).mtimeMs > hour)
    .map((f) => ({ file: f.replace(/\.json$/, ''), ...(JSON.parse(readFileSync(join(RUN_DIR, f), 'utf8')) as { figures: Figures; ms: number }) }));
  const total = empty();
  for (const p of parts) for (const k of Object.keys(total) as (keyof Figures)[]) total[k] += p.figures[k];
  const complete = expected.every((f) => parts.some((p) => p.file === f));
  const mode = FULL ? 'full size (CHAOS_FULL=1)' : 'CI size';
  const dialects = process.env.DATABASE_URL ? 'PGlite and PostgreSQL' : 'PGlite only';
  const rows = (Object.keys(LABELS) as (keyof Figures)[]).map((k) => `| ${LABELS[k]} | ${total[k]} |`);
  const text = [
    `### Chaos figures — ${complete ? 'whole run' : `${parts.length}/${expected.length} files so far`}, ${mode}, ${dialects}`,
    '',
    '| figure | count |',
    '|---|---:|',
    ...rows,
    '',
    `Files: ${parts.map((p) => `${p.file} ${(p.ms / 1000).toFixed(0)} s`).join(', ')}`,
  ].join('\n');
  console.log(`\n${text}\n`);
  if (complete) writeFileSync(join(tmpdir(), 'ordersync-chaos-figures.md'), `${text}\n`);
}
