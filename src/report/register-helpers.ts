/** The template helpers every report template may use, registered on an isolated Handlebars instance. */
import type Handlebars from 'handlebars';
import type { RunOutcome } from '../pipeline/run-summary.ts';
import { escapeMarkdown } from './escape-markdown.ts';
import {
  formatDate,
  formatDuration,
  formatNumber,
  formatPercent,
  formatSeconds,
  statusBadge,
  statusEmoji,
} from './format-values.ts';

/** An isolated Handlebars environment (`Handlebars.create()`). */
export type HandlebarsEnv = typeof Handlebars;

interface HelperCall {
  loc?: { start?: { line?: number } };
  data?: { root?: { report?: { timezone?: unknown } } };
}

type Impl = (args: unknown[], call: HelperCall) => string;

/** Helper name → [min args, max args, implementation]; the names are the template API. */
const HELPERS: Record<string, [number, number, Impl]> = {
  duration: [1, 1, ([ms]) => formatDuration(ms as number)],
  seconds: [1, 1, ([ms]) => formatSeconds(ms as number)],
  number: [1, 1, ([n]) => formatNumber(n as number)],
  percent: [2, 2, ([part, whole]) => formatPercent(part as number, whole as number)],
  statusEmoji: [1, 1, ([status]) => statusEmoji(status as RunOutcome)],
  statusBadge: [1, 1, ([status]) => statusBadge(status as RunOutcome)],
  date: [1, 2, ([value, tz], call) => formatDate(value as string, String(tz ?? call.data?.root?.report?.timezone ?? 'UTC'))],
  md: [1, 1, ([value]) => escapeMarkdown(value)],
  json: [1, 1, ([value]) => JSON.stringify(value ?? null, null, 2)],
};

/** Registers duration, seconds, number, percent, statusEmoji, statusBadge, date, md and json. */
export function registerHelpers(hb: HandlebarsEnv): void {
  for (const [name, [min, max, impl]] of Object.entries(HELPERS)) {
    hb.registerHelper(name, (...all: unknown[]) => {
      const call = all.pop() as HelperCall;
      const args = all;
      try {
        if (args.length < min || args.length > max) {
          throw new Error(`expects ${min === max ? min : `${min} or ${max}`} argument${max === 1 ? '' : 's'}, got ${args.length}`);
        }
        if (args.slice(0, min).some((a) => a === undefined)) throw new Error('got undefined (is a field name misspelt?)');
        return impl(args, call);
      } catch (error) {
        const message = (error as Error).message;
        const failure = new Error(`helper ${name}: ${message.replace(/^\w+: /, '')}`, { cause: error });
        // The template wrapper reads lineNumber to name the line, like Handlebars' own errors.
        Object.assign(failure, { lineNumber: call.loc?.start?.line });
        throw failure;
      }
    });
  }
}
