/** File names of customer reports: safe on every file system, unique within a run. */

/**
 * Customer name → `<safe name>.md` (or `.html` for an HTML customer template): spaces and every character outside `[A-Za-z0-9_-]` become
 * `_` (`WHITE FOX` → `WHITE_FOX.md`, `Müller & Co` → `M_ller___Co.md`); names that collide after
 * that get `-2`, `-3`, … in the order given.
 */
export function customerFileNames(customers: readonly string[], extension: 'md' | 'html' = 'md'): Map<string, string> {
  const names = new Map<string, string>();
  const taken = new Set<string>();
  for (const customer of customers) {
    if (names.has(customer)) continue;
    const base = customer.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 100) || '_';
    let candidate = base;
    for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${base}-${n}`;
    // Case-insensitive file systems (macOS, Windows) would merge GREYSON and Greyson.
    taken.add(candidate.toLowerCase());
    names.set(customer, `${candidate}.${extension}`);
  }
  return names;
}
