/** Bench scenarios in PostgreSQL: a fresh database per scenario, rows generated with set-based SQL. */
import { sql } from 'kysely';
import postgres from 'postgres';
import { migrateToLatest } from '../src/db/migrate.ts';
import { openDatabase, type Database } from '../src/db/open-database.ts';

/** The shape of a generated scenario. */
export interface ScenarioSpec {
  orders: number;
  minLines: number;
  maxLines: number;
  /** Customer names; orders are spread round-robin over them. */
  customers: string[];
  /** Seasons per customer (each customer + season is one monday group). */
  seasons: string[];
}

/** Row counts of a generated scenario. */
export interface ScenarioRows {
  orders: number;
  lines: number;
  groups: number;
}

/** Flagship customers first (config/order-list.yaml), then extra names for bigger scenarios. */
const CUSTOMER_NAMES = ['GREYSON', 'PELOTON', 'WHITE FOX', 'SUMMERSALT', 'TITLE NINE', 'VUORI', 'RHONE', 'TRACKSMITH', 'OISELLE', 'JUNIPER'];
/** Seasons that exist as labels on the demo boards' Season dropdown. */
export const BENCH_SEASONS = ['2025 FALL', '2026 SPRING'];
const HOUSE_SEASONS = ['FA25', 'SP26'];
const STYLES = ['Tour Polo', 'Shoreline Hoodie', 'Everyday Jogger', 'Studio Legging', 'Racerback Tank', 'Quarter Zip', 'Sun Dress', 'Cargo Short'];
const COLORS = ['Black', 'Navy', 'Heather Grey', 'Sage', 'Sand', 'Coral', 'Ivory', 'Forest'];
const SIZES = ['XXS', 'XS', 'S', 'M', 'L', 'XL', 'XXL', '0', '2', '4', '6', '8'];
const STATUSES = ['Open', 'In Production', 'Shipped'];

/** The first `count` bench customer names (numbered names past the list). */
export function benchCustomers(count: number): string[] {
  return Array.from({ length: count }, (_, i) => CUSTOMER_NAMES[i] ?? `CUSTOMER ${String(i + 1).padStart(2, '0')}`);
}

/** Drops and recreates the bench database on the server of `adminUrl`; returns its URL. */
export async function recreateDatabase(adminUrl: string, name: string): Promise<string> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops the bench database (at the end of a bench run). */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
  } finally {
    await admin.end();
  }
}

/** Opens a fresh bench database, migrated to latest. */
export async function openBenchDatabase(adminUrl: string, name: string): Promise<{ url: string; database: Database }> {
  const url = await recreateDatabase(adminUrl, name);
  const database = await openDatabase({ url });
  await migrateToLatest(database.db);
  return { url, database };
}

/** Generates orders and lines in one statement each (generate_series), then analyzes the tables. */
export async function generateScenario(database: Database, spec: ScenarioSpec): Promise<ScenarioRows> {
  const { db } = database;
  const span = spec.maxLines - spec.minLines + 1;
  // Deterministic: every value is a function of the order number i (and line number n).
  const lineCount = sql`(${spec.minLines}::int + (i * 7919) % ${span}::int)`;
  const orderNumber = sql`'BN-' || lpad(i::text, 7, '0')`;
  const quantity = sql`(12 * (1 + (i * 31 + n * 17) % 20))`;
  const customers = sql`${spec.customers}::text[]`;
  const nc = spec.customers.length;
  const ns = spec.seasons.length;
  await sql`insert into order_list (order_number, customer_name, customer_season, aag_season, customer_style, style_description,
      color, po_number, order_date, ex_factory_date, total_quantity, unit_price, order_status)
    select ${orderNumber}, (${customers})[1 + (i - 1) % ${nc}::int], (${spec.seasons}::text[])[1 + ((i - 1) / ${nc}::int) % ${ns}::int],
      (${HOUSE_SEASONS}::text[])[1 + ((i - 1) / ${nc}::int) % 2],
      (${STYLES}::text[])[1 + i % 8] || ' ' || (100 + (i * 37) % 900)::text,
      (${STYLES}::text[])[1 + (i * 3) % 8] || ' in ' || lower((${COLORS}::text[])[1 + (i * 5) % 8]) || ', recycled blend',
      (${COLORS}::text[])[1 + (i * 7) % 8], 'PO-' || (100000 + (i * 7919) % 900000)::text,
      '2025-' || lpad((1 + i % 12)::text, 2, '0') || '-' || lpad((1 + i % 28)::text, 2, '0'),
      '2026-' || lpad((1 + (i + 3) % 12)::text, 2, '0') || '-' || lpad((1 + (i + 7) % 28)::text, 2, '0'),
      coalesce((select sum(${quantity}) from generate_series(1, ${lineCount}) as n), 0)::text,
      round((8 + (i * 13) % 60)::numeric + 0.99, 2), (${STATUSES}::text[])[1 + i % 3]
    from generate_series(1, ${spec.orders}::int) as i`.execute(db);
  await sql`insert into order_list_lines (line_key, order_number, line_number, size, quantity)
    select ${orderNumber} || '-' || lpad(n::text, 2, '0'), ${orderNumber}, n,
      coalesce((${SIZES}::text[])[n], 'S' || n::text), ${quantity}::text
    from generate_series(1, ${spec.orders}::int) as i cross join lateral generate_series(1, ${lineCount}) as n`.execute(db);
  // An upstream table is vacuumed and analyzed; fresh bulk inserts are not until autovacuum runs.
  await sql`vacuum analyze order_list`.execute(db);
  await sql`vacuum analyze order_list_lines`.execute(db);
  const rows = await countRows(database);
  return { ...rows, groups: Math.min(spec.orders, nc * ns) };
}

/** Orders and lines in the scenario tables. */
export async function countRows(database: Database): Promise<{ orders: number; lines: number }> {
  const r = await sql<{ orders: number; lines: number }>`select (select count(*)::int from order_list) as orders,
    (select count(*)::int from order_list_lines) as lines`.execute(database.db);
  return { orders: Number(r.rows[0]?.orders ?? 0), lines: Number(r.rows[0]?.lines ?? 0) };
}

/** Rows by sync_state across headers and lines, e.g. { SYNCED: 1950 }. */
export async function countStates(database: Database): Promise<Record<string, number>> {
  const r = await sql<{ state: string; n: number }>`select state, count(*)::int as n from (
      select sync_state as state from order_list union all select sync_state from order_list_lines) as t group by state`.execute(database.db);
  return Object.fromEntries(r.rows.map((row) => [row.state, Number(row.n)]));
}

/** Marks every header and line PENDING again without changing any value (the no-op rerun). */
export async function markAllPending(database: Database): Promise<void> {
  await sql`update order_list set sync_state = 'PENDING', retry_count = 0`.execute(database.db);
  await sql`update order_list_lines set sync_state = 'PENDING', retry_count = 0`.execute(database.db);
}
