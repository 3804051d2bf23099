/**
 * Lets the compiled CLI (plain node running dist/) import user plugin files written in TypeScript:
 * tsx's loader is registered the first time such a file is about to be imported, and not before,
 * because it costs a loader thread and ~80 MB that a pipeline of built-in plugins never needs.
 */
import { isDeno } from '../runtime/index.ts';

// This module is itself TypeScript when the sources run (tsx, vitest, Deno): .ts imports work already.
const runsCompiled = !isDeno && !import.meta.url.endsWith('.ts');

let registered: Promise<void> | null = null;

/** Whether a plugin path names a TypeScript file. */
export function isTypeScriptFile(path: string): boolean {
  return /\.[cm]?tsx?$/.test(path);
}

/** Makes `import()` of .ts files work in this process (a no-op where it already does); resolves once tsx's loader is in place. */
export function enableTypeScriptImports(): Promise<void> {
  if (!runsCompiled) return Promise.resolve();
  registered ??= import('tsx/esm/api').then(
    ({ register }) => {
      register();
    },
    // Without tsx the plugin's own import fails next, and the registry reports that at the stage's `use:`.
    () => {},
  );
  return registered;
}
