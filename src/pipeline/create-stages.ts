/** Creates a run's stage instances from the checked config, each through its own plugin. */
import type { ResolvedStage } from '../config/load-config.ts';
import { STAGE_KINDS, type PluginContext, type StageInstances, type StageKind, type StageScope } from './contract/index.ts';
import type { StageTimer } from './stage-timer.ts';

/** The configured stages of a pipeline. */
export type ConfiguredStages = { [K in StageKind]: ResolvedStage<K> };

// The stages that map source records field by field; load and report work on what these made.
const FIELD_READERS: readonly StageKind[] = ['transform', 'group-resolve'];

/** The source fields every stage says it reads (`describe`), or null when a field reader says nothing. */
export function stageScope(stages: ConfiguredStages): StageScope {
  const headers = new Set<string>();
  const lines = new Set<string>();
  for (const kind of STAGE_KINDS) {
    const stage = stages[kind];
    const describe = stage.plugin.describe;
    if (!describe) {
      if (FIELD_READERS.includes(kind)) return { reads: null };
      continue;
    }
    const reads = describe(stage.options).reads;
    for (const ref of reads?.headers ?? []) headers.add(ref.field);
    for (const ref of reads?.lines ?? []) lines.add(ref.field);
  }
  return { reads: { headers: [...headers], lines: [...lines] } };
}

/** One stage's instance. */
export async function createStage<K extends StageKind>(stage: ResolvedStage<K>, ctx: PluginContext, scope?: StageScope): Promise<StageInstances[K]> {
  return stage.plugin.create(stage.options, ctx, scope);
}

/** The four stages a page flows through (the report is created when the run is over). */
export async function createPageStages(stages: ConfiguredStages, ctx: PluginContext, timer: StageTimer): Promise<Omit<StageInstances, 'report'>> {
  const scope = stageScope(stages);
  const extract = await timer.stage('extract', undefined, () => createStage(stages.extract, ctx, scope));
  try {
    return {
      extract,
      transform: await timer.stage('transform', undefined, () => createStage(stages.transform, ctx, scope)),
      'group-resolve': await timer.stage('group-resolve', undefined, () => createStage(stages['group-resolve'], ctx, scope)),
      load: await timer.stage('load', undefined, () => createStage(stages.load, ctx, scope)),
    };
  } catch (error) {
    await extract.close();
    throw error;
  }
}
