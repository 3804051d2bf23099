/**
 * The only module that knows whether we run on Node.js or Deno.
 * Everything runtime-specific (env, argv, signals, exit, terminal) goes through here.
 */
import process from 'node:process';
import { visibleControls } from './visible-controls.ts';

/** True when running under Deno. */
export const isDeno: boolean = 'Deno' in globalThis;

/** Name and version of the current runtime, for logs and reports. */
export function describeRuntime(): string {
  if (isDeno) {
    const deno = (globalThis as unknown as { Deno: { version: { deno: string } } }).Deno;
    return `deno ${deno.version.deno}`;
  }
  return `node ${process.version}`;
}

/** A read-only view of the process environment. */
export type Env = Readonly<Record<string, string | undefined>>;

/** The process environment (both runtimes expose `process.env` through node:process). */
export function getEnv(): Env {
  return process.env;
}

/** Command-line arguments after the script name. */
export function getArgs(): string[] {
  return process.argv.slice(2);
}

/** Current working directory. */
export function getCwd(): string {
  return process.cwd();
}

/** Whether stderr is an interactive terminal (progress bars) or a pipe/file (log lines). */
export function isStderrTty(): boolean {
  return Boolean(process.stderr.isTTY);
}

// Whether the reader of stdout / stderr went away (`ordersync run | head -1`): later writes are dropped.
const gone = { stdout: false, stderr: false };

/**
 * A closed output pipe must not kill a run half-way (leaving its row RUNNING): EPIPE on stdout or
 * stderr marks the stream gone and the work goes on; other stream errors stay fatal, as by default.
 */
function guardOutput(name: 'stdout' | 'stderr'): void {
  const stream = process[name];
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED' || error.code === 'ECONNRESET') {
      gone[name] = true;
      return;
    }
    throw error;
  });
}
guardOutput('stdout');
guardOutput('stderr');

/** Whether stdout's or stderr's reader has gone away (EPIPE); writes to it are dropped from then on. */
export function isOutputClosed(name: 'stdout' | 'stderr'): boolean {
  return gone[name];
}

function writeTo(name: 'stdout' | 'stderr', text: string): void {
  if (gone[name]) return;
  try {
    const shown = visibleControls(text);
    process[name].write(shown.endsWith('\n') ? shown : `${shown}\n`);
  } catch (error) {
    // Some runtimes throw EPIPE from write itself instead of emitting it.
    if ((error as NodeJS.ErrnoException).code !== 'EPIPE') throw error;
    gone[name] = true;
  }
}

/** Writes a line to stdout (dropped once stdout's reader is gone). */
export function writeOut(text: string): void {
  writeTo('stdout', text);
}

/** Writes a line to stderr (dropped once stderr's reader is gone). */
export function writeErr(text: string): void {
  writeTo('stderr', text);
}

/** Sets the exit code the process ends with once its work drains. */
export function setExitCode(code: number): void {
  process.exitCode = code;
}

/** Ends the process now. */
export function exitNow(code: number): never {
  process.exit(code);
}

/** Process id, for lock files and run rows. */
export const pid: number = process.pid;

/** Signals ordersync reacts to. */
export type Signal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

/**
 * Registers a signal handler; returns a function that removes it. A signal the platform cannot
 * deliver registers nothing instead of throwing (Deno on Windows refuses a SIGTERM listener;
 * Node accepts it and never fires it).
 */
export function onSignal(signal: Signal, handler: () => void): () => void {
  try {
    process.on(signal, handler);
  } catch {
    return () => {};
  }
  return () => {
    process.off(signal, handler);
  };
}

/** Whether a process with this id is alive (EPERM: alive but not ours). */
export function isProcessAlive(processId: number): boolean {
  if (!Number.isInteger(processId) || processId <= 0) return false;
  try {
    process.kill(processId, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

/** The stderr stream, for libraries that write to a stream (progress bars). */
export const stderrStream: NodeJS.WritableStream = process.stderr;

/**
 * Calls `handler` once when the process that started this one exits (we are re-parented): a
 * wrapper such as `npx` that is killed does not pass the signal on, and its child would serve on.
 * Only a change counts, so a process started by init or a container's PID 1 is left alone.
 */
export function onParentExit(handler: () => void, intervalMs = 1_000): () => void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    handler();
  }, intervalMs);
  (timer as { unref?: () => void }).unref?.();
  return () => clearInterval(timer);
}
