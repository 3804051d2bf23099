/** transform: turns one source record into what monday should hold. */
import type { PlannedRecord, SourceRecord } from './records.ts';

/** Maps records; pure (no I/O), so the dry run and the run map alike. */
export interface Transformer {
  /** The planned item and subitems of a record for `board`; a bad value becomes the entity's `problem`. */
  map(record: SourceRecord, board: string): PlannedRecord;
}
