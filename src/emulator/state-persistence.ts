/**
 * Durability for an emulator with a state file: a write is in the file before it is
 * acknowledged, or it is refused and undone; item ids are reserved in the file before use.
 */
import type { BoardStore } from './board-store.ts';
import { GroupCommit } from './group-commit.ts';
import { MAX_ID_STEP } from './item-ids.ts';
import type { StateFile } from './state-file.ts';
import type { EmulatorState } from './types.ts';

/**
 * Item ids reserved per save. Each save records `next id + RESERVE_IDS - 1` in the file
 * (`item_ids_reserved_through`) and no id above the last recorded reservation is handed out, so
 * after a crash, even one that lost the last save, a restart starts above every id ever issued
 * (acknowledged or not, seen by a read or not). A restart skips up to this many ids, cheap with
 * 10-digit ids; a request waits for a save of its own only when the reservation runs out.
 * Group ids are seeded per board and group count; after a restart the seed also takes the loaded
 * reservation (after a rollback, a rollback count), so a lost group's id is not handed out again.
 */
const RESERVE_IDS = 100_000;

/** The state file's side of a running emulator. */
export class StatePersistence {
  private readonly file: StateFile;
  private readonly store: BoardStore;
  private readonly warn: (message: string) => void;
  private readonly commits: GroupCommit;
  // The text of the last successful save (or the state as loaded): what a failed save rolls back to.
  private lastSaved: string;
  private wantedIds = 0;
  private failing: string | null = null;

  /** `store` must already start its ids above the loaded file's reservation (BoardStore's `idFloor`). */
  constructor(file: StateFile, store: BoardStore, options: { warn: (message: string) => void }) {
    this.file = file;
    this.store = store;
    this.warn = options.warn;
    this.lastSaved = JSON.stringify(store.state);
    // Nothing is handed out until a save has reserved it.
    store.ids.restrictTo(store.ids.peek() - 1);
    this.commits = new GroupCommit({ save: () => this.save(), rollback: () => this.rollback() });
  }

  /** The first save (state as loaded plus a fresh id reservation); a failure is reported, not thrown. */
  async start(): Promise<void> {
    await this.commit().catch(() => {});
  }

  /** Null when `count` new ids may be issued now; else a save that reserves them (rejects if it fails). */
  reserveIds(count: number): Promise<void> | null {
    if (this.store.ids.hasRoomFor(count)) return null;
    this.wantedIds = Math.max(this.wantedIds, count);
    return this.commit();
  }

  /** Resolves once every change made so far is in the file; on failure the changes are undone and it rejects. */
  commit(): Promise<void> {
    return this.commits.commit();
  }

  /** Waits for saves in progress. */
  close(): Promise<void> {
    return this.commits.idle();
  }

  private async save(): Promise<void> {
    // Everything up to the first await is the snapshot this save writes.
    const reservedThrough = this.store.ids.peek() + Math.max(RESERVE_IDS, MAX_ID_STEP * this.wantedIds) - 1;
    const text = this.file.render(this.store.state, reservedThrough);
    try {
      await this.file.save(text);
    } catch (error) {
      const reason = describe(error);
      const message = `emulator: cannot write state file ${this.file.path} (${reason}); the write was not applied and writes are refused until the file can be written`;
      if (this.failing !== reason) this.warn(message);
      this.failing = reason;
      throw new Error(message, { cause: error });
    }
    this.lastSaved = text;
    this.store.ids.allowThrough(reservedThrough);
    if (this.failing !== null) this.warn(`emulator: state file ${this.file.path} can be written again; writes are accepted`);
    this.failing = null;
  }

  private rollback(): void {
    this.store.reset(JSON.parse(this.lastSaved) as EmulatorState);
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
