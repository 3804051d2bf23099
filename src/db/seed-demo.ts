/** Deterministic demo orders for the embedded demo: several customers, seasons, size lines, and a few dirty rows. */
import { sql, type Kysely } from 'kysely';

/** What to seed. */
export interface DemoSeedOptions {
  /** PRNG seed; the same seed gives the same orders. Default 42. */
  seed?: number;
  /** Orders per customer. Default 8. */
  ordersPerCustomer?: number;
  customers?: string[];
  /** Include the deliberately dirty rows. Default true. */
  dirty?: boolean;
}

/** Demo customers, as in config/order-list.yaml. */
export const DEMO_CUSTOMERS = ['GREYSON', 'PELOTON', 'WHITE FOX', 'SUMMERSALT', 'TITLE NINE'];

const SEASONS = ['2025 FALL', '2026 SPRING'];
const HOUSE_SEASONS = ['FA25', 'SP26'];
const STYLES = ['Tour Polo', 'Shoreline Hoodie', 'Everyday Jogger', 'Studio Legging', 'Racerback Tank', 'Quarter Zip', 'Sun Dress', 'Cargo Short'];
const COLORS = ['Black', 'Navy', 'Heather Grey', 'Sage', 'Sand', 'Coral', 'Ivory', 'Forest'];
const SIZES = ['XXS', 'XS', 'S', 'M', 'L', 'XL', 'XXL', '0', '2', '4', '6', '8'];
const STATUSES = ['Open', 'In Production', 'Shipped'];

/** A small deterministic PRNG (mulberry32). */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A demo order header row. */
export type DemoOrder = Record<string, string | number | null>;
/** A demo line row. */
export type DemoLine = Record<string, string | number | null>;

/** Generates the demo orders and lines without touching the database. */
export function generateDemoOrders(options: DemoSeedOptions = {}): { orders: DemoOrder[]; lines: DemoLine[] } {
  const random = createRandom(options.seed ?? 42);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const orders: DemoOrder[] = [];
  const lines: DemoLine[] = [];
  const customers = options.customers ?? DEMO_CUSTOMERS;
  customers.forEach((customer, c) => {
    const prefix = customer.replace(/[^A-Z]/g, '').slice(0, 3);
    for (let i = 1; i <= (options.ordersPerCustomer ?? 8); i++) {
      const season = SEASONS[i % SEASONS.length]!;
      const orderNumber = `${prefix}-${String(1000 + c * 100 + i)}`;
      const month = 1 + Math.floor(random() * 12);
      const day = 1 + Math.floor(random() * 28);
      const sizes = SIZES.slice(0, 3 + Math.floor(random() * 10));
      const quantities = sizes.map(() => 12 * (1 + Math.floor(random() * 20)));
      orders.push({
        order_number: orderNumber, customer_name: customer, customer_season: season, aag_season: HOUSE_SEASONS[i % 2]!,
        customer_style: `${pick(STYLES)} ${String(100 + Math.floor(random() * 900))}`, style_description: `${pick(STYLES)} in ${pick(COLORS).toLowerCase()}, recycled blend`,
        color: pick(COLORS), po_number: `PO-${String(Math.floor(random() * 900000) + 100000)}`,
        order_date: `2025-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
        ex_factory_date: `2026-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
        total_quantity: String(quantities.reduce((a, b) => a + b, 0)), unit_price: (8 + random() * 60).toFixed(2), order_status: pick(STATUSES),
      });
      sizes.forEach((size, n) => {
        lines.push({ line_key: `${orderNumber}-${String(n + 1).padStart(2, '0')}`, order_number: orderNumber, line_number: n + 1, size, quantity: String(quantities[n]) });
      });
    }
  });
  if (options.dirty ?? true) makeDirty(orders, lines);
  return { orders, lines };
}

/** The deliberately dirty rows: each must fail alone with a readable reason. */
function makeDirty(orders: DemoOrder[], lines: DemoLine[]): void {
  const at = (n: number): DemoOrder | undefined => orders[n % orders.length];
  const quantityLine = lines.find((l) => l.order_number === at(1)?.order_number);
  if (quantityLine) quantityLine.quantity = 'TWELVE';
  const badDate = at(10);
  if (badDate) badDate.order_date = '2025-02-30';
  const noSeason = at(19);
  if (noSeason) Object.assign(noSeason, { customer_season: null, aag_season: null });
  const longName = at(28);
  if (longName) longName.customer_style = `${'Limited Edition Heritage Collection Performance '.repeat(7)}`.slice(0, 300);
}

/** Inserts the demo orders (existing order numbers are left alone); returns how many were new. */
export async function seedDemo<T>(db: Kysely<T>, options: DemoSeedOptions = {}): Promise<{ orders: number; lines: number }> {
  const { orders, lines } = generateDemoOrders(options);
  let newOrders = 0;
  let newLines = 0;
  for (const order of orders) {
    const cols = Object.keys(order);
    const r = await sql`insert into order_list (${sql.join(cols.map((c) => sql.ref(c)))}) values (${sql.join(cols.map((c) => order[c]))})
      on conflict (order_number) do nothing`.execute(db);
    newOrders += Number(r.numAffectedRows ?? 0);
  }
  for (const line of lines) {
    const cols = Object.keys(line);
    const r = await sql`insert into order_list_lines (${sql.join(cols.map((c) => sql.ref(c)))}) values (${sql.join(cols.map((c) => line[c]))})
      on conflict (line_key) do nothing`.execute(db);
    newLines += Number(r.numAffectedRows ?? 0);
  }
  return { orders: newOrders, lines: newLines };
}

/** Empties the demo tables and the engine's sync state (groups, api log, record state). */
export async function resetDemo<T>(db: Kysely<T>): Promise<void> {
  await sql`truncate order_list_lines, order_list, ordersync_groups, ordersync_api_log, ordersync_record_state`.execute(db);
}
