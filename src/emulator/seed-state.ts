/** The initial boards: the demo boards of config/order-list.yaml, or none. */
import type { BoardState, ColumnState, EmulatorState, LabelState } from './types.ts';

const CUSTOMERS = ['GREYSON', 'PELOTON', 'WHITE FOX', 'SUMMERSALT', 'TITLE NINE'];
const SEASONS = ['2025 SPRING', '2025 SUMMER', '2025 FALL', '2026 SPRING', '2026 SUMMER', '2026 FALL'];
const STATUSES = ['Open', 'In Production', 'Shipped', 'Cancelled'];

/** The demo state (two order boards with their subitems boards) or an empty one. */
export function createSeedState(seed: 'demo' | 'empty'): EmulatorState {
  if (seed === 'empty') return { version: 1, boards: [], items: [] };
  return {
    version: 1,
    boards: [
      ...orderBoard('9200517329', 'Order List', '9200517330'),
      ...orderBoard('9609317401', 'Peloton Orders', '9609317402'),
    ],
    items: [],
  };
}

function labels(names: string[], firstId: number): LabelState[] {
  return names.map((name, index) => ({ id: firstId + index, name }));
}

function column(id: string, type: ColumnState['type'], title: string, settings: ColumnState['settings'] = {}): ColumnState {
  return { id, type, title, settings };
}

function orderBoard(id: string, name: string, subitemsId: string): BoardState[] {
  const main: BoardState = {
    id,
    name,
    type: 'board',
    subitems_board_id: subitemsId,
    parent_board_id: null,
    columns: [
      column('name', 'name', 'Name'),
      // monday adds this column when a board gets subitems; clients find the subitems board through it.
      column('subitems', 'subtasks', 'Subitems', { boardIds: [subitemsId] }),
      column('text_mkr5wya6', 'text', 'Customer Style'),
      column('long_text_mkr5nt8', 'long_text', 'Style Description'),
      column('text_mkr5dq1b', 'text', 'Color'),
      column('text_mkr5q6n2', 'text', 'PO Number'),
      column('text_mkr5ord0', 'text', 'Order Number'),
      column('dropdown_mkr542p2', 'dropdown', 'Customer', { labels: labels(CUSTOMERS, 1) }),
      column('dropdown_mkr5s3a1', 'dropdown', 'Season', { labels: labels(SEASONS, 1) }),
      column('numeric_mktb1d19', 'numbers', 'Total Quantity'),
      column('numeric_mktb7c2p', 'numbers', 'Unit Price'),
      column('date_mkr5zp5', 'date', 'Order Date'),
      column('date_mkr5x1ex', 'date', 'Ex-Factory Date'),
      column('status', 'status', 'Status', { labels: labels(STATUSES, 0) }),
    ],
    groups: [{ id: 'topics', title: 'Group Title', color: '#579bfc', archived: false, deleted: false }],
  };
  const subitems: BoardState = {
    id: subitemsId,
    name: `Subitems of ${name}`,
    type: 'sub_items_board',
    subitems_board_id: null,
    parent_board_id: id,
    columns: [
      column('name', 'name', 'Name'),
      column('text_mkr6a1sz', 'text', 'Size'),
      column('numeric_mkr6b2qt', 'numbers', 'Quantity'),
      column('text_mkr6c3lk', 'text', 'Line Key'),
    ],
    groups: [{ id: 'topics', title: 'Subitems', color: '#579bfc', archived: false, deleted: false }],
  };
  return [main, subitems];
}
