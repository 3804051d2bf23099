/** extract: PENDING order headers (with their lines) from PostgreSQL tables named in config. */
import * as v from 'valibot';
import { definePlugin, type Extractor, type PluginContext, type PreflightProblem, type PreflightScope, type StageScope } from '../../src/pipeline/index.ts';

const Identifier = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/, 'not a safe SQL identifier: letters, digits and _ only (optionally schema.table)'),
);

/** Options of postgres-pending. */
export const PostgresPendingOptionsSchema = v.strictObject({
  /** Header table (one row per order → one item). Default `order_list`. */
  headers: v.optional(Identifier, 'order_list'),
  /** Line table (one row per size → one subitem). Default `order_list_lines`. */
  lines: v.optional(Identifier, 'order_list_lines'),
  /** Header key column (unique). Default `order_number`. */
  key: v.optional(Identifier, 'order_number'),
  /** Header column naming the customer. Default `customer_name`. */
  customer: v.optional(Identifier, 'customer_name'),
  /** Line key column (unique). Default `line_key`. */
  lineKey: v.optional(Identifier, 'line_key'),
  /** Line column referencing the header key. Default `order_number`. */
  lineParent: v.optional(Identifier, 'order_number'),
  /** Line ordering column. Default `line_number`. */
  lineOrder: v.optional(Identifier, 'line_number'),
  /**
   * `pending` (default): rows upstream marked PENDING. `changes`: every row flows and the
   * fingerprints decide — unchanged rows cost no API call (for tables with no PENDING marker).
   */
  mode: v.optional(v.picklist(['pending', 'changes'], 'mode is pending or changes'), 'pending'),
  /**
   * Spacing of retries after a transient failure: a PENDING row with retry_count n > 0 waits
   * retryBackoffSeconds × 2^(n-1) after its last attempt. Default 60; 0 retries on every run.
   */
  retryBackoffSeconds: v.optional(v.pipe(v.number(), v.minValue(0)), 60),
  /** Headers per page (memory stays flat). Default 500. */
  pageSize: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_000)), 500),
});

/** Checked options of postgres-pending. */
export type PostgresPendingOptions = v.InferOutput<typeof PostgresPendingOptionsSchema>;

// The SQL side (and kysely) loads when a run opens the source, not when a config is validated.
// (Top-level functions: tsc rewrites the `.ts` of an import() here, not inside `export default`.)
async function openSource(options: PostgresPendingOptions, ctx: PluginContext, scope?: StageScope): Promise<Extractor> {
  return (await import('./pending-source.ts')).createSource(options, ctx, scope);
}

async function checkSourceLater(options: PostgresPendingOptions, ctx: PluginContext, scope: PreflightScope): Promise<PreflightProblem[]> {
  return (await import('./check-source.ts')).checkSource(options, ctx, scope);
}

/** The postgres-pending extract plugin. */
export default definePlugin({
  kind: 'extract',
  name: 'postgres-pending',
  summary: 'Reads PENDING order headers and their lines from PostgreSQL, a page at a time, and writes outcomes back',
  options: PostgresPendingOptionsSchema,
  example: { headers: 'order_list', lines: 'order_list_lines', pageSize: 500 },
  create: openSource,
  preflight: checkSourceLater,
});
