/** Times a run's work per stage, and the core's own work apart: nested work counts once, to the innermost. */
import type { StageKind } from './contract/index.ts';
import type { StageTimings } from './run-summary.ts';
import { CoreError, inStage } from './stage-error.ts';

/** Runs work timed and placed: stage work names its plugin in errors; core work names the core. */
export interface StageTimer {
  /** Runs stage work for `customer` (errors become StageErrors). */
  stage<T>(kind: StageKind, customer: string | undefined, fn: () => Promise<T> | T): Promise<T>;
  /** Runs the core's own work (errors become CoreErrors). */
  core<T>(fn: () => Promise<T> | T): Promise<T>;
  /** Milliseconds so far, rounded. */
  timings(): StageTimings;
}

/** A timer for one run; `plugins` names each stage's plugin. */
export function createStageTimer(runId: string, plugins: Record<StageKind, string>): StageTimer {
  const ms: StageTimings = { extract: 0, transform: 0, 'group-resolve': 0, load: 0, report: 0, core: 0 };
  const stack: { kind: keyof StageTimings; since: number }[] = [];
  const timed = async <T>(kind: keyof StageTimings, fn: () => Promise<T>): Promise<T> => {
    const now = performance.now();
    const outer = stack.at(-1);
    if (outer) ms[outer.kind] += now - outer.since;
    stack.push({ kind, since: now });
    try {
      return await fn();
    } finally {
      const end = performance.now();
      const own = stack.pop()!;
      ms[own.kind] += end - own.since;
      const resumed = stack.at(-1);
      if (resumed) resumed.since = end;
    }
  };
  return {
    stage: (kind, customer, fn) => timed(kind, () => inStage({ stage: kind, plugin: plugins[kind], runId, customer }, fn)),
    core: (fn) => timed('core', async () => {
      try {
        return await fn();
      } catch (error) {
        throw error instanceof CoreError ? error : new CoreError(runId, error);
      }
    }),
    timings: () => Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, Math.round(v)])) as StageTimings,
  };
}
