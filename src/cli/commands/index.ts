/**
 * Every CLI command, in the order `ordersync --help` lists them. Each is a lazy import:
 * `ordersync validate` loads validate's module and nothing of the others.
 */
import type { Command } from '../command.ts';

/** A command's name and how to load its module (command modules import their heavy parts inside `run`). */
export interface CommandEntry {
  name: string;
  load(): Promise<Command>;
}

/** The commands. */
export const commands: readonly CommandEntry[] = [
  { name: 'run', load: async () => (await import('./run.ts')).command },
  { name: 'serve', load: async () => (await import('./serve.ts')).command },
  { name: 'demo', load: async () => (await import('./demo.ts')).command },
  { name: 'validate', load: async () => (await import('./validate.ts')).command },
  { name: 'migrate', load: async () => (await import('./migrate.ts')).command },
  { name: 'runs', load: async () => (await import('./runs.ts')).command },
  { name: 'report', load: async () => (await import('./report.ts')).command },
  { name: 'records', load: async () => (await import('./records.ts')).command },
  { name: 'retry', load: async () => (await import('./retry.ts')).command },
  { name: 'reconcile', load: async () => (await import('./reconcile.ts')).command },
  { name: 'emulator', load: async () => (await import('./emulator.ts')).command },
  { name: 'plugins', load: async () => (await import('./plugins.ts')).command },
];
