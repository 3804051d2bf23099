/** A GraphQL error object as monday sends it (legacy bodies may carry plain strings instead). */
export interface GraphqlError {
  message: string;
  path?: readonly (string | number)[];
  extensions?: Record<string, unknown>;
  [key: string]: unknown;
}

/** The parts of a response body the client reads. */
export interface GraphqlBody {
  data: Record<string, unknown> | null;
  errors: GraphqlError[];
  requestId: string | null;
  /** Legacy top-level error (`error_code`, `status_code`, `error_message`), if any. */
  legacy: { code: string | null; statusCode: number | null; message: string | null } | null;
}

/** Normalises a parsed response body; null when it is not a JSON object. */
export function readGraphqlBody(raw: unknown, headers?: Headers): GraphqlBody | null {
  if (!isRecord(raw)) return null;
  const data = isRecord(raw.data) ? raw.data : null;
  const errors = Array.isArray(raw.errors) ? raw.errors.map(toGraphqlError) : [];
  const extensions = isRecord(raw.extensions) ? raw.extensions : {};
  const requestId =
    asString(extensions.request_id) ?? asString(raw.request_id) ?? headers?.get('x-request-id') ?? null;
  const legacyCode = asString(raw.error_code);
  const legacyMessage = asString(raw.error_message);
  const legacyStatus = typeof raw.status_code === 'number' ? raw.status_code : null;
  const legacy =
    legacyCode !== null || legacyMessage !== null
      ? { code: legacyCode, statusCode: legacyStatus, message: legacyMessage }
      : null;
  return { data, errors, requestId, legacy };
}

/** monday's code for an error (`extensions.code`, or older `error_code` spellings). */
export function errorCodeOf(error: GraphqlError): string | null {
  const ext = error.extensions ?? {};
  return asString(ext.code) ?? asString(ext.error_code) ?? asString(error.error_code) ?? asString(error.code);
}

/** The HTTP-like status monday puts in `extensions.status_code`, if any. */
export function errorStatusOf(error: GraphqlError): number | null {
  const value = error.extensions?.status_code;
  return typeof value === 'number' ? value : null;
}

/** The alias an error belongs to (`path[0]`), or null for request-wide errors. */
export function errorAliasOf(error: GraphqlError): string | null {
  const first = error.path?.[0];
  return typeof first === 'string' ? first : null;
}

/** True for plain objects (parsed JSON objects). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function toGraphqlError(entry: unknown): GraphqlError {
  if (typeof entry === 'string') return { message: entry };
  if (!isRecord(entry)) return { message: String(entry) };
  const path = Array.isArray(entry.path)
    ? entry.path.filter((part): part is string | number => typeof part === 'string' || typeof part === 'number')
    : undefined;
  const extensions = isRecord(entry.extensions) ? entry.extensions : undefined;
  return { ...entry, message: asString(entry.message) ?? 'unknown error', path, extensions };
}

function asString(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}
