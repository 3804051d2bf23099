/** Deno smoke: the flagship pipeline file loads, and a broken one reports every mistake with its place. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ConfigError, formatIssue } from '../../src/config/config-issue.ts';
import { loadPipelineConfig } from '../../src/config/load-config.ts';
import { registry } from '../../src/cli/wiring.ts';
import { describeRuntime, isDeno } from '../../src/runtime/index.ts';
import { FLAGSHIP_CONFIG } from './support.ts';

Deno.test('the runtime module knows it runs on Deno', () => {
  assert.equal(isDeno, true);
  assert.match(describeRuntime(), /^deno \d+\.\d+\.\d+/);
});

Deno.test('the flagship config loads with no environment (embedded defaults)', async () => {
  const config = await loadPipelineConfig(FLAGSHIP_CONFIG, { registry, env: {} });
  assert.equal(config.pipeline, 'order-list');
  assert.equal(config.database.url, '');
  assert.equal(config.monday.url, '');
  assert.deepEqual(config.customers.map((c) => c.name), ['GREYSON', 'PELOTON', 'WHITE FOX', 'SUMMERSALT', 'TITLE NINE']);
  assert.deepEqual(
    Object.entries(config.stages).map(([kind, stage]) => `${kind}:${stage.use}`),
    ['extract:postgres-pending', 'transform:column-map', 'group-resolve:monday-groups', 'load:monday-items', 'report:executive-summary'],
  );
});

Deno.test('a file with three mistakes reports three located issues at once', async () => {
  const dir = await Deno.makeTempDir({ prefix: 'ordersync-deno-config-' });
  // Templates resolve against the pipeline file's folder: name the project's own.
  const templates = new URL('../../templates', import.meta.url).pathname;
  try {
    const file = join(dir, 'three.yaml');
    await Deno.writeTextFile(
      file,
      `pipeline: three
monday:
  board: 9200517329
customers:
  - name: GREYSON
stages:
  extract: { use: postgres-pending, with: { pageSize: "many" } }
  transform: { use: column-map, with: { itemName: "{{order_number}}", columns: {}, colums: {} } }
  group-resolve: { use: monday-groupz, with: { name: "{{x}}" } }
  load: { use: monday-items }
  report: { use: executive-summary, with: { summary: ${templates}/executive-summary.md.hbs, customer: ${templates}/customer-report.md.hbs } }
`,
    );
    const error = await loadPipelineConfig(file, { registry, env: {} }).then(
      () => assert.fail('expected a ConfigError'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ConfigError, String(error));
    const lines = error.issues.map(formatIssue);
    assert.equal(lines.length, 3, lines.join('\n'));
    assert.match(lines[0]!, /^× .*number.* → at stages\.extract\.with\.pageSize \(.*three\.yaml:7:\d+\)$/);
    assert.match(lines[1]!, /^× .*unknown key "colums" → at stages\.transform\.with\.colums \(.*three\.yaml:8:\d+\)$/);
    assert.match(lines[2]!, /^× .*monday-groupz.*monday-groups.* → at stages\.group-resolve\.use \(.*three\.yaml:9:\d+\)$/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
