/** Finds stage plugins: the built-in list, or a user plugin file referenced by relative path. */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { builtinPlugins } from '../../plugins/index.ts';
import type { OptionsSchema, StageKind, StagePlugin } from './plugin.ts';

/** A plugin of any kind. */
export type AnyPlugin = StagePlugin<StageKind, OptionsSchema>;

/** Built-in plugins of one kind, by name. */
export function listPlugins(kind?: StageKind): AnyPlugin[] {
  return builtinPlugins.filter((p) => !kind || p.kind === kind);
}

function isPlugin(value: unknown): value is AnyPlugin {
  const p = value as Partial<AnyPlugin> | null;
  return Boolean(p && typeof p.name === 'string' && typeof p.kind === 'string' && typeof p.create === 'function' && p.options);
}

/** A plugin, or why it could not be found. */
export type PluginLookup = { plugin: AnyPlugin } | { error: string };

/** Resolves `use:` for a stage: a built-in name, or `./relative/path.ts` against the config's directory. */
export async function resolvePlugin(kind: StageKind, use: string, configDir: string): Promise<PluginLookup> {
  if (use.startsWith('./') || use.startsWith('../')) {
    const file = resolve(configDir, use);
    let module: Record<string, unknown>;
    try {
      module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    } catch (error) {
      return { error: `cannot load plugin file ${use}: ${(error as Error).message.split('\n')[0]}` };
    }
    const plugin = module.default ?? module.plugin;
    if (!isPlugin(plugin)) return { error: `plugin file ${use} has no default export made with definePlugin()` };
    if (plugin.kind !== kind) return { error: `plugin ${plugin.name} is a ${plugin.kind} plugin, not ${kind}` };
    return { plugin };
  }
  const found = builtinPlugins.find((p) => p.kind === kind && p.name === use);
  if (found) return { plugin: found };
  const known = listPlugins(kind).map((p) => p.name);
  const elsewhere = builtinPlugins.find((p) => p.name === use);
  const near = known.find((name) => distance(name, use) <= 2);
  const hint = elsewhere ? ` (${use} is a ${elsewhere.kind} plugin)` : near ? ` (did you mean ${near}?)` : '';
  return { error: `unknown ${kind} plugin "${use}"${hint}; known: ${known.join(', ') || 'none'}, or a relative path like ./plugins/my-${kind}.ts` };
}

/** Edit distance, for "did you mean" hints. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}
