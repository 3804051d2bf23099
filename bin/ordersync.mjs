#!/usr/bin/env node
// Entry for `npx ordersync`, `npm start` and `npm run ordersync`: runs the compiled build (dist/,
// made by `npm install` or `npm run build`) with plain node when it is newer than every source
// file; otherwise the TypeScript sources under tsx, with a one-line hint on stderr.
import { fileURLToPath } from 'node:url';
import { isBuildCurrent } from './build-state.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

if (isBuildCurrent(root)) {
  await import('../dist/src/cli/ordersync.js');
} else {
  process.stderr.write('ordersync: no current compiled build (dist/ is missing or older than src/); running the sources under tsx — `npm run build` for a fast start\n');
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/ordersync.ts');
}
