/** A template failure that names the template file and line: `report: templates/x.md.hbs:12: message`. */
import { relative } from 'node:path';
import { getCwd } from '../runtime/index.ts';

/** A compile or render failure located in one template file. */
export class TemplateError extends Error {
  override name = 'TemplateError';
  /** The template file, as shown (relative to the working directory when inside it). */
  readonly file: string;
  /** 1-based line in that file, when known. */
  readonly line: number | null;

  constructor(file: string, line: number | null, detail: string, options?: { cause?: unknown }) {
    const shown = showPath(file);
    super(`report: ${shown}${line === null ? '' : `:${line}`}: ${detail}`, options);
    this.file = shown;
    this.line = line;
  }
}

/** Turns whatever a compile or render threw into a TemplateError naming `file` (kept as is if already one). */
export function toTemplateError(error: unknown, file: string, source?: string): TemplateError {
  if (error instanceof TemplateError) return error;
  const raw = error instanceof Error ? error.message : String(error);
  const line = lineOf(error, raw, source);
  const detail = raw
    .replace(/ - \d+:\d+$/, '')
    .replace(/^Parse error on line \d+:\n/, 'parse error:\n')
    .replace('not defined in [object Object]', 'not defined in the template data at this point')
    .replace(/not defined in (undefined|null)$/, 'not defined (its parent is missing)');
  return new TemplateError(file, line, detail, { cause: error });
}

function lineOf(error: unknown, message: string, source: string | undefined): number | null {
  const fromError = (error as { lineNumber?: unknown } | null)?.lineNumber;
  if (typeof fromError === 'number' && fromError > 0) return fromError;
  const parsed = /line (\d+)/.exec(message) ?? / - (\d+):\d+$/.exec(message);
  if (parsed) return Number(parsed[1]);
  // Errors raised without a location (e.g. a missing helper) still name what failed; find it in the source.
  const name = /"([^"]+)"/.exec(message)?.[1] ?? /partial (\S+) could not be found/.exec(message)?.[1];
  if (name && source) {
    const index = source.split('\n').findIndex((text) => text.includes(name));
    if (index >= 0) return index + 1;
  }
  return null;
}

/** A path as messages show it: relative to the working directory when inside it. */
export function showPath(file: string): string {
  const rel = relative(getCwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}
