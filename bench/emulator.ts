/** The bench's monday: the emulator in a child process, its request log, and figures taken from it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EmulatorOptions, EmulatorState, RequestLogEntry } from '../src/emulator/index.ts';

const ROOT = resolve(import.meta.dirname, '..');

/** A running emulator process. */
export interface BenchEmulator {
  url: string;
  baseUrl: string;
  token: string;
  pid: number;
  /** The emulator's request log (GET /requests.json). */
  requests(): Promise<RequestLogEntry[]>;
  /** Its boards and items (GET /state.json). */
  state(): Promise<EmulatorState>;
  close(): Promise<void>;
}

/** What one measured phase cost on the API side, from the emulator's own log. */
export interface ApiFigures {
  requests: number;
  mutations: number;
  complexity: number;
  /** Responses with HTTP 429. */
  rateLimited: number;
  /** Responses with another error (HTTP ≥ 400 or an error in the body). */
  errors: number;
}

/** Starts the emulator in a child process with these options; resolves once it listens. */
export async function spawnEmulator(options: EmulatorOptions): Promise<BenchEmulator> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'bench/emulator-process.ts', JSON.stringify(options)], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const first = await Promise.race([
    once(lines, 'line').then(([line]) => String(line)),
    once(child, 'exit').then(([code]) => { throw new Error(`bench: emulator process exited early (code ${String(code)})`); }),
  ]);
  lines.close();
  const { url, baseUrl, token } = JSON.parse(first) as { url: string; baseUrl: string; token: string };
  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${baseUrl}${path}`);
    if (!res.ok) throw new Error(`bench: GET ${path} → ${res.status}`);
    return (await res.json()) as T;
  };
  return {
    url, baseUrl, token, pid: child.pid!,
    requests: () => get<RequestLogEntry[]>('/requests.json'),
    state: () => get<EmulatorState>('/state.json'),
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.stdin?.end();
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Sums the log entries of one phase (requests that arrived in [from, to]). */
export function apiFigures(entries: RequestLogEntry[], from: number, to: number): ApiFigures {
  const phase = entries.filter((e) => e.at >= from && e.at <= to);
  return {
    requests: phase.length,
    mutations: phase.reduce((n, e) => n + e.mutations, 0),
    complexity: phase.reduce((n, e) => n + e.complexity, 0),
    rateLimited: phase.filter((e) => e.status === 429).length,
    errors: phase.filter((e) => e.status !== 429 && (e.status >= 400 || e.status === 0 || e.error !== undefined)).length,
  };
}

/** How a phase used the budget's windows: each opens with its first charged request and lasts windowMs. */
export interface WindowFigures {
  windows: number;
  /** Average time from a window's end to the next charged request (budget left idle), ms. */
  averageGapMs: number;
  /** Windows that ended with budget unspent, and how much in total (whole windows only, not the last). */
  underusedWindows: number;
  unusedPoints: number;
}

/** Reconstructs the emulator's budget windows from the charged requests of a phase. */
export function windowFigures(entries: RequestLogEntry[], from: number, to: number, windowMs: number, points: number): WindowFigures {
  const starts: { at: number; used: number }[] = [];
  for (const e of entries) {
    if (e.at < from || e.at > to || e.complexity === 0) continue;
    const current = starts.at(-1);
    if (!current || e.at >= current.at + windowMs) starts.push({ at: e.at, used: e.complexity });
    else current.used += e.complexity;
  }
  const gaps = starts.slice(1).map((w, i) => w.at - (starts[i]!.at + windowMs));
  const whole = starts.slice(0, -1);
  return {
    windows: starts.length,
    averageGapMs: gaps.length > 0 ? Math.round(gaps.reduce((a, b) => a + b, 0) / gaps.length) : 0,
    underusedWindows: whole.filter((w) => w.used < points).length,
    unusedPoints: whole.reduce((n, w) => n + Math.max(0, points - w.used), 0),
  };
}

/** Active items and subitems on the emulator's boards. */
export function countBoardItems(state: EmulatorState): { items: number; subitems: number; groups: number } {
  const active = state.items.filter((i) => i.state === 'active');
  const groups = state.boards.filter((b) => b.type === 'board').flatMap((b) => b.groups.filter((g) => !g.deleted && g.id !== 'topics'));
  return { items: active.filter((i) => i.parent_item_id === null).length, subitems: active.filter((i) => i.parent_item_id !== null).length, groups: groups.length };
}

/**
 * Gives the Customer dropdown of both demo boards a label for every bench customer, the way an
 * account admin adds a label when a customer is added (the demo boards know five customers).
 * It creates one throwaway item per missing label with create_labels_if_missing and deletes it,
 * then waits out the budget window so the measured phase starts with a full budget.
 */
export async function addCustomerLabels(emulator: BenchEmulator, customers: string[], boards: string[], windowMs: number): Promise<void> {
  const state = await emulator.state();
  let spent = false;
  for (const boardId of boards) {
    const board = state.boards.find((b) => b.id === boardId);
    const known = new Set((board?.columns.find((c) => c.id === 'dropdown_mkr542p2')?.settings.labels ?? []).map((l) => l.name));
    for (const name of customers.filter((c) => !known.has(c))) {
      const created = await post<{ create_item: { id: string } }>(emulator, `mutation ($board: ID!, $values: JSON) {
        create_item(board_id: $board, item_name: "label setup", column_values: $values, create_labels_if_missing: true) { id } }`,
      { board: boardId, values: JSON.stringify({ dropdown_mkr542p2: { labels: [name] } }) });
      await post(emulator, 'mutation ($id: ID) { delete_item(item_id: $id) { id } }', { id: created.create_item.id });
      spent = true;
    }
  }
  if (spent) await sleep(windowMs + 1_000);
}

async function post<T = unknown>(emulator: BenchEmulator, query: string, variables: Record<string, unknown>): Promise<T> {
  const res = await fetch(emulator.url, {
    method: 'POST',
    headers: { Authorization: emulator.token, 'Content-Type': 'application/json', 'API-Version': '2026-07' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
  if (!res.ok || body.errors?.length || !body.data) throw new Error(`bench: emulator setup failed: ${res.status} ${JSON.stringify(body.errors ?? body)}`);
  return body.data;
}
