/** `ordersync emulator`: runs the local monday.com emulator standalone until stopped. */
import { onSignal, writeOut } from '../../runtime/index.ts';
import { EXIT, type Command } from '../command.ts';
import { UsageError } from '../parse-args.ts';

function num(value: unknown, name: string, { min = 0, max = Number.POSITIVE_INFINITY } = {}): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) throw new UsageError(`--${name} must be a number between ${min} and ${max}, got ${String(value)}`);
  return n;
}

/** The emulator command. */
export const command: Command = {
  name: 'emulator',
  summary: 'Run the local monday.com emulator (GraphQL on /v2, board view on /) until Ctrl-C',
  help: `Usage: ordersync emulator [options]

  --port N                 TCP port on 127.0.0.1 (default 4010; 0 = any free port)
  --state FILE             keep boards in this JSON file across restarts
  --seed demo|empty        initial boards when there is no state file (default demo)
  --token TOKEN            the accepted API token (default emulator-token)
  --user-token TOKEN       a second token that edits the board as a person, another user id
                           (default emulator-user-token)
  --latency-ms N           added to every request
  --rate-5xx X             share of requests answered 500/502/503 (0..1)
  --rate-429 X             share of requests answered 429 (0..1)
  --drop-after-commit X    share of mutation requests applied, then cut off (0..1)
  --budget N               complexity points per window (default 10000000)
  --window-ms N            budget window (default 60000)
  --mutation-cost N        complexity of one mutation (default 10000)

Point ordersync at it with MONDAY_API_URL=http://127.0.0.1:<port>/v2 and MONDAY_API_TOKEN=<token>.
GET / shows the boards; GET /state.json dumps them; GET /requests.json lists the requests.`,
  options: {
    port: { type: 'string' }, state: { type: 'string' }, seed: { type: 'string' }, token: { type: 'string' }, 'user-token': { type: 'string' },
    'latency-ms': { type: 'string' }, 'rate-5xx': { type: 'string' }, 'rate-429': { type: 'string' }, 'drop-after-commit': { type: 'string' },
    budget: { type: 'string' }, 'window-ms': { type: 'string' }, 'mutation-cost': { type: 'string' },
  },
  async run({ values }) {
    const seed = (values.seed as string | undefined) ?? 'demo';
    if (seed !== 'demo' && seed !== 'empty') throw new UsageError(`--seed is demo or empty, got ${seed}`);
    const { startEmulator } = await import('../../emulator/index.ts');
    const emulator = await startEmulator({
      port: num(values.port, 'port', { max: 65535 }) ?? 4010,
      stateFile: values.state as string | undefined,
      seed,
      token: values.token as string | undefined,
      userToken: values['user-token'] as string | undefined,
      budget: { points: num(values.budget, 'budget', { min: 1 }), windowMs: num(values['window-ms'], 'window-ms', { min: 1 }), mutationCost: num(values['mutation-cost'], 'mutation-cost', { min: 1 }) },
      faults: {
        latencyMs: num(values['latency-ms'], 'latency-ms'),
        rate5xx: num(values['rate-5xx'], 'rate-5xx', { max: 1 }),
        rate429: num(values['rate-429'], 'rate-429', { max: 1 }),
        dropAfterCommitRate: num(values['drop-after-commit'], 'drop-after-commit', { max: 1 }),
      },
    });
    writeOut(`monday emulator listening on ${emulator.baseUrl} (board view: ${emulator.baseUrl}/)`);
    writeOut(`  export MONDAY_API_URL=${emulator.url}`);
    writeOut('  export MONDAY_API_TOKEN=<the --token value; default emulator-token>');
    let offs: (() => void)[] = [];
    await new Promise<void>((resolve) => {
      offs = [onSignal('SIGINT', resolve), onSignal('SIGTERM', resolve)];
    });
    for (const off of offs) off();
    await emulator.close();
    writeOut('monday emulator stopped');
    return EXIT.ok;
  },
};
