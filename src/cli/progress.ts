/** Progress per customer: a live bar on a terminal, plain log lines otherwise. */
import cliProgress from 'cli-progress';
import type { ClientStats } from '../monday/types.ts';
import type { Logger } from '../pipeline/logger.ts';
import type { Progress } from '../pipeline/run-pipeline.ts';
import { formatDuration } from '../report/format-values.ts';
import { isStderrTty, stderrStream } from '../runtime/index.ts';

/** Receives progress and cleans up at the end. */
export interface ProgressView {
  update(progress: Progress): void;
  stop(): void;
}

/** What a progress line says besides done/total. */
export interface ProgressFigures {
  /** Orders per second so far, one decimal. */
  rate: number;
  /** `ETA 12.00s`, `ETA 1m 05s`, or `ETA —` while there is no rate yet. */
  eta: string;
  /** Time the client has spent waiting on monday's limits during this run, e.g. `3.20s`. */
  waited: string;
}

// Redraws between progress events, so the wait on monday's limits moves while a batch waits.
const REFRESH_MS = 500;

/** Rate, ETA and time waited for one customer `seconds` after it started (cli-progress' own ETA prints `LLs` before it has a rate). */
export function progressFigures(p: Progress, seconds: number, waitedMs: number): ProgressFigures {
  const rate = seconds > 0 ? p.done / seconds : 0;
  const eta = p.done >= p.total ? 'ETA 0.00s' : rate > 0 ? `ETA ${formatDuration(((p.total - p.done) / rate) * 1000)}` : 'ETA —';
  return { rate: Math.round(rate * 10) / 10, eta, waited: formatDuration(Math.max(0, waitedMs)) };
}

/** A progress view for the current terminal (or log lines when not a TTY); `stats` reads the monday client's counters. */
export function createProgressView(logger: Logger, stats?: () => ClientStats): ProgressView {
  const waitAtStart = stats?.().waitMs ?? 0;
  const waited = (): number => (stats?.().waitMs ?? 0) - waitAtStart;
  if (!isStderrTty()) {
    const started = new Map<string, number>();
    return {
      update(p) {
        if (!started.has(p.customer)) started.set(p.customer, performance.now());
        if (p.done > 0 || p.total === 0) {
          const f = progressFigures(p, (performance.now() - started.get(p.customer)!) / 1000, waited());
          logger.info(`${p.customer}: ${p.done}/${p.total} orders`, { rate: f.rate, waitedOnLimitsMs: waited() });
        }
      },
      stop() {},
    };
  }
  const bars = new cliProgress.MultiBar(
    { stream: stderrStream, format: ' {customer} |{bar}| {value}/{total} orders | {rate}/s | {eta} | waited on limits {waited}', hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  const byCustomer = new Map<string, { bar: cliProgress.SingleBar; t0: number; last: Progress }>();
  const redraw = (entry: { bar: cliProgress.SingleBar; t0: number; last: Progress }): void => {
    const f = progressFigures(entry.last, (performance.now() - entry.t0) / 1000, waited());
    entry.bar.setTotal(entry.last.total);
    entry.bar.update(entry.last.done, { rate: f.rate.toFixed(1), eta: f.eta, waited: f.waited });
  };
  const timer = setInterval(() => {
    for (const entry of byCustomer.values()) if (entry.last.done < entry.last.total) redraw(entry);
  }, REFRESH_MS);
  timer.unref?.();
  let stopped = false;
  return {
    update(p) {
      let entry = byCustomer.get(p.customer);
      if (!entry) {
        entry = { bar: bars.create(p.total, 0, { customer: p.customer.padEnd(12), rate: '0.0', eta: 'ETA —', waited: '0.00s' }), t0: performance.now(), last: p };
        byCustomer.set(p.customer, entry);
      }
      entry.last = p;
      redraw(entry);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      bars.stop();
    },
  };
}
