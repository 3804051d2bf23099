/** `ordersync validate [config...]`: checks pipeline files; every problem, located; exit 2 on any. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { formatIssue } from '../../config/config-issue.ts';
import { writeErr, writeOut } from '../../runtime/index.ts';
import { EXIT, type Command } from '../command.ts';
import { loadConfigFiles } from '../wiring.ts';

/** Pipeline files named on the command line, or every YAML file in config/. */
export function pipelineFiles(positionals: string[], dir = 'config'): string[] {
  if (positionals.length > 0) return positionals;
  try {
    return readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(dir, f));
  } catch {
    return [];
  }
}

/** The validate command. */
export const command: Command = {
  name: 'validate',
  summary: 'Check pipeline files (default: every file in config/) and list every problem with file:line:col',
  help: `Usage: ordersync validate [config...]

Loads each pipeline file, substitutes \${VAR} references, checks the envelope and every
stage's plugin options, and prints every problem at once:
  × message → at key.path (file:line:col)
Exit 0 when all files are valid, 2 otherwise. Pipeline names must be unique across files.`,
  options: {},
  async run({ positionals }) {
    const files = pipelineFiles(positionals);
    if (files.length === 0) {
      writeErr('validate: no pipeline files given and none found in config/');
      return EXIT.usage;
    }
    const loaded = await loadConfigFiles(files);
    for (const { file, config, issues } of loaded) {
      if (config) {
        writeOut(`✓ ${config.file}: pipeline ${config.pipeline} is valid (${config.customers.length} customers; ${Object.values(config.stages).map((s) => s.use).join(' → ')})`);
        continue;
      }
      writeErr(`${file}: ${issues.length} problem${issues.length === 1 ? '' : 's'}`);
      for (const issue of issues) writeErr(`  ${formatIssue(issue)}`);
    }
    return loaded.some((l) => !l.config) ? EXIT.usage : EXIT.ok;
  },
};
