/** Parses a command's arguments with node:util parseArgs; usage errors become UsageError. */
import { parseArgs } from 'node:util';
import type { Command, CommandArgs } from './command.ts';

/** A command-line mistake: printed with the command's help, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Parses argv for a command (adds --help). */
export function parseCommandArgs(command: Command, argv: string[]): CommandArgs & { help: boolean } {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return { values, positionals, help: values.help === true };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Reads a positive integer option. */
export function intOption(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive whole number, got ${String(value)}`);
  return n;
}
