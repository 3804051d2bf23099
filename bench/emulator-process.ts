/**
 * Child-process entry: runs the monday emulator in its own process (so its CPU is not the
 * client's, as with the real service), prints `{url, baseUrl, token}` as one JSON line, and
 * stops when its stdin closes or on SIGTERM.
 */
import { startEmulator, type EmulatorOptions } from '../src/emulator/index.ts';

const options = JSON.parse(process.argv[2] ?? '{}') as EmulatorOptions;
const emulator = await startEmulator(options);
process.stdout.write(`${JSON.stringify({ url: emulator.url, baseUrl: emulator.baseUrl, token: emulator.token })}\n`);
let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  void emulator.close().finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The parent holds our stdin: when it goes away (even killed), so do we.
process.stdin.on('end', stop);
process.stdin.resume();
