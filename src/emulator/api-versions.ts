/** monday.com API versions: which ones the emulator knows, their kinds, and the header rules. */

/** One entry of the `version` / `versions` queries. */
export interface ApiVersion {
  value: string;
  kind: 'current' | 'deprecated' | 'maintenance' | 'previous_maintenance' | 'release_candidate';
  display_name: string;
}

/** The version monday answers with when none or an unknown well-formed one is asked for (from 2026-10-26). */
export const CURRENT_API_VERSION = '2026-10';

// API reference "API versioning": 2026-10 current, 2026-07 maintenance, 2027-01 release candidate.
// Where 2026-04 stands is not on the page; the "Versions" reference's example lists the version before
// maintenance as previous_maintenance, so the emulator does the same. Every older one is deprecated.
const SUPPORTED: ApiVersion[] = [
  { value: '2026-04', kind: 'previous_maintenance', display_name: 'Previous Maintenance' },
  { value: '2026-07', kind: 'maintenance', display_name: 'Maintenance' },
  { value: CURRENT_API_VERSION, kind: 'current', display_name: 'Current' },
  { value: '2027-01', kind: 'release_candidate', display_name: 'Release Candidate' },
];
const DEPRECATED = ['2023-10', '2024-01', '2024-04', '2024-07', '2024-10', '2025-01', '2025-04', '2025-07', '2025-10', '2026-01'];

/** The supported versions, oldest first, as the `versions` query lists them. */
export function listApiVersions(): ApiVersion[] {
  return SUPPORTED.map((version) => ({ ...version }));
}

/** The `version` query's answer for the version a request resolved to. */
export function describeApiVersion(value: string): ApiVersion {
  const supported = SUPPORTED.find((version) => version.value === value);
  return supported ? { ...supported } : { value, kind: 'deprecated', display_name: 'Deprecated' };
}

/** The version to echo, or null when the header is malformed (InvalidVersionException). */
export function resolveApiVersion(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return CURRENT_API_VERSION;
  const trimmed = value.trim();
  if (!/^\d{4}-(01|04|07|10)$/.test(trimmed)) return null;
  const known = DEPRECATED.includes(trimmed) || SUPPORTED.some((version) => version.value === trimmed);
  return known ? trimmed : CURRENT_API_VERSION;
}
