/** Values read back from monday become database values by monday's column type and the column's SQL type (API reference "Column types"). */
import { describe, expect, it } from 'vitest';
import { convertBoardValue } from '../../src/pipeline/write-back/convert-board-value.ts';

const read = (type: string, value: unknown, text: string | null) => ({ type, value: value === null ? null : JSON.stringify(value), text });

describe('convertBoardValue', () => {
  it('takes a status or dropdown label from its text (the value holds only an index or ids)', () => {
    expect(convertBoardValue(read('status', { index: 2 }, 'Shipped'), 'text')).toEqual({ ok: true, value: 'Shipped' });
    expect(convertBoardValue(read('dropdown', { ids: [1, 2] }, 'GREYSON, PELOTON'), 'text')).toEqual({ ok: true, value: 'GREYSON, PELOTON' });
    expect(convertBoardValue(read('status', null, null), 'text')).toEqual({ ok: true, value: null });
  });

  it('writes numbers to numeric columns, refusing text and fractions in whole-number columns', () => {
    expect(convertBoardValue(read('numbers', '12.50', '12.5'), 'numeric')).toEqual({ ok: true, value: '12.5' });
    expect(convertBoardValue(read('numbers', '12.5', '12.5'), 'integer')).toEqual({ ok: false, reason: '"12.5" is not a whole number' });
    expect(convertBoardValue(read('text', 'lots', 'lots'), 'numeric')).toEqual({ ok: false, reason: '"lots" is not a number' });
  });

  it('writes dates to date and timestamp columns (monday keeps the time in UTC)', () => {
    expect(convertBoardValue(read('date', { date: '2026-03-01' }, '2026-03-01'), 'date')).toEqual({ ok: true, value: '2026-03-01' });
    expect(convertBoardValue(read('date', { date: '2026-03-01', time: '14:30:00' }, '2026-03-01 14:30'), 'timestamp with time zone')).toEqual({ ok: true, value: '2026-03-01T14:30:00Z' });
    expect(convertBoardValue(read('text', 'soon', 'soon'), 'date')).toEqual({ ok: false, reason: '"soon" is not a date (YYYY-MM-DD)' });
  });

  it('writes yes/no to boolean columns: a checkbox by its checked flag, a label by its word', () => {
    expect(convertBoardValue(read('checkbox', { checked: 'true' }, 'v'), 'boolean')).toEqual({ ok: true, value: 'true' });
    expect(convertBoardValue(read('checkbox', null, ''), 'boolean')).toEqual({ ok: true, value: 'false' });
    expect(convertBoardValue(read('status', { index: 1 }, 'Yes'), 'boolean')).toEqual({ ok: true, value: 'true' });
    expect(convertBoardValue(read('status', { index: 3 }, 'Maybe'), 'boolean')).toEqual({ ok: false, reason: '"Maybe" is not a yes/no value' });
  });

  it('writes text as monday shows it', () => {
    expect(convertBoardValue(read('long_text', { text: 'a note' }, 'a note'), 'text')).toEqual({ ok: true, value: 'a note' });
    expect(convertBoardValue(read('text', 'PO-1', 'PO-1'), 'character varying')).toEqual({ ok: true, value: 'PO-1' });
  });
});
