/** The figures one measured sync produces, and how they are derived from raw counts. */
import { loadavg } from 'node:os';
import type { ApiFigures, WindowFigures } from './emulator.ts';

/** The budget the emulator enforced. */
export interface BudgetSpec {
  points: number;
  windowMs: number;
  mutationCost: number;
}

/** One measured sync (ordersync, its no-op rerun, or the baseline). */
export interface SyncMeasurement {
  label: string;
  wallMs: number;
  /** Records to sync: order headers (items) + order lines (subitems). */
  records: number;
  recordsPerSecond: number;
  api: ApiFigures;
  /** How the budget's windows were used (from the emulator's log). */
  windows: WindowFigures;
  /** 1-minute load average of the machine when the phase started and ended (other work on it slows everything). */
  loadAverage: { start: number; end: number };
  /** Achieved mutations per second ÷ the budget's ceiling in mutations per second, in %. */
  percentOfCeiling: number;
  /** Records SYNCED / still PENDING / FAILED afterwards (the baseline writes nothing back: from its own outcomes). */
  synced: number;
  pending: number;
  failed: number;
  /** What the emulator holds afterwards. */
  onBoard: { items: number; subitems: number; groups: number };
  /** Client-side extras (ordersync: its run summary's performance block). */
  detail?: Record<string, unknown>;
}

/** Mutations per second the budget allows at most: (points per second) ÷ (cost per mutation). */
export function ceilingMutationsPerSecond(budget: BudgetSpec): number {
  return budget.points / (budget.windowMs / 1000) / budget.mutationCost;
}

/** Builds a measurement from counts, computing the rates. */
export function measurement(
  input: Omit<SyncMeasurement, 'recordsPerSecond' | 'percentOfCeiling'>,
  budget: BudgetSpec,
): SyncMeasurement {
  const seconds = input.wallMs / 1000;
  const mutationsPerSecond = seconds > 0 ? input.api.mutations / seconds : 0;
  return {
    ...input,
    recordsPerSecond: round(seconds > 0 ? input.records / seconds : 0, 2),
    percentOfCeiling: round((mutationsPerSecond / ceilingMutationsPerSecond(budget)) * 100, 1),
  };
}

/** The 1-minute load average now, rounded. */
export function loadNow(): number {
  return round(loadavg()[0] ?? 0, 2);
}

/** Rounds to `digits` decimals. */
export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
