/** The envelope of a pipeline file: everything except each stage's own `with:` options. */
import { Cron } from 'croner';
import * as v from 'valibot';
import { STAGE_KINDS } from '../pipeline/index.ts';

const NonEmpty = v.pipe(v.string(), v.trim(), v.nonEmpty('must not be empty'));

/** A monday board id: digits, written as a number or a string. */
export const BoardIdSchema = v.pipe(
  v.union([v.pipe(v.number(), v.integer()), v.string()], 'a board id is a number like 9200517329'),
  v.transform(String),
  v.regex(/^\d{1,20}$/, 'a board id is digits only, like 9200517329'),
);

/** One stage: a plugin name (or relative path) and its options. */
export const StageSchema = v.strictObject({
  /** Built-in plugin name, or a relative path to a user plugin file (`./plugins/x.ts`). */
  use: NonEmpty,
  /** The plugin's options; checked against the plugin's own schema. */
  with: v.optional(v.unknown(), {}),
});

/** A configured customer; adding a customer is adding one of these. */
export const CustomerSchema = v.strictObject({
  name: NonEmpty,
  /** Board for this customer's records (default: `monday.board`). */
  board: v.optional(BoardIdSchema),
});

/** When the scheduler runs the pipeline. */
export const ScheduleSchema = v.strictObject({
  /** Cron pattern (5 or 6 fields), checked with croner. */
  cron: NonEmpty,
  /** IANA time zone; default UTC. */
  timezone: v.optional(NonEmpty, 'UTC'),
  /** After downtime: `skip` missed runs (default) or run `once`. */
  missed: v.optional(v.picklist(['skip', 'once'], 'missed is skip or once'), 'skip'),
});

/** Status thresholds, as a share of attempted records that synced. */
export const ThresholdsSchema = v.strictObject({
  /** ≥ this % synced → SUCCESS (default 95). */
  success: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(100)), 95),
  /** ≥ this % synced → PARTIAL, below → FAILED (default 80). */
  partial: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(100)), 80),
});

/** A webhook target: http(s) URL; empty means notifications are off. */
const WebhookUrl = v.pipe(
  v.string(),
  v.check((value) => value === '' || isHttpUrl(value), 'notify.webhook must be an http:// or https:// URL (or empty to turn notifications off)'),
);

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** Notifications of `ordersync serve`: one call when the pipeline turns bad, one when it recovers. */
export const NotifySchema = v.strictObject({
  /** Slack-compatible incoming-webhook URL (JSON body `{text, blocks}`); a secret: use `${VAR}`. No default; empty = off. */
  webhook: WebhookUrl,
  /** A PARTIAL run whose synced share (%) is below this counts as bad too; default: unset, only FAILED is bad. */
  onPartialBelow: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(100))),
});

/** Housekeeping of `ordersync serve` (its own job, never inside a sync run): api-log rows and report folders. */
export const RetentionSchema = v.strictObject({
  /** Keep `ordersync_api_log` rows of this pipeline's runs this many days (default 30). */
  apiLogDays: v.optional(v.pipe(v.number(), v.integer('retention.apiLogDays is a whole number of days'), v.minValue(1, 'retention.apiLogDays is at least 1')), 30),
  /** Keep the report stage's run reports this many days (default 90); older ones are removed by the same job. */
  reportDays: v.optional(v.pipe(v.number(), v.integer('retention.reportDays is a whole number of days'), v.minValue(1, 'retention.reportDays is at least 1')), 90),
  /** `archive` moves older rows to `ordersync_api_log_archive` (default); `delete` drops them. */
  mode: v.optional(v.picklist(['archive', 'delete'], 'retention.mode is archive or delete'), 'archive'),
  /** When the job runs, in the schedule's time zone (default daily at 03:17, `17 3 * * *`). */
  cron: v.optional(
    v.pipe(
      NonEmpty,
      v.rawCheck(({ dataset, addIssue }) => {
        if (!dataset.typed) return;
        try {
          new Cron(dataset.value, { paused: true });
        } catch (error) {
          addIssue({ message: `invalid cron pattern: ${(error as Error).message}` });
        }
      }),
    ),
    '17 3 * * *',
  ),
});

const SqlColumn = v.pipe(v.string(), v.regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'a database column name: letters, digits and _ only'));
const MondayColumnId = v.pipe(v.string(), v.regex(/^[a-z_][a-z0-9_]{0,63}$/, 'a monday column id looks like status or text_mkr5wya6'));

/** What flows back from one kind of monday entity (items → the headers table, subitems → the lines table). */
export const WriteBackPartSchema = v.strictObject({
  /** monday column id → database column that receives its value, converted by the column's type. */
  columns: v.pipe(v.record(MondayColumnId, SqlColumn), v.check((columns) => Object.keys(columns).length > 0, 'map at least one monday column')),
  /** Database column (timestamp) that receives the time monday last changed the item; optional. */
  updatedAt: v.optional(SqlColumn),
});

/**
 * Write-back of monday-owned columns: each run reads the board's items changed since the last complete
 * read and writes these columns to the source rows (matched by their monday id), one transaction per page.
 */
export const WriteBackSchema = v.strictObject({
  /** Board item columns → headers table. */
  items: v.optional(WriteBackPartSchema),
  /** Subitems board columns → lines table. */
  subitems: v.optional(WriteBackPartSchema),
  /** Items per items_page read (default 100, monday allows 1–500). */
  pageSize: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(500)), 100),
  /** Seconds re-read before the last mark, for clocks that disagree (default 60). */
  overlapSeconds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0)), 60),
});

/** Checked write-back settings. */
export type WriteBackConfig = v.InferOutput<typeof WriteBackSchema>;

/** The whole pipeline file, before stage options are checked. */
export const PipelineEnvelopeSchema = v.strictObject({
  /** The pipeline's name (kebab-case); unique across files. */
  pipeline: v.pipe(NonEmpty, v.regex(/^[a-z0-9][a-z0-9-]*$/, 'a pipeline name is kebab-case, like order-list')),
  description: v.optional(v.string()),
  schedule: v.optional(ScheduleSchema),
  database: v.optional(
    v.strictObject({
      /** postgres:// URL; empty → embedded PGlite. */
      url: v.optional(v.string(), ''),
      /** PGlite data directory when no URL is set. */
      dataDir: v.optional(NonEmpty, '.ordersync/pgdata'),
    }),
    {},
  ),
  monday: v.strictObject({
    /** API endpoint; empty → the built-in emulator. */
    url: v.optional(v.string(), ''),
    /** API token; from the environment only. */
    token: v.optional(v.string(), ''),
    /** Pinned API-Version, YYYY-MM. */
    apiVersion: v.optional(v.pipe(v.string(), v.regex(/^\d{4}-(01|04|07|10)$/, 'apiVersion is YYYY-MM with month 01, 04, 07 or 10')), '2026-10'),
    /** Default board for customers without their own. */
    board: BoardIdSchema,
    /** Per-request timeout (default 60000, monday's own limit). */
    timeoutMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(100)), 60_000),
  }),
  customers: v.pipe(v.array(CustomerSchema), v.minLength(1, 'list at least one customer')),
  thresholds: v.optional(ThresholdsSchema, {}),
  /** Webhook notifications when status turns bad and when it recovers (default: none). */
  notify: v.optional(NotifySchema),
  /** API-log retention (default: archive rows older than 30 days, daily at 03:17). */
  retention: v.optional(RetentionSchema, {}),
  /** Monday-owned columns written back to the source tables on every run (default: none). */
  writeBack: v.optional(WriteBackSchema),
  stages: v.strictObject(
    Object.fromEntries(STAGE_KINDS.map((kind) => [kind, StageSchema])) as Record<(typeof STAGE_KINDS)[number], typeof StageSchema>,
  ),
});

/** The envelope after validation. */
export type PipelineEnvelope = v.InferOutput<typeof PipelineEnvelopeSchema>;
