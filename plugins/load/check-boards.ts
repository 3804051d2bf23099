/**
 * Preflight of monday-items: one read for every board (then one for their subitems boards): each
 * board exists and is a board, every mapped column exists with a compatible type, key columns are
 * text, and the status and dropdown labels the pending data needs exist (or will be created).
 */
import type { ColumnRef, PluginContext, PreflightProblem, PreflightScope } from '../../src/pipeline/index.ts';

interface BoardColumn { id: string; title: string; type: string; settings?: unknown; settings_str?: string | null }
interface BoardInfo { id: string; name: string; type: string | null; columns: BoardColumn[] }

const BOARDS = 'query ($ids: [ID!]) { boards(ids: $ids) { id name type columns { id title type settings } } }';

// The mapping's types and the monday column types each may fill.
const COMPATIBLE: Record<string, string[]> = {
  text: ['text'], long_text: ['long_text', 'text'], numbers: ['numbers'], status: ['status', 'color'], dropdown: ['dropdown'],
  date: ['date'], checkbox: ['checkbox'], email: ['email'], link: ['link'], phone: ['phone'],
};

/** A column's settings as an object, whether monday sends `settings` as JSON, as a string, or only `settings_str`. */
function settingsOf(column: BoardColumn): Record<string, unknown> {
  const raw = column.settings ?? column.settings_str ?? null;
  if (typeof raw === 'string') {
    try {
      return (JSON.parse(raw) as Record<string, unknown> | null) ?? {};
    } catch {
      return {};
    }
  }
  return raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
}

/** The labels of a status or dropdown column with their index or id (status: `{labels: {"0": "Done"}}`; dropdown: `{labels: [{id, name}]}`). */
export function labelsWithIds(column: Pick<BoardColumn, 'settings' | 'settings_str'>): { id: number; name: string }[] {
  const labels = settingsOf(column as BoardColumn).labels;
  if (Array.isArray(labels)) return labels.flatMap((l) => (l && typeof l === 'object' ? [{ id: Number((l as { id?: unknown }).id), name: String((l as { name?: unknown }).name ?? '') }] : [])).filter((l) => l.name);
  if (labels && typeof labels === 'object') return Object.entries(labels as Record<string, unknown>).map(([id, name]) => ({ id: Number(id), name: String(name) })).filter((l) => l.name);
  return [];
}

/** The label names of a status or dropdown column. */
export function labelsOf(column: BoardColumn): string[] {
  return labelsWithIds(column).map((l) => l.name);
}

/** The subitems board of a board, from its subitems column's settings. */
function subitemsBoardOf(board: BoardInfo): string | null {
  const column = board.columns.find((c) => c.type === 'subtasks');
  const ids = column ? (settingsOf(column).boardIds as unknown[] | undefined) : undefined;
  return ids?.length ? String(ids[0]) : null;
}

async function readBoards(ctx: PluginContext, ids: string[]): Promise<Map<string, BoardInfo>> {
  if (ids.length === 0) return new Map();
  const { data } = await ctx.monday.query<{ boards: BoardInfo[] | null }>(BOARDS, { ids });
  return new Map((data.boards ?? []).filter(Boolean).map((b) => [String(b.id), b]));
}

/** Problems of one board's columns against the mapping. */
async function checkColumns(board: BoardInfo, refs: ColumnRef[], labels: { create: boolean; part: 'headers' | 'lines'; scope: PreflightScope; customers: string[] }): Promise<PreflightProblem[]> {
  const problems: PreflightProblem[] = [];
  // The label scans read the pending rows (a GROUP BY each): all of the board's at once, not one after another.
  const scanned = await Promise.all(refs.map((ref) => {
    const column = board.columns.find((c) => c.id === ref.id);
    const scans = column && (COMPATIBLE[ref.type] ?? [ref.type]).includes(column.type) && !labels.create && ref.field && (ref.type === 'status' || ref.type === 'dropdown');
    return scans ? labels.scope.pendingValues(labels.part, ref.field!, labels.customers) : null;
  }));
  for (const [i, ref] of refs.entries()) {
    const column = board.columns.find((c) => c.id === ref.id);
    const allowed = COMPATIBLE[ref.type] ?? [ref.type];
    if (!column) {
      const sameType = board.columns.filter((c) => allowed.includes(c.type)).map((c) => `${c.id} (${c.title})`);
      problems.push({ path: ref.path, message: `board ${board.id} (${board.name}) has no column ${ref.id}; its ${ref.type} columns: ${sameType.join(', ') || 'none'}` });
      continue;
    }
    if (!allowed.includes(column.type)) {
      const sameType = board.columns.filter((c) => allowed.includes(c.type)).map((c) => `${c.id} (${c.title})`);
      problems.push({ path: ref.path, message: `column ${ref.id} (${column.title}) on board ${board.id} is a ${column.type} column, not ${ref.type}; its ${ref.type} columns: ${sameType.join(', ') || 'none'}` });
      continue;
    }
    const needed = scanned[i];
    if (!needed) continue;
    const existing = labelsOf(column);
    const values = ref.type === 'dropdown' ? needed.flatMap((n) => n.value.split(',').map((value) => ({ ...n, value: value.trim() }))) : needed;
    const missing = values.filter((n) => n.value && !existing.includes(n.value));
    if (missing.length === 0) continue;
    // A configured customer's own name missing from its column is configuration (a customer just added):
    // stop before any group is made. Any other stray value fails its own rows, each with monday's reason.
    const stuck = [...new Set(missing.filter((m) => m.value === m.customer).map((m) => m.customer))];
    const list = [...new Set(missing.map((m) => m.value))].map((m) => JSON.stringify(m)).join(', ');
    const records = missing.reduce((sum, m) => sum + m.count, 0);
    problems.push({
      path: ref.path,
      severity: stuck.length > 0 ? 'error' : 'warning',
      message: `column ${ref.id} (${column.title}) on board ${board.id} has no label ${list}, needed by ${records} pending record(s)${stuck.length > 0 ? ` — every record of ${stuck.join(', ')}` : ' (they will fail alone)'}; existing labels: ${existing.map((l) => JSON.stringify(l)).join(', ') || 'none'}. Fix: add the label on the board, or set stages.load.with.createLabelsIfMissing: true`,
    });
  }
  return problems;
}

/** Every problem of the boards, located at the mapping (or the board option) that names it. */
export async function checkBoards(createLabels: boolean, ctx: PluginContext, scope: PreflightScope): Promise<PreflightProblem[]> {
  const problems: PreflightProblem[] = [];
  const boards = await readBoards(ctx, scope.boards.map((b) => b.id));
  for (const ref of [...scope.writes.item, ...scope.writes.subitem]) {
    if (ref.field === null && ref.type !== 'text') problems.push({ path: ref.path, message: `a key column must be a text column, not ${ref.type}` });
  }
  const subitemBoards = new Map<string, string>();
  const checks: Promise<PreflightProblem[]>[] = [];
  for (const { id, path } of scope.boards) {
    const board = boards.get(id);
    const where = scope.customers.filter((c) => ctx.boardFor(c) === id);
    if (!board) {
      problems.push({ path, message: `board ${id} (customers ${where.join(', ')}) does not exist or this token cannot see it` });
      continue;
    }
    if (board.type && board.type !== 'board') {
      problems.push({ path, message: `${id} (${board.name}) is a ${board.type}, not a board` });
      continue;
    }
    checks.push(checkColumns(board, scope.writes.item, { create: createLabels, part: 'headers', scope, customers: where }));
    if (scope.writes.subitem.length === 0) continue;
    const sub = subitemsBoardOf(board);
    if (!sub) problems.push({ path, message: `board ${id} (${board.name}) has no subitems board, but lines are mapped to subitems; add a subitem on the board once, or map no subitem columns` });
    else subitemBoards.set(id, sub);
  }
  // The item boards' label scans run while the subitems boards are read.
  const subs = await readBoards(ctx, [...new Set(subitemBoards.values())]);
  for (const [parent, id] of subitemBoards) {
    const board = subs.get(id);
    if (!board) problems.push({ path: scope.boards.find((b) => b.id === parent)!.path, message: `the subitems board ${id} of board ${parent} cannot be read` });
    else checks.push(checkColumns(board, scope.writes.subitem, { create: createLabels, part: 'lines', scope, customers: scope.customers.filter((c) => ctx.boardFor(c) === parent) }));
  }
  for (const found of await Promise.all(checks)) problems.push(...found);
  return dedupe(problems);
}

/** Two customers on one board name the same problem once. */
function dedupe(problems: PreflightProblem[]): PreflightProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path.join('.')}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
