/** Starts the emulator: a node:http server on loopback serving the API and an inspection view. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BoardLocks } from './board-locks.ts';
import { BoardStore } from './board-store.ts';
import { buildEmulatorSchema } from './build-emulator-schema.ts';
import { ComplexityBudget } from './complexity-budget.ts';
import { CursorStore } from './cursor-store.ts';
import { errorBody } from './error-body.ts';
import { FaultInjector } from './fault-injector.ts';
import { createApiHandler } from './handle-api-request.ts';
import { sendBody } from './http-io.ts';
import { IdempotencyCache } from './idempotency-cache.ts';
import { DocumentPreparer } from './prepare-document.ts';
import { renderHtmlView } from './render-html-view.ts';
import { RequestLimits } from './request-limits.ts';
import { checkFaults, resolveOptions } from './resolve-options.ts';
import { createSeedState } from './seed-state.ts';
import { StateFile } from './state-file.ts';
import { StatePersistence } from './state-persistence.ts';
import type { EmulatorHandle, EmulatorOptions, RequestLogEntry } from './types.ts';

/** Starts an emulator and resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const resolved = resolveOptions(options);
  const stateFile = resolved.stateFile ? new StateFile(resolved.stateFile) : null;
  const saved = stateFile?.load() ?? null;
  const reservedThrough = saved?.itemIdsReservedThrough ?? null;
  const store = new BoardStore(saved?.state ?? createSeedState(resolved.seed), {
    itemsPerBoard: resolved.itemsPerBoard,
    seed: resolved.faults.seed ?? 1,
    idFloor: reservedThrough ?? 0,
    // Each boot after a reservation starts above it, so that number tells boots apart.
    groupSalt: reservedThrough === null ? '' : `:${reservedThrough}`,
  });
  const persistence = stateFile ? new StatePersistence(stateFile, store, { warn: resolved.warn }) : null;
  // Before listening: the state as loaded and a fresh id reservation are saved (or the failure is logged).
  await persistence?.start();
  const schema = buildEmulatorSchema();
  const faults = new FaultInjector(resolved.faults);
  const requestLog: RequestLogEntry[] = [];
  const api = createApiHandler({
    options: resolved,
    schema,
    store,
    cursors: new CursorStore(),
    budget: new ComplexityBudget(resolved.budget.points, resolved.budget.windowMs),
    limits: new RequestLimits(resolved.limits, resolved.budget.windowMs),
    faults,
    idempotency: new IdempotencyCache(resolved.idempotencyTtlMs),
    locks: new BoardLocks(),
    documents: new DocumentPreparer(schema),
    log: (entry) => {
      requestLog.push(entry);
      if (requestLog.length > resolved.requestLogLimit) requestLog.splice(0, requestLog.length - resolved.requestLogLimit);
    },
    durability: persistence,
  });

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendBody(res, 500, errorBody('INTERNAL_SERVER_ERROR', String(error)), {});
      else res.destroy();
    });
  });
  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://emulator').pathname;
    if (path === '/v2' || path === '/v2/') {
      if (req.method === 'POST') return api(req, res);
      return sendBody(res, 405, errorBody('METHOD_NOT_ALLOWED', 'Use POST for the API'), { Allow: 'POST' });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendBody(res, 405, errorBody('METHOD_NOT_ALLOWED', 'Read-only view'), { Allow: 'GET' });
    if (path === '/') return sendBody(res, 200, renderHtmlView(store), { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'" });
    if (path === '/state.json') return sendBody(res, 200, store.state, {});
    if (path === '/requests.json') return sendBody(res, 200, requestLog, {});
    return sendBody(res, 404, errorBody('NOT_FOUND', `No route ${path}`), {});
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(resolved.port, resolved.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
  const baseUrl = `http://${host}:${address.port}`;
  let closing: Promise<void> | null = null;

  return {
    url: `${baseUrl}/v2`,
    baseUrl,
    token: resolved.token,
    userToken: resolved.userToken,
    requestLog,
    setFaults: (next) => faults.set(checkFaults(next)),
    snapshot: () => store.snapshot(),
    close: () => {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        // Keep-alive sockets would hold close() open until they time out.
        server.closeAllConnections?.();
        await closed;
        await persistence?.close();
      })();
      return closing;
    },
  };
}
