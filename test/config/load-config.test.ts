import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, formatIssue } from '../../src/config/config-issue.ts';
import { loadPipelineConfig } from '../../src/config/load-config.ts';
import { registry } from '../../src/cli/wiring.ts';

const dir = await mkdtemp(join(tmpdir(), 'ordersync-config-'));
const REPORT = `{ use: executive-summary, with: { summary: ${process.cwd()}/templates/executive-summary.md.hbs, customer: ${process.cwd()}/templates/customer-report.md.hbs } }`;

async function write(name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

async function problems(file: string, env: Record<string, string> = {}): Promise<string[]> {
  try {
    await loadPipelineConfig(file, { registry, env });
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map(formatIssue);
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const STAGES = `stages:
  extract: { use: postgres-pending }
  transform: { use: column-map, with: { itemName: "{{order_number}}", columns: {} } }
  group-resolve: { use: monday-groups, with: { name: "{{customer_name}}" } }
  load: { use: monday-items }
  report: ${REPORT}
`;

describe('loadPipelineConfig', () => {
  it('accepts the flagship config/order-list.yaml with no environment', async () => {
    const config = await loadPipelineConfig('config/order-list.yaml', { registry, env: {} });
    expect(config.pipeline).toBe('order-list');
    expect(config.customers.map((c) => c.name)).toContain('GREYSON');
    expect(config.customers.find((c) => c.name === 'PELOTON')?.board).toBe('9609317401');
    expect(config.stages.load.use).toBe('monday-items');
    expect(config.database.url).toBe('');
  });

  it('reports three independent mistakes at once, each with its line', async () => {
    const file = await write('three.yaml', `pipeline: three
monday:
  board: 9200517329
customers:
  - name: GREYSON
stages:
  extract: { use: postgres-pending, with: { pageSize: "many" } }
  transform: { use: column-map, with: { itemName: "{{order_number}}", columns: {}, colums: {} } }
  group-resolve: { use: monday-groupz, with: { name: "{{x}}" } }
  load: { use: monday-items }
  report: ${REPORT}
`);
    const lines = await problems(file);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/expected number.*→ at stages\.extract\.with\.pageSize \(.*three\.yaml:7:\d+\)/);
    expect(lines[1]).toMatch(/unknown key "colums" → at stages\.transform\.with\.colums \(.*three\.yaml:8:\d+\)/);
    expect(lines[2]).toMatch(/unknown group-resolve plugin "monday-groupz" \(did you mean monday-groups\?\).*known: monday-groups.*three\.yaml:9:\d+/);
  });

  it('names the variable and the key of a missing ${VAR:?message}', async () => {
    const file = await write('env.yaml', `pipeline: env
monday:
  board: 1
  token: "\${MONDAY_API_TOKEN:?set the token}"
customers: [{ name: A }]
${STAGES}`);
    const [line] = await problems(file);
    expect(line).toContain('environment variable MONDAY_API_TOKEN is required: set the token');
    expect(line).toContain('→ at monday.token');
    expect(line).toMatch(/env\.yaml:4:\d+/);
  });

  it('never prints a secret that came from the environment', async () => {
    const secret = 'tok-SECRET-12345';
    const file = await write('secret.yaml', `pipeline: secret
monday:
  board: "\${BOARD}"
  token: "\${MONDAY_API_TOKEN}"
customers: [{ name: A }]
${STAGES}`);
    const lines = await problems(file, { MONDAY_API_TOKEN: secret, BOARD: secret });
    expect(lines.join('\n')).not.toContain(secret);
    expect(lines.join('\n')).toMatch(/→ at monday\.board/);
    const ok = await write('secret-ok.yaml', `pipeline: secret
monday:
  board: 1
  token: "\${MONDAY_API_TOKEN}"
customers: [{ name: A }]
${STAGES}`);
    const config = await loadPipelineConfig(ok, { registry, env: { MONDAY_API_TOKEN: secret } });
    expect(config.monday.token).toBe(secret);
    expect(config.secrets).toContain(secret);
  });

  it('rejects a bad cron expression with croner\'s reason', async () => {
    const file = await write('cron.yaml', `pipeline: cron
schedule: { cron: "61 * * * *" }
monday: { board: 1 }
customers: [{ name: A }]
${STAGES}`);
    const [line] = await problems(file);
    expect(line).toMatch(/invalid cron pattern.*→ at schedule\.cron \(.*cron\.yaml:2:\d+\)/);
  });

  it('rejects unsafe SQL identifiers and two columns mapped to one monday column', async () => {
    const file = await write('sql.yaml', `pipeline: sql
monday: { board: 1 }
customers: [{ name: A }]
stages:
  extract: { use: postgres-pending, with: { headers: "orders; drop table x" } }
  transform:
    use: column-map
    with:
      itemName: "{{order_number}}"
      columns:
        color: { id: text_a, type: text }
        colour: { id: text_a, type: text }
  group-resolve: { use: monday-groups, with: { name: "{{customer_name}}" } }
  load: { use: monday-items }
  report: ${REPORT}
`);
    const lines = await problems(file);
    expect(lines[0]).toMatch(/not a safe SQL identifier.*stages\.extract\.with\.headers.*sql\.yaml:5/);
    expect(lines[1]).toMatch(/colour and color both map to monday column text_a.*stages\.transform\.with\.columns\.colour.*sql\.yaml:12/);
  });

  it('reports YAML syntax errors with their position', async () => {
    const file = await write('syntax.yaml', 'pipeline: x\nmonday: { board: 1\ncustomers: []\n');
    const lines = await problems(file);
    expect(lines[0]).toMatch(/^× YAML: .*syntax\.yaml:\d+:\d+\)$/);
  });

  it('loads a user plugin from a path relative to the config file', async () => {
    await write('upper.ts', `import * as v from 'valibot';
import { definePlugin } from '${process.cwd()}/src/pipeline/index.ts';
export default definePlugin({
  kind: 'transform', name: 'upper', summary: 'test plugin', options: v.strictObject({ factor: v.number() }), example: { factor: 1 },
  create: () => ({ map: (record, board) => ({ source: record, board, item: null, subitems: [], groupTitle: null, groupId: null }) }),
});
`);
    const file = await write('user.yaml', `pipeline: user
monday: { board: 1 }
customers: [{ name: A }]
${STAGES.replace('use: column-map, with: { itemName: "{{order_number}}", columns: {} }', 'use: ./upper.ts, with: { factor: "x" }')}`);
    const lines = await problems(file);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/upper: expected number.*stages\.transform\.with\.factor/);
  });
});

describe('plugin checks that need the file system', () => {
  it('refuses a report template that does not exist, at its key', async () => {
    const file = await write('no-template.yaml', `pipeline: tpl
monday: { board: 1 }
customers: [{ name: A }]
${STAGES.replace(`report: ${REPORT}`, `report: { use: executive-summary, with: { summary: ./missing.md.hbs, customer: ${process.cwd()}/templates/customer-report.md.hbs } }`)}`);
    const [line] = await problems(file);
    expect(line).toMatch(/executive-summary: .*missing\.md\.hbs.*ENOENT → at stages\.report\.with\.summary \(.*no-template\.yaml:9:\d+\)/);
  });
});

describe('every problem at once', () => {
  it('reports a bad cron together with envelope problems', async () => {
    const file = await write('together.yaml', `pipeline: together
schedule: { cron: "at noon" }
monday: { board: 1 }
customers: []
${STAGES}`);
    const lines = await problems(file);
    expect(lines.some((l) => /list at least one customer → at customers/.test(l))).toBe(true);
    expect(lines.some((l) => /invalid cron pattern.*→ at schedule\.cron/.test(l))).toBe(true);
  });
});
