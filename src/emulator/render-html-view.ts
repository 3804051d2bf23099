/** `GET /`: a read-only HTML view of the boards, laid out like monday's table. */
import type { BoardStore } from './board-store.ts';
import { columnText } from './column-value-view.ts';
import type { BoardState, ColumnState, ItemState } from './types.ts';

const ROWS_PER_GROUP = 500;

// monday's status colours by label index (the default palette; index 5 is monday's grey "empty" slot).
const STATUS_COLOURS = ['#fdab3d', '#00c875', '#df2f4a', '#0086c0', '#a25ddc', '#c4c4c4', '#579bfc', '#ff642e', '#9cd326', '#cab641', '#ff158a', '#bb3354'];

/** A status label as monday shows it: a coloured pill. */
function statusPill(column: ColumnState, text: string): string {
  if (!text) return '';
  const index = column.settings.labels?.find((label) => label.name === text)?.id ?? 5;
  return `<span class="pill" style="background:${STATUS_COLOURS[index % STATUS_COLOURS.length]}">${escapeHtml(text)}</span>`;
}

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
h3,summary{border-left:6px solid var(--c);padding-left:.5rem}
summary{cursor:pointer;font-weight:600;font-size:1.05rem;margin:.75rem 0 .25rem}
.pill{display:inline-block;color:#fff;border-radius:3px;padding:0 .4rem;font-size:.8rem}
table.overview td.num{text-align:right}
.muted{color:#676879;font-weight:normal;font-size:.8rem}
</style></head><body>
<h1>monday.com emulator <span class="muted">read-only view · <a href="/state.json">state.json</a> · <a href="/requests.json">requests.json</a></span></h1>
${body}
</body></html>`;
}

function renderBoard(store: BoardStore, board: BoardState): string {
  const columns = board.columns.filter((column) => column.type !== 'subtasks');
  const statuses = columns.filter((column) => column.type === 'status');
  const subBoard = board.subitems_board_id ? store.findBoard(board.subitems_board_id) : undefined;
  const subColumns = subBoard?.columns ?? [];
  const items = store.itemsOf(board.id).filter((item) => item.state === 'active');
  const live = board.groups.filter((group) => !group.deleted && !group.archived);
  const overview = live.map((group) => {
    const rows = items.filter((item) => item.group_id === group.id);
    const subitems = rows.reduce((sum, item) => sum + store.subitemsOf(item).filter((sub) => sub.state === 'active').length, 0);
    const byStatus = statuses.map((column) => {
      const counts = new Map<string, number>();
      for (const item of rows) {
        const text = columnText(column, item, () => []);
        if (text) counts.set(text, (counts.get(text) ?? 0) + 1);
      }
      return [...counts].map(([text, n]) => `${statusPill(column, text)} ${n}`).join(' ');
    });
    return `<tr><td style="border-left:6px solid ${escapeHtml(group.color)}">${escapeHtml(group.title)}</td><td class="num">${rows.length}</td><td class="num">${subitems}</td>${byStatus.map((cell) => `<td>${cell}</td>`).join('')}</tr>`;
  });
  const overviewHead = `<tr><th>Group</th><th>Items</th><th>Subitems</th>${statuses.map((column) => `<th>${escapeHtml(column.title)}</th>`).join('')}</tr>`;
  const groups = live.map((group) => {
    const rows = items.filter((item) => item.group_id === group.id);
    const shown = rows.slice(0, ROWS_PER_GROUP).map((item) => renderItem(store, item, columns, subColumns)).join('');
    const more = rows.length > ROWS_PER_GROUP ? `<tr><td colspan="${columns.length}">… ${rows.length - ROWS_PER_GROUP} more</td></tr>` : '';
    const head = columns.map((column) => `<th>${escapeHtml(column.title)}</th>`).join('');
    return `<details open><summary style="--c:${escapeHtml(group.color)}">${escapeHtml(group.title)} <span class="muted">${escapeHtml(group.id)} · ${rows.length} items</span></summary>
<table><thead><tr>${head}</tr></thead><tbody>${shown}${more}</tbody></table></details>`;
  });
  return `<h2>${escapeHtml(board.name)} <span class="muted">board ${escapeHtml(board.id)} · ${items.length} items</span></h2>
<table class="overview"><thead>${overviewHead}</thead><tbody>${overview.join('')}</tbody></table>
${groups.join('\n')}`;
}

function renderItem(store: BoardStore, item: ItemState, columns: ColumnState[], subColumns: ColumnState[]): string {
  const subitems = () => store.subitemsOf(item);
  const cells = columns.map((column) => {
    const text = columnText(column, item, subitems);
    return `<td>${column.type === 'status' ? statusPill(column, text) : escapeHtml(text)}</td>`;
  }).join('');
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
