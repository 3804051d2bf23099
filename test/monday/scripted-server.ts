/** A tiny real HTTP server on loopback that answers with scripted replies (unit-level client tests). */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer. */
export interface ScriptedReply {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Destroy the socket instead of answering. */
  drop?: boolean;
  /** Wait before answering. */
  delayMs?: number;
}

/** A request as the server received it. */
export interface ReceivedRequest {
  method: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: { query: string; variables: Record<string, unknown> };
  startedAt: number;
  endedAt: number;
}

/** A running scripted server. */
export interface ScriptedServer {
  url: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

/** Starts a server; `reply` gets each request and its 0-based index. */
export async function startScriptedServer(
  reply: (request: ReceivedRequest, index: number) => ScriptedReply | Promise<ScriptedReply>,
): Promise<ScriptedServer> {
  const requests: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const received: ReceivedRequest = {
        method: req.method ?? '',
        headers: req.headers,
        raw,
        body: JSON.parse(raw) as ReceivedRequest['body'],
        startedAt: Date.now(),
        endedAt: 0,
      };
      const index = requests.push(received) - 1;
      void (async () => {
        const scripted = await reply(received, index);
        if (scripted.delayMs) await new Promise((resolve) => setTimeout(resolve, scripted.delayMs));
        received.endedAt = Date.now();
        if (scripted.drop) {
          req.socket.destroy();
          return;
        }
        if (res.destroyed) return;
        res.writeHead(scripted.status ?? 200, { 'content-type': 'application/json', ...scripted.headers });
        res.end(JSON.stringify(scripted.body ?? {}));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v2`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A monday-like success body: `data` for the given aliases plus a `complexity` reading. */
export function okBody(
  data: Record<string, unknown>,
  complexity = { before: 10_000_000, after: 9_990_000, query: 10_000, reset_in_x_seconds: 60 },
): unknown {
  return { data: { ...data, complexity }, extensions: { request_id: 'req-1' } };
}

/** Aliases a0..a{n-1} of a request's document. */
export function aliasesOf(query: string): string[] {
  return [...query.matchAll(/\b(a\d+):/g)].map((match) => match[1] as string);
}
