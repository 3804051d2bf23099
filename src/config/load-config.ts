/**
 * Loads a pipeline file: YAML with positions → `${VAR}` interpolation → envelope schema →
 * each stage's plugin options. Every problem is collected and reported at once, located.
 */
import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import * as v from 'valibot';
import { Cron } from 'croner';
import { LineCounter, parseDocument } from 'yaml';
import { getCwd, getEnv, type Env } from '../runtime/index.ts';
import { STAGE_KINDS, type OptionsSchema, type StageKind, type StagePlugin } from '../pipeline/contract/index.ts';
import type { PluginRegistry } from '../pipeline/registry.ts';
import { ConfigError, joinPath, type ConfigIssue } from './config-issue.ts';
import { PipelineEnvelopeSchema, type PipelineEnvelope } from './envelope-schema.ts';
import { interpolateDocument } from './interpolate.ts';
import { describeIssue, isKeyIssue, issuePath } from './issue-message.ts';
import { locate } from './locate.ts';

/** A stage with its plugin and checked options. */
export interface ResolvedStage<K extends StageKind = StageKind> {
  use: string;
  plugin: StagePlugin<K, OptionsSchema>;
  options: unknown;
}

/** A fully validated pipeline. */
export interface PipelineConfig extends Omit<PipelineEnvelope, 'stages'> {
  /** The file as given (for messages). */
  file: string;
  /** Its directory, absolute; relative paths in options resolve against it. */
  dir: string;
  stages: { [K in StageKind]: ResolvedStage<K> };
  /** Values that must never be printed (token, database password). */
  secrets: string[];
  /** Where a key path is in the file (for problems found after loading, e.g. by preflight). */
  locate(path: readonly (string | number)[], atKey?: boolean): ConfigIssue;
  /** Where the `pipeline:` key is in the file (for problems found across files, e.g. a duplicate name). */
  pipelineAt: { line: number; col: number };
}

/** How a pipeline file is loaded. */
export interface LoadConfigOptions {
  /** Where `use:` names are looked up (the CLI builds it from the built-in list). */
  registry: PluginRegistry;
  /** Environment for `${VAR}` (default: the process's). */
  env?: Env;
}

/** Loads and validates one pipeline file; throws ConfigError listing every problem. */
export async function loadPipelineConfig(file: string, options: LoadConfigOptions): Promise<PipelineConfig> {
  const rel = relative(getCwd(), resolve(file));
  const shown = rel && !rel.startsWith('..') ? rel : file;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError([{ message: `cannot read file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, path: '', file: shown, line: 1, col: 1 }]);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const issues: ConfigIssue[] = [];
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      // With prettyErrors off, yaml gives offsets (pos), not lines.
      const pos = error.linePos?.[0] ?? lineCounter.linePos(error.pos[0]);
      issues.push({ message: `YAML: ${error.message.split('\n')[0]}`, path: '', file: shown, line: pos.line, col: pos.col });
    }
    throw new ConfigError(issues);
  }
  const at = (path: readonly (string | number)[], message: string, atKey = false): void => {
    const { line, col } = locate(doc, lineCounter, path, atKey);
    issues.push({ message, path: joinPath(path), file: shown, line, col });
  };

  const interpolation = interpolateDocument(doc, options.env ?? getEnv());
  for (const problem of interpolation.problems) at(problem.path, problem.message);
  const fromEnv = new Set(interpolation.fromEnv.map((p) => joinPath(p)));
  const hidden = (path: (string | number)[]): boolean => [...fromEnv].some((p) => joinPath(path).startsWith(p));

  const raw: unknown = doc.toJS();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    at([], 'a pipeline file is a YAML mapping with pipeline, monday, customers and stages');
    throw new ConfigError(issues);
  }
  const envelope = v.safeParse(PipelineEnvelopeSchema, raw);
  if (!envelope.success) {
    for (const issue of envelope.issues) at(issuePath(issue), describeIssue(issue, hidden(issuePath(issue))), isKeyIssue(issue));
  }
  const dir = resolve(dirname(file));
  const stages = {} as PipelineConfig['stages'];
  const rawStages = (raw as { stages?: Record<string, { use?: unknown; with?: unknown }> }).stages ?? {};
  for (const kind of STAGE_KINDS) {
    const stage = rawStages[kind];
    if (!stage || typeof stage.use !== 'string' || !stage.use.trim()) continue;
    const lookup = await options.registry.resolve(kind, stage.use.trim(), dir);
    if ('error' in lookup) {
      at(['stages', kind, 'use'], lookup.error);
      continue;
    }
    const parsed = v.safeParse(lookup.plugin.options, stage.with ?? {});
    if (!parsed.success) {
      for (const issue of parsed.issues) {
        const path = ['stages', kind, 'with', ...issuePath(issue)];
        at(path, `${lookup.plugin.name}: ${describeIssue(issue, hidden(path))}`, isKeyIssue(issue));
      }
      continue;
    }
    const problems = (await lookup.plugin.check?.(parsed.output, { configDir: dir })) ?? [];
    for (const problem of problems) at(['stages', kind, 'with', ...problem.path], `${lookup.plugin.name}: ${problem.message}`);
    (stages as Record<string, ResolvedStage>)[kind] = { use: stage.use.trim(), plugin: lookup.plugin, options: parsed.output };
  }
  checkSemantics(raw as Partial<PipelineEnvelope>, at);
  if (issues.length > 0 || !envelope.success) throw new ConfigError(sortIssues(issues));

  const config = envelope.output;
  const locateIssue = (path: readonly (string | number)[], atKey = false): ConfigIssue => ({ message: '', path: joinPath(path), file: shown, ...locate(doc, lineCounter, path, atKey) });
  return { ...config, file: shown, dir, stages, secrets: collectSecrets(config), locate: locateIssue, pipelineAt: locate(doc, lineCounter, ['pipeline'], true) };
}

/** Checks beyond types; runs on the raw document too, so they are reported with envelope problems at once. */
function checkSemantics(config: Partial<PipelineEnvelope>, at: (path: (string | number)[], message: string) => void): void {
  const schedule = config.schedule;
  const timezone = typeof schedule?.timezone === 'string' ? schedule.timezone : 'UTC';
  let zoneOk = true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    zoneOk = false;
    at(['schedule', 'timezone'], `unknown time zone "${timezone}" (use an IANA name like America/New_York)`);
  }
  if (typeof schedule?.cron === 'string') {
    try {
      new Cron(schedule.cron, { paused: true, timezone: zoneOk ? timezone : 'UTC' });
    } catch (error) {
      at(['schedule', 'cron'], `invalid cron pattern: ${(error as Error).message}`);
    }
  }
  const seen = new Map<string, number>();
  (Array.isArray(config.customers) ? config.customers : []).forEach((customer, index) => {
    const name = typeof customer?.name === 'string' ? customer.name.trim() : null;
    if (!name) return;
    const first = seen.get(name);
    if (first !== undefined) at(['customers', index, 'name'], `customer "${name}" is listed twice (first at customers[${first}])`);
    else seen.set(name, index);
  });
  const t = config.thresholds;
  if (typeof t?.partial === 'number' && typeof t.success === 'number' && t.partial > t.success) {
    at(['thresholds', 'partial'], 'the partial threshold must not be above the success threshold');
  }
  const url = config.database?.url;
  if (typeof url === 'string' && url && !/^postgres(ql)?:\/\//.test(url)) {
    at(['database', 'url'], 'database url must start with postgres:// or postgresql://');
  }
}

function collectSecrets(config: PipelineEnvelope): string[] {
  const secrets: string[] = [];
  if (config.monday.token) secrets.push(config.monday.token);
  if (config.database.url) {
    try {
      const password = new URL(config.database.url).password;
      if (password) secrets.push(password, decodeURIComponent(password));
    } catch {
      // An unparseable URL was already reported by checkSemantics.
    }
  }
  return secrets;
}

function sortIssues(issues: ConfigIssue[]): ConfigIssue[] {
  return [...issues].sort((a, b) => a.line - b.line || a.col - b.col);
}
