// OpenAI-shaped error answers of the mock server: one class, thrown anywhere in a handler, written in one place.

export type ErrorType = 'invalid_request_error' | 'insufficient_quota' | 'requests' | 'tokens' | 'server_error';

/** An answer `{ error: { message, type, param, code } }` with its HTTP status and any extra headers. */
export class MockApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: ErrorType,
    readonly code: string | null = null,
    readonly param: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): { error: { message: string; type: ErrorType; param: string | null; code: string | null } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

export const invalidRequest = (message: string, param: string | null = null, code: string | null = null) =>
  new MockApiError(400, message, 'invalid_request_error', code, param);

export const notFound = (message: string, code: string | null = null) => new MockApiError(404, message, 'invalid_request_error', code);

export const invalidValue = (param: string, detail: string) => invalidRequest(`Invalid '${param}': ${detail}.`, param, 'invalid_value');
