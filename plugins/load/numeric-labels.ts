/**
 * monday reads a status label that is a number (`{"label": "2"}`) as the label's index (API
 * reference "Status"), and a numeric dropdown label may be read as an id. Such labels are sent
 * by index or id from the board's own settings, or the record fails with the reason.
 */
import type { PluginContext } from '../../src/pipeline/index.ts';
import { labelsWithIds } from './check-boards.ts';

const NUMERIC = /^\s*\d+\s*$/;
const COLUMNS = 'query ($ids: [ID!]) { boards(ids: $ids) { id columns { id type settings } } }';

type Labels = Map<string, { type: string; byName: Map<string, number> }>;

/** Values with numeric labels sent by index/id, read from each board's settings once. */
export function createNumericLabels(ctx: PluginContext): (board: string, values: Record<string, unknown>) => Promise<{ values: Record<string, unknown> } | { problem: string }> {
  const boards = new Map<string, Promise<Labels>>();
  const labelsOf = (board: string): Promise<Labels> => {
    let found = boards.get(board);
    if (!found) {
      found = ctx.monday.query<{ boards: { columns: { id: string; type: string; settings?: unknown }[] }[] | null }>(COLUMNS, { ids: [board] }).then(({ data }) =>
        new Map((data.boards?.[0]?.columns ?? []).map((c) => [c.id, { type: c.type, byName: new Map(labelsWithIds(c).map((l) => [l.name, l.id])) }])));
      boards.set(board, found);
    }
    return found;
  };
  return async (board, values) => {
    const numeric = Object.entries(values).filter(([, v]) => {
      const value = v as { label?: unknown; labels?: unknown } | null;
      return (typeof value?.label === 'string' && NUMERIC.test(value.label)) || (Array.isArray(value?.labels) && value.labels.some((l) => typeof l === 'string' && NUMERIC.test(l)));
    });
    if (numeric.length === 0) return { values };
    const labels = await labelsOf(board);
    const out = { ...values };
    for (const [id, v] of numeric) {
      const column = labels.get(id);
      const value = v as { label?: string; labels?: string[] };
      const names = value.label !== undefined ? [value.label] : value.labels!;
      const ids = names.map((name) => column?.byName.get(name.trim()));
      const missing = names.filter((_, i) => ids[i] === undefined);
      if (missing.length > 0) {
        return { problem: `${id}: label ${missing.map((m) => JSON.stringify(m)).join(', ')} is a number, which monday reads as an index or id, and the column has no label by that name; add it on the board` };
      }
      out[id] = value.label !== undefined ? { index: ids[0] } : { ids };
    }
    return { values: out };
  };
}
