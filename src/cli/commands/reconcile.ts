/** `ordersync reconcile [config]`: each board compared with the database, reading only; exit 1 on drift. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeOut } from '../../runtime/index.ts';
import { EXIT, type Command } from '../command.ts';
import { intOption, maxPositionals, UsageError } from '../parse-args.ts';

/** Where the Markdown report goes when `--out` is not given. */
export const RECONCILE_DIR = 'reports/reconcile';

/** `202612020130` from a time (UTC). */
const stamp = (iso: string): string => iso.slice(0, 16).replace(/[-T:]/g, '');

/** The reconcile command. */
export const command: Command = {
  name: 'reconcile',
  summary: 'Compare each board with the database, reading only: counts per group, duplicates, orphans, missing items, changed values',
  help: `Usage: ordersync reconcile [config] [--json] [--out PATH] [--page-size N]

Reads every item (with its subitems) of each board of the pipeline and compares it with the database,
writing nothing to either: items and subitems per group against the database's counts, duplicates by
key, items with no database row (orphans), SYNCED rows whose item is gone (missing), items moved to
another group, and column values that differ from what ordersync last wrote (changed).

  config           pipeline file (default config/order-list.yaml)
  --json           print the findings as JSON instead of the table
  --out PATH       the Markdown report (with a Mermaid chart): a .md file, or a directory
                   (default ${RECONCILE_DIR}/<YYYYMMDDHHmm>-RECONCILE-<pipeline>.md)
  --page-size N    items per items_page read, 1–500 (default 100); reads are paced to the budget

Exit codes:
  0    no drift: every board matches the database
  1    drift found (listed), or the command failed
  2    usage or config error
  4    the database cannot be reached`,
  options: {
    json: { type: 'boolean' },
    out: { type: 'string' },
    'page-size': { type: 'string' },
  },
  async run({ values, positionals }) {
    maxPositionals(positionals, 1);
    const pageSize = intOption(values['page-size'], 'page-size') ?? 100;
    if (pageSize > 500) throw new UsageError(`--page-size is at most 500 (monday's items_page limit), got ${pageSize}`);
    const [{ silentLogger }, { renderReconcileMarkdown, formatReconcileTable }, { reconcilePipeline }, { connectMonday }, { openConfiguredDatabase }] = await Promise.all([
      import('../../pipeline/logger.ts'), import('../../reconcile/format-reconcile.ts'), import('../../reconcile/reconcile-pipeline.ts'), import('../monday-target.ts'), import('../wiring.ts'),
    ]);
    const { config, database } = await openConfiguredDatabase(positionals[0]);
    try {
      const monday = await connectMonday(config, silentLogger);
      try {
        const report = await reconcilePipeline({ config, database, monday: monday.client, pageSize });
        const out = typeof values.out === 'string' ? values.out : RECONCILE_DIR;
        const file = out.endsWith('.md') ? out : join(out, `${stamp(report.checkedAt)}-RECONCILE-${config.pipeline}.md`);
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, renderReconcileMarkdown(report));
        if (values.json === true) writeOut(JSON.stringify({ ...report, reportFile: file }, null, 2));
        else writeOut(`${formatReconcileTable(report)}\nreport: ${file}`);
        return report.drift ? EXIT.failures : EXIT.ok;
      } finally {
        await monday.close();
      }
    } finally {
      await database.close();
    }
  },
};
