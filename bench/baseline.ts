/**
 * The baseline: the same records sent the way monday's documentation uses its official client
 * (`@mondaydotcomorg/api`): one mutation per request, sequentially — create_group per title,
 * create_item per order, create_subitem per line — waiting out 429s as the response says.
 * Records and column values come from the flagship config's own extract and transform stages,
 * so both sides send identical values; the baseline writes nothing back to the database.
 */
import { ApiClient } from '@mondaydotcomorg/api';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from '../src/db/open-database.ts';
import { compileFieldTemplate } from '../src/pipeline/field-template.ts';
import { silentLogger } from '../src/pipeline/logger.ts';
import { createPluginContext } from '../src/pipeline/create-context.ts';
import { createStage } from '../src/pipeline/create-stages.ts';
import { apiFigures, countBoardItems, windowFigures, type BenchEmulator } from './emulator.ts';
import { loadNow, measurement, type BudgetSpec, type SyncMeasurement } from './measure.ts';
import { benchConfig } from './ordersync.ts';

const CREATE_GROUP = `mutation ($boardId: ID!, $groupName: String!) {
  create_group(board_id: $boardId, group_name: $groupName) { id }
}`;
const CREATE_ITEM = `mutation ($boardId: ID!, $groupId: String, $itemName: String!, $columnValues: JSON) {
  create_item(board_id: $boardId, group_id: $groupId, item_name: $itemName, column_values: $columnValues) { id }
}`;
const CREATE_SUBITEM = `mutation ($parentItemId: ID!, $itemName: String!, $columnValues: JSON) {
  create_subitem(parent_item_id: $parentItemId, item_name: $itemName, column_values: $columnValues) { id }
}`;

interface ErrorResponse {
  status?: number;
  headers?: Headers;
  errors?: { extensions?: { retry_in_seconds?: number } }[];
}

type CallResult<T> = { ok: true; data: T } | { ok: false; error: string };

/** Syncs every pending record one mutation per request and measures it. */
export async function measureBaseline(input: {
  database: Database;
  databaseUrl: string;
  emulator: BenchEmulator;
  customers: string[];
  records: number;
  budget: BudgetSpec;
  log: (line: string) => void;
}): Promise<SyncMeasurement> {
  const { database, emulator, log } = input;
  const config = await benchConfig(input.databaseUrl, emulator, input.customers, 'unused');
  const api = new ApiClient({ token: emulator.token, apiVersion: config.monday.apiVersion, endpoint: emulator.url });
  let waits = 0;
  const errors: string[] = [];
  const call = async <T>(document: string, variables: Record<string, unknown>): Promise<CallResult<T>> => {
    for (;;) {
      try {
        return { ok: true, data: await api.request<T>(document, variables) };
      } catch (error) {
        const response = (error as { response?: ErrorResponse }).response;
        if (response?.status !== 429) {
          const message = (error as Error).message.slice(0, 300);
          if (errors.length < 5) errors.push(message);
          return { ok: false, error: message };
        }
        // A 429 did nothing: wait as told and send the same request again.
        const header = Number(response.headers?.get('retry-after'));
        const seconds = response.errors?.[0]?.extensions?.retry_in_seconds ?? (Number.isFinite(header) ? header : 60);
        waits++;
        await sleep(seconds * 1000);
      }
    }
  };

  // The extract and transform stages only read; the monday client in their context is never used.
  const ctx = createPluginContext({
    db: database.db, logger: silentLogger, runId: 'baseline', pipeline: config.pipeline, dryRun: true, configDir: config.dir,
    boardFor: (name) => config.customers.find((c) => c.name === name)?.board ?? config.monday.board,
  });
  const source = await createStage(config.stages.extract, ctx);
  const transform = await createStage(config.stages.transform, ctx);
  const groupOptions = config.stages['group-resolve'].options as { name: string; fallbacks?: string[] };
  const titleTemplates = [groupOptions.name, ...(groupOptions.fallbacks ?? [])].map(compileFieldTemplate);
  const groups = new Map<string, string>();
  let synced = 0;
  let failed = 0;

  const load = loadNow();
  const from = Date.now();
  for (const customer of config.customers.map((c) => c.name)) {
    const board = ctx.boardFor(customer);
    for await (const page of source.pages(customer, {})) {
      for (const record of page.map((r) => transform.map(r, board))) {
        const title = titleTemplates.map((t) => t.render(record.source.fields)).find((r) => r.missing.length === 0)?.text ?? 'No season';
        if (!groups.has(`${board}:${title}`)) {
          const group = await call<{ create_group: { id: string } }>(CREATE_GROUP, { boardId: board, groupName: title });
          if (group.ok) groups.set(`${board}:${title}`, group.data.create_group.id);
        }
        const item = record.item;
        const created = item && !item.problem
          ? await call<{ create_item: { id: string } }>(CREATE_ITEM, { boardId: board, groupId: groups.get(`${board}:${title}`) ?? null, itemName: item.name, columnValues: JSON.stringify(item.columns) })
          : null;
        if (created?.ok) synced++;
        else failed++;
        for (const sub of record.subitems) {
          const done = created?.ok && !sub.problem
            ? await call<{ create_subitem: { id: string } }>(CREATE_SUBITEM, { parentItemId: created.data.create_item.id, itemName: sub.name, columnValues: JSON.stringify(sub.columns) })
            : null;
          if (done?.ok) synced++;
          else failed++;
        }
      }
    }
    log(`  baseline: ${customer} done (${((Date.now() - from) / 1000).toFixed(1)} s)`);
  }
  const to = Date.now();
  await source.close();
  const entries = await emulator.requests();
  const result = measurement({
    label: 'baseline (one mutation per request)', wallMs: to - from, records: input.records, loadAverage: { start: load, end: loadNow() },
    api: apiFigures(entries, from, to), windows: windowFigures(entries, from, to, input.budget.windowMs, input.budget.points), synced, pending: 0, failed,
    onBoard: countBoardItems(await emulator.state()),
    detail: { client: '@mondaydotcomorg/api ApiClient.request, sequential', rateLimitWaits: waits, firstErrors: errors },
  }, input.budget);
  log(`  baseline: ${(result.wallMs / 1000).toFixed(1)} s, ${result.api.requests} requests, ${result.api.rateLimited} × 429`);
  return result;
}
