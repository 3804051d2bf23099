/** The shape of one CLI command: parsed with node:util parseArgs, run with an exit code. */
import type { ParseArgsConfig } from 'node:util';

/** Option declarations for parseArgs. */
export type CommandOptions = NonNullable<ParseArgsConfig['options']>;

/** Parsed arguments handed to a command. */
export interface CommandArgs {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

/** Exit codes, the same for every command (`run` and `demo --run` alike); EXIT_CODES_HELP explains them. */
export const EXIT = {
  /** Done: every record the run processed synced (or there was nothing to do). */
  ok: 0,
  /** The run finished but records FAILED or were left PENDING for a retry, monday stopped it, or the command failed. */
  failures: 1,
  /** Usage or config error (nothing was run). */
  usage: 2,
  /** Another run of the pipeline, or another process on the embedded database, holds the lock. */
  locked: 3,
  /** The database cannot be reached (connection refused, unknown host, authentication, no such database), or was lost mid-run. */
  database: 4,
  /** Stopped by SIGINT/SIGTERM after the batch in flight was written back (run INTERRUPTED). */
  interrupted: 5,
  /** A second signal: exited at once; the next run recovers what was in flight. */
  forced: 130,
} as const;

/** The exit-code table printed by `--help` (and in README.md). */
export const EXIT_CODES_HELP = `Exit codes (the same for run and demo --run):
  0    every record the run processed synced, or nothing to do (and --dry-run, --help)
  1    the run finished with FAILED records or records left PENDING for a retry, or monday
       stopped it (auth, daily limit), or the command failed
  2    usage or config error; nothing was run
  3    locked: another run of the pipeline (or another process on the embedded database)
  4    the database cannot be reached (refused, unknown host, authentication, no such database),
       or was lost during the run (the run is INTERRUPTED; the next run finishes the rest)
  5    interrupted by SIGINT/SIGTERM or a lost pipeline lock: the batch in flight was written
       back, the run is INTERRUPTED
  130  a second SIGINT/SIGTERM: exited at once; the next run recovers what was in flight`;

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
