/** Process entry of the `ordersync` command (Node via tsx, or Deno). */
import { getArgs, setExitCode } from '../runtime/index.ts';
import { main } from './main.ts';

setExitCode(await main(getArgs()));
