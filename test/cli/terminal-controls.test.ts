/**
 * Control characters that reach the terminal are shown, not obeyed: a right-to-left override or
 * a carriage return in a value (here, a flag value quoted back in the error) is written as \uXXXX
 * by the real CLI process, so it cannot reorder or overwrite the line its reader sees.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { visibleControls } from '../../src/runtime/visible-controls.ts';

const run = promisify(execFile);

describe('terminal output', () => {
  it('spells out bidi, C0 and C1 controls and keeps tabs, newlines and ordinary text', () => {
    expect(visibleControls('a\u202Eb\u2066c\u2069\rd\u001b[2Je\u0085f')).toBe('a\\u202eb\\u2066c\\u2069\\u000dd\\u001b[2Je\\u0085f');
    expect(visibleControls('tab\there\nשלום עולم — ok')).toBe('tab\there\nשלום עולم — ok');
  });

  it('writes a hostile flag value back to the terminal with its controls visible', async () => {
    const error = await run(process.execPath, ['--import', 'tsx', 'src/cli/ordersync.ts', 'run', '--log-format', 'evil\u202Etxt.exe\r'], { encoding: 'utf8' })
      .then(() => null, (e: { code: number; stderr: string }) => e);
    expect(error?.code).toBe(2);
    expect(error?.stderr).toContain('evil\\u202etxt.exe');
    expect(error?.stderr).not.toMatch(/[\u202E\r]/);
  });
});
