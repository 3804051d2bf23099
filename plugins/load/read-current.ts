/**
 * Reads what monday holds now for items (and subitems) about to be updated: their state, group and
 * the columns about to be written, in one `items(ids)` read per 100 ids (API reference "Items":
 * `ids` takes at most 100 ids and `limit` defaults to 25, so the limit is sent; an item a person
 * deleted may be left out or come back with `state: deleted`, an archived one has
 * `state: archived`). The client paces each read against the complexity budget like any request.
 */
import type { PluginContext, ReadColumnValue } from '../../src/pipeline/index.ts';

/** Most ids one `items` read may name (monday's maximum). */
export const MAX_READ_IDS = 100;

const READ = `query ($ids: [ID!], $limit: Int, $columns: [String!]) {
  items(ids: $ids, limit: $limit) { id state name group { id } column_values(ids: $columns) { id type value text } }
}`;

/** An item as monday holds it now. */
export interface CurrentItem {
  id: string;
  /** `missing`: monday did not return it (deleted). */
  state: 'active' | 'archived' | 'deleted' | 'missing';
  name: string | null;
  groupId: string | null;
  /** Column id → its value as read; only the columns asked for. */
  columns: Map<string, ReadColumnValue>;
}

/** The read as sent (for the api log of a record it fails), by item id. */
export interface CurrentRead {
  items: Map<string, CurrentItem>;
  request: { document: string; variables: Record<string, unknown> }[];
}

interface ItemRow {
  id: string | number;
  state: string | null;
  name: string | null;
  group: { id: string } | null;
  column_values: { id: string; type: string; value: unknown; text: string | null }[] | null;
}

const stateOf = (state: string | null): CurrentItem['state'] => (state === 'archived' || state === 'deleted' ? state : 'active');

/** Reads the current state and columns of these items; every id asked for gets an answer (`missing` when monday returned none). */
export async function readCurrent(ctx: Pick<PluginContext, 'monday'>, ids: readonly string[], columns: readonly string[]): Promise<CurrentRead> {
  const items = new Map<string, CurrentItem>();
  const request: CurrentRead['request'] = [];
  const wanted = [...new Set(ids)];
  const columnIds = [...new Set(columns)].filter((c) => c !== 'name').sort();
  for (let i = 0; i < wanted.length; i += MAX_READ_IDS) {
    const chunk = wanted.slice(i, i + MAX_READ_IDS);
    const variables = { ids: chunk, limit: chunk.length, columns: columnIds };
    request.push({ document: READ, variables });
    const { data } = await ctx.monday.query<{ items: ItemRow[] | null }>(READ, variables);
    for (const row of data.items ?? []) {
      const values = new Map<string, ReadColumnValue>();
      for (const c of row.column_values ?? []) {
        // monday answers `value` as a JSON string; keep it as the string comparableRead parses.
        values.set(c.id, { type: c.type, value: c.value === null || c.value === undefined ? null : typeof c.value === 'string' ? c.value : JSON.stringify(c.value), text: c.text });
      }
      items.set(String(row.id), { id: String(row.id), state: stateOf(row.state), name: row.name, groupId: row.group?.id ?? null, columns: values });
    }
    for (const id of chunk) if (!items.has(id)) items.set(id, { id, state: 'missing', name: null, groupId: null, columns: new Map() });
  }
  return { items, request };
}
