/** The built-in stage plugins: the explicit list the core knows. Delete a line and its file to remove one. */
import type { AnyPlugin } from '../src/pipeline/index.ts';
import postgresPending from './extract/postgres-pending.ts';
import columnMap from './transform/column-map.ts';
import mondayGroups from './group-resolve/monday-groups.ts';
import mondayItems from './load/monday-items.ts';
import executiveSummary from './report/executive-summary.ts';

/** Every built-in plugin. */
export const builtinPlugins: readonly AnyPlugin[] = [
  postgresPending,
  columnMap,
  mondayGroups,
  mondayItems,
  executiveSummary,
];
