/**
 * A monday client whose requests ignore a run's stop signal: a stopping run finishes the batch
 * in flight and writes it back, instead of abandoning a request monday may already have committed.
 */
import type { MondayClient } from '../monday/types.ts';

/** Wraps a client so its requests abort only on `hardStop` (the shutdown deadline), never on the run's own signal. */
export function shieldInFlight(client: MondayClient, hardStop: AbortSignal): MondayClient {
  return {
    query: (document, variables, options) => client.query(document, variables, { ...options, signal: hardStop }),
    mutate: (board, ops, options) => client.mutate(board, ops, { ...options, signal: hardStop }),
    stats: () => client.stats(),
  };
}
