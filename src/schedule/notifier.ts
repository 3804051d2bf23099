/**
 * Webhook notifications: one call when a pipeline's status turns bad (FAILED, or PARTIAL below
 * `notify.onPartialBelow`) and one when it recovers. The previous state is read from
 * `ordersync_runs`, so a restart neither repeats nor forgets an alert.
 */
import type { Kysely } from 'kysely';
import type { EngineTables } from '../db/tables.ts';
import { redact } from '../monday/redact.ts';
import type { Logger } from '../pipeline/logger.ts';
import type { RecordCounts } from '../pipeline/run-summary.ts';

/** How a run left the pipeline. */
export type RunHealth = 'good' | 'bad';

/** What a finished run says about health. */
export interface RunVerdictInput {
  /** The run row's status (SUCCESS, PARTIAL, FAILED, INTERRUPTED, RUNNING). */
  status: string;
  /** The run's record totals, when it got that far. */
  totals: RecordCounts | null;
  /** True when there was nothing to sync. */
  nothingToDo: boolean;
}

/** Judges a run: bad (FAILED, or PARTIAL below the threshold), good, or null when it says nothing (interrupted, nothing to do, still running). */
export function judgeRun(run: RunVerdictInput, onPartialBelow?: number): RunHealth | null {
  if (run.status === 'FAILED') return 'bad';
  // An interrupted run or one with nothing to sync tells nothing new about the records.
  if (run.status === 'INTERRUPTED' || run.status === 'RUNNING' || run.nothingToDo) return null;
  if (run.status === 'PARTIAL' && onPartialBelow !== undefined && run.totals && run.totals.processed > 0) {
    return (run.totals.synced / run.totals.processed) * 100 < onPartialBelow ? 'bad' : 'good';
  }
  return 'good';
}

/** The health left by the most recent run that says something, from ordersync_runs; null if none. */
export async function readPreviousHealth(db: Kysely<EngineTables>, pipeline: string, onPartialBelow?: number): Promise<RunHealth | null> {
  const rows = await db.selectFrom('ordersync_runs').select(['status', 'summary'])
    .where('pipeline', '=', pipeline).where('dry_run', '=', false).where('status', '!=', 'RUNNING')
    .orderBy('started_at', 'desc').limit(50).execute();
  for (const row of rows) {
    const summary = row.summary as { totals?: RecordCounts; nothingToDo?: boolean } | null;
    const verdict = judgeRun({ status: row.status, totals: summary?.totals ?? null, nothingToDo: summary?.nothingToDo === true }, onPartialBelow);
    if (verdict) return verdict;
  }
  return null;
}

/** One notification. */
export interface RunNotice {
  pipeline: string;
  health: RunHealth;
  status: string;
  runId: string | null;
  totals: RecordCounts | null;
  error: string | null;
  reportPath: string | null;
}

/** A Slack-compatible body: `text` for every client, `blocks` for a nicer rendering. */
export function formatNotice(notice: RunNotice): { text: string; blocks: unknown[] } {
  const t = notice.totals;
  const share = t && t.processed > 0 ? ` (${Math.round((t.synced / t.processed) * 1000) / 10}% synced)` : '';
  const counts = t ? `${t.synced} synced, ${t.failed} failed, ${t.pending} pending${share}` : 'no record counts';
  const head = notice.health === 'bad'
    ? `❌ ordersync: pipeline ${notice.pipeline} turned bad — ${notice.status}`
    : `✅ ordersync: pipeline ${notice.pipeline} recovered — ${notice.status}`;
  const lines = [`run ${notice.runId ?? '(not recorded)'}: ${counts}`];
  if (notice.error) lines.push(`error: ${notice.error.slice(0, 500)}`);
  if (notice.reportPath) lines.push(`report: ${notice.reportPath}`);
  const text = `${head}\n${lines.join('\n')}`;
  return {
    text,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: head.slice(0, 150) } },
      { type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } },
    ],
  };
}

/** Sends notices to a webhook. */
export interface Notifier {
  /** Sends a notice when health changed from `previous` (null = unknown, taken as good); never throws. */
  afterRun(previous: RunHealth | null, notice: RunNotice): Promise<boolean>;
}

/** Creates a notifier for one webhook (the URL is a secret: never logged, only its host). */
export function createNotifier(options: { webhook: string; logger: Logger; secrets?: string[]; timeoutMs?: number }): Notifier {
  const host = new URL(options.webhook).host;
  const secrets = [options.webhook, ...(options.secrets ?? [])];
  return {
    async afterRun(previous, notice) {
      if (notice.health === (previous ?? 'good')) return false;
      const body = formatNotice({ ...notice, error: notice.error === null ? null : redact(notice.error, secrets) });
      try {
        const response = await fetch(options.webhook, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
        await response.body?.cancel();
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        options.logger.info(`notified ${host}: pipeline ${notice.health === 'bad' ? 'turned bad' : 'recovered'}`, { status: notice.status });
        return true;
      } catch (error) {
        // The message may carry the URL (fetch errors do): redact before logging.
        options.logger.warn(`notify: webhook at ${host} failed: ${redact((error as Error).message, secrets)}`);
        return false;
      }
    },
  };
}
