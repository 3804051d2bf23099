/** `ordersync retry <order key>...`: puts orders (and their FAILED lines) back to PENDING for the next run. */
import { writeErr, writeOut } from '../../runtime/index.ts';
import { EXIT, type Command } from '../command.ts';
import { UsageError } from '../parse-args.ts';
import { requireRecords } from './records.ts';

/** The retry command. */
export const command: Command = {
  name: 'retry',
  summary: 'Put chosen orders (and their FAILED lines) back to PENDING with retry_count 0, for the next run',
  help: `Usage: ordersync retry <order key>... [--config FILE]

  <order key>...   orders to send again, e.g. PEL-1103 (see ordersync records --state FAILED)
  --config FILE    pipeline file (default config/order-list.yaml); its extract stage names the tables

Each order goes back to PENDING with retry_count 0 (an order that is SYNCED stays SYNCED), its
FAILED lines go back to PENDING, and the fingerprint of their last failure is forgotten, so the
next run sends them even if nothing changed. Nothing is sent now: run ordersync run afterwards.
An unknown order key changes nothing and exits 2.`,
  options: { config: { type: 'string', short: 'c' } },
  async run({ values, positionals }) {
    const [{ forgetFailures }, { openConfiguredDatabase, openSource }] = await Promise.all([import('../../pipeline/record-state.ts'), import('../wiring.ts')]);
    if (positionals.length === 0) throw new UsageError('name at least one order key (see ordersync records --state FAILED)');
    const keys = [...new Set(positionals)];
    const { config, database } = await openConfiguredDatabase(values.config as string | undefined);
    const source = await openSource(config, database, 'retry');
    try {
      requireRecords(source, config, 'requeue');
      const result = await source.writeBack.requeue!(keys);
      if (result.unknown.length === 0) await forgetFailures(database.db, keys);
      if (result.unknown.length > 0) {
        writeErr(`retry: no order ${result.unknown.map((k) => JSON.stringify(k)).join(', ')} in ${config.pipeline}'s tables; nothing was changed`);
        return EXIT.usage;
      }
      writeOut(`retry: ${result.orders} order${result.orders === 1 ? '' : 's'} and ${result.lines} line${result.lines === 1 ? '' : 's'} put back to PENDING; the next run (ordersync run) sends them`);
      return EXIT.ok;
    } finally {
      await source.close();
      await database.close();
    }
  },
};
