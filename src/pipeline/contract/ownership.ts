/** Who owns a mapped column, and what happens when a person and the source both changed it. */

/** Who keeps a column's value: the database (`source`, the default), people on the board (`monday`), or both (`shared`). */
export type ColumnOwner = 'source' | 'monday' | 'shared';

/**
 * What an update does with a column a person changed on monday since ordersync last wrote it:
 * `flag` leaves the person's value and records the conflict, `overwrite` writes ours, `keep-monday`
 * accepts the person's value as the new baseline.
 */
export type ConflictPolicy = 'flag' | 'overwrite' | 'keep-monday';

/** What the load stage needs to know about one mapped column (keyed by monday column id, and `name`). */
export interface ColumnMeta {
  /** monday column type (`text`, `status`, …; `name` for the item name): how values compare. */
  type: string;
  owner: ColumnOwner;
  /** This column's own policy; null follows the load stage's `onConflict`. */
  onConflict: ConflictPolicy | null;
  /** The source column it comes from (for reports), null for the name and the key. */
  field: string | null;
}

/** One column a person and the source both changed: what each side holds, and what was done. */
export interface Conflict {
  /** monday column id (or `name`). */
  column: string;
  /** The source column, when there is one. */
  field: string | null;
  /** Our value and the person's, as comparable text. */
  ours: string;
  theirs: string;
  policy: ConflictPolicy;
}
