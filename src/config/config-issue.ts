/** One located problem in a pipeline file. */
export interface ConfigIssue {
  message: string;
  /** Dotted key path, e.g. `stages.load.with.batchSize`; empty for the document itself. */
  path: string;
  file: string;
  line: number;
  col: number;
}

/** Formats an issue as `× message → at path (file:line:col)`. */
export function formatIssue(issue: ConfigIssue): string {
  const where = `${issue.file}:${issue.line}:${issue.col}`;
  return issue.path ? `× ${issue.message} → at ${issue.path} (${where})` : `× ${issue.message} (${where})`;
}

/** Thrown when a pipeline file has problems; carries every one of them. */
export class ConfigError extends Error {
  readonly issues: ConfigIssue[];
  constructor(issues: ConfigIssue[]) {
    super(`config: ${issues.length} problem${issues.length === 1 ? '' : 's'}\n${issues.map(formatIssue).join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** Joins path segments the way issues print them: `customers[1].board`. */
export function joinPath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${segment}` : segment;
  }
  return out;
}
