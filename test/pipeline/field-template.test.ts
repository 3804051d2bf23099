/** Field templates are compiled once per run and rendered per row by concatenation: the text must be what the regex rendering gave. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileFieldTemplate, fieldText } from '../../src/pipeline/field-template.ts';

/** The rendering as it was specified first: replace every placeholder, collapse whitespace, trim. */
function reference(source: string, row: Record<string, unknown>): { text: string; missing: string[] } {
  const missing: string[] = [];
  const text = source.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_m, name: string) => {
    const value = fieldText(row[name]);
    if (!value) missing.push(name);
    return value;
  }).replace(/\s+/g, ' ').trim();
  return { text, missing };
}

describe('a compiled field template', () => {
  it('renders names as before', () => {
    const t = compileFieldTemplate('{{customer_style}} {{color}} {{order_number}}');
    expect(t.fields).toEqual(['customer_style', 'color', 'order_number']);
    expect(t.render({ customer_style: 'Tour Polo 137', color: 'Black', order_number: 'BN-1' })).toEqual({ text: 'Tour Polo 137 Black BN-1', missing: [] });
    expect(t.render({ customer_style: '  Tour\n\tPolo ', color: null, order_number: 7 })).toEqual({ text: 'Tour Polo 7', missing: ['color'] });
    expect(compileFieldTemplate('{{ size }}').render({ size: 'XS' })).toEqual({ text: 'XS', missing: [] });
    expect(compileFieldTemplate('Order {{d}} ({{d}})').render({ d: new Date('2025-08-02T10:00:00Z') })).toEqual({ text: 'Order 2025-08-02 (2025-08-02)', missing: [] });
    expect(compileFieldTemplate('{{a}}{{b}}').render({})).toEqual({ text: '', missing: ['a', 'b'] });
  });

  it('gives the text and missing fields of the regex rendering for any template and row', () => {
    const piece = fc.oneof(
      fc.constantFrom(' ', '  ', '\t', '\n', '\u00a0', '\u2028', '-', '/', 'x', '{', '}', '{{', '}}'),
      fc.constantFrom('{{a}}', '{{ b }}', '{{c_1}}', '{{a}}{{b}}'),
    );
    const value = fc.oneof(fc.constant(null), fc.constant(undefined), fc.string(), fc.constantFrom(' ', '\u3000x\u3000', 'a  b', ' \n '), fc.integer(), fc.boolean());
    fc.assert(fc.property(fc.array(piece, { maxLength: 8 }), value, value, value, (pieces, a, b, c) => {
      const source = pieces.join('');
      const row = { a, b, c_1: c };
      const template = compileFieldTemplate(source);
      expect(template.render(row)).toEqual(reference(source, row));
      expect(template.renderText(row)).toBe(reference(source, row).text);
      const { text, missing } = reference(source, row);
      expect(template.renderComplete(row)).toBe(missing.length === 0 ? text : null);
    }), { numRuns: 2000 });
  });
});
