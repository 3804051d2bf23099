/**
 * The public face of the monday.com client: what plugins and the runner may use.
 * Everything that speaks GraphQL over HTTP lives behind this interface in src/monday/.
 */

/** How the client classified a failure. */
export type ErrorClass =
  | 'rate-limit' // 429: waited out and retried by the client
  | 'transient' // 5xx, timeouts, dropped connections, 423, 409 idempotency conflict
  | 'permanent' // column value / validation errors: this record only, never retried
  | 'configuration' // the board, group or column the request names does not exist: the run must stop (fix the config)
  | 'auth' // 401/403: the run must stop
  | 'daily-limit'; // DAILY_LIMIT_EXCEEDED: stop cleanly, leave the rest PENDING

/** One GraphQL variable: its GraphQL type (e.g. `ID!`, `JSON`) and value. */
export interface VariableSpec {
  type: string;
  value: unknown;
}

/** One mutation of an aliased batch, e.g. `create_item(board_id: ..., item_name: ...) { id }`. */
export interface MutationOp {
  /** Caller's key for this op (record key); used to map the result back. */
  key: string;
  /** Root mutation field, e.g. `create_item`. */
  field: string;
  /** Arguments by name; each becomes its own variable. */
  args: Record<string, VariableSpec>;
  /** Selection set without braces, e.g. `id` or `id board { id }`. */
  selection: string;
}

/** The part of a request that concerns one op: its own field text and variables. */
export interface OpRequest {
  /** The aliased field as sent, e.g. `a3: create_item(board_id: $a3_board_id, ...) { id }`. */
  document: string;
  variables: Record<string, unknown>;
  idempotencyKey: string | null;
  apiVersion: string;
}

/** A monday.com error as the client understood it. */
export interface MondayErrorInfo {
  class: ErrorClass;
  /** monday's code, e.g. `ColumnValueException`, `COMPLEXITY_BUDGET_EXHAUSTED`, `HTTP_503`. */
  code: string;
  message: string;
  httpStatus: number | null;
}

/** One op's own outcome in a batch. */
export type OpResult<T = Record<string, unknown>> =
  | { key: string; ok: true; data: T; request: OpRequest; response: unknown; attempts: number }
  | { key: string; ok: false; error: MondayErrorInfo; request: OpRequest; response: unknown; attempts: number };

/** Running totals, for reports and metrics. */
export interface ClientStats {
  requests: number;
  mutations: number;
  retries: number;
  rateLimited: number;
  waitMs: number;
  complexityUsed: number;
}

/** A read query's result. */
export interface QueryResult<T> {
  data: T;
  requestId: string | null;
}

/** The monday.com client handed to plugins through the run context. */
export interface MondayClient {
  /** Runs one read query (retrying transient failures); throws MondayError on failure. */
  query<T = Record<string, unknown>>(
    document: string,
    variables?: Record<string, unknown>,
    options?: { signal?: AbortSignal },
  ): Promise<QueryResult<T>>;
  /**
   * Sends mutations on one board as aliased batches (writes to one board are serial),
   * with an Idempotency-Key derived from the ops, retrying transient failures.
   * Every op gets its own result; only auth and daily-limit failures throw.
   */
  mutate<T = Record<string, unknown>>(
    board: string,
    ops: MutationOp[],
    options?: {
      signal?: AbortSignal;
      /** Mixed into the Idempotency-Key (e.g. the run id), so an identical write in a later run is applied, not replayed. */
      idempotencyScope?: string;
    },
  ): Promise<OpResult<T>[]>;
  /** Totals since the client was created. */
  stats(): ClientStats;
}

/** Thrown by the client for failures the caller must act on (auth, daily limit, exhausted retries on reads). */
export class MondayError extends Error {
  readonly info: MondayErrorInfo;
  /** Results of the ops mutate() had already finished when it had to throw (their writes did happen). */
  readonly completed: ReadonlyArray<OpResult<unknown>>;
  constructor(info: MondayErrorInfo, options?: { cause?: unknown; completed?: ReadonlyArray<OpResult<unknown>> }) {
    super(`monday: ${info.message} (${info.code})`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MondayError';
    this.info = info;
    this.completed = options?.completed ?? [];
  }
}

/** A connected monday target: a client, what to call it, and the in-process emulator behind it, if any. */
export interface MondayTarget {
  client: MondayClient;
  /** Description without the token, for logs and reports. */
  target: string;
  /** The in-process emulator's address and token, when one was started (others may connect to it). */
  emulator: { url: string; token: string } | null;
  close(): Promise<void>;
}
