import { describe, expect, it } from 'vitest';
import { convertValue } from '../../plugins/transform/column-values.ts';
import { truncateText } from '../../src/pipeline/field-template.ts';

describe('column values', () => {
  it('converts each type to monday\'s shape', () => {
    expect(convertValue('numbers', ' 1234.50 ')).toEqual({ ok: true, value: '1234.50' });
    expect(convertValue('date', '2025-08-02')).toEqual({ ok: true, value: { date: '2025-08-02' } });
    expect(convertValue('date', new Date('2025-08-02T00:00:00Z'))).toEqual({ ok: true, value: { date: '2025-08-02' } });
    expect(convertValue('date', new Date('2025-08-02T10:00:00Z'))).toEqual({ ok: true, value: { date: '2025-08-02', time: '10:00:00' } });
    expect(convertValue('status', 'Open')).toEqual({ ok: true, value: { label: 'Open' } });
    expect(convertValue('dropdown', 'A, B')).toEqual({ ok: true, value: { labels: ['A', 'B'] } });
    expect(convertValue('checkbox', 'yes')).toEqual({ ok: true, value: { checked: 'true' } });
    expect(convertValue('email', 'a@b.co')).toEqual({ ok: true, value: { email: 'a@b.co', text: 'a@b.co' } });
    expect(convertValue('long_text', 'x\ny')).toEqual({ ok: true, value: { text: 'x\ny' } });
    expect(convertValue('text', 'x\n y')).toEqual({ ok: true, value: 'x y' });
  });

  it('gives a reason instead of a value it cannot convert', () => {
    expect(convertValue('numbers', 'TWELVE')).toEqual({ ok: false, reason: '"TWELVE" is not a number' });
    expect(convertValue('numbers', '1e999')).toMatchObject({ ok: false });
    expect(convertValue('numbers', ' 1,234.50 ')).toEqual({ ok: false, reason: '"1,234.50" is not a number (use a dot for decimals, no thousands separators)' });
    expect(convertValue('date', '2025-02-30')).toEqual({ ok: false, reason: '"2025-02-30" is not a real date (expected YYYY-MM-DD)' });
    expect(convertValue('email', 'nope')).toMatchObject({ ok: false });
    expect(convertValue('link', 'not a url')).toMatchObject({ ok: false });
  });

  it('never cuts an emoji in half when trimming to monday\'s limits', () => {
    const text = `${'a'.repeat(1999)}😀tail`;
    const converted = convertValue('text', text);
    expect(converted.ok && (converted.value as string)).toBe('a'.repeat(1999));
    expect(truncateText('ab😀', 3)).toBe('ab');
    expect(truncateText('ab😀', 4)).toBe('ab😀');
    expect(() => JSON.parse(JSON.stringify(truncateText('😀😀', 3)))).not.toThrow();
  });
});
