/** Turns valibot issues into one-line messages, never echoing values that came from the environment. */
import type * as v from 'valibot';

/** A valibot issue's key path as plain segments. */
export function issuePath(issue: v.BaseIssue<unknown>): (string | number)[] {
  return (issue.path ?? []).map((item) => item.key as string | number);
}

/** True when the issue is about a key (unknown or missing) rather than a value. */
export function isKeyIssue(issue: v.BaseIssue<unknown>): boolean {
  return issue.path?.at(-1)?.origin === 'key';
}

/** A readable message; `hideValue` drops the received value (it came from a secret). */
export function describeIssue(issue: v.BaseIssue<unknown>, hideValue: boolean): string {
  const key = issue.path?.at(-1)?.key;
  if (isKeyIssue(issue)) {
    return issue.received === 'undefined' ? `missing required key "${String(key)}"` : `unknown key "${String(key)}"`;
  }
  // Our own schemas carry custom messages; valibot's defaults start with "Invalid ".
  if (!issue.message.startsWith('Invalid ')) return issue.message;
  if (issue.received === 'undefined') return `missing required key "${String(key)}"`;
  const got = hideValue ? typeOfValue(issue.input) : issue.received;
  return `expected ${issue.expected ?? issue.type} but got ${got}`;
}

function typeOfValue(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'an array';
  return `a ${typeof input} (value hidden: it comes from the environment)`;
}
