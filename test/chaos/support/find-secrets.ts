/** Promise 5, checked by grepping: outputs, every text of every table, and every file written. */
import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { EngineTables } from '../../../src/db/tables.ts';

/** Recognisable secrets for one test file: a monday token and a database password. */
export function createSecrets(): { token: string; password: string } {
  return { token: `tok-SECRET-${randomBytes(6).toString('hex')}`, password: `pw-SECRET-${randomBytes(6).toString('hex')}` };
}

/** One place a secret was found. */
export interface Leak {
  where: string;
  secret: string;
  context: string;
}

/** What was searched and what was found. */
export interface SecretScan {
  /** Outputs, table rows and files searched. */
  places: number;
  leaks: Leak[];
}

function scanText(secrets: string[], where: string, text: string, into: Leak[]): void {
  for (const secret of secrets) {
    const at = text.indexOf(secret);
    if (at >= 0) into.push({ where, secret, context: text.slice(Math.max(0, at - 60), at + secret.length + 20) });
  }
}

async function filesUnder(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => null);
  if (!info) return [];
  if (!info.isDirectory()) return [path];
  const entries = await readdir(path);
  return (await Promise.all(entries.map((e) => filesUnder(join(path, e))))).flat();
}

/**
 * Searches for `secrets` in named outputs, in every column of every table of the public schema
 * (each row cast to text), and in every file under `paths` (bytes, so binary files count too).
 */
export async function findSecrets(
  secrets: string[],
  sources: { outputs?: Record<string, string>; db?: Kysely<EngineTables>; paths?: string[] },
): Promise<SecretScan> {
  const scan: SecretScan = { places: 0, leaks: [] };
  for (const [where, text] of Object.entries(sources.outputs ?? {})) {
    scan.places++;
    scanText(secrets, where, text, scan.leaks);
  }
  if (sources.db) {
    const tables = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(sources.db);
    for (const { name } of tables.rows) {
      const rows = await sql<{ row: string }>`select t::text as row from ${sql.table(name)} as t`.execute(sources.db);
      for (const { row } of rows.rows) {
        scan.places++;
        scanText(secrets, `table ${name}`, row, scan.leaks);
      }
    }
  }
  for (const file of (await Promise.all((sources.paths ?? []).map(filesUnder))).flat()) {
    scan.places++;
    const bytes = await readFile(file);
    for (const secret of secrets) {
      const at = bytes.indexOf(secret);
      if (at >= 0) scan.leaks.push({ where: file, secret, context: bytes.subarray(Math.max(0, at - 60), at + secret.length + 20).toString('utf8') });
    }
  }
  return scan;
}
