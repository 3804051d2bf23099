/** `ordersync demo`: seeds the demo orders (and with --run, syncs them on the embedded defaults). */
import { rmSync } from 'node:fs';
import { writeOut } from '../../runtime/index.ts';
import { EXIT, EXIT_CODES_HELP, type Command } from '../command.ts';
import { choiceOption, intOption, maxPositionals } from '../parse-args.ts';
import { LOG_FORMATS } from './run.ts';

/** The demo command. */
export const command: Command = {
  name: 'demo',
  summary: 'Seed realistic demo orders (5 customers, size lines, a few dirty rows); --run also syncs them',
  help: `Usage: ordersync demo [config] [--run] [--reset] [--seed N] [--orders N] [--log-format FORMAT]

  --run                seed, then run the pipeline (this is what npm start does)
  --reset              empty the demo tables and the sync state first
  --seed N             PRNG seed (default 42): the same seed gives the same orders
  --orders N           orders per customer (default 8)
  --log-format FORMAT  pretty (default on a terminal) or json (default otherwise), with --run

Seeding is idempotent: existing order numbers are left alone. Four rows are dirty on purpose
(a non-numeric quantity, an impossible date, a missing season, a 300-character style name):
they end FAILED with their reasons while the rest sync, so a first demo --run exits 1.

${EXIT_CODES_HELP}`,
  options: { run: { type: 'boolean' }, reset: { type: 'boolean' }, seed: { type: 'string' }, orders: { type: 'string' }, 'log-format': { type: 'string' } },
  async run({ values, positionals }) {
    const [{ resetDemo, seedDemo }, { executeRun }, { EMULATOR_STATE_FILE }, { openConfiguredDatabase }] = await Promise.all([
      import('../../db/seed-demo.ts'), import('../execute-run.ts'), import('../monday-target.ts'), import('../wiring.ts'),
    ]);
    maxPositionals(positionals, 1);
    const logFormat = choiceOption(values['log-format'], 'log-format', LOG_FORMATS);
    const seedOptions = { seed: intOption(values.seed, 'seed'), ordersPerCustomer: intOption(values.orders, 'orders') };
    const seed = async (database: Awaited<ReturnType<typeof openConfiguredDatabase>>['database']): Promise<void> => {
      if (values.reset) {
        await resetDemo(database.db);
        rmSync(EMULATOR_STATE_FILE, { force: true }); // the embedded board goes with the data that points at it
      }
      const added = await seedDemo(database.db, seedOptions);
      writeOut(`demo: ${added.orders} new orders and ${added.lines} new lines in ${database.where}`);
    };
    if (!values.run) {
      const { database } = await openConfiguredDatabase(positionals[0]);
      try {
        await seed(database);
      } finally {
        await database.close();
      }
      return EXIT.ok;
    }
    // The same exit codes as `run`: the four dirty demo rows fail on purpose, so a first demo run exits 1.
    const { code } = await executeRun({ configFile: positionals[0], prepare: seed, logFormat });
    return code;
  },
};
