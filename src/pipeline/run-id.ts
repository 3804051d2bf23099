/** Sync ids: `{YYYYMMDDHHmm}-SYNC-{8 upper-case hex}` (UTC), also the report folder name. */

/** A new sync id for a run starting at `at`. */
export function createRunId(at: Date): string {
  const stamp = at.toISOString().replace(/[-:T]/g, '').slice(0, 12);
  const bytes = crypto.getRandomValues(new Uint8Array(4));
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('').toUpperCase();
  return `${stamp}-SYNC-${hex}`;
}
