/**
 * Compiles report templates on an isolated Handlebars instance, strict: a template that names a
 * field the data lacks throws, one that names a prototype member or a missing partial fails when
 * loaded, and every failure names the template file and line.
 */
import Handlebars from 'handlebars';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { registerHelpers, type HandlebarsEnv } from './register-helpers.ts';
import { showPath, TemplateError, toTemplateError } from './template-error.ts';

/** Markdown output is not HTML-escaped (`md` escapes user text); `.html.hbs` templates are. */
export type TemplateFlavor = 'markdown' | 'html';

/** A loaded template, ready to render data. */
export interface CompiledTemplate {
  file: string;
  flavor: TemplateFlavor;
  /** Renders data; throws TemplateError naming this file (or the partial) and line. */
  render(data: unknown): string;
}

/** Loads templates that share one set of helpers and partials. */
export interface TemplateEngine {
  /** Reads, checks and compiles a template file now, so a broken one fails before any run. */
  load(file: string): Promise<CompiledTemplate>;
  /** Names of the registered partials. */
  partials: string[];
}

/** Where partials come from: every `*.hbs` file in `dir`, registered by file name without `.hbs`. */
export interface TemplateEngineOptions {
  partialsDir?: string | null;
}

interface SourceFile {
  file: string;
  source: string;
}

/** `.html.hbs` / `.htm.hbs` → html; anything else → markdown. */
export function flavorOf(file: string): TemplateFlavor {
  return /\.html?\.hbs$/i.test(file) ? 'html' : 'markdown';
}

/** Creates an engine; reads and parses every partial now. */
export async function createTemplateEngine(options: TemplateEngineOptions = {}): Promise<TemplateEngine> {
  const partials = options.partialsDir ? await readPartials(options.partialsDir) : new Map<string, SourceFile>();
  const partialAsts = [...partials.values()].map((partial) => ({ partial, ast: parse(partial) }));
  const known = { dir: options.partialsDir ?? null, names: new Set(partials.keys()), inline: new Set(partialAsts.flatMap(({ ast }) => inlinePartials(ast))) };
  const envs = new Map<TemplateFlavor, HandlebarsEnv>();
  const envFor = (flavor: TemplateFlavor): HandlebarsEnv => {
    let env = envs.get(flavor);
    if (!env) {
      env = Handlebars.create();
      registerHelpers(env);
      for (const [name, partial] of partials) env.registerPartial(name, compile(env, partial, flavor));
      envs.set(flavor, env);
    }
    return env;
  };
  return {
    partials: [...partials.keys()],
    async load(file) {
      const template = { file, source: await readTemplate(file, 'template') };
      const flavor = flavorOf(file);
      const env = envFor(flavor);
      const ast = parse(template);
      // An inline partial the template defines may be used by a partial it calls.
      const scope = { ...known, inline: new Set([...known.inline, ...inlinePartials(ast)]) };
      for (const { partial, ast: partialAst } of partialAsts) checkReferences(partial, partialAst, scope);
      checkReferences(template, ast, scope);
      try {
        env.precompile(ast, compileOptions(flavor));
      } catch (error) {
        throw toTemplateError(error, file, template.source);
      }
      return { file, flavor, render: compile(env, template, flavor) };
    },
  };
}

function compileOptions(flavor: TemplateFlavor): CompileOptions {
  return { strict: true, noEscape: flavor === 'markdown' };
}

type CompileOptions = NonNullable<Parameters<HandlebarsEnv['compile']>[1]>;

function compile(env: HandlebarsEnv, template: SourceFile, flavor: TemplateFlavor): (data: unknown, runtime?: unknown) => string {
  const compiled = env.compile(parse(template), compileOptions(flavor));
  return (data, runtime) => {
    try {
      // A partial is called with its caller's runtime options; a top-level render gets PROTOTYPES_OFF.
      return compiled(data, (runtime as Handlebars.RuntimeOptions | undefined) ?? PROTOTYPES_OFF);
    } catch (error) {
      throw toTemplateError(error, template.file, template.source);
    }
  };
}

function parse(template: SourceFile): hbs.AST.Program {
  try {
    return markStrict(Handlebars.parseWithoutProcessing(template.source));
  } catch (error) {
    throw toTemplateError(error, template.file, template.source);
  }
}

// Said explicitly rather than left to Handlebars' defaults: with the defaults unset, every denied
// lookup also prints a warning to stderr, outside the logger.
const PROTOTYPES_OFF: Handlebars.RuntimeOptions = { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false };

/** Names a template may never read: Object.prototype's members, which no report data has as its own. */
const PROTOTYPE_NAMES = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

interface PartialScope {
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
function checkReferences(template: SourceFile, ast: hbs.AST.Program, scope: PartialScope): void {
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
function inlinePartials(ast: hbs.AST.Program): string[] {
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
function markStrict<T>(node: T): T {
  walk(node, (child) => {
    if (child.type === 'PathExpression') child.strict = true;
  });
  return node;
}

async function readPartials(dir: string): Promise<Map<string, SourceFile>> {
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile() && e.name.endsWith('.hbs')).map((e) => e.name);
  } catch (error) {
    throw new TemplateError(dir, null, `cannot read partials directory: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
  const partials = new Map<string, SourceFile>();
  for (const name of names.sort()) {
    const file = join(dir, name);
    partials.set(basename(name, '.hbs'), { file, source: await readTemplate(file, 'partial') });
  }
  return partials;
}

async function readTemplate(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new TemplateError(file, null, `cannot read ${what}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
}
