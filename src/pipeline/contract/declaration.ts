/**
 * The plugin declaration: what every stage plugin, built-in or user, says about itself. The core
 * checks `options` before anything runs and hands `create` the checked value and a context.
 */
import type * as v from 'valibot';
import type { PluginContext } from './context.ts';
import type { Extractor } from './extract.ts';
import type { GroupResolver } from './group-resolve.ts';
import type { PreflightProblem, PreflightScope, StageNeeds } from './preflight.ts';
import type { Loader } from './load.ts';
import type { Reporter } from './report.ts';
import type { Transformer } from './transform.ts';

/** The five stages, in the order they run; the same strings are the YAML keys. */
export const STAGE_KINDS = ['extract', 'transform', 'group-resolve', 'load', 'report'] as const;
/** One of the five stages. */
export type StageKind = (typeof STAGE_KINDS)[number];

/** The instance each kind creates. */
export interface StageInstances {
  extract: Extractor;
  transform: Transformer;
  'group-resolve': GroupResolver;
  load: Loader;
  report: Reporter;
}

/** Any options schema. */
export type OptionsSchema = v.GenericSchema<unknown, unknown>;

/** A problem found by a plugin's `check`, at a path inside its `with:`. */
export interface OptionProblem {
  path: (string | number)[];
  message: string;
}

/**
 * What a stage is told when it is created. `reads` are the source fields the pipeline's other stages
 * read, from their `describe` (e.g. the extract selects only those columns); null when some stage that
 * sees source records (a transform or group-resolve plugin) has no `describe`, so any field may be read.
 */
export interface StageScope {
  reads: { headers: string[]; lines: string[] } | null;
}

/** A stage plugin of kind K with options schema S. */
export interface StagePlugin<K extends StageKind = StageKind, S extends OptionsSchema = OptionsSchema> {
  /** The stage it fills (the YAML key). */
  kind: K;
  /** kebab-case; equal to its file name and to `use:` in YAML. */
  name: string;
  /** One line for `ordersync plugins` and error messages. */
  summary: string;
  /** Valibot schema of `with:`; the core validates before anything runs. */
  options: S;
  /** A valid `with:` value; the contract test checks it against `options`. */
  example: v.InferInput<S>;
  /** Creates the stage instance from checked options; whatever it opens, its `close()` closes. Without `scope`, nothing is known of the other stages. */
  create(options: v.InferOutput<S>, ctx: PluginContext, scope?: StageScope): StageInstances[K] | Promise<StageInstances[K]>;
  /** Optional file-system checks (templates exist and compile), run by `validate` and before every run. */
  check?(options: v.InferOutput<S>, env: { configDir: string }): Promise<OptionProblem[]> | OptionProblem[];
  /** Optional: the source fields it reads (from `source.fields`) and the monday columns it writes, for preflight and the other stages' `StageScope`. */
  describe?(options: v.InferOutput<S>): StageNeeds;
  /** Optional: checks against the real database and monday (`validate --online`, before every run); reads only. */
  preflight?(options: v.InferOutput<S>, ctx: PluginContext, scope: PreflightScope): Promise<PreflightProblem[]>;
}

/** A plugin of any kind. */
export type AnyPlugin = StagePlugin<StageKind, OptionsSchema>;

/** Declares a plugin with its types inferred (an identity function for type safety). */
export function definePlugin<K extends StageKind, S extends OptionsSchema>(plugin: StagePlugin<K, S>): StagePlugin<K, S> {
  return plugin;
}
