/** `ordersync emulator --state FILE` as a real child process, for SIGKILL tests of its durability. */
import { spawnCli, type CliChild } from './cli-child.ts';

/** A running emulator child and where to reach it. */
export interface EmulatorChild {
  child: CliChild;
  url: string;
  baseUrl: string;
  token: string;
}

/** Starts the emulator on a free port with `stateFile` and resolves once it listens. */
export async function startEmulatorChild(stateFile: string, cwd: string, extraArgs: string[] = []): Promise<EmulatorChild> {
  const child = spawnCli(['emulator', '--state', stateFile, '--port', '0', ...extraArgs], { cwd, env: {} });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`emulator child did not start in 30 s:\n${child.stdout()}${child.stderr()}`)), 30_000);
    const look = (): void => {
      const match = /listening on (http:\/\/[^\s]+)/.exec(child.stdout());
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.onLine(/listening on/, look);
    void child.exited.then((exit) => {
      clearTimeout(timer);
      reject(new Error(`emulator child exited ${JSON.stringify(exit)} before listening:\n${child.stdout()}${child.stderr()}`));
    });
    look();
  });
  return { child, baseUrl, url: `${baseUrl}/v2`, token: 'emulator-token' };
}
