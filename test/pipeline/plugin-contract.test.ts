import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { builtinPlugins } from '../../plugins/index.ts';
import { STAGE_KINDS } from '../../src/pipeline/index.ts';

describe.each(builtinPlugins.map((p) => [p.name, p] as const))('built-in plugin %s', (name, plugin) => {
  it('accepts its own documented example', () => {
    const result = v.safeParse(plugin.options, plugin.example);
    expect(result.issues?.map((i) => i.message) ?? []).toEqual([]);
    expect(result.success).toBe(true);
  });

  it('declares a known kind, a kebab-case name equal to its file, and a one-line summary', async () => {
    expect(STAGE_KINDS).toContain(plugin.kind);
    expect(name).toMatch(/^[a-z][a-z0-9-]*$/);
    const file = new URL(`../../plugins/${plugin.kind}/${name}.ts`, import.meta.url);
    const module = (await import(file.href)) as { default: unknown };
    expect(module.default).toBe(plugin);
    expect(plugin.summary.length).toBeGreaterThan(10);
    expect(plugin.summary).not.toContain('\n');
  });
});

it('registers exactly one plugin per name', () => {
  const names = builtinPlugins.map((p) => p.name);
  expect(new Set(names).size).toBe(names.length);
});
