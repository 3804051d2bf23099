/**
 * What ordersync sent and what monday answers compare as equal when a person changed nothing.
 * The read shapes follow monday's API reference "Column types" pages (status: `{"index":…}` with the
 * label as text; dropdown: `{"ids":[…]}` with the labels as text; date: `{"date","time"}`; every
 * value may carry `changed_at`), and the emulator answers the same shapes.
 */
import { describe, expect, it } from 'vitest';
import { comparableRead, comparableSent } from '../../src/monday/comparable-value.ts';

const read = (type: string, value: unknown, text: string | null) => comparableRead({ type, value: value === null ? null : JSON.stringify(value), text });

describe('comparable column values', () => {
  it('matches each type as sent with the same value read back', () => {
    expect(comparableSent('text', 'PO-1')).toBe(read('text', 'PO-1', 'PO-1'));
    expect(comparableSent('long_text', { text: 'a note' })).toBe(read('long_text', { text: 'a note', changed_at: '2026-01-01T00:00:00Z' }, 'a note'));
    expect(comparableSent('numbers', '12.50')).toBe(read('numbers', '12.5', '12.5'));
    expect(comparableSent('status', { label: 'Shipped' })).toBe(read('status', { index: 3, post_id: null, changed_at: '2026-01-01' }, 'Shipped'));
    expect(comparableSent('dropdown', { labels: ['B', 'A'] })).toBe(read('dropdown', { ids: [2, 1] }, 'A, B'));
    expect(comparableSent('date', { date: '2025-02-28', time: '14:30:00' })).toBe(read('date', { date: '2025-02-28', time: '14:30', changed_at: 'x' }, '2025-02-28 14:30'));
    expect(comparableSent('date', { date: '2025-02-28' })).toBe(read('date', { date: '2025-02-28', time: null }, '2025-02-28'));
    expect(comparableSent('checkbox', { checked: 'true' })).toBe(read('checkbox', { checked: 'true' }, 'v'));
    expect(comparableSent('email', { email: 'a@b.co', text: 'a@b.co' })).toBe(read('email', { email: 'a@b.co', text: 'A' }, 'a@b.co'));
    expect(comparableSent('link', { url: 'https://x.io', text: 'x' })).toBe(read('link', { url: 'https://x.io', text: 'y' }, 'https://x.io - y'));
    expect(comparableSent('phone', { phone: '+4912345' })).toBe(read('phone', { phone: '+4912345', countryShortName: 'DE' }, '+4912345'));
  });

  it('tells a person\'s change apart from what was sent', () => {
    expect(comparableSent('text', 'PO-1')).not.toBe(read('text', 'PO-BY-HAND', 'PO-BY-HAND'));
    expect(comparableSent('numbers', '12')).not.toBe(read('numbers', '13', '13'));
    expect(comparableSent('status', { label: 'Open' })).not.toBe(read('status', { index: 1 }, 'Shipped'));
    expect(comparableSent('date', { date: '2025-02-28' })).not.toBe(read('date', { date: '2025-03-01' }, '2025-03-01'));
  });

  it('reads a cleared cell as empty, equal to nothing sent and unequal to a value', () => {
    expect(read('text', null, '')).toBe(comparableSent('text', null));
    expect(read('status', null, null)).toBe('');
    expect(read('numbers', null, '')).not.toBe(comparableSent('numbers', '5'));
    expect(comparableSent('checkbox', null)).toBe(read('checkbox', null, ''));
  });
});
