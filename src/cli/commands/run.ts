/** `ordersync run [config]`: one sync of a pipeline now. */
import { EXIT, type Command } from '../command.ts';
import { executeRun } from '../execute-run.ts';
import { intOption } from '../parse-args.ts';

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
  --force                resend every pending record in full, ignoring fingerprints
  --log-format FORMAT    pretty (default on a terminal) or json (default otherwise)
  --verbose              debug logging

Exit codes: 0 every record synced, 1 the run finished with failures, 2 usage or config error,
3 another run of this pipeline holds the lock.`,
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
    const { code } = await executeRun({
      configFile: positionals[0],
      dryRun: values['dry-run'] === true,
      customers: values.customer as string[] | undefined,
      limit: intOption(values.limit, 'limit'),
      force: values.force === true,
      retryFailed: values['retry-failed'] === true,
      logFormat: values['log-format'] as 'pretty' | 'json' | undefined,
      verbose: values.verbose === true,
    });
    return code ?? EXIT.ok;
  },
};
