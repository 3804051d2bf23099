/** Request-level error bodies in monday's shape (`errors[].extensions.code`). */

/** A body with one error; `extensions` adds fields such as `retry_in_seconds`. */
export function errorBody(code: string, message: string, extensions: Record<string, unknown> = {}): { errors: Record<string, unknown>[] } {
  return { errors: [{ message, extensions: { code, ...extensions } }] };
}
