/** The tables and columns postgres-pending's options name, as SQL references under the aliases h (headers) and l (lines). */
import { sql, type RawBuilder } from 'kysely';
import type { PostgresPendingOptions } from './postgres-pending.ts';

/** References every statement of postgres-pending builds on. */
export interface TableRefs {
  H: RawBuilder<unknown>;
  L: RawBuilder<unknown>;
  /** h.<key> */
  hk: RawBuilder<unknown>;
  /** h.<customer> */
  hc: RawBuilder<unknown>;
  /** l.<lineKey> */
  lk: RawBuilder<unknown>;
  /** l.<lineParent> */
  lp: RawBuilder<unknown>;
}

/** The references for these options (identifiers were checked by the options schema). */
export function tableRefs(o: Pick<PostgresPendingOptions, 'headers' | 'lines' | 'key' | 'customer' | 'lineKey' | 'lineParent'>): TableRefs {
  return {
    H: sql.table(o.headers), L: sql.table(o.lines),
    hk: sql.ref(`h.${o.key}`), hc: sql.ref(`h.${o.customer}`),
    lk: sql.ref(`l.${o.lineKey}`), lp: sql.ref(`l.${o.lineParent}`),
  };
}
