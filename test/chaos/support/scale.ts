/** How big the chaos suite runs: bounded inside `npm test`, full size under `npm run chaos` (CHAOS_FULL=1). */

/** True under `npm run chaos`. */
export const FULL = process.env.CHAOS_FULL === '1' || process.env.CHAOS_FULL === 'true';

/** The CI-sized value, or the full-size one under CHAOS_FULL. */
export function scaled<T>(ci: T, full: T): T {
  return FULL ? full : ci;
}

/** The dialects the chaos suite covers: PGlite always, PostgreSQL when DATABASE_URL is set. */
export const chaosDialects: ('pglite' | 'postgres')[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
