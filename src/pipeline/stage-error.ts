/** An error raised inside a stage, naming the stage, plugin, customer and run, and keeping its cause. */
import type { StageKind } from './contract/index.ts';

/** Where a stage error happened. */
export interface StageErrorPlace {
  stage: StageKind;
  plugin: string;
  runId: string;
  customer?: string;
}

/** A stage failed; `cause` holds the original error. */
export class StageError extends Error {
  readonly place: StageErrorPlace;
  constructor(place: StageErrorPlace, cause: unknown) {
    const where = `${place.stage} stage (${place.plugin})${place.customer ? ` for ${place.customer}` : ''} in run ${place.runId}`;
    super(`${where}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'StageError';
    this.place = place;
  }
}

/** The core's own work failed (run rows, record states, api log), not a plugin; `cause` holds the original error. */
export class CoreError extends Error {
  constructor(runId: string, cause: unknown) {
    super(`core (engine tables) in run ${runId}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'CoreError';
  }
}

/** Runs `fn`, wrapping any error in a StageError for `place` (an existing StageError or CoreError passes through). */
export async function inStage<T>(place: StageErrorPlace, fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof StageError || error instanceof CoreError) throw error;
    throw new StageError(place, error);
  }
}
