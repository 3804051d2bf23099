// Whether dist/ holds a build of the current sources: its entry exists and no file under src/ or
// plugins/ was changed after it was written (tsc rewrites every output on each build).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The compiled CLI entry, relative to the package root. */
export const DIST_ENTRY = 'dist/src/cli/ordersync.js';

/** The folders the build compiles (tsconfig.build.json's include). */
export const SOURCE_DIRS = ['src', 'plugins'];

/** The newest modification time (ms) of any file under dir, or 0 when it has none (or is absent). */
function newestMtimeMs(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  let newest = 0;
  for (const entry of entries) {
    const path = join(dir, entry.name);
    const mtimeMs = entry.isDirectory() ? newestMtimeMs(path) : statSync(path).mtimeMs;
    if (mtimeMs > newest) newest = mtimeMs;
  }
  return newest;
}

/** True when the package at root has a compiled build at least as new as its sources. */
export function isBuildCurrent(root) {
  let builtMs;
  try {
    builtMs = statSync(join(root, DIST_ENTRY)).mtimeMs;
  } catch {
    return false;
  }
  return SOURCE_DIRS.every((dir) => newestMtimeMs(join(root, dir)) <= builtMs);
}
