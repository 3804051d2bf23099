/**
 * The public types of the monday.com emulator: its options, its handle and the shape of its
 * state (plain JSON, the same document `GET /state.json`, `snapshot()` and the state file hold;
 * the file adds `item_ids_reserved_through`, see state-persistence.ts).
 */

/** Faults injected into `POST /v2` requests; all draws come from one seeded PRNG. */
export interface Faults {
  /** Milliseconds added to every API request (default 0). */
  latencyMs?: number;
  /** 0..1 probability of a 500/502/503 before executing (default 0). */
  rate5xx?: number;
  /** 0..1 probability of an injected 429 `MINUTE_RATE_LIMIT_EXCEEDED` before executing (default 0). */
  rate429?: number;
  /** 0..1 probability that a mutation request commits and then loses its connection (default 0). */
  dropAfterCommitRate?: number;
  /** Writes to these board ids get HTTP 423 resource locked (default none). */
  lockedBoards?: string[];
  /** PRNG seed so fault sequences (and generated ids) are reproducible (default 1). */
  seed?: number;
}

/** Complexity budget settings; see api-facts.md. */
export interface BudgetOptions {
  /** Complexity points per window (default 10_000_000). */
  points?: number;
  /** Window length in ms; also the window of `requestsPerMinute` (default 60_000). */
  windowMs?: number;
  /** Cost of one root mutation field (default 10_000). */
  mutationCost?: number;
  /** Largest cost of a single request (default 5_000_000). */
  maxQueryComplexity?: number;
}

/** Request-count limits; see api-facts.md. */
export interface LimitOptions {
  /** Requests per window (`budget.windowMs`, default one minute) (default 5000). */
  requestsPerMinute?: number;
  /** Requests in flight at once (default 40). */
  maxConcurrency?: number;
  /** Calls per UTC day; a rate-limited call counts 0.1 (default Infinity). */
  dailyCalls?: number;
}

/** Options of `startEmulator`. */
export interface EmulatorOptions {
  /** TCP port (default 0 = ephemeral). */
  port?: number;
  /** Loopback host to bind (default 127.0.0.1; anything else is refused). */
  host?: string;
  /** The accepted `Authorization` token (default 'emulator-token'). */
  token?: string;
  /** A second accepted token that acts as a person editing the board, another user id (default 'emulator-user-token'). */
  userToken?: string;
  /**
   * JSON state file: loaded at start if present; every mutation is saved to it (atomically,
   * fsynced) before it is acknowledged, or refused with HTTP 503 and undone (default none: memory only).
   */
  stateFile?: string;
  /** Initial boards when no state file exists (default 'demo'). */
  seed?: 'demo' | 'empty';
  /** Complexity budget. */
  budget?: BudgetOptions;
  /** Request-count limits. */
  limits?: LimitOptions;
  /** Fault injection (also changeable at runtime with `setFaults`). */
  faults?: Faults;
  /** Items per board before `ItemsLimitationException` (default 10_000). */
  itemsPerBoard?: number;
  /** How long an Idempotency-Key response is replayed (default 30 minutes). */
  idempotencyTtlMs?: number;
  /** Request log entries kept in memory, oldest dropped first (default 20_000). */
  requestLogLimit?: number;
  /** Reports problems no response carries, e.g. a state file that cannot be written (default: a line on stderr). */
  warn?: (message: string) => void;
}

/** One `POST /v2` request as the emulator saw it. */
export interface RequestLogEntry {
  /** Epoch ms when the request arrived. */
  at: number;
  /** HTTP status sent; 0 when the connection was dropped after commit. */
  status: number;
  operation: 'query' | 'mutation' | 'none';
  document: string;
  variables: Record<string, unknown>;
  /** Complexity charged (0 when nothing ran). */
  complexity: number;
  idempotencyKey: string | null;
  /** True when the response was an Idempotency-Key replay. */
  replayed: boolean;
  /** Root mutation fields executed (not counting `complexity`). */
  mutations: number;
  /** First error code or message, when the response carried one. */
  error?: string;
  /** The user the token authenticated (absent when it authenticated none). */
  userId?: string;
}

/** A running emulator. */
export interface EmulatorHandle {
  /** The API endpoint, e.g. http://127.0.0.1:PORT/v2. */
  url: string;
  /** The server root, e.g. http://127.0.0.1:PORT. */
  baseUrl: string;
  token: string;
  /** The token of a person editing the board (another user than `token`'s owner). */
  userToken: string;
  /** Live, in-memory request log (also served at `GET /requests.json`). */
  requestLog: RequestLogEntry[];
  /** Replaces the active faults. */
  setFaults(faults: Faults): void;
  /** A deep copy of the boards, groups, items and subitems. */
  snapshot(): EmulatorState;
  /** Stops the server, after saves in progress (every acknowledged write is already saved). */
  close(): Promise<void>;
}

/** Column types the emulator knows (a subset of monday's `ColumnType`). */
export type ColumnKind =
  | 'name'
  | 'text'
  | 'long_text'
  | 'numbers'
  | 'status'
  | 'dropdown'
  | 'date'
  | 'checkbox'
  | 'email'
  | 'link'
  | 'phone'
  | 'timeline'
  | 'subtasks';

/** A status or dropdown label: for status `id` is the label index. */
export interface LabelState {
  id: number;
  name: string;
}

/** A board column; `settings.labels` for status/dropdown, `settings.boardIds` for subtasks. */
export interface ColumnState {
  id: string;
  title: string;
  type: ColumnKind;
  settings: { labels?: LabelState[]; boardIds?: string[] };
}

/** A group of a board; deleted groups are kept (flagged) so ids are never reused. */
export interface GroupState {
  id: string;
  title: string;
  color: string;
  archived: boolean;
  deleted: boolean;
}

/** A board; groups are in display order (the first non-archived one is the top group). */
export interface BoardState {
  id: string;
  name: string;
  type: 'board' | 'sub_items_board';
  /** The subitems board of a main board, or null. */
  subitems_board_id: string | null;
  /** The main board of a subitems board, or null. */
  parent_board_id: string | null;
  columns: ColumnState[];
  groups: GroupState[];
}

/** A JSON value as stored for a column. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** An item or subitem; `column_values` holds the normalised stored value per column id. */
export interface ItemState {
  id: string;
  board_id: string;
  group_id: string;
  name: string;
  parent_item_id: string | null;
  column_values: Record<string, JsonValue>;
  state: 'active' | 'archived' | 'deleted';
  created_at: string;
  updated_at: string;
  /** The user who created it (absent in state files written before users existed: the token owner). */
  creator_id?: string;
  /** The user whose change was the last one. */
  updated_by?: string;
}

/** Everything the emulator stores; items are in creation order. */
export interface EmulatorState {
  version: 1;
  boards: BoardState[];
  items: ItemState[];
}
