/** `ordersync report <sync id>`: renders a past run's report again with the current templates. */
import { createLogger } from '../../pipeline/logger.ts';
import { writeErr, writeOut } from '../../runtime/index.ts';
import { EXIT, type Command } from '../command.ts';
import { UsageError } from '../parse-args.ts';

/** The report command. */
export const command: Command = {
  name: 'report',
  summary: "Render a past run's report again from the database, with the pipeline's current templates",
  help: `Usage: ordersync report <sync id> [--config FILE] [--out DIR]

  <sync id>        the run, e.g. 202611281530-SYNC-1A2B3C4D (see ordersync runs)
  --config FILE    the run's pipeline file (default config/order-list.yaml)
  --out DIR        write under DIR instead of the report stage's outDir

Reads ordersync_runs.summary and hands it to the pipeline's report stage as configured now,
so edited or swapped templates apply to old runs. Nothing is sent to monday.com.
Exit codes: 0 written, 2 unknown sync id, a dry run, an unfinished run or a usage error.`,
  options: {
    config: { type: 'string', short: 'c' },
    out: { type: 'string' },
  },
  async run({ values, positionals }) {
    const [{ rerenderRun }, { openConfiguredDatabase }] = await Promise.all([import('../../report/rerender-run.ts'), import('../wiring.ts')]);
    const [runId, extra] = positionals;
    if (!runId) throw new UsageError('name the sync id of the run to render');
    if (extra) throw new UsageError(`unexpected argument "${extra}"`);
    const { config, database } = await openConfiguredDatabase(values.config as string | undefined);
    try {
      const boards = new Map(config.customers.map((c) => [c.name, c.board ?? config.monday.board]));
      const result = await rerenderRun({
        db: database.db,
        runId,
        pipeline: config.pipeline,
        stage: config.stages.report,
        configDir: config.dir,
        outDir: values.out as string | undefined,
        logger: createLogger({ secrets: config.secrets }),
        boardFor: (customer) => boards.get(customer) ?? config.monday.board,
      });
      if (!result.ok) {
        writeErr(result.message);
        return EXIT.usage;
      }
      writeOut(result.path);
      return EXIT.ok;
    } finally {
      await database.close();
    }
  },
};
