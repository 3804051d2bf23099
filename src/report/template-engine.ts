/**
 * Compiles report templates on an isolated Handlebars instance, strict: a template that names a
 * field the data lacks throws, one that names a prototype member or a missing partial fails when
 * loaded, and every failure names the template file and line.
 */
import Handlebars from 'handlebars';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { registerHelpers, type HandlebarsEnv } from './register-helpers.ts';
import { checkReferences, inlinePartials, markStrict, type SourceFile } from './check-template.ts';
import { TemplateError, toTemplateError } from './template-error.ts';

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
