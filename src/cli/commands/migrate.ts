/** `ordersync migrate [config]`: brings the database to the latest schema (a no-op when it is). */
import { writeOut } from '../../runtime/index.ts';
import { EXIT, type Command } from '../command.ts';
import { maxPositionals } from '../parse-args.ts';

/** The migrate command. */
export const command: Command = {
  name: 'migrate',
  summary: 'Create or upgrade the engine tables and the demo schema (run automatically before run)',
  help: `Usage: ordersync migrate [config]

Applies pending migrations to the pipeline's database (DATABASE_URL → PostgreSQL, else the
embedded PGlite under .ordersync/). Running it twice is a no-op the second time.`,
  options: {},
  async run({ positionals }) {
    const [{ migrateOpened }, { openDatabase }, { loadConfig }] = await Promise.all([import('../../db/migrate.ts'), import('../../db/open-database.ts'), import('../wiring.ts')]);
    maxPositionals(positionals, 1);
    const config = await loadConfig(positionals[0]);
    const database = await openDatabase(config.database);
    try {
      const { applied } = await migrateOpened(database, config.database);
      writeOut(applied.length > 0 ? `migrated ${database.where}: applied ${applied.join(', ')}` : `${database.where} is up to date; nothing to apply`);
      return EXIT.ok;
    } finally {
      await database.close().catch(() => {});
    }
  },
};
