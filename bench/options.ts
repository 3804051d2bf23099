/** Command-line flags of `npm run bench`, with every default next to its flag. */
import { parseArgs } from 'node:util';

/** What one bench run measures, after defaults. */
export interface BenchOptions {
  /** Orders of the sync scenario (default 300; `--quick` 60). */
  orders: number;
  /** Fewest lines per order (default 3). */
  minLines: number;
  /** Most lines per order (default 8). */
  maxLines: number;
  /** Customers of the scenario, two seasons (groups) each (default 6). */
  customers: number;
  /** Emulator latency per request in ms (default 200). */
  latencyMs: number;
  /** Complexity points per budget window (default 1,000,000). */
  budgetPoints: number;
  /** Budget window in ms (default 6,000: monday's per-minute ceiling, ten times faster). */
  windowMs: number;
  /** Complexity of one mutation (default 10,000). */
  mutationCost: number;
  /** Orders of the dry-run scenario (default 200,000; `--quick` 20,000). */
  dryRunOrders: number;
  /** Lines per order of the dry-run scenario (default 4: 200k headers + 800k lines = 1,000,000 rows). */
  dryRunLines: number;
  /** Skip the one-call-per-record baseline (default false). */
  skipBaseline: boolean;
  /** Skip the large dry run (default false). */
  skipDryRun: boolean;
  /** Skip the sync and its no-op rerun (and the baseline): only the dry run (default false). */
  skipSync: boolean;
  /** Skip the wave-2 reads section: update run and no-op rerun with write-back (default false). */
  skipWaveTwo: boolean;
  /** Server URL used to drop and create the bench database (default DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres). */
  adminUrl: string;
  /** Bench database name, dropped and recreated per scenario (default ordersync_bench_<pid>, so two benches on one server never share one). */
  database: string;
  /** Where results.json and RESULTS.md go (default bench/). */
  outDir: string;
  /** The command line as given, for RESULTS.md. */
  command: string;
  quick: boolean;
}

const HELP = `Usage: npm run bench -- [options]

  --orders N            orders in the sync scenario (default 300; --quick 60)
  --min-lines N         fewest lines per order (default 3)
  --max-lines N         most lines per order (default 8)
  --customers N         customers, two seasons each (default 6)
  --latency-ms N        emulator latency per request (default 200)
  --budget-points N     complexity points per window (default 1000000)
  --window-ms N         budget window (default 6000)
  --mutation-cost N     complexity per mutation (default 10000)
  --dry-run-orders N    orders of the large dry run (default 200000; --quick 20000)
  --dry-run-lines N     lines per order of the large dry run (default 4)
  --skip-baseline       do not run the one-call-per-record baseline
  --skip-dry-run        do not run the large dry run
  --skip-sync           only the large dry run (no sync, rerun or baseline)
  --skip-wave-two       do not measure the wave-2 reads (update run, write-back)
  --database NAME       bench database (default ordersync_bench_<pid>; dropped and recreated)
  --out DIR             where results.json and RESULTS.md go (default bench)
  --quick               a fast check: 60 orders, 20,000-order dry run`;

/** Parses argv (without node and script); prints help and exits on --help. */
export function parseBenchOptions(argv: string[], env: Record<string, string | undefined>): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      orders: { type: 'string' }, 'min-lines': { type: 'string' }, 'max-lines': { type: 'string' }, customers: { type: 'string' },
      'latency-ms': { type: 'string' }, 'budget-points': { type: 'string' }, 'window-ms': { type: 'string' }, 'mutation-cost': { type: 'string' },
      'dry-run-orders': { type: 'string' }, 'dry-run-lines': { type: 'string' }, 'skip-baseline': { type: 'boolean' }, 'skip-dry-run': { type: 'boolean' }, 'skip-sync': { type: 'boolean' },
      'skip-wave-two': { type: 'boolean' },
      database: { type: 'string' }, out: { type: 'string' }, quick: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    process.exit(0);
  }
  const quick = values.quick === true;
  const int = (name: keyof typeof values, fallback: number, min = 1): number => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new RangeError(`bench: --${name} must be an integer ≥ ${min}, got ${String(raw)}`);
    return n;
  };
  const options: BenchOptions = {
    orders: int('orders', quick ? 60 : 300),
    minLines: int('min-lines', 3, 0),
    maxLines: int('max-lines', 8, 0),
    customers: int('customers', 6),
    latencyMs: int('latency-ms', 200, 0),
    budgetPoints: int('budget-points', 1_000_000),
    windowMs: int('window-ms', 6_000),
    mutationCost: int('mutation-cost', 10_000),
    dryRunOrders: int('dry-run-orders', quick ? 20_000 : 200_000),
    dryRunLines: int('dry-run-lines', 4, 0),
    skipBaseline: values['skip-baseline'] === true,
    skipDryRun: values['skip-dry-run'] === true,
    skipSync: values['skip-sync'] === true,
    skipWaveTwo: values['skip-wave-two'] === true,
    adminUrl: env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
    database: values.database ?? `ordersync_bench_${process.pid}`,
    outDir: values.out ?? 'bench',
    command: ['npm run bench', ...(argv.length > 0 ? ['--', ...argv] : [])].join(' '),
    quick,
  };
  if (options.maxLines < options.minLines) throw new RangeError('bench: --max-lines must be ≥ --min-lines');
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(options.database)) throw new RangeError('bench: --database must be a plain lower-case identifier');
  return options;
}
