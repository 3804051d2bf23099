/** "Did you mean" for names in config: the closest candidate, compared without case, spaces and underscores. */
import { editDistance } from './registry.ts';

const fold = (name: string): string => name.toLowerCase().replace(/[\s_-]+/g, '');

/** The candidate nearest to `name` (a case/space-only difference first, else a small edit distance), or null. */
export function nearestName(name: string, candidates: readonly string[]): string | null {
  const folded = fold(name);
  const same = candidates.find((c) => c !== name && fold(c) === folded);
  if (same) return same;
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
