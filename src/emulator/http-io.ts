/** Small HTTP helpers: bounded body reading, API-Version resolution, JSON responses. */
import { Buffer } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The API version monday answers with when a well-formed version is unknown. */
export const CURRENT_API_VERSION = '2026-07';
const KNOWN_VERSIONS = new Set(['2023-10', '2024-01', '2024-04', '2024-07', '2024-10', '2025-01', '2025-04', '2025-07', '2025-10', '2026-01', '2026-04', '2026-07', '2026-10']);

/** Thrown when a body exceeds the size limit. */
export class BodyTooLargeError extends Error {}

/** Reads the whole request body as UTF-8, refusing more than `maxBytes`. */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBytes) throw new BodyTooLargeError(`body larger than ${maxBytes} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The version to echo, or null when the header is malformed (InvalidVersionException). */
export function resolveApiVersion(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return CURRENT_API_VERSION;
  const trimmed = value.trim();
  if (!/^\d{4}-(01|04|07|10)$/.test(trimmed)) return null;
  return KNOWN_VERSIONS.has(trimmed) ? trimmed : CURRENT_API_VERSION;
}

/** One request header as a string (first value), or null. */
export function headerOf(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name.toLowerCase()];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

/** Sends a body with headers; a string body is sent as is, anything else as JSON. */
export function sendBody(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers, 'Content-Length': String(Buffer.byteLength(text)) });
  res.end(text);
}
