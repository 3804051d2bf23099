/** One CLI run of a chaos pipeline: to its end, or SIGKILLed at a kill point. */
import { runCli, spawnCli, type ChildExit } from './cli-child.ts';
import type { KillProxy, RequestTrigger } from './kill-proxy.ts';

/** Where to kill: when the child prints a log line, or at a request seen by the proxy. */
export type KillPoint = { label: string } & ({ log: RegExp } | { request: RequestTrigger });

/** A pipeline file, its environment and the proxy its monday traffic goes through. */
export interface SyncTarget {
  cwd: string;
  config: string;
  env: Record<string, string>;
  proxy: KillProxy;
}

/** How a run ended and what it printed. */
export interface RunOutcome {
  exit: ChildExit;
  /** stdout then stderr. */
  output: string;
  /** True when the kill point was reached and the child died of SIGKILL there. */
  killed: boolean;
}

// Debug logging on: every request's log line is searched for secrets too.
const ARGS = (config: string): string[] => ['run', config, '--log-format', 'json', '--verbose'];

/** Runs the pipeline and SIGKILLs it at `point`. */
export async function runKilledAt(t: SyncTarget, point: KillPoint): Promise<RunOutcome> {
  const child = spawnCli(ARGS(t.config), { cwd: t.cwd, env: t.env });
  let fired = false;
  const fire = (): void => {
    fired = true;
    child.kill();
  };
  if ('log' in point) {
    t.proxy.disarm();
    child.onLine(point.log, fire);
  } else t.proxy.arm(point.request, fire);
  const exit = await child.exited;
  t.proxy.disarm();
  return { exit, output: child.stdout() + child.stderr(), killed: fired && exit.signal === 'SIGKILL' };
}

/** Runs the pipeline to its end. */
export async function runToEnd(t: SyncTarget): Promise<RunOutcome> {
  t.proxy.disarm();
  const r = await runCli(ARGS(t.config), { cwd: t.cwd, env: t.env });
  return { exit: { code: r.code, signal: r.signal }, output: r.stdout + r.stderr, killed: false };
}
