/** `ordersync runs`: the latest runs from `ordersync_runs`, newest first. */
import { writeOut } from '../../runtime/index.ts';
import { EXIT, type Command } from '../command.ts';
import { intOption, maxPositionals } from '../parse-args.ts';

/** The runs command. */
export const command: Command = {
  name: 'runs',
  summary: 'List the latest runs (status, duration, record totals, report folder), newest first',
  help: `Usage: ordersync runs [--limit N] [--pipeline NAME] [--json] [--config FILE]

  --limit N          how many runs (default 20)
  --pipeline NAME    only runs of this pipeline (default: every pipeline in the database)
  --json             print the rows as JSON instead of a table
  --config FILE      pipeline file naming the database (default config/order-list.yaml)

Times are shown in the pipeline's schedule time zone. NOTE is the run's error, "dry run",
or its report folder.`,
  options: {
    limit: { type: 'string' },
    pipeline: { type: 'string' },
    json: { type: 'boolean' },
    config: { type: 'string', short: 'c' },
  },
  async run({ values, positionals }) {
    const [{ formatRunsTable }, { listRuns }, { openConfiguredDatabase }] = await Promise.all([
      import('../../report/format-runs-table.ts'), import('../../report/run-history.ts'), import('../wiring.ts'),
    ]);
    maxPositionals(positionals, 0);
    const limit = intOption(values.limit, 'limit') ?? 20;
    const { config, database } = await openConfiguredDatabase(values.config as string | undefined);
    try {
      const rows = await listRuns(database.db, { limit, pipeline: values.pipeline as string | undefined });
      writeOut(values.json === true ? JSON.stringify(rows, null, 2) : formatRunsTable(rows, config.schedule?.timezone ?? 'UTC'));
      return EXIT.ok;
    } finally {
      await database.close();
    }
  },
};
