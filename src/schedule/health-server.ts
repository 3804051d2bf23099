/** The loopback HTTP endpoint of `ordersync serve`: `GET /healthz` (JSON) and `GET /metrics` (Prometheus text). */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';

/** Where to listen and what to answer. */
export interface HealthServerOptions<T = unknown> {
  /** Loopback host (default 127.0.0.1); anything else is refused: the endpoint has no authentication. */
  host?: string;
  /** TCP port (default 9464; 0 = ephemeral). */
  port?: number;
  /** The `/healthz` document. */
  health: () => Promise<T>;
  /** The HTTP status of a `/healthz` document (default 200), e.g. 503 while a database is down. */
  statusOf?: (document: T) => number;
  /** The `/metrics` text. */
  metrics: () => string;
}

/** A listening health server. */
export interface HealthServer {
  /** e.g. http://127.0.0.1:9464 */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Default port of the endpoint (in the range Prometheus exporters use). */
export const DEFAULT_HEALTH_PORT = 9464;

/** True for localhost, 127.0.0.0/8 and ::1. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return isIP(bare) === 6 && (bare === '::1' || bare === '0:0:0:0:0:0:0:1');
}

/** Starts the server; resolves once it listens. */
export async function startHealthServer<T>(options: HealthServerOptions<T>): Promise<HealthServer> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) throw new Error(`health: refusing to listen on ${host}: the endpoint is unauthenticated, use a loopback address (127.0.0.1, ::1, localhost)`);
  const port = options.port ?? DEFAULT_HEALTH_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`health: port must be 0..65535, got ${port}`);

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://health').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'use GET\n', { Allow: 'GET, HEAD' });
    if (path === '/healthz') {
      const document = await options.health();
      return send(res, options.statusOf?.(document) ?? 200, 'application/json; charset=utf-8', `${JSON.stringify(document, null, 2)}\n`);
    }
    if (path === '/metrics') return send(res, 200, 'text/plain; version=0.0.4; charset=utf-8', options.metrics());
    return send(res, 404, 'text/plain; charset=utf-8', 'not found: try /healthz or /metrics\n');
  };
  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `health: ${(error as Error).message}\n`);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new Error(`health: port ${port} on ${host} is in use (another serve?); pick one with --port, or 0 for any free port`, { cause: error }) : error);
    });
    server.listen(port, host, () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${shown}:${address.port}`,
    port: address.port,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A scraper's keep-alive socket would hold close() open until it times out.
        server.closeAllConnections?.();
      });
      return closing;
    },
  };
}

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...headers });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
