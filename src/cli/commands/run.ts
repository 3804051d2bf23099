/** `ordersync run [config]`: one sync of a pipeline now. */
import { EXIT, EXIT_CODES_HELP, type Command } from '../command.ts';
import { choiceOption, intOption, maxPositionals, UsageError } from '../parse-args.ts';

/** Values of --log-format. */
export const LOG_FORMATS = ['pretty', 'json'] as const;

/** The run command. */
export const command: Command = {
  name: 'run',
  summary: 'Sync every PENDING order of a pipeline to monday.com now, then write the report',
  help: `Usage: ordersync run [config] [options]

  config                 pipeline file (default config/order-list.yaml)
  --customer NAME        only this customer (repeatable)
  --limit N              at most N orders in this run
  --dry-run              read, transform, resolve and plan; write nothing anywhere; print the plan
  --retry-failed         put FAILED records back to PENDING now and retry them
  --force                resend every pending record in full, ignoring fingerprints; the conflict policy
                         still holds: a column a person changed on monday is not overwritten unless
                         onConflict says overwrite, monday-owned columns are never sent
  --log-format FORMAT    pretty (default on a terminal) or json (default otherwise)
  --verbose              debug logging

SIGINT/SIGTERM stop after the batch in flight is written back (the run is INTERRUPTED, exit 5);
a second signal exits at once (130).

${EXIT_CODES_HELP}`,
  options: {
    customer: { type: 'string', multiple: true },
    limit: { type: 'string' },
    'dry-run': { type: 'boolean' },
    'retry-failed': { type: 'boolean' },
    force: { type: 'boolean' },
    'log-format': { type: 'string' },
    verbose: { type: 'boolean', short: 'v' },
  },
  async run({ values, positionals }) {
    const { executeRun } = await import('../execute-run.ts');
    maxPositionals(positionals, 1);
    const customers = values.customer as string[] | undefined;
    if (customers?.some((c) => !c.trim())) throw new UsageError('--customer needs a customer name');
    const { code } = await executeRun({
      configFile: positionals[0],
      dryRun: values['dry-run'] === true,
      customers,
      limit: intOption(values.limit, 'limit'),
      force: values.force === true,
      retryFailed: values['retry-failed'] === true,
      logFormat: choiceOption(values['log-format'], 'log-format', LOG_FORMATS),
      verbose: values.verbose === true,
    });
    return code ?? EXIT.ok;
  },
};
