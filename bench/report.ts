/** The bench's output: a terminal table, bench/results.json and a human bench/RESULTS.md. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DryRunMeasurement } from './dry-run.ts';
import { ceilingMutationsPerSecond, round, type BudgetSpec, type SyncMeasurement } from './measure.ts';
import { formatWaveTwo, waveTwoNote, waveTwoTargets } from './wave-two-report.ts';
import type { WaveTwoMeasurement } from './wave-two.ts';

/** Everything one bench run found. */
export interface BenchResults {
  command: string;
  startedAt: string;
  totalSeconds: number;
  machine: { nproc: number; cpu: string; memoryGb: number; node: string; postgres: string; platform: string };
  scenario: { orders: number; lines: number; records: number; customers: string[]; groups: number; latencyMs: number; minLines: number; maxLines: number };
  budget: BudgetSpec & { ceilingMutationsPerSecond: number };
  ordersync: SyncMeasurement | null;
  rerun: SyncMeasurement | null;
  baseline: SyncMeasurement | null;
  /** ordersync ÷ baseline. */
  ratios: { time: number; requests: number; fewerRequestsTimes: number; fasterTimes: number } | null;
  dryRun: DryRunMeasurement | null;
  /** The wave-2 reads section (null when skipped). */
  waveTwo: WaveTwoMeasurement | null;
  targets: Target[];
}

/** One target of the issue: what was asked, what was measured, met or not. */
export interface Target {
  name: string;
  wanted: string;
  measured: string;
  met: boolean | null;
}

/** Checks the targets against the measurements (null when not measured). */
export function checkTargets(r: Omit<BenchResults, 'targets'>): Target[] {
  const o = r.ordersync;
  const lost = o ? o.pending + o.failed : 0;
  return [
    { name: 'ordersync budget use', wanted: '≥ 95 % of the ceiling', measured: o ? `${o.percentOfCeiling} %` : 'not run', met: o ? o.percentOfCeiling >= 95 : null },
    { name: 'records lost to rate limiting', wanted: '0', measured: o ? `${lost} not SYNCED (${o.api.rateLimited} × 429 received)` : 'not run', met: o ? lost === 0 : null },
    { name: '429s received (sync and no-op rerun, reads included)', wanted: '0', measured: o && r.rerun ? `${o.api.rateLimited} + ${r.rerun.api.rateLimited}` : 'not run', met: o && r.rerun ? o.api.rateLimited + r.rerun.api.rateLimited === 0 : null },
    { name: 'fewer HTTP requests than baseline', wanted: '≥ 20×', measured: r.ratios ? `${r.ratios.fewerRequestsTimes}×` : 'not run', met: r.ratios ? r.ratios.fewerRequestsTimes >= 20 : null },
    { name: 'baseline synced every record (comparison valid)', wanted: 'all', measured: r.baseline ? `${n(r.baseline.synced)} of ${n(r.baseline.records)}` : 'not run', met: r.baseline ? r.baseline.synced === r.baseline.records : null },
    { name: 'no-op rerun mutations', wanted: '0', measured: r.rerun ? String(r.rerun.api.mutations) : 'not run', met: r.rerun ? r.rerun.api.mutations === 0 : null },
    ...dryRunTargets(r.dryRun),
    ...waveTwoTargets(r.waveTwo),
  ];
}

/** The dry run's targets (issue 19): 1M rows at ≥ 120,000 rows/s in ≤ 230 MB (stretch 200,000 rows/s, 200 MB), and its ratio to the plain read. */
function dryRunTargets(d: DryRunMeasurement | null): Target[] {
  if (!d) return [{ name: 'dry run throughput', wanted: '≥ 120,000 rows/s', measured: 'not run', met: null }, { name: 'dry run peak RSS', wanted: '≤ 230 MB', measured: 'not run', met: null }];
  const stretch = (met: boolean): string => (met ? ' (stretch met)' : '');
  return [
    { name: 'dry run throughput', wanted: '≥ 120,000 rows/s (stretch ≥ 200,000)', measured: `${n(d.rowsPerSecond)} rows/s${stretch(d.rowsPerSecond >= 200_000)}`, met: d.rowsPerSecond >= 120_000 },
    { name: 'dry run peak RSS', wanted: '≤ 230 MB (stretch ≤ 200 MB)', measured: `${d.peakRssMb} MB${stretch(d.peakRssMb <= 200)}`, met: d.peakRssMb <= 230 },
    { name: 'dry run ÷ raw SELECT of the same rows', wanted: 'printed (1 = the database\'s own read speed)', measured: `${d.ratioToRawSelect} (${n(d.rowsPerSecond)} ÷ ${n(d.rawSelect.rowsPerSecond)} rows/s)`, met: null },
  ];
}

/** ordersync ÷ baseline for time and requests. */
export function ratiosOf(o: SyncMeasurement | null, b: SyncMeasurement | null): BenchResults['ratios'] {
  if (!o || !b || b.wallMs === 0 || b.api.requests === 0) return null;
  return {
    time: round(o.wallMs / b.wallMs, 3), requests: round(o.api.requests / b.api.requests, 4),
    fasterTimes: round(b.wallMs / o.wallMs, 2), fewerRequestsTimes: o.api.requests > 0 ? round(b.api.requests / o.api.requests, 1) : Infinity,
  };
}

const n = (value: number): string => value.toLocaleString('en-US');

/** The side-by-side table as Markdown (also printed to the terminal). */
export function formatTable(r: Omit<BenchResults, 'targets'>): string {
  const cols = [r.ordersync, r.baseline, r.rerun].filter((m): m is SyncMeasurement => m !== null);
  const row = (label: string, f: (m: SyncMeasurement) => string): string => `| ${label} | ${cols.map(f).join(' | ')} |`;
  // --skip-sync: only the dry run's table.
  const lines = cols.length === 0 ? ['(sync not measured: --skip-sync)'] : [
    `| | ${cols.map((m) => m.label).join(' | ')} |`,
    `|---|${cols.map(() => '---:').join('|')}|`,
    row('wall time', (m) => `${(m.wallMs / 1000).toFixed(1)} s`),
    row('records (items + subitems)', (m) => n(m.records)),
    row('records/s', (m) => m.recordsPerSecond.toFixed(2)),
    row('HTTP requests', (m) => n(m.api.requests)),
    row('mutations', (m) => n(m.api.mutations)),
    row('complexity spent', (m) => n(m.api.complexity)),
    row('429s received', (m) => n(m.api.rateLimited)),
    row('other API errors', (m) => n(m.api.errors)),
    row('% of budget ceiling', (m) => `${m.percentOfCeiling} %`),
    row('budget windows used', (m) => n(m.windows.windows)),
    row('budget idle after each window (avg)', (m) => `${(m.windows.averageGapMs / 1000).toFixed(2)} s`),
    row('windows ended with budget unspent', (m) => `${m.windows.underusedWindows} (${n(m.windows.unusedPoints)} points)`),
    row('budget unspent per whole window (avg)', (m) => `${unspentShare(m, r.budget.points)} %`),
    row('SYNCED / PENDING / FAILED after', (m) => `${n(m.synced)} / ${n(m.pending)} / ${n(m.failed)}`),
    row('on the board: items / subitems / groups', (m) => `${n(m.onBoard.items)} / ${n(m.onBoard.subitems)} / ${n(m.onBoard.groups)}`),
    row('machine load average (start → end)', (m) => `${m.loadAverage.start} → ${m.loadAverage.end}`),
  ];
  if (r.ratios) {
    lines.push('', `ordersync ÷ baseline: time ${r.ratios.time} (${r.ratios.fasterTimes}× faster), HTTP requests ${r.ratios.requests} (${r.ratios.fewerRequestsTimes}× fewer)`);
  }
  if (r.waveTwo) lines.push('', formatWaveTwo(r.waveTwo));
  if (r.dryRun) {
    const d = r.dryRun;
    lines.push('', `| dry run (no monday writes) | value |`, `|---|---:|`,
      `| rows | ${n(d.rows)} (${n(d.orders)} headers + ${n(d.lines)} lines) |`, `| wall time (child process) | ${(d.wallMs / 1000).toFixed(1)} s |`,
      `| rows/s | ${n(d.rowsPerSecond)} |`, `| peak RSS (VmHWM) | ${d.peakRssMb} MB |`,
      `| raw SELECT of the same rows (postgres.js alone, before / after) | ${n(d.rawSelect.before.rowsPerSecond)} / ${n(d.rawSelect.after.rowsPerSecond)} rows/s |`,
      `| dry run ÷ raw SELECT | ${d.ratioToRawSelect} |`,
      `| ran under | ${d.runtime} |`,
      `| peak RSS of the same CLI with no rows (\`validate\`) | ${d.idlePeakRssMb} MB |`,
      `| machine load average (start → end) | ${d.loadAverage.start} → ${d.loadAverage.end} |`);
  }
  return lines.join('\n');
}

/** Points left unspent in the phase's whole windows (all but the last), as a share of their budget, in %. */
export function unspentShare(m: SyncMeasurement, points: number): number {
  const whole = m.windows.windows - 1;
  return whole > 0 ? round((m.windows.unusedPoints / (whole * points)) * 100, 1) : 0;
}

/** The targets as a Markdown table. */
export function formatTargets(targets: Target[]): string {
  const mark = (t: Target): string => (t.met === null ? '–' : t.met ? '✅ met' : '❌ missed');
  return ['| target | wanted | measured | |', '|---|---|---|---|', ...targets.map((t) => `| ${t.name} | ${t.wanted} | ${t.measured} | ${mark(t)} |`)].join('\n');
}

/** Writes results.json and RESULTS.md into `outDir`. */
export async function writeResults(outDir: string, r: BenchResults): Promise<void> {
  await writeFile(join(outDir, 'results.json'), `${JSON.stringify(r, null, 2)}\n`);
  const s = r.scenario;
  const md = [
    '# ordersync benchmark results',
    '',
    `Generated by \`${r.command}\` on ${r.startedAt} (whole bench: ${r.totalSeconds.toFixed(0)} s). Machine: ${r.machine.nproc} CPUs (${r.machine.cpu}), ${r.machine.memoryGb} GB memory, Node ${r.machine.node}, ${r.machine.postgres}, ${r.machine.platform}.`,
    '',
    `Scenario: ${n(s.orders)} orders × ${s.minLines}–${s.maxLines} lines (${n(s.lines)} lines, ${n(s.records)} records) over ${s.customers.length} customers and ${s.groups} groups, in PostgreSQL (fresh database per measurement). monday: the emulator in its own process over HTTP, ${s.latencyMs} ms latency per request, budget ${n(r.budget.points)} points per ${r.budget.windowMs / 1000} s at ${n(r.budget.mutationCost)} per mutation = a ceiling of ${r.budget.ceilingMutationsPerSecond.toFixed(2)} mutations/s (monday's 10M/min at 10k per mutation, ten times faster). A fresh emulator for each side.`,
    '',
    formatTable(r),
    '',
    '## Targets',
    '',
    formatTargets(r.targets),
    '',
    '## How the figures are taken',
    '',
    ...formatNotes(r).map((line) => `- ${line}`),
    '',
  ].join('\n');
  await writeFile(join(outDir, 'RESULTS.md'), md);
}

/** Method notes and what the measurements themselves say about where time goes. */
export function formatNotes(r: BenchResults): string[] {
  const notes = [
    'A record is one order header (→ one item) or one order line (→ one subitem). Requests, mutations, complexity and 429s are counted by the emulator itself (its request log), the same way for both sides.',
    '% of budget ceiling = (mutations ÷ wall time) ÷ (budget points per second ÷ points per mutation). Wall time is the whole run: extract, groups, load, write-back to PostgreSQL, api log, report.',
    'ordersync: `runPipeline` with the flagship config/order-list.yaml stages and options as they are (batchSize 50, pageSize 500), its monday client with default settings, customers overridden to the scenario\'s.',
    'baseline: `@mondaydotcomorg/api` ApiClient.request, one mutation per request, sequential, 429s waited out as `retry_in_seconds` / Retry-After say. Records and column values come from the same extract and transform stages; it writes nothing back to PostgreSQL, so its time is API time only.',
    'The demo boards know five customers; for more, the Customer dropdown label of each extra customer is created once on the emulator (create_item with create_labels_if_missing, then delete_item) and a budget window is waited out before measuring.',
  ];
  const o = r.ordersync;
  if (o) {
    const cycle = r.budget.windowMs + o.windows.averageGapMs;
    notes.push(`ordersync's budget windows: on average ${(o.windows.averageGapMs / 1000).toFixed(2)} s passed between a window's reset and the next request, i.e. the budget stood idle ${((o.windows.averageGapMs / cycle) * 100).toFixed(1)} % of the time; ${o.windows.underusedWindows} window(s) ended with ${n(o.windows.unusedPoints)} points (${n(Math.round(o.windows.unusedPoints / r.budget.mutationCost))} mutations) unspent. The window here is ${r.budget.windowMs / 1000} s instead of monday's 60 s, so any fixed per-window delay weighs ten times more than it would on monday.`);
  }
  if (r.waveTwo) notes.push(waveTwoNote(r.waveTwo));
  const d = r.dryRun;
  if (d) {
    notes.push(`dry run: ${d.rowDefinition}. Wall time is the child process from spawn to exit (startup, config, migrations check, one group lookup per title on the emulator at ${r.scenario.latencyMs} ms, extract, transform, fingerprints, plan). Peak RSS is VmHWM from /proc/<pid>/status sampled every 20 ms; ${d.idlePeakRssMb} MB of it is the CLI process before any row (\`ordersync validate\`). It ran under: ${d.runtime}.`,
      `raw SELECT: ${d.rawSelect.before.method}; measured just before and just after the dry run (${n(d.rawSelect.before.wallMs)} / ${n(d.rawSelect.after.wallMs)} ms), and the dry run's rows/s is quoted as a ratio to their mean, which carries from one machine (and one load) to another better than rows/s alone.`);
  }
  return notes;
}

/** The budget with its ceiling. */
export function budgetWithCeiling(budget: BudgetSpec): BenchResults['budget'] {
  return { ...budget, ceilingMutationsPerSecond: round(ceilingMutationsPerSecond(budget), 3) };
}
