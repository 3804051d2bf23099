/**
 * Numbers and dates reach monday exactly or not at all: a value that could be read two ways
 * ("1,5", "2025-02-28 garbage", "2025-02-28T99:99") fails its record with the value and the reason,
 * instead of going to monday as something else (15, 2025-02-28). Values are checked as the drivers
 * deliver them: numeric and int8 as text or bigint, date and timestamp columns as Date objects.
 */
import fc from 'fast-check';
import { sql } from 'kysely';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import columnMap from '../../plugins/transform/column-map.ts';
import { convertValue } from '../../plugins/transform/column-values.ts';
import type { PluginContext, SourceRecord } from '../../src/pipeline/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { createFigures } from './support/figures.ts';
import { chaosDialects } from './support/scale.ts';

const figures = createFigures(import.meta.filename);
afterAll(() => figures.flush());

const reasonOf = (type: 'numbers' | 'date', raw: unknown): string | null => {
  const converted = convertValue(type, raw);
  if (!converted.ok) figures.add({ badInputs: 1 });
  return converted.ok ? null : converted.reason;
};

describe('numbers columns take only what is unambiguously a number', () => {
  it('refuses "1,5" instead of sending 15, quoting the value and saying why', () => {
    expect(convertValue('numbers', '1,5')).toEqual({ ok: false, reason: '"1,5" is not a number (use a dot for decimals, no thousands separators)' });
  });

  it('refuses thousands separators, decimal commas, exponents, NaN, Infinity, blanks and other notations', () => {
    const refused: [unknown, string][] = [
      ['1,234.50', 'use a dot for decimals, no thousands separators'],
      ['1.234,50', 'use a dot for decimals, no thousands separators'],
      ['1 234', 'use a dot for decimals, no thousands separators'],
      ["1'234", 'use a dot for decimals, no thousands separators'],
      ['1e5', 'without an exponent'],
      ['1e309', 'without an exponent'],
      ['.5', 'digits on both sides of the dot'],
      ['5.', 'digits on both sides of the dot'],
      ['NaN', 'is not a finite number'],
      ['-Infinity', 'is not a finite number'],
      [Number.NaN, 'NaN is not a finite number'],
      [Number.POSITIVE_INFINITY, 'Infinity is not a finite number'],
      ['   ', 'it is empty'],
      ['', 'it is empty'],
      ['0x1F', 'is not a number'],
      ['1/2', 'is not a number'],
      ['٣', 'is not a number'],
      ['12 pcs', 'is not a number'],
      ['--1', 'is not a number'],
      [true, 'true is not a number'],
      ['9'.repeat(400), 'too large for a monday numbers column'],
    ];
    for (const [raw, why] of refused) expect(reasonOf('numbers', raw), String(raw)).toContain(why);
  });

  it('passes decimal text through exactly as written, without a leading +', () => {
    fc.assert(
      fc.property(fc.constantFrom('', '-', '+'), fc.stringMatching(/^\d{1,20}$/), fc.option(fc.stringMatching(/^\d{1,12}$/), { nil: undefined }), (sign, whole, decimals) => {
        const text = `${sign}${whole}${decimals === undefined ? '' : `.${decimals}`}`;
        expect(convertValue('numbers', ` ${text} `)).toEqual({ ok: true, value: text.replace(/^\+/, '') });
      }),
    );
  });

  it('sends every finite JS number as plain digits equal to it, never with an exponent', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        const converted = convertValue('numbers', n);
        expect(converted.ok).toBe(true);
        const value = (converted as { value: string }).value;
        expect(value).toMatch(/^-?\d+(\.\d+)?$/);
        expect(Number(value)).toBe(n === 0 ? 0 : n);
      }),
    );
    expect(convertValue('numbers', 1e21)).toEqual({ ok: true, value: '1000000000000000000000' });
    expect(convertValue('numbers', -1.5e-7)).toEqual({ ok: true, value: '-0.00000015' });
    expect(convertValue('numbers', 9007199254740993n)).toEqual({ ok: true, value: '9007199254740993' });
  });

  it('quotes at most 40 characters of a bad value, escaped, with invisible and bidi controls spelt out', () => {
    const reason = reasonOf('numbers', `12\u202E${'x'.repeat(100)}\n"`)!;
    expect(reason).toBe(`"12\\u202e${'x'.repeat(37)}…" is not a number`);
    expect(reasonOf('numbers', 'line one\nline two')).toBe('"line one\\nline two" is not a number');
  });
});

describe('date columns take only a whole, real date, with an optional real time', () => {
  it('refuses "2025-02-28 garbage" and "2025-02-28T99:99" instead of sending 2025-02-28', () => {
    expect(reasonOf('date', '2025-02-28 garbage')).toBe('"2025-02-28 garbage" is not a date (expected YYYY-MM-DD, optionally with a time such as 2025-08-02T14:30:00Z)');
    expect(reasonOf('date', '2025-02-28T99:99')).toBe('"2025-02-28T99:99" is not a real time of day (expected 00:00 to 23:59:59)');
  });

  it('refuses impossible calendar days, other layouts and impossible offsets', () => {
    for (const raw of ['2025-02-30', '2025-02-29', '1900-02-29', '2025-13-01', '2025-04-31', '0000-01-01', '2025-00-10']) {
      expect(reasonOf('date', raw), raw).toBe(`"${raw}" is not a real date (expected YYYY-MM-DD)`);
    }
    for (const raw of ['2025-1-1', '31/12/2025', '2025/12/31', '20251231', '2025-12-31T', '2025-12-31T10', '2025-12-31t10:00', '2025-12-31T10:00Zjunk', '2025-12-31T10:00:00 +02:00', 'tomorrow', 42, true]) {
      expect(reasonOf('date', raw), String(raw)).toMatch(/is not a date \(expected YYYY-MM-DD/);
    }
    expect(reasonOf('date', '2025-12-31T24:00')).toMatch(/is not a real time of day/);
    expect(reasonOf('date', '2025-12-31T10:60')).toMatch(/is not a real time of day/);
    expect(reasonOf('date', '2025-12-31T10:00:60Z')).toMatch(/is not a real time of day/);
    expect(reasonOf('date', '2025-12-31T10:00+24:00')).toMatch(/impossible UTC offset/);
    expect(reasonOf('date', '9999-12-31T23:00-05:00')).toMatch(/outside the years 0001–9999/);
    expect(reasonOf('date', new Date(Number.NaN))).toMatch(/^an invalid date cannot go to monday/);
  });

  it('accepts leap days in leap years only', () => {
    expect(convertValue('date', '2024-02-29')).toEqual({ ok: true, value: { date: '2024-02-29' } });
    expect(convertValue('date', '2000-02-29')).toEqual({ ok: true, value: { date: '2000-02-29' } });
  });

  it('sends a time as monday\'s UTC date and time, applying the offset and dropping fractions', () => {
    expect(convertValue('date', '2025-08-02T23:30:00-05:00')).toEqual({ ok: true, value: { date: '2025-08-03', time: '04:30:00' } });
    expect(convertValue('date', '2025-08-02 10:00:00+02')).toEqual({ ok: true, value: { date: '2025-08-02', time: '08:00:00' } });
    expect(convertValue('date', '2025-08-02T10:00+0530')).toEqual({ ok: true, value: { date: '2025-08-02', time: '04:30:00' } });
    expect(convertValue('date', '2025-08-02T10:00')).toEqual({ ok: true, value: { date: '2025-08-02', time: '10:00:00' } });
    expect(convertValue('date', '2025-08-02T23:59:59.999Z')).toEqual({ ok: true, value: { date: '2025-08-02', time: '23:59:59' } });
    expect(convertValue('date', new Date('2025-08-02T22:32:00Z'))).toEqual({ ok: true, value: { date: '2025-08-02', time: '22:32:00' } });
    expect(convertValue('date', new Date('2025-08-02T00:00:00Z'))).toEqual({ ok: true, value: { date: '2025-08-02' } });
  });

  it('converts any instant written with any offset to the same UTC date and time', () => {
    const instant = fc.date({ min: new Date('0002-01-01T00:00:00Z'), max: new Date('9998-12-31T00:00:00Z'), noInvalidDate: true });
    fc.assert(
      fc.property(instant, fc.integer({ min: -23 * 60 - 59, max: 23 * 60 + 59 }), fc.constantFrom('T', ' '), (at, offset, separator) => {
        const local = new Date(at.getTime() + offset * 60_000).toISOString();
        const zone = `${offset < 0 ? '-' : '+'}${String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0')}:${String(Math.abs(offset) % 60).padStart(2, '0')}`;
        const text = `${local.slice(0, 10)}${separator}${local.slice(11, 23)}${zone}`;
        const utc = at.toISOString();
        expect(convertValue('date', text)).toEqual({ ok: true, value: { date: utc.slice(0, 10), time: utc.slice(11, 19) } });
      }),
    );
  });

  it('refuses a real date with anything but a time after it', () => {
    const suffix = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim() !== '' && !/^[T ]\d/.test(s));
    fc.assert(
      fc.property(suffix, (tail) => {
        expect(convertValue('date', `2025-02-28${tail}`).ok).toBe(false);
      }),
    );
  });
});

describe('a bad number or date fails its own record through column-map, naming the column', () => {
  it('fails the record with the column, the value and the reason, and sends nothing for it', async () => {
    const options = v.parse(columnMap.options, {
      itemName: '{{order_number}}',
      columns: { total_quantity: { id: 'numeric_mktb1d19', type: 'numbers' }, order_date: { id: 'date_mkr5zp5', type: 'date' } },
    });
    const transformer = await columnMap.create(options, {} as PluginContext);
    const record: SourceRecord = {
      key: 'A-1', customer: 'GREYSON', fields: { order_number: 'A-1', total_quantity: '1,5', order_date: '2025-02-28 garbage' },
      state: 'PENDING', mondayId: null, groupId: null, retryCount: 0, attemptId: null, action: null, lastError: null, lines: [], lineKeys: [],
    };
    const planned = transformer.map(record, '9200517329');
    expect(planned.item?.problem).toBe(
      'total_quantity: "1,5" is not a number (use a dot for decimals, no thousands separators); ' +
        'order_date: "2025-02-28 garbage" is not a date (expected YYYY-MM-DD, optionally with a time such as 2025-08-02T14:30:00Z)',
    );
    expect(planned.item?.columns).toEqual({});
  });
});

for (const dialect of chaosDialects) {
  describe(`values as ${dialect} delivers them reach monday exactly`, () => {
    let t: TestDatabase;
    let row: Record<string, unknown>;
    beforeAll(async () => {
      t = await createTestDatabase(dialect, { migrate: false });
      await sql`create table exact_values (price numeric(12, 2), small int4, big int8, ratio float8, nan float8, nan_numeric numeric,
        day date, at timestamptz, at_text text, never date)`.execute(t.database.db);
      await sql`insert into exact_values values (12.50, 12, 9007199254740993, 1.5, 'NaN', 'NaN', '2025-08-02', '2025-08-02 23:30:00-05',
        '2025-08-02 23:30:00-05'::timestamptz::text, 'infinity')`.execute(t.database.db);
      row = (await sql<Record<string, unknown>>`select * from exact_values`.execute(t.database.db)).rows[0]!;
    }, 60_000);
    afterAll(async () => {
      await t?.dispose();
    });

    it('keeps numeric, int4, int8 and float8 values digit for digit', () => {
      expect(convertValue('numbers', row.price)).toEqual({ ok: true, value: '12.50' });
      expect(convertValue('numbers', row.small)).toEqual({ ok: true, value: '12' });
      expect(convertValue('numbers', row.big)).toEqual({ ok: true, value: '9007199254740993' });
      expect(convertValue('numbers', row.ratio)).toEqual({ ok: true, value: '1.5' });
    });

    it('refuses NaN from float8 and numeric columns', () => {
      expect(reasonOf('numbers', row.nan)).toBe('NaN is not a finite number');
      expect(reasonOf('numbers', row.nan_numeric)).toBe('"NaN" is not a finite number');
    });

    it('sends a date column as the date and a timestamptz column as its UTC date and time', () => {
      expect(convertValue('date', row.day)).toEqual({ ok: true, value: { date: '2025-08-02' } });
      expect(convertValue('date', row.at)).toEqual({ ok: true, value: { date: '2025-08-03', time: '04:30:00' } });
      expect(convertValue('date', row.at_text)).toEqual({ ok: true, value: { date: '2025-08-03', time: '04:30:00' } });
    });

    it('refuses an infinite date', () => {
      expect(convertValue('date', row.never)).toMatchObject({ ok: false });
    });
  });
}
