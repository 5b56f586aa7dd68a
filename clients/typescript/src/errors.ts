/**
 * The error every failed request rejects with. Its message keeps AI Orchestra's wording
 * (`Orchestration service request failed: <status> <body>`), so code that matches on it keeps working, and it adds
 * the HTTP status and the parsed `detail` of the server's error body.
 */
export class OrchestraError extends Error {
  /** The HTTP status, or 0 when no response arrived (network error, abort, timeout). */
  readonly status: number;
  /** The server's `detail` field (a string, or a list of field errors), or the raw body when it had none. */
  readonly detail: unknown;

  constructor(message: string, status: number, detail: unknown, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OrchestraError';
    this.status = status;
    this.detail = detail;
  }

  /** Builds the error for a non-2xx response from its status and body text. */
  static fromResponse(status: number, body: string): OrchestraError {
    let detail: unknown = body;
    try {
      const parsed: unknown = JSON.parse(body);
      if (parsed !== null && typeof parsed === 'object' && 'detail' in parsed) {
        detail = (parsed as { detail: unknown }).detail;
      } else {
        detail = parsed;
      }
    } catch {
      // not JSON: keep the text as the detail
    }
    return new OrchestraError(`Orchestration service request failed: ${status} ${body}`, status, detail);
  }
}
