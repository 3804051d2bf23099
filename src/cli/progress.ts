/** Progress per customer: a live bar on a terminal, plain log lines otherwise. */
import cliProgress from 'cli-progress';
import type { Logger } from '../pipeline/logger.ts';
import type { Progress } from '../pipeline/run-pipeline.ts';
import { isStderrTty, stderrStream } from '../runtime/index.ts';

/** Receives progress and cleans up at the end. */
export interface ProgressView {
  update(progress: Progress): void;
  stop(): void;
}

/** A progress view for the current terminal (or none when not a TTY: the logger reports pages). */
export function createProgressView(logger: Logger): ProgressView {
  if (!isStderrTty()) {
    const started = new Map<string, number>();
    return {
      update(p) {
        if (!started.has(p.customer)) started.set(p.customer, performance.now());
        if (p.done > 0 || p.total === 0) {
          const seconds = (performance.now() - started.get(p.customer)!) / 1000;
          logger.info(`${p.customer}: ${p.done}/${p.total} orders`, { rate: seconds > 0 ? Math.round((p.done / seconds) * 10) / 10 : null });
        }
      },
      stop() {},
    };
  }
  const bars = new cliProgress.MultiBar(
    { stream: stderrStream, format: ' {customer} |{bar}| {value}/{total} orders | {rate}/s | ETA {eta_formatted}', hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  const byCustomer = new Map<string, { bar: cliProgress.SingleBar; t0: number }>();
  let stopped = false;
  return {
    update(p) {
      let entry = byCustomer.get(p.customer);
      if (!entry) {
        entry = { bar: bars.create(p.total, 0, { customer: p.customer.padEnd(12), rate: '0' }), t0: performance.now() };
        byCustomer.set(p.customer, entry);
      }
      const seconds = (performance.now() - entry.t0) / 1000;
      entry.bar.setTotal(p.total);
      entry.bar.update(p.done, { rate: seconds > 0 ? (p.done / seconds).toFixed(1) : '0' });
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bars.stop();
    },
  };
}
