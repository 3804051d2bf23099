/**
 * preflight: before anything is written, each stage checks that what the config points at exists —
 * source tables and columns, boards, monday columns and labels — and says where the config names it.
 */

/** A config path, e.g. `['stages', 'transform', 'with', 'columns', 'po_number']`. */
export type ConfigPath = (string | number)[];

/** A source field a stage reads, and where its `with:` names it (relative path). */
export interface FieldRef {
  field: string;
  path: ConfigPath;
}

/** A monday column a stage writes, and where its `with:` names it (relative path). */
export interface ColumnRef {
  id: string;
  /** The mapping's column type (text, numbers, status, dropdown, …). */
  type: string;
  path: ConfigPath;
  /** The source field that fills it, if one does. */
  field: string | null;
}

/** What a stage reads from the source and writes to monday (paths relative to its `with:`). */
export interface StageNeeds {
  reads?: { headers?: FieldRef[]; lines?: FieldRef[] };
  writes?: { item?: ColumnRef[]; subitem?: ColumnRef[] };
  /** The monday text columns that hold each record's own key (duplicates are found by them). */
  keys?: { item?: string; subitem?: string };
}

/** A problem preflight found, at an absolute config path; a `warning` is reported but does not stop the run. */
export interface PreflightProblem {
  path: ConfigPath;
  message: string;
  severity?: 'error' | 'warning';
}

/** A value of a source field among one customer's pending records, and how many records hold it. */
export interface PendingValue {
  customer: string;
  value: string;
  count: number;
}

/** What a stage's preflight is given: every stage's needs (absolute paths) and the configured targets. */
export interface PreflightScope {
  /** Absolute path of this stage's `with:`; prefix the stage's own option paths with it. */
  at: ConfigPath;
  reads: { headers: FieldRef[]; lines: FieldRef[] };
  writes: { item: ColumnRef[]; subitem: ColumnRef[] };
  /** The boards the configured customers write to, each with the config path that names it. */
  boards: { id: string; path: ConfigPath }[];
  customers: string[];
  /** Distinct values of a source field among these customers' pending records ([] when the source cannot tell). */
  pendingValues(part: 'headers' | 'lines', field: string, customers: string[]): Promise<PendingValue[]>;
}
