/**
 * What each request of a sync was for, told from its GraphQL document as the emulator logged it:
 * the writes, the reads wave 1 already made (group look-ups), and the reads wave 2 added
 * (preflight, adopt-before-create, conflict detection, write-back).
 */
import type { RequestLogEntry } from '../src/emulator/index.ts';

/** The kinds of request a sync sends. */
export const REQUEST_KINDS = ['mutation', 'preflight', 'groups', 'adopt', 'conflict', 'write-back', 'column-settings', 'reconcile', 'other-read'] as const;

/** One kind of request. */
export type RequestKind = (typeof REQUEST_KINDS)[number];

/** The kinds that are wave-2 reads (counted against the ≤ 5 % target). */
export const WAVE_TWO_KINDS: readonly RequestKind[] = ['preflight', 'adopt', 'conflict', 'write-back', 'column-settings'];

/** Document patterns, first match wins; each names the module whose document it recognises. */
const READ_PATTERNS: readonly { kind: RequestKind; pattern: RegExp }[] = [
  // src/pipeline/preflight.ts: the API version check.
  { kind: 'preflight', pattern: /\bversion\s?\{\s?kind\b/ },
  // plugins/load/check-boards.ts: boards, their type and every column before anything is sent.
  { kind: 'preflight', pattern: /boards\(ids: \$ids\)\s?\{\s?id name type columns\b/ },
  // plugins/group-resolve/monday-groups.ts: a board's groups by title.
  { kind: 'groups', pattern: /boards\(ids: \$ids\)\s?\{\s?groups\s?\{\s?id title\s?\}/ },
  // plugins/load/find-existing.ts: items by key before a create, and a parent's subitems by key.
  { kind: 'adopt', pattern: /\bitems_page_by_column_values\(/ },
  { kind: 'adopt', pattern: /items\(ids: \$ids\)\s?\{\s?(id )?subitems\s?\{\s?id board\s?\{\s?id\s?\}/ },
  // plugins/load/read-current.ts: the current values of items about to be updated.
  { kind: 'conflict', pattern: /items\(ids: \$ids, limit: \$limit\)/ },
  // src/pipeline/write-back/read-changed-items.ts: items changed since the mark (`__last_updated__` rule), page by page.
  { kind: 'write-back', pattern: /items_page\(limit: \$limit, query_params: \$query\)\s?\{\s?cursor items\s?\{\s?id updated_at\b/ },
  { kind: 'write-back', pattern: /next_items_page\(cursor: \$cursor, limit: \$limit\)\s?\{\s?cursor items\s?\{\s?id updated_at\b/ },
  // src/reconcile/read-board-items.ts: `ordersync reconcile` pages through every item with its subitems (not a sync read).
  { kind: 'reconcile', pattern: /items_page\(limit: \$limit\) \{ cursor items \{ id name group \{ id title \}/ },
  { kind: 'reconcile', pattern: /next_items_page\(cursor: \$cursor, limit: \$limit\) \{ cursor items \{ id name group \{ id title \}/ },
  // src/pipeline/write-back/describe-boards.ts (column types for write-back) and
  // plugins/load/numeric-labels.ts send the same document: told apart by neither.
  { kind: 'column-settings', pattern: /boards\(ids: \$ids\)\s?\{\s?id columns\s?\{\s?id type settings\s?\}/ },
];

/** The kind of one logged request. */
export function classifyRequest(entry: Pick<RequestLogEntry, 'operation' | 'document'>): RequestKind {
  if (entry.operation === 'mutation') return 'mutation';
  // The client may send a document over several lines: patterns are written against single spaces.
  const document = entry.document.replace(/\s+/g, ' ');
  return READ_PATTERNS.find((p) => p.pattern.test(document))?.kind ?? 'other-read';
}

/** Requests and complexity of one kind. */
export interface KindCost {
  requests: number;
  complexity: number;
}

/** Requests and complexity per kind of a list of logged requests (every kind present, zero when absent). */
export function costByKind(entries: readonly Pick<RequestLogEntry, 'operation' | 'document' | 'complexity'>[]): Record<RequestKind, KindCost> {
  const costs = Object.fromEntries(REQUEST_KINDS.map((kind) => [kind, { requests: 0, complexity: 0 }])) as Record<RequestKind, KindCost>;
  for (const entry of entries) {
    const cost = costs[classifyRequest(entry)];
    cost.requests += 1;
    cost.complexity += entry.complexity;
  }
  return costs;
}
