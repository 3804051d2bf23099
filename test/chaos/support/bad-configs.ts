/**
 * A corpus of broken pipeline files: each is a valid base file with one edit, and names the text
 * whose line the error must point at and what the message must say.
 */
import { join } from 'node:path';
import { REPO_ROOT } from './cli-child.ts';

/** One broken file. */
export interface BadConfig {
  name: string;
  /** Replaces `from` (which must occur in the base) by `to`. */
  from: string;
  to: string;
  /** The error's line is the line of this text within `to` (default: its first line). */
  at?: string;
  /** The reported line may be up to this many lines later (a parser notices some errors on the next line). */
  slack?: number;
  /** What the message must say. */
  message: RegExp;
}

/** A valid pipeline file; `{DIR}` is the scenario's temp dir. */
export function baseConfig(dir: string): string {
  return `pipeline: order-list
schedule:
  cron: "*/15 * * * *"
  timezone: America/New_York
database:
  url: "\${DATABASE_URL:-}"
  dataDir: ${join(dir, 'pgdata')}
monday:
  url: "\${MONDAY_API_URL:-}"
  token: "\${MONDAY_API_TOKEN:-}"
  board: 9200517329
customers:
  - name: GREYSON
  - name: PELOTON
    board: 9609317401
stages:
  extract:
    use: postgres-pending
    with:
      headers: order_list
      lines: order_list_lines
      pageSize: 3
  transform:
    use: column-map
    with:
      itemName: "{{customer_style}} {{color}} {{order_number}}"
      key: { column: order_number, id: text_mkr5ord0 }
      columns:
        customer_style: { id: text_mkr5wya6, type: text }
        color: { id: text_mkr5dq1b, type: text }
        total_quantity: { id: numeric_mktb1d19, type: numbers }
      subitemKey: { column: line_key, id: text_mkr6c3lk }
      subitemColumns:
        quantity: { id: numeric_mkr6b2qt, type: numbers }
  group-resolve:
    use: monday-groups
    with:
      name: "{{customer_name}} {{customer_season}}"
  load:
    use: monday-items
    with:
      batchSize: 5
      maxAttempts: 5
  report:
    use: executive-summary
    with:
      outDir: ${join(dir, 'reports')}
      summary: ${join(REPO_ROOT, 'templates/executive-summary.md.hbs')}
      customer: ${join(REPO_ROOT, 'templates/customer-report.md.hbs')}
`;
}

/** The corpus. */
export const BAD_CONFIGS: BadConfig[] = [
  { name: 'YAML syntax error (unclosed flow sequence)', from: 'batchSize: 5', to: 'batchSize: [5', slack: 1, message: /YAML/ },
  { name: 'YAML syntax error (unclosed quote)', from: 'timezone: America/New_York', to: 'timezone: "America/New_York', message: /YAML.*quote/ },
  { name: 'duplicate key', from: 'pipeline: order-list\n', to: 'pipeline: order-list\npipeline: again\n', at: 'pipeline: again', message: /YAML.*unique/ },
  { name: 'YAML tab indentation', from: '      pageSize: 3', to: '\tpageSize: 3', message: /YAML/ },
  { name: 'wrong type in plugin options', from: 'batchSize: 5', to: 'batchSize: "lots"', message: /monday-items: .*number/ },
  { name: 'wrong type in the envelope', from: 'board: 9200517329', to: 'board: [1, 2]', message: /board id/ },
  { name: 'negative attempts', from: 'maxAttempts: 5', to: 'maxAttempts: -1', message: /maxAttempts|1/ },
  { name: 'huge page size', from: 'pageSize: 3', to: 'pageSize: 1e12', message: /10000|10 ?000/ },
  { name: 'unknown top-level key', from: 'pipeline: order-list\n', to: 'pipeline: order-list\ncolour: blue\n', at: 'colour: blue', message: /colour/ },
  { name: 'unknown plugin option', from: 'pageSize: 3', to: 'pageSize: 3\n      pagesize: 4', at: 'pagesize: 4', message: /pagesize/ },
  { name: 'unknown plugin', from: 'use: monday-items', to: 'use: monday-itemz', message: /unknown load plugin "monday-itemz".*monday-items/ },
  { name: 'plugin of another kind', from: 'use: monday-items', to: 'use: column-map', message: /column-map is a transform plugin/ },
  { name: 'plugin file that does not exist', from: 'use: monday-items', to: 'use: ./plugins/nope.ts', message: /cannot load plugin file \.\/plugins\/nope\.ts/ },
  { name: 'bad cron', from: 'cron: "*/15 * * * *"', to: 'cron: "61 * * * *"', message: /cron/ },
  { name: 'unknown time zone', from: 'timezone: America/New_York', to: 'timezone: Mars/Olympus_Mons', message: /time zone/ },
  { name: 'unsafe SQL identifier (statement)', from: 'headers: order_list', to: 'headers: "orders; drop table x"', message: /not a safe SQL identifier/ },
  { name: 'unsafe SQL identifier (quote)', from: 'lines: order_list_lines', to: `lines: 'order_list_lines" cascade --'`, message: /not a safe SQL identifier/ },
  { name: 'required env var missing', from: 'token: "${MONDAY_API_TOKEN:-}"', to: 'token: "${CHAOS_MISSING_TOKEN:?set the monday token}"', message: /CHAOS_MISSING_TOKEN is required: set the monday token/ },
  { name: 'env var not set', from: 'url: "${MONDAY_API_URL:-}"', to: 'url: "${CHAOS_UNSET_URL}"', message: /CHAOS_UNSET_URL is not set/ },
  { name: 'database URL of another kind', from: 'url: "${DATABASE_URL:-}"', to: 'url: "mysql://root@localhost/orders"', message: /postgres:\/\// },
  { name: 'customer listed twice', from: '  - name: PELOTON\n', to: '  - name: GREYSON\n  - name: PELOTON\n', at: '  - name: GREYSON\n  - name: PELOTON', message: /listed twice/ },
  { name: 'two columns mapped to one monday column', from: 'color: { id: text_mkr5dq1b', to: 'color: { id: text_mkr5wya6', message: /both map to monday column text_mkr5wya6/ },
  { name: 'unknown column type', from: 'total_quantity: { id: numeric_mktb1d19, type: numbers }', to: 'total_quantity: { id: numeric_mktb1d19, type: number }', message: /type is one of/ },
  { name: 'broken item name template', from: 'itemName: "{{customer_style}} {{color}} {{order_number}}"', to: 'itemName: "{{customer_style}} {{color"', message: /./ },
  { name: 'pipeline name that is not kebab-case', from: 'pipeline: order-list', to: 'pipeline: "Order List; drop"', message: /kebab-case/ },
  { name: 'report template that does not exist', from: `summary: ${join(REPO_ROOT, 'templates/executive-summary.md.hbs')}`, to: 'summary: ./no-such-template.md.hbs', message: /no-such-template\.md\.hbs.*cannot read template/ },
  { name: 'a list instead of a mapping', from: '', to: '- just\n- a list\n', message: /a pipeline file is a YAML mapping/ },
  { name: 'an empty file', from: '', to: '', message: /a pipeline file is a YAML mapping/ },
];

/** The base with the edit applied (an empty `from` replaces the whole file) and the 1-based line the error must point at. */
export function applyEdit(base: string, bad: BadConfig): { text: string; line: number } {
  if (bad.from === '') return { text: bad.to, line: 1 };
  const index = base.indexOf(bad.from);
  if (index < 0) throw new Error(`corpus: "${bad.from}" is not in the base config`);
  const text = base.slice(0, index) + bad.to + base.slice(index + bad.from.length);
  const within = bad.at ? bad.to.slice(0, bad.to.indexOf(bad.at)).split('\n').length - 1 : 0;
  return { text, line: base.slice(0, index).split('\n').length + within };
}
