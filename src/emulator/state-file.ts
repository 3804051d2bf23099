/** JSON persistence of the emulator state, so a standalone emulator keeps its boards. */
import { existsSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { pid } from '../runtime/index.ts';
import type { EmulatorState } from './types.ts';

const DEBOUNCE_MS = 200;

/** Loads a state file once and saves it, debounced, after changes. */
export class StateFile {
  readonly path: string;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private writing: Promise<void> = Promise.resolve();
  private source: (() => EmulatorState) | null = null;
  private failure: unknown = null;

  constructor(path: string) {
    this.path = path;
  }

  /** The saved state, or null when the file does not exist yet. */
  load(): EmulatorState | null {
    if (!existsSync(this.path)) return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(this.path, 'utf8'));
    } catch (error) {
      throw new Error(`emulator: state file ${this.path} is not valid JSON; move it away to start fresh`, { cause: error });
    }
    const state = parsed as Partial<EmulatorState> | null;
    if (!state || state.version !== 1 || !Array.isArray(state.boards) || !Array.isArray(state.items)) {
      throw new Error(`emulator: state file ${this.path} is not an emulator state (version 1 with boards and items)`);
    }
    return state as EmulatorState;
  }

  /** Saves `source()` soon; several changes in a row make one write. */
  schedule(source: () => EmulatorState): void {
    this.source = source;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.write();
    }, DEBOUNCE_MS);
    // A pending save must not keep the process alive; close() flushes it.
    (this.timer as { unref?: () => void }).unref?.();
  }

  /** Writes any pending change now and waits for all writes; throws if a save failed. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
      await this.write();
    }
    await this.writing;
    if (this.failure) throw new Error(`emulator: could not save state file ${this.path}`, { cause: this.failure });
  }

  // Writes run one after another, each to a temporary file renamed over the old one.
  private write(): Promise<void> {
    const source = this.source;
    if (!source) return this.writing;
    const text = JSON.stringify(source());
    const temporary = `${this.path}.tmp-${pid}`;
    // A failed save must not crash the server mid-request; flush() reports it.
    this.writing = this.writing
      .then(async () => {
        await writeFile(temporary, text);
        await rename(temporary, this.path);
      })
      .catch((error: unknown) => {
        this.failure = error;
      });
    return this.writing;
  }
}
