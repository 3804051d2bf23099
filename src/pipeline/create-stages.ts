/** Creates a run's stage instances from the checked config, each through its own plugin. */
import type { ResolvedStage } from '../config/load-config.ts';
import type { PluginContext, StageInstances, StageKind } from './contract/index.ts';
import type { StageTimer } from './stage-timer.ts';

/** The configured stages of a pipeline. */
export type ConfiguredStages = { [K in StageKind]: ResolvedStage<K> };

/** One stage's instance. */
export async function createStage<K extends StageKind>(stage: ResolvedStage<K>, ctx: PluginContext): Promise<StageInstances[K]> {
  return stage.plugin.create(stage.options, ctx);
}

/** The four stages a page flows through (the report is created when the run is over). */
export async function createPageStages(stages: ConfiguredStages, ctx: PluginContext, timer: StageTimer): Promise<Omit<StageInstances, 'report'>> {
  const extract = await timer.stage('extract', undefined, () => createStage(stages.extract, ctx));
  try {
    return {
      extract,
      transform: await timer.stage('transform', undefined, () => createStage(stages.transform, ctx)),
      'group-resolve': await timer.stage('group-resolve', undefined, () => createStage(stages['group-resolve'], ctx)),
      load: await timer.stage('load', undefined, () => createStage(stages.load, ctx)),
    };
  } catch (error) {
    await extract.close();
    throw error;
  }
}
