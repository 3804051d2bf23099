/** The ordersync CLI as a real child process: output captured, killable, and always cleaned up. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The repository root (where src/ and templates/ live). */
export const REPO_ROOT = resolve(import.meta.dirname, '../../..');
const CLI = join(REPO_ROOT, 'src/cli/ordersync.ts');
// An absolute loader URL: the child's cwd is a temp dir, where `--import tsx` would not resolve.
const TSX = pathToFileURL(join(REPO_ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

/** How a child ended. */
export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running (or finished) CLI child. */
export interface CliChild {
  pid: number;
  /** stdout so far. */
  stdout(): string;
  /** stderr so far (log lines in JSON format). */
  stderr(): string;
  exited: Promise<ChildExit>;
  /** Calls `fn` once, at the first stderr/stdout line matching `pattern`. */
  onLine(pattern: RegExp, fn: () => void): void;
  /** SIGKILL, now; true if the child was still running. */
  kill(): boolean;
}

const live = new Set<ChildProcess>();

/** Starts `ordersync <args>` in `cwd` with only the given environment (plus PATH/HOME). */
export function spawnCli(args: string[], options: { cwd: string; env: Record<string, string> }): CliChild {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', LANG: 'C.UTF-8', ...options.env };
  const child = spawn(process.execPath, ['--import', TSX, CLI, ...args], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let out = '';
  let err = '';
  const watchers: { pattern: RegExp; fn: () => void }[] = [];
  const scan = (text: string): void => {
    for (const w of [...watchers]) {
      if (w.pattern.test(text)) {
        watchers.splice(watchers.indexOf(w), 1);
        w.fn();
      }
    }
  };
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    scan(chunk);
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
    scan(chunk);
  });
  const exited = new Promise<ChildExit>((resolveExit) => {
    child.once('close', (code, signal) => {
      live.delete(child);
      resolveExit({ code, signal });
    });
  });
  return {
    pid: child.pid ?? -1,
    stdout: () => out,
    stderr: () => err,
    exited,
    onLine: (pattern, fn) => watchers.push({ pattern, fn }),
    kill: () => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'),
  };
}

/** Runs `ordersync <args>` to its end. */
export async function runCli(args: string[], options: { cwd: string; env: Record<string, string> }): Promise<ChildExit & { stdout: string; stderr: string }> {
  const child = spawnCli(args, options);
  const end = await child.exited;
  return { ...end, stdout: child.stdout(), stderr: child.stderr() };
}

/** SIGKILLs every child still running and waits for them (for afterEach/afterAll, also on failure). */
export async function killAllChildren(): Promise<void> {
  const waiting = [...live].map((child) => new Promise<void>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('close', () => done());
    child.kill('SIGKILL');
  }));
  await Promise.all(waiting);
}
