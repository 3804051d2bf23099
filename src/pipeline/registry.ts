/** The plugin registry: the built-in list it is given, plus user plugin files referenced by relative path. */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AnyPlugin, StageKind } from './contract/index.ts';

/** A plugin, or why it could not be found. */
export type PluginLookup = { plugin: AnyPlugin } | { error: string };

/** Finds stage plugins by `use:`. */
export interface PluginRegistry {
  /** Built-in plugins, optionally of one kind. */
  list(kind?: StageKind): AnyPlugin[];
  /** Resolves `use:` for a stage: a built-in name, or `./relative/path.ts` against the config's directory. */
  resolve(kind: StageKind, use: string, configDir: string): Promise<PluginLookup>;
}

function isPlugin(value: unknown): value is AnyPlugin {
  const p = value as Partial<AnyPlugin> | null;
  return Boolean(p && typeof p.name === 'string' && typeof p.kind === 'string' && typeof p.create === 'function' && p.options);
}

/** A registry over the given built-ins (the CLI passes `plugins/index.ts`'s list). */
export function createRegistry(builtins: readonly AnyPlugin[]): PluginRegistry {
  const list = (kind?: StageKind): AnyPlugin[] => builtins.filter((p) => !kind || p.kind === kind);
  return {
    list,
    async resolve(kind, use, configDir) {
      if (use.startsWith('./') || use.startsWith('../')) return loadPluginFile(kind, use, configDir);
      const found = builtins.find((p) => p.kind === kind && p.name === use);
      if (found) return { plugin: found };
      const known = list(kind).map((p) => p.name);
      const elsewhere = builtins.find((p) => p.name === use);
      const near = known.find((name) => editDistance(name, use) <= 2);
      const hint = elsewhere ? ` (${use} is a ${elsewhere.kind} plugin)` : near ? ` (did you mean ${near}?)` : '';
      return { error: `unknown ${kind} plugin "${use}"${hint}; known: ${known.join(', ') || 'none'}, or a relative path like ./plugins/my-${kind}.ts` };
    },
  };
}

async function loadPluginFile(kind: StageKind, use: string, configDir: string): Promise<PluginLookup> {
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(resolve(configDir, use)).href)) as Record<string, unknown>;
  } catch (error) {
    return { error: `cannot load plugin file ${use}: ${(error as Error).message.split('\n')[0]}` };
  }
  const plugin = module.default ?? module.plugin;
  if (!isPlugin(plugin)) return { error: `plugin file ${use} has no default export made with definePlugin()` };
  if (plugin.kind !== kind) return { error: `plugin ${plugin.name} is a ${plugin.kind} plugin, not ${kind}` };
  return { plugin };
}

/** Edit distance, for "did you mean" hints. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}
