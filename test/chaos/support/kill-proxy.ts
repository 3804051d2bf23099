/**
 * A loopback HTTP proxy between a CLI child and the emulator that sees every monday request and
 * can SIGKILL the child at an exact point of one: on arrival (never sent), after the emulator
 * committed it (response withheld), or just after the response was delivered. Black-box: the
 * product code does not know it is there.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a request does, read from its GraphQL document. */
export type RequestKind = 'create_group' | 'create_item' | 'create_subitem' | 'mutation' | 'lookup' | 'query';

/** When, relative to the matched request, the child dies. */
export type KillMoment = 'arrival' | 'committed' | 'delivered';

/** A request-based kill point: the `nth` request of `kind` since arming, at `moment` (+ `delayMs` after delivery). */
export interface RequestTrigger {
  kind: RequestKind;
  nth: number;
  moment: KillMoment;
  delayMs?: number;
}

/** The proxy handle. */
export interface KillProxy {
  /** The URL to give the child as MONDAY_API_URL. */
  url: string;
  /** Kills (via `fire`) at the trigger; replaces any earlier arming. */
  arm(trigger: RequestTrigger, fire: () => void): void;
  /** Forwards everything again. */
  disarm(): void;
  /** Whether the armed trigger fired. */
  fired(): boolean;
  /** Holds every request until `until` settles (to make two children overlap). */
  hold(until: Promise<unknown>): void;
  close(): Promise<void>;
}

/** The kinds a request counts as (a create_item request is also a mutation). */
export function kindsOf(document: string): RequestKind[] {
  const kinds: RequestKind[] = [];
  if (/^\s*mutation\b/.test(document)) {
    kinds.push('mutation');
    if (/\bcreate_group\s*\(/.test(document)) kinds.push('create_group');
    if (/\bcreate_item\s*\(/.test(document)) kinds.push('create_item');
    if (/\bcreate_subitem\s*\(/.test(document)) kinds.push('create_subitem');
  } else {
    kinds.push('query');
    if (/\bitems_page_by_column_values\b|\bsubitems\b/.test(document)) kinds.push('lookup');
  }
  return kinds;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding', 'host']);

async function readAll(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts a proxy in front of `target` (the emulator's /v2 URL). */
export async function startKillProxy(target: string): Promise<KillProxy> {
  let armed: { trigger: RequestTrigger; fire: () => void; seen: number } | null = null;
  let dead = false;
  let gate: Promise<unknown> = Promise.resolve();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readAll(req);
    await gate.catch(() => {});
    if (dead) return void res.destroy();
    let document = '';
    try {
      document = String((JSON.parse(body) as { query?: unknown }).query ?? '');
    } catch {
      // Not JSON: forwarded as is, the emulator answers it.
    }
    let moment: KillMoment | null = null;
    const current = armed;
    if (current && kindsOf(document).includes(current.trigger.kind) && ++current.seen === current.trigger.nth) moment = current.trigger.moment;
    const die = (): void => {
      dead = true;
      current!.fire();
    };
    if (moment === 'arrival') {
      die();
      return void res.destroy();
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string' && !HOP_BY_HOP.has(name)) headers[name] = value;
    let upstream: Response;
    try {
      upstream = await fetch(target, { method: req.method, headers, body: req.method === 'POST' ? body : undefined });
    } catch {
      // The emulator dropped the connection (a dropped-after-commit fault): drop ours too.
      if (moment) die();
      return void res.destroy();
    }
    const text = await upstream.text().catch(() => null);
    if (moment === 'committed' || text === null) {
      if (moment) die();
      return void res.destroy();
    }
    if (dead) return void res.destroy();
    const out: Record<string, string> = {};
    upstream.headers.forEach((value, name) => {
      if (!HOP_BY_HOP.has(name)) out[name] = value;
    });
    res.writeHead(upstream.status, out).end(text);
    if (moment === 'delivered') setTimeout(die, current!.trigger.delayMs ?? 0);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v2`,
    arm(trigger, fire) {
      armed = { trigger, fire, seen: 0 };
      dead = false;
    },
    disarm() {
      armed = null;
      dead = false;
    },
    fired: () => dead,
    hold(until) {
      gate = until;
    },
    close: () => new Promise<void>((done) => {
      server.closeAllConnections();
      server.close(() => done());
    }),
  };
}
