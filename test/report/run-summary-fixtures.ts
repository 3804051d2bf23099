/** Hand-built RunSummary fixtures for the report tests. */
import { deriveStatus, emptyCounts, type CustomerResult, type RecordCounts, type RunSummary } from '../../src/pipeline/run-summary.ts';

const THRESHOLDS = { success: 95, partial: 80 };

/** Counts with `processed` derived from synced + failed + pending. */
export function counts(values: Partial<RecordCounts>): RecordCounts {
  const c = { ...emptyCounts(), ...values };
  return { ...c, processed: c.synced + c.failed + c.pending };
}

/** A customer result whose status follows from its counts. */
export function customer(name: string, c: RecordCounts, extra: Partial<CustomerResult> = {}): CustomerResult {
  return {
    customer: name,
    board: '9200517329',
    status: deriveStatus(c, THRESHOLDS),
    counts: c,
    durationMs: 1000,
    failures: [],
    pending: [],
    synced: [],
    remaining: 0,
    groups: [],
    blocked: [],
    ...extra,
  };
}

/** A whole run around the given customers; totals and status are derived. */
export function runSummary(customers: CustomerResult[], extra: Partial<RunSummary> = {}): RunSummary {
  const totals = emptyCounts();
  for (const c of customers) for (const key of Object.keys(totals) as (keyof RecordCounts)[]) totals[key] += c.counts[key];
  return {
    runId: '202611282030-SYNC-1A2B3C4D',
    pipeline: 'order-list',
    trigger: 'manual',
    dryRun: false,
    startedAt: '2026-11-28T20:30:12.000Z',
    finishedAt: '2026-11-28T20:30:31.500Z',
    timezone: 'America/New_York',
    status: deriveStatus(totals, THRESHOLDS),
    nothingToDo: totals.processed === 0,
    notReached: [],
    remaining: customers.reduce((sum, c) => sum + c.remaining, 0),
    outstandingFailed: null,
    thresholds: THRESHOLDS,
    totals,
    customers,
    groups: [],
    errors: [],
    performance: {
      durationMs: 19_500,
      recordsPerSecond: 1.25,
      apiRequests: 14,
      mutations: 40,
      complexityUsed: 123_456,
      retries: 2,
      rateLimited: 1,
      waitMs: 3_000,
      stages: { extract: 120, transform: 15, 'group-resolve': 800, load: 18_000, report: 0, core: 40 },
      preflight: { requests: 2, durationMs: 180 },
    },
    database: 'memory://',
    target: 'http://127.0.0.1:4000/v2',
    fatal: null,
    unconfigured: [],
    warnings: [],
    runtime: 'node v20.20.2',
    ...extra,
  };
}

/** GREYSON: one order, synced in 6.72 s. */
export function singleCustomerSuccess(): RunSummary {
  return runSummary([customer('GREYSON', counts({ synced: 1, created: 1, items: 1 }), { durationMs: 6720 })]);
}

/** GREYSON fully succeeds, PELOTON partially fails (80 %), WHITE FOX fails entirely. */
export function mixedRun(): RunSummary {
  const greyson = customer('GREYSON', counts({ synced: 4, created: 3, unchanged: 1, items: 1, subitems: 3 }), {
    durationMs: 6720,
    groups: ['GREYSON 2025 FALL'],
    synced: [
      { entity: 'item', key: 'PO-1001', name: 'GR-100 NAVY PO-1001', mondayId: '1700000001', groupTitle: 'GREYSON 2025 FALL', action: 'create' },
      { entity: 'subitem', key: 'PO-1001-S', name: 'S', mondayId: '1700000002', groupTitle: 'GREYSON 2025 FALL', action: 'create' },
    ],
  });
  const peloton = customer('PELOTON', counts({ synced: 8, failed: 2, created: 8, items: 2, subitems: 8 }), {
    board: '9609317401',
    durationMs: 64_000,
    groups: ['PELOTON 2026 SPRING'],
    failures: [
      { entity: 'subitem', key: 'PO-2001-XL', order: 'PO-2001', name: 'XL', state: 'FAILED', reason: 'quantity is required' },
      { entity: 'subitem', key: 'PO-2002-XS', order: 'PO-2002', name: 'XS', state: 'FAILED', reason: 'quantity is required' },
    ],
  });
  const whiteFox = customer('WHITE FOX', counts({ synced: 0, failed: 2, pending: 1, items: 1, subitems: 2 }), {
    durationMs: 2_500,
    remaining: 7,
    failures: [
      { entity: 'item', key: 'PO-3001', order: 'PO-3001', name: null, state: 'FAILED', reason: 'invalid date 2026-13-01' },
      { entity: 'subitem', key: 'PO-3001-L', order: 'PO-3001', name: 'L', state: 'FAILED', reason: 'invalid date 2026-13-01' },
    ],
    pending: [{ entity: 'subitem', key: 'PO-3001-M', order: 'PO-3001', name: 'M', state: 'PENDING', reason: 'waiting for its order' }],
  });
  return runSummary([greyson, peloton, whiteFox], {
    groups: [
      { board: '9200517329', title: 'GREYSON 2025 FALL', groupId: 'new_group_1', origin: 'created' },
      { board: '9609317401', title: 'PELOTON 2026 SPRING', groupId: 'topics', origin: 'reused' },
    ],
    errors: [
      { reason: 'invalid date 2026-13-01', count: 2, blocked: 0, example: null, examples: ['PO-3001'] },
      { reason: 'quantity is required', count: 2, blocked: 0, example: null, examples: ['PO-2001', 'PO-2002'] },
    ],
  });
}
