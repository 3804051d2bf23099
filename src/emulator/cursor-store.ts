/** Opaque, expiring cursors for items_page / next_items_page, like monday's. */
import { randomBytes } from 'node:crypto';
import { MondayApiError } from './monday-api-error.ts';

const CURSOR_TTL_MS = 60 * 60_000;
const MAX_PAGE = 500;

/** One page of item ids and the cursor to the next page (null on the last page). */
export interface IdPage {
  cursor: string | null;
  ids: string[];
}

/** Remembers the remaining ids of each paginated listing until its cursor expires. */
export class CursorStore {
  // Entries share the listing's id array and keep an offset, so deep paging stays cheap.
  private readonly open = new Map<string, { ids: string[]; offset: number; expiresAt: number }>();

  /** Starts a listing: the first `limit` ids and a cursor for the rest. */
  first(ids: string[], limit: number, now: number): IdPage {
    checkLimit(limit);
    this.sweep(now);
    return this.page(ids, 0, limit, now);
  }

  /** The next page of a listing; throws CursorException for an unknown or expired cursor. */
  next(cursor: string, limit: number, now: number): IdPage {
    checkLimit(limit);
    this.sweep(now);
    const entry = this.open.get(cursor);
    if (!entry) throw new MondayApiError('CursorException', 'Cursor has expired or is invalid', { cursor });
    // Not consumed: a client that lost a response may ask for the same page again.
    return this.page(entry.ids, entry.offset, limit, now);
  }

  private page(ids: string[], offset: number, limit: number, now: number): IdPage {
    const end = offset + limit;
    if (ids.length <= end) return { cursor: null, ids: ids.slice(offset) };
    const cursor = randomBytes(24).toString('base64url');
    this.open.set(cursor, { ids, offset: end, expiresAt: now + CURSOR_TTL_MS });
    return { cursor, ids: ids.slice(offset, end) };
  }

  private sweep(now: number): void {
    for (const [cursor, entry] of this.open) if (entry.expiresAt <= now) this.open.delete(cursor);
  }
}

function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    throw new MondayApiError('InvalidArgumentException', `limit must be between 1 and ${MAX_PAGE}`, { limit });
  }
}
