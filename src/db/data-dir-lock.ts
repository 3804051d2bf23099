/** A lock file that keeps a PGlite data directory to one process (PGlite is one session in one process). */
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isProcessAlive, pid } from '../runtime/index.ts';

/** Thrown when another live process holds the data directory. */
export class DataDirLockedError extends Error {
  constructor(dataDir: string, holder: number) {
    super(`db: the embedded database ${dataDir} is in use by process ${holder}; stop it or set DATABASE_URL to share a PostgreSQL server`);
    this.name = 'DataDirLockedError';
  }
}

/** Data directories this process holds: a second opener in the same process is refused too. */
const heldHere = new Set<string>();

/**
 * The pid in a lock file. Another opener creates the file and then writes its pid: an empty file
 * is read again for a moment, and counts as held (null) while it is that fresh.
 */
function readHolder(file: string): number | null {
  for (let waited = 0; ; waited += 20) {
    let text = '';
    let age = Number.POSITIVE_INFINITY;
    try {
      text = readFileSync(file, 'utf8').trim();
      age = Date.now() - statSync(file).mtimeMs;
    } catch {
      return 0; // gone meanwhile: free
    }
    const holder = Number(text);
    if (text && Number.isInteger(holder) && holder > 0) return holder;
    if (age > 5_000) return 0; // an empty file left behind long ago: stale
    if (waited >= 1_000) return null;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
}

/** Takes the lock for a data directory (taking over a stale one); returns its release function. */
export function lockDataDir(dataDir: string): () => void {
  const file = `${dataDir}.lock`;
  if (heldHere.has(file)) throw new DataDirLockedError(dataDir, pid);
  mkdirSync(dirname(file), { recursive: true });
  for (let tries = 0; tries < 2; tries++) {
    try {
      writeFileSync(file, String(pid), { flag: 'wx' });
      heldHere.add(file);
      return () => {
        heldHere.delete(file);
        rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
      const holder = readHolder(file);
      if (holder === null || (holder !== pid && isProcessAlive(holder))) {
        throw new DataDirLockedError(dataDir, holder ?? 0);
      }
      // Stale lock from a process that died (or our own leftover): take it over.
      rmSync(file, { force: true });
    }
  }
  throw new Error(`db: could not lock ${dataDir}`);
}
