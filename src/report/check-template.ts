/**
 * The checks a report template passes when it is loaded (by `validate` as by a run): no name of a
 * prototype member, no partial that does not exist, every path strict.
 */
import { showPath, TemplateError } from './template-error.ts';

/** A template's file and text. */
export interface SourceFile {
  file: string;
  source: string;
}

/** Names a template may never read: Object.prototype's members, which no report data has as its own. */
const PROTOTYPE_NAMES = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

export interface PartialScope {
  dir: string | null;
  names: Set<string>;
  inline: Set<string>;
}

interface Node {
  type?: string;
  loc?: { start?: { line?: number } };
  [key: string]: unknown;
}

// Handlebars renders a prototype member as nothing and a missing partial fails only at render
// time, after the sync; both are template mistakes, so they fail here, when `validate` loads them.
export function checkReferences(template: SourceFile, ast: hbs.AST.Program, scope: PartialScope): void {
  const issues: { line: number | null; detail: string }[] = [];
  walk(ast, (node) => {
    const line = node.loc?.start?.line ?? null;
    const path = node as unknown as hbs.AST.PathExpression;
    const member = node.type === 'PathExpression' ? path.parts.find((part) => PROTOTYPE_NAMES.has(part)) : undefined;
    if (member !== undefined) issues.push({ line, detail: prototypeMember(member, path.original) });
    const call = node as unknown as hbs.AST.MustacheStatement;
    const key = call.params?.[1] as hbs.AST.StringLiteral | undefined;
    if ((call.path as hbs.AST.PathExpression | undefined)?.original === 'lookup' && key?.type === 'StringLiteral' && PROTOTYPE_NAMES.has(key.value)) {
      issues.push({ line, detail: prototypeMember(key.value, `lookup "${key.value}"`) });
    }
    // `{{#> name}}fallback{{/name}}` renders its fallback when the partial is missing: not a mistake.
    const name = node.type === 'PartialStatement' ? partialName(node as unknown as hbs.AST.PartialStatement) : null;
    if (name !== null && !scope.names.has(name) && !scope.inline.has(name)) issues.push({ line, detail: missingPartial(name, scope) });
  });
  const [first, ...rest] = issues;
  if (first) throw new TemplateError(template.file, first.line, [first.detail, ...rest.map((i) => `line ${i.line}: ${i.detail}`)].join('; '));
}

/** The partial a `{{> name}}` calls, or null when it is computed (`{{> (expr)}}`) or `@partial-block`. */
function partialName(node: hbs.AST.PartialStatement): string | null {
  const name = node.name as hbs.AST.PathExpression | hbs.AST.SubExpression | hbs.AST.StringLiteral | hbs.AST.NumberLiteral;
  if (name.type === 'PathExpression') return name.data ? null : name.original;
  if (name.type === 'StringLiteral' || name.type === 'NumberLiteral') return String(name.value);
  return null;
}

function prototypeMember(name: string, written: string): string {
  return `${written === name ? '' : `${written}: `}"${name}" is a JavaScript prototype member, not report data (templates cannot read prototypes)`;
}

function missingPartial(name: string, scope: PartialScope): string {
  if (!scope.dir) return `partial "${name}" does not exist: no partials folder is configured`;
  const have = [...scope.names];
  return `partial "${name}" does not exist in ${showPath(scope.dir)} (${have.length > 0 ? `it has ${have.join(', ')}` : 'it has none'})`;
}

/** Names defined with `{{#*inline "name"}}`. */
export function inlinePartials(ast: hbs.AST.Program): string[] {
  const names: string[] = [];
  walk(ast, (node) => {
    const block = node as unknown as hbs.AST.BlockStatement;
    const first = block.params?.[0] as hbs.AST.StringLiteral | undefined;
    if (node.type === 'DecoratorBlock' && (block.path as hbs.AST.PathExpression).original === 'inline' && first?.type === 'StringLiteral') names.push(first.value);
  });
  return names;
}

function walk(node: unknown, visit: (node: Node) => void): void {
  if (Array.isArray(node)) for (const child of node) walk(child, visit);
  else if (node && typeof node === 'object') {
    visit(node as Node);
    for (const [key, child] of Object.entries(node)) if (key !== 'loc') walk(child, visit);
  }
}

// Handlebars' strict mode only checks plain `{{field}}`; marking every path strict makes
// `{{md field}}` and `{{#each field}}` fail on a misspelt field too (null values still pass).
export function markStrict<T>(node: T): T {
  walk(node, (child) => {
    if (child.type === 'PathExpression') child.strict = true;
  });
  return node;
}
