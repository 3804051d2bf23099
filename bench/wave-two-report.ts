/** The bench's "wave-2 reads" section: its table, its targets and its method note. */
import { round } from './measure.ts';
import type { KindCost } from './read-kinds.ts';
import type { KindedRun, PerThousand, WaveTwoMeasurement } from './wave-two.ts';

/** Most of the complexity the wave-2 reads may take (issue: "together stay ≤ 5 % of the budget"). */
export const WAVE_TWO_MAX_PERCENT = 5;

const n = (value: number): string => value.toLocaleString('en-US');
const share = (cost: KindCost, run: KindedRun): string => (run.complexity > 0 ? `${round((cost.complexity / run.complexity) * 100, 2)} %` : '–');
const per = (p: PerThousand, of: string): string => `${p.requests} requests, ${n(p.complexity)} complexity per 1,000 ${of} (of ${n(p.basis)})`;

/** The section as Markdown: one row per kind of request and run, then the totals. */
export function formatWaveTwo(w: WaveTwoMeasurement): string {
  const row = (run: string, kind: string, cost: KindCost, of: KindedRun, note = ''): string =>
    `| ${run} | ${kind} | ${n(cost.requests)} | ${n(cost.complexity)} | ${share(cost, of)} | ${note} |`;
  const f = w.firstSync;
  const u = w.update;
  const r = w.noOpRerun;
  const writeBack = { requests: u.byKind['write-back'].requests + u.byKind['column-settings'].requests, complexity: u.byKind['write-back'].complexity + u.byKind['column-settings'].complexity };
  return [
    '| wave-2 reads | kind | requests | complexity | share of the run\'s complexity | |',
    '|---|---|---:|---:|---:|---|',
    row('first sync', 'preflight (version, boards and columns)', f.byKind.preflight, f),
    row('first sync', 'adopt-before-create look-ups', f.byKind.adopt, f, per(f.adoptPerThousandCreated, 'created records')),
    row('first sync', 'column settings (write-back types, numeric labels)', f.byKind['column-settings'], f),
    row('first sync', 'group reads (wave 1, for comparison)', f.byKind.groups, f),
    row('first sync', 'mutations', f.byKind.mutation, f, `${n(f.records)} records, ${(f.wallMs / 1000).toFixed(1)} s`),
    row('update run', 'preflight', u.byKind.preflight, u),
    row('update run', 'conflict reads (`items(ids)`)', u.byKind.conflict, u, `${per(u.conflictPerThousandUpdated, 'updated records')}; ${u.idsPerConflictRead} ids per read; ${n(u.conflicts)} conflicts flagged`),
    row('update run', 'write-back reads (pages + column types)', writeBack, u, per(u.writeBackPerThousandRead, 'items read')),
    row('update run', 'mutations', u.byKind.mutation, u, `${n(u.changedOrders)} orders changed upstream, ${n(u.personEdits)} edited by a person, ${n(u.updated)} records updated, ${(u.wallMs / 1000).toFixed(1)} s`),
    row('no-op rerun with write-back', 'all reads', { requests: r.requests - r.byKind.mutation.requests, complexity: r.complexity - r.byKind.mutation.complexity }, r, `${n(r.mutations)} mutations`),
    row('reconcile (not a sync read)', 'board pages with subitems, column types', w.reconcile, w.reconcile, per(w.reconcile.perThousandRecords, 'records')),
    `| first sync + update run | **all wave-2 reads** | ${n(w.total.waveTwoRequests)} | ${n(w.total.waveTwoComplexity)} | **${w.total.percent} %** | of ${n(w.total.complexity)} complexity spent; load ${w.loadAverage.start} → ${w.loadAverage.end} |`,
  ].join('\n');
}

/** The section's targets, in the shape of the bench's targets table. */
export function waveTwoTargets(w: WaveTwoMeasurement | null): { name: string; wanted: string; measured: string; met: boolean | null }[] {
  return [
    { name: 'wave-2 reads (preflight, adopt, conflict, write-back) share of the complexity spent', wanted: `≤ ${WAVE_TWO_MAX_PERCENT} %`, measured: w ? `${w.total.percent} %` : 'not run', met: w ? w.total.percent <= WAVE_TWO_MAX_PERCENT : null },
    { name: 'no-op rerun mutations with write-back configured', wanted: '0', measured: w ? String(w.noOpRerun.mutations) : 'not run', met: w ? w.noOpRerun.mutations === 0 : null },
  ];
}

/** How the section's figures are taken. */
export function waveTwoNote(w: WaveTwoMeasurement): string {
  return `wave-2 reads: each request of the runs is classified by its GraphQL document (bench/read-kinds.ts). The first sync is the ordersync measurement above; the update run follows on the same database and emulator: every 10th order PENDING again with its quantity and its lines' quantities changed, every 20th also with a new PO Number upstream while a person changed the same column on monday (the emulator's second token), and \`writeBack\` (Status → order_list.monday_status, pageSize 100) configured. Write-back reads every item changed on or after the day of its mark (monday's \`__last_updated__\` rule compares by day), so here it reads all ${n(w.update.writeBackPerThousandRead.basis)} items. The share is the wave-2 reads' complexity over all the complexity the first sync and the update run spent.`;
}
