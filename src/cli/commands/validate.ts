/** `ordersync validate [config...]`: checks pipeline files; every problem, located; exit 2 on any. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { formatIssue } from '../../config/config-issue.ts';
import { writeErr, writeOut } from '../../runtime/index.ts';
import type { PipelineConfig } from '../../config/load-config.ts';
import { EXIT, type Command } from '../command.ts';

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
  help: `Usage: ordersync validate [config...] [--online]

Loads each pipeline file, substitutes \${VAR} references, checks the envelope and every
stage's plugin options, and prints every problem at once:
  × message → at key.path (file:line:col)
With --online it also checks what each file points at, reading only: the source tables and
every column the config names (with the nearest existing name), every board and subitems
board, every mapped monday column and its type, and the status/dropdown labels the pending
rows need. Every run performs the same checks before it writes anything.
Exit 0 when all files are valid, 2 otherwise. Pipeline names must be unique across files.`,
  options: { online: { type: 'boolean' } },
  async run({ positionals, values }) {
    const { loadConfigFiles } = await import('../wiring.ts');
    // Preflight's database and monday modules are loaded only when it runs.
    const validateOnline = async (config: PipelineConfig) => (await import('../validate-online.ts')).validateOnline(config);
    const files = pipelineFiles(positionals);
    if (files.length === 0) {
      writeErr('validate: no pipeline files given and none found in config/');
      return EXIT.usage;
    }
    const loaded = await loadConfigFiles(files);
    let bad = false;
    for (const entry of loaded) {
      const { file, config } = entry;
      let issues = entry.issues;
      if (config && values.online) {
        const online = await validateOnline(config);
        for (const note of online.notes) writeErr(`! ${config.file}: ${note}`);
        issues = online.issues;
      }
      bad ||= issues.length > 0;
      if (config && issues.length === 0) {
        writeOut(`✓ ${config.file}: pipeline ${config.pipeline} is valid${values.online ? ' and everything it points at exists' : ''} (${config.customers.length} customers; ${Object.values(config.stages).map((s) => s.use).join(' → ')})`);
        continue;
      }
      writeErr(`${file}: ${issues.length} problem${issues.length === 1 ? '' : 's'}`);
      for (const issue of issues) writeErr(`  ${formatIssue(issue)}`);
    }
    return bad ? EXIT.usage : EXIT.ok;
  },
};
