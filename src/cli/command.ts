/** The shape of one CLI command: parsed with node:util parseArgs, run with an exit code. */
import type { ParseArgsConfig } from 'node:util';

/** Option declarations for parseArgs. */
export type CommandOptions = NonNullable<ParseArgsConfig['options']>;

/** Parsed arguments handed to a command. */
export interface CommandArgs {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

/** Exit codes: 0 ok, 1 run finished with failures, 2 usage/config error, 3 another run holds the lock. */
export const EXIT = { ok: 0, failures: 1, usage: 2, locked: 3 } as const;

/** One `ordersync <name>` command. */
export interface Command {
  name: string;
  /** One line for `ordersync --help`. */
  summary: string;
  /** Usage line(s) and option help for `ordersync <name> --help`. */
  help: string;
  options: CommandOptions;
  /** Runs the command; resolves to the exit code. */
  run(args: CommandArgs): Promise<number>;
}
