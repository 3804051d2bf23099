/** The one mask for secrets in logs, payloads, errors and notifications. */
export const REDACTED = '[redacted]';
const SECRET_KEYS = new Set(['authorization', 'token', 'apitoken', 'api_token']);

/**
 * The one redaction: a deep copy of `value` (or a string) with every occurrence of a secret replaced by `[redacted]`, and
 * with authorization/token keys blanked, so it is safe to log or store.
 */
export function redact<T>(value: T, secrets: readonly string[]): T {
  const live = secrets.filter((secret) => secret.length > 0);
  return redactValue(value, live) as T;
}

function redactValue(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return redactString(value, secrets);
  if (Array.isArray(value)) return value.map((entry) => redactValue(entry, secrets));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) {
      out[key] = SECRET_KEYS.has(key.toLowerCase()) ? REDACTED : redactValue(entry, secrets);
    }
    return out;
  }
  return value;
}

function redactString(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join(REDACTED);
  return out;
}
