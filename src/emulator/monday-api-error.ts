/** An application error raised by a resolver, rendered the way monday.com renders it. */

/** A monday.com application error: `extensions.code`, `status_code` and `error_data`. */
export class MondayApiError extends Error {
  readonly code: string;
  readonly statusCode: number;
  readonly errorData: Record<string, unknown>;
  constructor(code: string, message: string, errorData: Record<string, unknown> = {}, statusCode = 200) {
    super(message);
    this.name = 'MondayApiError';
    this.code = code;
    this.statusCode = statusCode;
    this.errorData = errorData;
  }
}
