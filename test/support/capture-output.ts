/** What the CLI writes to stdout and stderr, captured afresh for each test of the file that calls this. */
import { afterEach, beforeEach, vi } from 'vitest';

/** Registers the capture hooks; read `io.out` / `io.err` inside a test. */
export function captureOutput(): { out: string; err: string } {
  const io = { out: '', err: '' };
  beforeEach(() => {
    io.out = '';
    io.err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((io.out += String(chunk)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((io.err += String(chunk)), true));
  });
  afterEach(() => vi.restoreAllMocks());
  return io;
}
