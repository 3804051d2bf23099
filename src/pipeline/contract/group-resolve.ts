/** group-resolve: finds (or creates) the monday group of each planned record and says so. */
import type { PlannedRecord } from './records.ts';

/** A group title resolved on a board. */
export interface ResolvedGroup {
  board: string;
  title: string;
  groupId: string | null;
  /** `created` by this run, `reused` from the table, `adopted` from the board, `planned` in a dry run. */
  origin: 'created' | 'reused' | 'adopted' | 'planned';
}

/** The group of one order, or why it has none now. */
export interface GroupAssignment {
  /** The order's key. */
  key: string;
  title: string | null;
  groupId: string | null;
  /** Why the order cannot have a group (it fails alone). */
  problem: string | null;
  /** Why the order waits for a later run (e.g. its group could not be created just now). */
  deferred: string | null;
}

/** What group-resolve decided for a page. */
export interface GroupResolution {
  /** One assignment per record with an item to write. */
  assignments: GroupAssignment[];
  /** The groups the page touched. */
  groups: ResolvedGroup[];
}

/** Resolves groups; it does not edit the records it is given. */
export interface GroupResolver {
  resolve(records: readonly PlannedRecord[]): Promise<GroupResolution>;
}
