/** Reconcile's findings as a terminal table and as a Markdown report with a Mermaid chart. */
import { escapeMarkdown } from '../report/escape-markdown.ts';
import { countsDiffer, FINDING_KINDS, type FindingKind } from './find-drift.ts';
import type { ReconcileReport } from './reconcile-pipeline.ts';

const LABELS: Record<FindingKind, string> = {
  missing: 'SYNCED but gone from the board',
  duplicate: 'duplicates by key',
  orphan: 'items with no database row',
  moved: 'moved to another group',
  changed: 'values changed since last written',
};

/** `1 missing, 2 changed` (or null when nothing was found). */
export function describeTotals(report: ReconcileReport): string | null {
  const parts = FINDING_KINDS.filter((k) => report.totals[k] > 0).map((k) => `${report.totals[k]} ${k}`);
  if (report.groupsDiffering > 0) parts.push(`${report.groupsDiffering} group count(s) differ`);
  return parts.length > 0 ? parts.join(', ') : null;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}

/** The terminal view: per board, its groups' counts and its findings. */
export function formatReconcileTable(report: ReconcileReport): string {
  const out: string[] = [];
  for (const b of report.boards) {
    out.push(`board ${b.board}`);
    const groups = [['GROUP', 'ITEMS (BOARD/DB)', 'SUBITEMS (BOARD/DB)', '']];
    for (const g of b.groups) groups.push([g.title, `${g.board.items}/${g.database.items}`, `${g.board.subitems}/${g.database.subitems}`, countsDiffer(g) ? 'differs' : '']);
    out.push(table(groups));
    if (b.findings.length > 0) {
      const rows = [['KIND', 'ENTITY', 'KEY', 'MONDAY ID', 'DETAIL']];
      for (const f of b.findings) rows.push([f.kind, f.entity, f.key ?? '', f.mondayIds.join(','), f.detail]);
      out.push('', table(rows));
    }
    out.push('');
  }
  const totals = describeTotals(report);
  out.push(totals ? `drift: ${totals} (${report.requests} monday request(s))` : `no drift: ${report.boards.length} board(s) match the database (${report.requests} monday request(s))`);
  return out.join('\n');
}

/** The Markdown report: status, counts per group, every finding, a Mermaid chart of the findings. */
export function renderReconcileMarkdown(report: ReconcileReport): string {
  const totals = describeTotals(report);
  const lines = [
    `# Reconcile — ${escapeMarkdown(report.pipeline)}`,
    '',
    totals ? `## ❌ DRIFT — ${escapeMarkdown(totals)}` : '## ✅ IN SYNC — every board matches the database',
    '',
    `Checked ${report.checkedAt} (UTC) with ${report.requests} monday request(s), ${report.complexity} complexity points; nothing was written.`,
    '',
  ];
  for (const b of report.boards) {
    lines.push(`### Board ${escapeMarkdown(b.board)}`, '', '| Group | Items on board | Items in database | Subitems on board | Subitems in database | |', '|---|---:|---:|---:|---:|---|');
    for (const g of b.groups) lines.push(`| ${escapeMarkdown(g.title)} | ${g.board.items} | ${g.database.items} | ${g.board.subitems} | ${g.database.subitems} | ${countsDiffer(g) ? '⚠️ differs' : '✅'} |`);
    lines.push('');
    if (b.findings.length > 0) {
      lines.push('| Kind | Entity | Key | monday id | Detail |', '|---|---|---|---|---|');
      for (const f of b.findings) lines.push(`| ${f.kind} | ${f.entity} | ${escapeMarkdown(f.key)} | ${escapeMarkdown(f.mondayIds.join(', '))} | ${escapeMarkdown(f.detail)} |`);
      lines.push('');
    }
  }
  const kinds = FINDING_KINDS.filter((k) => report.totals[k] > 0);
  const matching = report.boards.reduce((n, b) => n + b.groups.reduce((m, g) => m + g.database.items, 0), 0);
  lines.push('```mermaid', `pie showData title Drift by kind`);
  if (kinds.length === 0) lines.push(`  "in sync (items)" : ${matching}`);
  for (const k of kinds) lines.push(`  "${LABELS[k]}" : ${report.totals[k]}`);
  lines.push('```', '');
  return lines.join('\n');
}
