/**
 * Report templates are loaded by `validate` (the report plugin's check): a template that reads a
 * JavaScript prototype member or calls a partial that does not exist fails there, naming the file,
 * the line and what is wrong — not after the sync, and not by rendering something else.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as v from 'valibot';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import plugin from '../../plugins/report/executive-summary.ts';
import { createTemplateEngine } from '../../src/report/template-engine.ts';
import { makeTempDir } from './report-test-support.ts';

const TEMPLATES = resolve(import.meta.dirname, '../../templates');

let temp: { dir: string; remove: () => Promise<void> };
beforeEach(async () => {
  temp = await makeTempDir();
});
afterEach(async () => {
  await temp.remove();
  vi.restoreAllMocks();
});

/** Writes `files` (path → text) under the temp dir. */
async function write(files: Record<string, string>): Promise<void> {
  for (const [file, text] of Object.entries(files)) {
    await mkdir(join(temp.dir, file, '..'), { recursive: true });
    await writeFile(join(temp.dir, file), text);
  }
}

/** Loads one template with the temp dir's partials folder (if any). */
async function load(file: string, partialsDir: string | null = join(temp.dir, 'partials')) {
  const engine = await createTemplateEngine({ partialsDir });
  return engine.load(join(temp.dir, file));
}

/** The report plugin's check, as `validate` runs it, with the templates under the temp dir. */
async function check(options: Record<string, unknown>) {
  return plugin.check!(v.parse(plugin.options, options), { configDir: temp.dir } as Parameters<NonNullable<typeof plugin.check>>[1]);
}

describe('report templates cannot reach JavaScript prototypes', () => {
  const PROTOTYPE_READS = [
    ['{{__proto__}}', '"__proto__" is a JavaScript prototype member, not report data'],
    ['{{constructor}}', '"constructor" is a JavaScript prototype member'],
    ['{{this.constructor.name}}', 'this.constructor.name: "constructor" is a JavaScript prototype member'],
    ['{{@root.constructor.name}}', '@root.constructor.name: "constructor"'],
    ['{{report.__proto__}}', 'report.__proto__: "__proto__"'],
    ['{{md constructor}}', '"constructor" is a JavaScript prototype member'],
    ['{{#with __proto__}}x{{/with}}', '"__proto__" is a JavaScript prototype member'],
    ['{{#each customers}}{{toString}}{{/each}}', '"toString" is a JavaScript prototype member'],
    ['{{json this.[constructor]}}', 'this.constructor: "constructor"'],
    ['{{lookup this "constructor"}}', 'lookup "constructor": "constructor" is a JavaScript prototype member'],
    ['{{md (lookup report "__proto__")}}', 'lookup "__proto__": "__proto__"'],
  ] as const;

  for (const flavor of ['md', 'html'] as const) {
    it(`refuses ${PROTOTYPE_READS.map(([t]) => t).slice(0, 3).join(', ')} and their kin when a .${flavor}.hbs template loads, naming file and line`, async () => {
      for (const [text, message] of PROTOTYPE_READS) {
        await write({ [`t.${flavor}.hbs`]: `# {{runId}}\n${text}\n` });
        await expect(load(`t.${flavor}.hbs`, null), text).rejects.toThrow(`t.${flavor}.hbs:2: ${message}`);
      }
    });
  }

  it('names every prototype read of a template at once, each with its line', async () => {
    await write({ 't.md.hbs': '{{constructor}}\nok {{runId}}\n{{this.__proto__}}\n' });
    await expect(load('t.md.hbs', null)).rejects.toThrow(/t\.md\.hbs:1: "constructor" .*; line 3: this\.__proto__: "__proto__"/);
  });

  it('refuses a prototype read inside a partial, naming the partial file and line', async () => {
    await write({ 'partials/footer.hbs': 'footer\n{{constructor.name}}\n', 't.md.hbs': '{{> footer}}\n' });
    await expect(load('t.md.hbs')).rejects.toThrow(/partials\/footer\.hbs:2: constructor\.name: "constructor"/);
  });

  it('renders nothing for a prototype member named by the data itself, and prints no Handlebars warning', async () => {
    const printed = [vi.spyOn(console, 'error'), vi.spyOn(console, 'warn'), vi.spyOn(console, 'log')];
    await write({ 't.md.hbs': '[{{lookup this key}}][{{#with (lookup this key)}}y{{/with}}]' });
    const template = await load('t.md.hbs', null);
    for (const key of ['constructor', '__proto__', 'toString', 'hasOwnProperty', '__defineGetter__', 'valueOf']) {
      expect(template.render({ key }), key).toBe('[][]');
    }
    expect(template.render({ key: 'name', name: 'shown' })).toBe('[shown][y]');
    for (const spy of printed) expect(spy).not.toHaveBeenCalled();
  });

  it('is a config issue from the report plugin check, which validate runs', async () => {
    await write({ 'summary.md.hbs': '# {{runId}}\n{{this.constructor.name}}\n' });
    const issues = await check({ summary: 'summary.md.hbs', customer: join(TEMPLATES, 'customer-report.md.hbs') });
    expect(issues).toEqual([{ path: ['summary'], message: expect.stringMatching(/^report: .*summary\.md\.hbs:2: this\.constructor\.name: "constructor" is a JavaScript prototype member/) }]);
  });
});

describe('a template that calls a missing partial fails when loaded, not after the sync', () => {
  it('names the template file, the line and the partial, and lists the partials there are', async () => {
    await write({ 'partials/footer.hbs': 'footer\n', 'partials/header.hbs': 'header\n', 't.md.hbs': '# {{runId}}\n\n{{> footr}}\n' });
    await expect(load('t.md.hbs')).rejects.toThrow(/^report: .*t\.md\.hbs:3: partial "footr" does not exist in .*partials \(it has footer, header\)$/);
  });

  it('names every missing partial of a template at once', async () => {
    await write({ 'partials/footer.hbs': 'footer\n', 't.md.hbs': '{{> a}}\n{{> footer}}\n{{> "b c"}}\n' });
    await expect(load('t.md.hbs')).rejects.toThrow(/t\.md\.hbs:1: partial "a" does not exist .*; line 3: partial "b c" does not exist/);
  });

  it('says so when there is no partials folder at all', async () => {
    await write({ 't.md.hbs': '{{> footer}}\n' });
    await expect(load('t.md.hbs', null)).rejects.toThrow(/t\.md\.hbs:1: partial "footer" does not exist: no partials folder is configured/);
  });

  it('names the partial file and line when a partial calls a missing partial', async () => {
    await write({ 'partials/footer.hbs': 'footer\n\n{{> signature}}\n', 't.md.hbs': '{{> footer}}\n' });
    await expect(load('t.md.hbs')).rejects.toThrow(/partials\/footer\.hbs:3: partial "signature" does not exist/);
  });

  it('accepts inline partials, @partial-block, a partial block with its fallback and a computed partial name', async () => {
    await write({
      'partials/frame.hbs': '<{{> @partial-block}}>{{> row}}',
      'partials/plain.hbs': 'plain',
      't.md.hbs': '{{#*inline "row"}}r{{/inline}}{{#> frame}}in{{/frame}}|{{#> absent}}fallback{{/absent}}|{{> (lookup this "which")}}',
    });
    const template = await load('t.md.hbs');
    expect(template.render({ which: 'plain' })).toBe('<in>r|fallback|plain');
  });

  it('is a config issue from the report plugin check, on the template that calls it', async () => {
    await write({
      'partials/footer.hbs': 'footer\n',
      'summary.md.hbs': '# {{runId}}\n{{> footer}}\n',
      'customer.md.hbs': '# {{md customer}}\n{{> foter}}\n',
    });
    expect(await check({ summary: 'summary.md.hbs', customer: 'customer.md.hbs' })).toEqual([
      { path: ['customer'], message: expect.stringMatching(/^report: .*customer\.md\.hbs:2: partial "foter" does not exist in .*partials \(it has footer\)$/) },
    ]);
  });

  it('passes the shipped templates and partials', async () => {
    expect(await check({ summary: join(TEMPLATES, 'executive-summary.md.hbs'), customer: join(TEMPLATES, 'customer-report.md.hbs') })).toEqual([]);
    expect(await check({ summary: join(TEMPLATES, 'executive-summary.html.hbs'), customer: join(TEMPLATES, 'customer-report.md.hbs') })).toEqual([]);
  });
});
