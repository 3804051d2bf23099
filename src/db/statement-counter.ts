/**
 * Counts the statements a database connection sends, through kysely's `log` hook
 * (`openDatabase({ log: counter.log })`): every query kysely runs, BEGIN, COMMIT and ROLLBACK of
 * its transactions included, and refused statements too (they cost a round trip all the same).
 * The pipeline lock's own session (PostgreSQL) is not kysely's and is not counted.
 */
import type { LogEvent } from 'kysely';

/** What a counter saw. */
export interface StatementCounter {
  /** kysely's `log` hook; pass it as `openDatabase({ log })` or `new Kysely({ log })`. */
  log(event: LogEvent): void;
  /** Statements since the counter was made or last reset. */
  total(): number;
  /** Statements by what they are, e.g. `{ "update order_list": 12, "select": 40, "begin": 1 }`. */
  byKind(): Record<string, number>;
  /** Milliseconds the statements took, summed (as kysely measures each: sent to answered). */
  durationMs(): number;
  /** Starts counting again from zero. */
  reset(): void;
}

// The verb, and for writes the table they write to: what a reader of the counts wants to tell apart.
const WRITE = /^\s*(insert\s+into|update|delete\s+from)\s+((?:"[^"]+"|[\w$]+)(?:\.(?:"[^"]+"|[\w$]+))?)/i;
const VERB = /^\s*([a-z]+)/i;

/** The kind of a statement: `insert into <table>`, `update <table>`, `delete from <table>`, else its first word in lower case. */
export function statementKind(text: string): string {
  const write = WRITE.exec(text);
  if (write) return `${write[1]!.toLowerCase().replace(/\s+/g, ' ')} ${write[2]!.replaceAll('"', '')}`;
  return VERB.exec(text)?.[1]?.toLowerCase() ?? 'other';
}

/** A fresh counter at zero. */
export function createStatementCounter(): StatementCounter {
  let counts = new Map<string, number>();
  let total = 0;
  let durationMs = 0;
  return {
    log(event) {
      const kind = statementKind(event.query.sql);
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
      total++;
      durationMs += event.queryDurationMillis;
    },
    total: () => total,
    byKind: () => Object.fromEntries(counts),
    durationMs: () => durationMs,
    reset() {
      counts = new Map();
      total = 0;
      durationMs = 0;
    },
  };
}
