/** `ordersync plugins`: lists the built-in stage plugins. */
import { writeOut } from '../../runtime/index.ts';
import { EXIT, type Command } from '../command.ts';
import { maxPositionals } from '../parse-args.ts';

/** The plugins command. */
export const command: Command = {
  name: 'plugins',
  summary: 'List the built-in stage plugins with their one-line summaries and example options',
  help: `Usage: ordersync plugins [--json]`,
  options: { json: { type: 'boolean' } },
  async run({ values, positionals }) {
    const [{ STAGE_KINDS }, { registry }] = await Promise.all([import('../../pipeline/index.ts'), import('../wiring.ts')]);
    maxPositionals(positionals, 0);
    const plugins = registry.list();
    if (values.json) {
      writeOut(JSON.stringify(plugins.map((p) => ({ kind: p.kind, name: p.name, summary: p.summary, example: p.example })), null, 2));
      return EXIT.ok;
    }
    for (const kind of STAGE_KINDS) {
      writeOut(`${kind}:`);
      for (const p of plugins.filter((x) => x.kind === kind)) writeOut(`  ${p.name.padEnd(20)} ${p.summary}`);
    }
    return EXIT.ok;
  },
};
