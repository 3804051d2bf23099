/** "Did you mean" for names in config: the closest candidate, compared without case, spaces and underscores. */
import { editDistance } from './registry.ts';

const fold = (name: string): string => name.toLowerCase().replace(/[\s_-]+/g, '');
const words = (name: string): string[] => name.toLowerCase().split(/[\s_.-]+/).filter(Boolean);

/** The candidate nearest to `name`: a case/space-only difference, else one holding all its words, else a small edit distance; or null. */
export function nearestName(name: string, candidates: readonly string[]): string | null {
  const folded = fold(name);
  const same = candidates.find((c) => c !== name && fold(c) === folded);
  if (same) return same;
  // `order_lines` → `order_list_lines`: every word of the name, in a longer name.
  const own = words(name);
  const holding = candidates.filter((c) => c !== name && own.length > 1 && own.every((w) => words(c).includes(w))).sort((a, b) => a.length - b.length);
  if (holding[0]) return holding[0];
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = editDistance(folded, fold(candidate));
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

/** ` (did you mean X?)` or nothing. */
export function didYouMean(name: string, candidates: readonly string[]): string {
  const near = nearestName(name, candidates);
  return near ? ` (did you mean ${near}?)` : '';
}
