/** `GET /`: a read-only HTML view of the boards, laid out like monday's table. */
import type { BoardStore } from './board-store.ts';
import { columnText } from './column-value-view.ts';
import type { BoardState, ColumnState, ItemState } from './types.ts';

const ROWS_PER_GROUP = 500;

/** Renders every main board: groups, then items, each followed by its subitems. All user text is escaped. */
export function renderHtmlView(store: BoardStore): string {
  const boards = store.allBoards().filter((board) => board.type === 'board');
  const body = boards.length === 0 ? '<p>No boards.</p>' : boards.map((board) => renderBoard(store, board)).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>monday.com emulator</title>
<style>
body{font-family:system-ui,sans-serif;margin:1.5rem;color:#323338}
table{border-collapse:collapse;margin:.25rem 0 1.25rem}
th,td{border:1px solid #d0d4e4;padding:.25rem .5rem;font-size:.85rem;text-align:left;vertical-align:top}
th{background:#f5f6f8}
tr.sub td{background:#fafbfc}
tr.sub td:first-child{padding-left:1.75rem}
h3{border-left:6px solid var(--c);padding-left:.5rem}
.muted{color:#676879;font-weight:normal;font-size:.8rem}
</style></head><body>
<h1>monday.com emulator <span class="muted">read-only view · <a href="/state.json">state.json</a> · <a href="/requests.json">requests.json</a></span></h1>
${body}
</body></html>`;
}

function renderBoard(store: BoardStore, board: BoardState): string {
  const columns = board.columns.filter((column) => column.type !== 'subtasks');
  const subBoard = board.subitems_board_id ? store.findBoard(board.subitems_board_id) : undefined;
  const subColumns = subBoard?.columns ?? [];
  const items = store.itemsOf(board.id).filter((item) => item.state === 'active');
  const groups = board.groups.filter((group) => !group.deleted && !group.archived).map((group) => {
    const rows = items.filter((item) => item.group_id === group.id);
    const shown = rows.slice(0, ROWS_PER_GROUP).map((item) => renderItem(store, item, columns, subColumns)).join('');
    const more = rows.length > ROWS_PER_GROUP ? `<tr><td colspan="${columns.length}">… ${rows.length - ROWS_PER_GROUP} more</td></tr>` : '';
    const head = columns.map((column) => `<th>${escapeHtml(column.title)}</th>`).join('');
    return `<h3 style="--c:${escapeHtml(group.color)}">${escapeHtml(group.title)} <span class="muted">${escapeHtml(group.id)} · ${rows.length} items</span></h3>
<table><thead><tr>${head}</tr></thead><tbody>${shown}${more}</tbody></table>`;
  });
  return `<h2>${escapeHtml(board.name)} <span class="muted">board ${escapeHtml(board.id)}</span></h2>\n${groups.join('\n')}`;
}

function renderItem(store: BoardStore, item: ItemState, columns: ColumnState[], subColumns: ColumnState[]): string {
  const subitems = () => store.subitemsOf(item);
  const cells = columns.map((column) => `<td>${escapeHtml(columnText(column, item, subitems))}</td>`).join('');
  const subRows = subitems()
    .map((sub) => {
      const subCells = subColumns.map((column) => `${escapeHtml(column.title)}: ${escapeHtml(columnText(column, sub, () => []))}`).join(' · ');
      return `<tr class="sub"><td colspan="${columns.length}">↳ ${subCells}</td></tr>`;
    })
    .join('');
  return `<tr>${cells}</tr>${subRows}`;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
