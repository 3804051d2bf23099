import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { customerFileNames } from '../../src/report/customer-file-names.ts';
import { escapeMarkdown } from '../../src/report/escape-markdown.ts';
import { formatDate, formatDuration, formatNumber, formatPercent, formatSeconds, statusBadge } from '../../src/report/format-values.ts';
import { createTemplateEngine } from '../../src/report/template-engine.ts';
import { makeTempDir } from './report-test-support.ts';

describe('report value formatting', () => {
  it('writes durations as seconds under a minute and as minutes and seconds above', () => {
    expect(formatDuration(6720)).toBe('6.72s');
    expect(formatDuration(450)).toBe('0.45s');
    expect(formatDuration(64_000)).toBe('1m 04s');
    expect(formatDuration(3_723_000)).toBe('1h 02m 03s');
    expect(formatSeconds(64_000)).toBe('64.00s');
    expect(() => formatDuration(Number.NaN)).toThrow(/duration: expected a number/);
  });

  it('groups thousands and shows shares with at most one decimal', () => {
    expect(formatNumber(1234)).toBe('1,234');
    expect(formatNumber(1.256)).toBe('1.26');
    expect(formatPercent(1, 3)).toBe('33.3%');
    expect(formatPercent(4, 4)).toBe('100%');
    expect(formatPercent(0, 0)).toBe('—');
  });

  it('shows an instant in the pipeline time zone with its abbreviation', () => {
    expect(formatDate('2026-11-28T20:30:12.000Z', 'America/New_York')).toBe('2026-11-28 15:30:12 EST');
    expect(formatDate(new Date('2026-07-01T04:00:00Z'), 'America/New_York')).toBe('2026-07-01 00:00:00 EDT');
    expect(formatDate('2026-11-28T20:30:12.000Z', 'UTC')).toBe('2026-11-28 20:30:12 UTC');
    expect(() => formatDate('2026-11-28T20:30:12Z', 'Nowhere/City')).toThrow(/unknown time zone/);
  });

  it('has exactly three status badges', () => {
    expect(['SUCCESS', 'PARTIAL', 'FAILED'].map((s) => statusBadge(s as 'SUCCESS'))).toEqual(['✅ SUCCESS', '⚠️ PARTIAL', '❌ FAILED']);
    expect(() => statusBadge('RUNNING' as 'SUCCESS')).toThrow(/unknown status/);
  });
});

describe('md: Markdown table cell escaping', () => {
  it('leaves no raw pipe, tag or newline and escapes Markdown punctuation', () => {
    const out = escapeMarkdown('a|b *c* _d_ `e` [f] <script>x</script> & #\nnext\r\nlast');
    expect(out).not.toContain('|');
    expect(out).toBe('a&#124;b \\*c\\* \\_d\\_ \\`e\\` \\[f\\] &lt;script&gt;x&lt;/script&gt; &amp; \\#<br>next<br>last');
  });

  it('keeps right-to-left text but drops bidi overrides that could reorder a row', () => {
    expect(escapeMarkdown('שלום \u202Eabc\u2066x\u2069')).toBe('שלום abcx');
  });

  it('renders null as empty and objects as JSON', () => {
    expect(escapeMarkdown(null)).toBe('');
    expect(escapeMarkdown(12)).toBe('12');
    expect(escapeMarkdown({ a: 1 })).toBe('{"a":1}');
  });
});

describe('customer report file names', () => {
  it('turns spaces and unsafe characters into _ and keeps names unique, ignoring case', () => {
    const names = customerFileNames(['WHITE FOX', 'Müller & Co', 'WHITE_FOX', '../etc', 'GREYSON', 'greyson']);
    expect([...names.values()]).toEqual(['WHITE_FOX.md', 'M_ller___Co.md', 'WHITE_FOX-2.md', '___etc.md', 'GREYSON.md', 'greyson-2.md']);
  });
});

describe('template engine', () => {
  it('HTML-escapes .html.hbs templates and leaves Markdown templates unescaped', async () => {
    const temp = await makeTempDir();
    try {
      await writeFile(join(temp.dir, 'x.html.hbs'), '<p>{{name}}</p>');
      await writeFile(join(temp.dir, 'x.md.hbs'), '{{name}} / {{md name}}');
      const engine = await createTemplateEngine();
      const data = { name: 'a & <b>' };
      expect((await engine.load(join(temp.dir, 'x.html.hbs'))).render(data)).toBe('<p>a &amp; &lt;b&gt;</p>');
      expect((await engine.load(join(temp.dir, 'x.md.hbs'))).render(data)).toBe('a & <b> / a &amp; &lt;b&gt;');
    } finally {
      await temp.remove();
    }
  });

  it('registers every *.hbs in the partials folder by file name', async () => {
    const temp = await makeTempDir();
    try {
      await mkdir(join(temp.dir, 'partials'));
      await writeFile(join(temp.dir, 'partials', 'badge.hbs'), '[{{statusBadge this}}]');
      await writeFile(join(temp.dir, 'partials', 'notes.txt'), 'not a partial');
      await writeFile(join(temp.dir, 'main.md.hbs'), '{{> badge status}}');
      const engine = await createTemplateEngine({ partialsDir: join(temp.dir, 'partials') });
      expect(engine.partials).toEqual(['badge']);
      expect((await engine.load(join(temp.dir, 'main.md.hbs'))).render({ status: 'PARTIAL' })).toBe('[⚠️ PARTIAL]');
    } finally {
      await temp.remove();
    }
  });

  it('lets a present null pass but fails on a misspelt field even as a helper argument', async () => {
    const temp = await makeTempDir();
    try {
      await writeFile(join(temp.dir, 'x.md.hbs'), 'ok {{md fatal}}\n{{#if fatal}}x{{/if}}\n{{number count}}');
      const template = await (await createTemplateEngine()).load(join(temp.dir, 'x.md.hbs'));
      expect(template.render({ fatal: null, count: 3 })).toBe('ok \n\n3');
      expect(() => template.render({ fatal: null, cuont: 3 })).toThrow(/x\.md\.hbs:3: "count" not defined/);
    } finally {
      await temp.remove();
    }
  });
});
