/** Test helper: real HTTP requests to a running emulator, as a sync client would send them. */
import type { EmulatorHandle } from '../../src/emulator/index.ts';

/** A response as the tests read it; bodies are loosely typed JSON. */
export interface GraphqlResponse {
  status: number;
  headers: Headers;
  // Tests assert on arbitrary response shapes; a loose type keeps them readable.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** POSTs `{ query, variables }` to the emulator's /v2 with the right token and API version. */
export async function postGraphql(
  emulator: Pick<EmulatorHandle, 'url' | 'token'>,
  query: string,
  variables?: unknown,
  headers: Record<string, string> = {},
): Promise<GraphqlResponse> {
  const response = await fetch(emulator.url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: emulator.token, 'API-Version': '2026-07', ...headers },
    body: JSON.stringify(variables === undefined ? { query } : { query, variables }),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Non-JSON bodies (a gateway's HTML 502) stay text.
  }
  return { status: response.status, headers: response.headers, body };
}

/** The demo boards. */
export const ORDER_BOARD = '9200517329';
export const ORDER_SUBITEMS_BOARD = '9200517330';
export const PELOTON_BOARD = '9609317401';

/** A create_item mutation with variables for board, name, group and column values. */
export const CREATE_ITEM = `mutation ($board: ID!, $name: String!, $group: String, $values: JSON, $labels: Boolean) {
  create_item(board_id: $board, item_name: $name, group_id: $group, column_values: $values, create_labels_if_missing: $labels) { id name group { id } }
}`;

/** Reads every item of a board through items_page/next_items_page. */
export async function listItems(emulator: Pick<EmulatorHandle, 'url' | 'token'>, board: string): Promise<{ id: string; name: string }[]> {
  const first = await postGraphql(emulator, `query ($b: [ID!]) { boards(ids: $b) { items_page(limit: 500) { cursor items { id name } } } }`, { b: [board] });
  const page = first.body.data.boards[0].items_page;
  const items = [...page.items];
  let cursor: string | null = page.cursor;
  while (cursor) {
    const next = await postGraphql(emulator, `query ($c: String!) { next_items_page(cursor: $c, limit: 500) { cursor items { id name } } }`, { c: cursor });
    items.push(...next.body.data.next_items_page.items);
    cursor = next.body.data.next_items_page.cursor;
  }
  return items;
}

/** POSTs as the person editing the board (the emulator's second token, another user id). */
export function postAsPerson(emulator: Pick<EmulatorHandle, 'url' | 'userToken'>, query: string, variables?: unknown): Promise<GraphqlResponse> {
  return postGraphql({ url: emulator.url, token: emulator.userToken }, query, variables);
}
