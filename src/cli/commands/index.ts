/** Every CLI command, in the order `ordersync --help` lists them. */
import type { Command } from '../command.ts';
import { command as run } from './run.ts';
import { command as demo } from './demo.ts';
import { command as validate } from './validate.ts';
import { command as migrate } from './migrate.ts';
import { command as plugins } from './plugins.ts';
import { command as serve } from './serve.ts';
import { command as runs } from './runs.ts';
import { command as report } from './report.ts';
import { command as records } from './records.ts';
import { command as retry } from './retry.ts';
import { command as reconcile } from './reconcile.ts';
import { command as emulator } from './emulator.ts';

/** The commands. */
export const commands: Command[] = [run, serve, demo, validate, migrate, runs, report, records, retry, reconcile, emulator, plugins];
