// The error envelope of docs/wacht-api.md §1/§8: `{"errors":[{"message","code"}]}` with `code` equal to
// the HTTP status, the default message per status, and `ApiError`, which handlers throw to produce
// one. Nothing else ever appears in an error body.

export interface ErrorEnvelope {
  errors: [{ message: string; code: number }];
}

/** The messages the real server's normalisation layer uses when a handler gives none (§1). */
export function defaultMessage(status: number): string {
  switch (status) {
    case 400:
      return "Bad request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not found";
    case 405:
      return "Method not allowed";
    case 422:
      return "Invalid request payload";
    case 429:
      return "Rate limit exceeded";
    default:
      return status >= 500 ? "Something went wrong" : "Request failed";
  }
}

export function envelope(status: number, message: string = defaultMessage(status)): ErrorEnvelope {
  return { errors: [{ message, code: status }] };
}

/** The exact 429 text of the gateway (§8). */
export function rateLimitMessage(retryAfterSeconds: number): string {
  return `Rate limit exceeded. Retry after ${retryAfterSeconds} seconds`;
}

/** Thrown by handlers; the server turns it into the envelope. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string = defaultMessage(status),
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** 400 `Bad request`, the message of every extractor rejection. */
export const badRequest = (): ApiError => new ApiError(400);
export const internalError = (): ApiError => new ApiError(500);
