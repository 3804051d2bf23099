/** Which errors mean "the database connection failed or was lost", in words, and where the server is (never the password). */

/** A connection problem found in an error or its causes. */
export interface ConnectionProblem {
  /** The network code, postgres.js code or SQLSTATE. */
  code: string;
  /** What it means, for a person. */
  words: string;
  /** The server's own message for SQLSTATE errors (it names roles and databases, never the password), else ''. */
  detail: string;
  /** The error that carried the code. */
  error: Error;
}

// Network-level codes (node, postgres.js, our driver) and PostgreSQL's connection SQLSTATEs, in words.
const CONNECTION_PROBLEMS: Record<string, string> = {
  ECONNREFUSED: 'connection refused (is the server running and listening on that port?)',
  ENOTFOUND: 'unknown host',
  EAI_AGAIN: 'host name lookup failed (temporary DNS failure)',
  ETIMEDOUT: 'connection timed out',
  CONNECT_TIMEOUT: 'connection timed out',
  ECONNRESET: 'the server closed the connection',
  EPIPE: 'the server closed the connection',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  CONNECTION_CLOSED: 'the server closed the connection',
  CONNECTION_ENDED: 'the server closed the connection',
  CONNECTION_DESTROYED: 'the connection was closed',
  '28P01': 'password authentication failed',
  '28000': 'the server refused this user',
  '3D000': 'the database does not exist',
  '57P01': 'the server ended the session (an administrator, a shutdown or a failover)',
  '57P02': 'the server crashed',
  '57P03': 'the server is starting up or shutting down',
  '08000': 'connection failure',
  '08003': 'the connection does not exist',
  '08006': 'connection failure',
  '53300': 'too many connections',
};

/** The connection problem behind `error` (searched through its causes), or null when it is something else. */
export function findConnectionProblem(error: unknown): ConnectionProblem | null {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = String((e as { code?: unknown }).code ?? '');
    const words = CONNECTION_PROBLEMS[code];
    if (!words) continue;
    const detail = /^[0-9A-Z]{5}$/.test(code) && e.message ? e.message : '';
    return { code, words, detail, error: e };
  }
  return null;
}

/** `host:port, database "name" as user "role"` of a PostgreSQL URL; the password is never part of it. */
export function describeServer(url: string): string {
  try {
    const parsed = new URL(url);
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || decodeURIComponent(parsed.username) || 'postgres';
    return `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}, database "${database}"${parsed.username ? ` as user "${decodeURIComponent(parsed.username)}"` : ''}`;
  } catch {
    // An unparseable URL was refused by the config check already.
    return 'the configured server';
  }
}

/** `<words> (<server's message>) [<code>]`. */
export function describeProblem(problem: ConnectionProblem): string {
  return `${problem.words}${problem.detail ? ` (${problem.detail})` : ''} [${problem.code}]`;
}
