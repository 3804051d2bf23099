/**
 * `items_page` rules on the last updated pseudo-column. API reference "Last Updated"
 * (developer.monday.com/api-reference/reference/last-updated): the column is read and filtered, not
 * updated; its rules say `compare_attribute: "UPDATED_AT"`. Like the date column's rules, a compare
 * value is `["EXACT", "YYYY-MM-DD"]` (or `TODAY` / `YESTERDAY`) and compares by day (UTC).
 */
import { MondayApiError } from './monday-api-error.ts';
import type { ItemPredicate, ItemsQueryRule } from './match-rule.ts';

/** The pseudo-column id of an item's last change. */
export const LAST_UPDATED_PSEUDO_COLUMN = '__last_updated__';

const DAY_MS = 86_400_000;

/** The UTC day (epoch ms of its midnight) a compare value names. */
function dayOf(value: unknown, now: number): number | null {
  const text = String(value ?? '');
  if (text === 'TODAY') return Math.floor(now / DAY_MS) * DAY_MS;
  if (text === 'YESTERDAY') return Math.floor(now / DAY_MS) * DAY_MS - DAY_MS;
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) return Date.parse(`${text.slice(0, 10)}T00:00:00Z`);
  return null;
}

/** A predicate on `updated_at` by day; throws InvalidArgumentException for what monday would refuse. */
export function compileLastUpdatedRule(rule: ItemsQueryRule, now: number): ItemPredicate {
  const operator = rule.operator ?? 'any_of';
  const values = (Array.isArray(rule.compare_value) ? rule.compare_value : [rule.compare_value]).filter((v) => v !== 'EXACT');
  const days = values.map((v) => dayOf(v, now));
  if (days.length === 0 || days.some((d) => d === null)) {
    throw new MondayApiError('InvalidArgumentException', 'Invalid compare value for the last updated column: use ["EXACT", "YYYY-MM-DD"], TODAY or YESTERDAY', { column_id: rule.column_id });
  }
  const [low, high] = days as number[];
  const day = (iso: string): number => Math.floor(Date.parse(iso) / DAY_MS) * DAY_MS;
  switch (operator) {
    case 'any_of': return (item) => days.includes(day(item.updated_at));
    case 'not_any_of': return (item) => !days.includes(day(item.updated_at));
    case 'greater_than': return (item) => day(item.updated_at) > low!;
    case 'greater_than_or_equals': return (item) => day(item.updated_at) >= low!;
    case 'lower_than': return (item) => day(item.updated_at) < low!;
    case 'lower_than_or_equal': return (item) => day(item.updated_at) <= low!;
    case 'between':
      if (high === undefined) throw new MondayApiError('InvalidArgumentException', 'Operator between needs two compare values', { column_id: rule.column_id });
      return (item) => day(item.updated_at) >= low! && day(item.updated_at) <= high;
    default:
      throw new MondayApiError('InvalidArgumentException', `Operator ${operator} is not supported for a last_updated column`, { column_id: rule.column_id, operator });
  }
}
