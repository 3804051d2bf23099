/** The emulator's JSON state file: loading (old files too) and durable, atomic replacement. */
import { existsSync, readFileSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pid } from '../runtime/index.ts';
import type { EmulatorState } from './types.ts';

/** What a state file holds: the state, and the item ids reserved by the emulator that wrote it. */
export interface SavedState {
  state: EmulatorState;
  /** Every item id up to this may have been handed out; null in files written before reservations. */
  itemIdsReservedThrough: number | null;
}

/** Reads and durably replaces one state file. */
export class StateFile {
  readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  /** The saved state, or null when the file does not exist yet. */
  load(): SavedState | null {
    if (!existsSync(this.path)) return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(this.path, 'utf8'));
    } catch (error) {
      throw new Error(`emulator: state file ${this.path} is not valid JSON; move it away to start fresh`, { cause: error });
    }
    const file = parsed as (Partial<EmulatorState> & { item_ids_reserved_through?: unknown }) | null;
    if (!file || file.version !== 1 || !Array.isArray(file.boards) || !Array.isArray(file.items)) {
      throw new Error(`emulator: state file ${this.path} is not an emulator state (version 1 with boards and items)`);
    }
    const reserved = file.item_ids_reserved_through;
    if (reserved !== undefined && !Number.isSafeInteger(reserved)) {
      throw new Error(`emulator: state file ${this.path} has an item_ids_reserved_through that is not an integer`);
    }
    return { state: { version: 1, boards: file.boards, items: file.items }, itemIdsReservedThrough: (reserved as number | undefined) ?? null };
  }

  /** The text to save for `state` with ids reserved through `itemIdsReservedThrough`. */
  render(state: EmulatorState, itemIdsReservedThrough: number): string {
    return JSON.stringify({ ...state, item_ids_reserved_through: itemIdsReservedThrough });
  }

  /**
   * Replaces the file with `text` so that a crash at any moment leaves the old or the new file:
   * a temporary file in the same directory is written and fsynced, renamed over the old one,
   * then the directory is fsynced so the rename itself survives a power loss.
   */
  async save(text: string): Promise<void> {
    const temporary = `${this.path}.tmp-${pid}`;
    try {
      const handle = await open(temporary, 'w');
      try {
        await handle.writeFile(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, this.path);
    } catch (error) {
      await unlink(temporary).catch(() => {});
      throw error;
    }
    await syncDirectory(dirname(this.path));
  }
}

// Not every platform can open or fsync a directory (Windows, some Deno builds): best effort there.
async function syncDirectory(path: string): Promise<void> {
  let handle;
  try {
    handle = await open(path, 'r');
    await handle.sync();
  } catch {
    // The rename is done; only its durability across power loss is not guaranteed here.
  } finally {
    await handle?.close().catch(() => {});
  }
}
