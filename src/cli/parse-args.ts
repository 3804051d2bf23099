/** Parses a command's arguments with node:util parseArgs; usage errors become UsageError. */
import { parseArgs } from 'node:util';
import type { Command, CommandArgs } from './command.ts';

/** A command-line mistake: one line plus a pointer to the command's --help, exit 2. */
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
    // node's messages go on to explain `--` for positionals that start with '-'; the first sentence is the mistake.
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument[\s\S]*$/, ''));
  }
}

/** Reads an option that takes one of a few words. */
export function choiceOption<T extends string>(value: unknown, name: string, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new UsageError(`--${name} must be ${choices.slice(0, -1).join(', ')}${choices.length > 1 ? ' or ' : ''}${choices.at(-1)}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

/** At most `max` positional arguments (the rest is a mistake, not something to ignore). */
export function maxPositionals(positionals: string[], max: number): void {
  if (positionals.length > max) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[max])}`);
}

/** Reads a positive integer option. */
export function intOption(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive whole number, got ${JSON.stringify(value)}`);
  return n;
}
