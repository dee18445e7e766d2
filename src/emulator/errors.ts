// The error envelope of docs/wacht-api.md §1/§8: `{"errors":[{"message","code"}]}` with `code` equal to
// the HTTP status, the default message per status, and `ApiError`, which handlers throw to produce
// one. Nothing else ever appears in an error body.

/** The messages the real server's normalisation layer uses when a handler gives none (§1). */
const DEFAULT_MESSAGES: Readonly<Record<number, string>> = {
  400: "Bad request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not found",
  405: "Method not allowed",
  422: "Invalid request payload",
  429: "Rate limit exceeded",
};

function defaultMessage(status: number): string {
  return DEFAULT_MESSAGES[status] ?? (status >= 500 ? "Something went wrong" : "Request failed");
}

export function envelope(
  status: number,
  message: string = defaultMessage(status),
): { errors: [{ message: string; code: number }] } {
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
