/** `validate --online`: preflight against the configured database and monday account (the emulator by default), reading only. */
import type { ConfigIssue } from '../config/config-issue.ts';
import type { PipelineConfig } from '../config/load-config.ts';
import { openDatabase } from '../db/open-database.ts';
import { createPluginContext } from '../pipeline/create-context.ts';
import { silentLogger } from '../pipeline/logger.ts';
import { describeUnconfigured, runPreflight } from '../pipeline/preflight.ts';
import { connectMonday } from './monday-target.ts';

/** Problems preflight finds for one pipeline, and notes (unconfigured customers) that do not fail it. */
export async function validateOnline(config: PipelineConfig): Promise<{ issues: ConfigIssue[]; notes: string[] }> {
  // No migration: validating must not create tables in the database it checks.
  const database = await openDatabase(config.database);
  try {
    const monday = await connectMonday(config, silentLogger);
    try {
      const ctx = createPluginContext({
        db: database.db, monday: monday.client, logger: silentLogger, runId: 'validate', pipeline: config.pipeline, configDir: config.dir, dryRun: true,
        boardFor: (name) => config.customers.find((c) => c.name === name)?.board ?? config.monday.board,
      });
      const report = await runPreflight(config, ctx, config.customers.map((c) => c.name));
      return { issues: report.issues, notes: [...report.warnings, ...report.unconfigured.map(describeUnconfigured)] };
    } finally {
      await monday.close();
    }
  } finally {
    await database.close();
  }
}
