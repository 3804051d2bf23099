import { createHash } from 'node:crypto';

/**
 * The Idempotency-Key of one mutation request: a sha256 of what the request does (board,
 * exact document, variables, optional caller scope), so every retry of it carries the same key
 * and monday replays it instead of applying it twice.
 */
export function deriveIdempotencyKey(input: {
  board: string;
  document: string;
  variables: Record<string, unknown>;
  scope?: string;
}): string {
  const canonical = JSON.stringify([input.board, input.document, input.variables, input.scope ?? null]);
  return createHash('sha256').update(canonical).digest('hex');
}
