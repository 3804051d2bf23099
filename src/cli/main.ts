/** The `ordersync` command line. */
import { ConfigError, formatIssue } from '../config/config-issue.ts';
import { DataDirLockedError } from '../db/data-dir-lock.ts';
import { PipelineLockedError } from '../db/pipeline-lock.ts';
import { writeErr, writeOut } from '../runtime/index.ts';
import { EXIT, EXIT_CODES_HELP, type Command } from './command.ts';
import { commands } from './commands/index.ts';
import { parseCommandArgs, UsageError } from './parse-args.ts';

const VERSION = '0.1.0';

/** The overview: every command's one-line summary (loading each command module, none of their heavy parts). */
async function overview(): Promise<string> {
  const listed = await Promise.all(commands.map((entry) => entry.load()));
  const width = Math.max(...listed.map((c) => c.name.length));
  return `ordersync ${VERSION} — sync PENDING orders from PostgreSQL into monday.com boards

Usage: ordersync <command> [options]      (ordersync <command> --help for details)

Commands:
${listed.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

With no settings it runs on embedded defaults: PGlite under .ordersync/ and a built-in
monday.com emulator. DATABASE_URL, MONDAY_API_URL and MONDAY_API_TOKEN switch to the real things.
${EXIT_CODES_HELP}`;
}

/** Runs the CLI with the given arguments; resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    writeOut(await overview());
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === '--version' || name === '-V') {
    writeOut(VERSION);
    return EXIT.ok;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    writeErr(`ordersync: unknown command "${name}"; commands: ${commands.map((c) => c.name).join(', ')}`);
    return EXIT.usage;
  }
  const command: Command = await entry.load();
  try {
    const args = parseCommandArgs(command, rest);
    if (args.help) {
      writeOut(command.help);
      return EXIT.ok;
    }
    return await command.run(args);
  } catch (error) {
    return await reportError(command, error);
  }
}

async function reportError(command: Command, error: unknown): Promise<number> {
  if (error instanceof ConfigError) {
    for (const issue of error.issues) writeErr(formatIssue(issue));
    return EXIT.usage;
  }
  if (error instanceof UsageError) {
    writeErr(`ordersync ${command.name}: ${error.message}\n  see: ordersync ${command.name} --help`);
    return EXIT.usage;
  }
  // Imported here, not at the top: the database driver modules stay unloaded for --help and usage errors.
  const { DatabaseUnreachableError } = await import('../db/open-database.ts');
  if (error instanceof DatabaseUnreachableError) {
    writeErr(`ordersync ${command.name}: ${error.message}`);
    return EXIT.database;
  }
  if (error instanceof PipelineLockedError || error instanceof DataDirLockedError) {
    writeErr(error.message);
    return EXIT.locked;
  }
  const e = error as Error;
  writeErr(`ordersync ${command.name}: ${e.message ?? String(error)}`);
  if (e.cause instanceof Error && !e.message.includes(e.cause.message)) writeErr(`  cause: ${e.cause.message}`);
  return EXIT.failures;
}
