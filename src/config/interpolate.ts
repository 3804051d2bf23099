import { isMap, isPair, isScalar, isSeq, type Document } from 'yaml';
import type { Env } from '../runtime/index.ts';

/** A problem found while substituting `${VAR}` references; `path` is the key that used it. */
export interface InterpolationProblem {
  message: string;
  path: (string | number)[];
}

/** What interpolation did: its problems and the key paths whose value came from the environment. */
export interface InterpolationResult {
  problems: InterpolationProblem[];
  /** Paths holding environment-supplied text: their values never appear in messages. */
  fromEnv: (string | number)[][];
}

const REFERENCE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:-|:\?)([^}]*))?\}/g;

/**
 * Replaces `${VAR}`, `${VAR:-default}` and `${VAR:?message}` in every string scalar of the
 * document, in place (positions stay valid). `$$` is a literal `$`. A value is never echoed.
 */
export function interpolateDocument(doc: Document, env: Env): InterpolationResult {
  const result: InterpolationResult = { problems: [], fromEnv: [] };
  const visit = (node: unknown, path: (string | number)[]): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (isPair(pair) && isScalar(pair.key)) visit(pair.value, [...path, String(pair.key.value)]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => visit(item, [...path, index]));
    } else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('$')) {
      const { text, usedEnv, problems } = substitute(node.value, env);
      for (const message of problems) result.problems.push({ message, path });
      if (usedEnv) result.fromEnv.push(path);
      node.value = text;
    }
  };
  visit(doc.contents, []);
  return result;
}

function substitute(input: string, env: Env): { text: string; usedEnv: boolean; problems: string[] } {
  const problems: string[] = [];
  let usedEnv = false;
  const text = input.replace(REFERENCE, (match, name: string | undefined, op: string | undefined, arg: string | undefined) => {
    if (match === '$$') return '$';
    const value = env[name!];
    const present = value !== undefined && value !== '';
    if (present) {
      usedEnv = true;
      return value;
    }
    if (op === ':-') return arg ?? '';
    if (op === ':?') {
      problems.push(`environment variable ${name} is required${arg ? `: ${arg}` : ''}`);
      return '';
    }
    if (value === undefined) problems.push(`environment variable ${name} is not set (use \${${name}:-default} to make it optional)`);
    return '';
  });
  return { text, usedEnv, problems };
}
