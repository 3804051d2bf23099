/** `ordersync migrate [config]`: brings the database to the latest schema (a no-op when it is). */
import { loadPipelineConfig } from '../../config/load-config.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { openDatabase } from '../../db/open-database.ts';
import { writeOut } from '../../runtime/index.ts';
import { EXIT, type Command } from '../command.ts';
import { DEFAULT_CONFIG } from '../open-configured-database.ts';

/** The migrate command. */
export const command: Command = {
  name: 'migrate',
  summary: 'Create or upgrade the engine tables and the demo schema (run automatically before run)',
  help: `Usage: ordersync migrate [config]

Applies pending migrations to the pipeline's database (DATABASE_URL → PostgreSQL, else the
embedded PGlite under .ordersync/). Running it twice is a no-op the second time.`,
  options: {},
  async run({ positionals }) {
    const config = await loadPipelineConfig(positionals[0] ?? DEFAULT_CONFIG);
    const database = await openDatabase({ url: config.database.url || undefined, dataDir: config.database.dataDir });
    try {
      const { applied } = await migrateToLatest(database.db);
      writeOut(applied.length > 0 ? `migrated ${database.where}: applied ${applied.join(', ')}` : `${database.where} is up to date; nothing to apply`);
      return EXIT.ok;
    } finally {
      await database.close();
    }
  },
};
