// The WachtError hierarchy: API errors per status, connection/timeout, response
// validation, config and request validation. Errors carry only redacted, allow-listed data: never the
// API key, the Authorization header, request bodies or passwords. isWachtError() works across module copies.

const BRAND = Symbol.for("pulumi-wacht.WachtError");

/** Discriminant that survives module duplication (use it instead of instanceof across copies). */
export type WachtErrorKind =
  "api" | "connection" | "timeout" | "response-validation" | "config" | "validation";

/** Base class of every error thrown by the client. */
export class WachtError extends Error {
  /** Which family this error belongs to. */
  readonly kind: WachtErrorKind;
  /** How many HTTP attempts were made before this error surfaced (0 when nothing was sent). */
  attempts = 0;

  constructor(kind: WachtErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.name = new.target.name;
    Object.defineProperty(this, BRAND, { value: true, enumerable: false });
  }

  /** A plain, redacted view for logs: no headers, no bodies. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = {
      name: this.name,
      kind: this.kind,
      message: this.message,
    };
    for (const [k, v] of Object.entries(this)) {
      if (k !== "kind" && v !== undefined) out[k] = v;
    }
    if (this.cause instanceof Error)
      out.cause = { name: this.cause.name, message: this.cause.message };
    return out;
  }
}

/** True for any WachtError, even one created by another copy of this module (Symbol.for brand). */
export function isWachtError(value: unknown): value is WachtError {
  return typeof value === "object" && (value as Record<symbol, unknown> | null)?.[BRAND] === true;
}

/** Where a server's wait hint came from: the `Retry-After` header or the 429 message. */
export type RetryHintSource = "retry-after-header" | "message-hint";

/** Fields describing the failed request and the server's answer. */
export interface WachtApiErrorInit {
  status: number;
  method: string;
  /** API path without query string or base-URL prefix, e.g. `/users/123`. */
  path: string;
  /** The server's `errors[0].message`, when the body was the JSON envelope. */
  serverMessage?: string | undefined;
  /** The server's `errors[0].code` (equals the status on the real server). */
  code?: number | string | undefined;
  /** Used instead of a server message when the body was not the envelope (already sanitized). */
  fallbackDescription?: string | undefined;
  /** The server's wait hint: the `Retry-After` header, else the message's "Retry after N seconds". */
  retryAfterMs?: number | undefined;
  /** Where retryAfterMs came from. */
  retryAfterSource?: RetryHintSource | undefined;
  /** `x-request-id` response header, if the server sent one. */
  requestId?: string | undefined;
  /** What to check, appended to the message (e.g. the settings a 401 depends on). */
  hint?: string | undefined;
}

/** A response arrived with a non-2xx status. Message: `404 PATCH /users/123: Resource not found`. */
export class WachtApiError extends WachtError {
  readonly status!: number;
  readonly method!: string;
  readonly path!: string;
  readonly serverMessage: string | undefined;
  readonly code: number | string | undefined;
  /** The server's wait hint in ms (parsed once, when the response arrived); used by the retry loop. */
  readonly retryAfterMs: number | undefined;
  readonly retryAfterSource: RetryHintSource | undefined;
  readonly requestId: string | undefined;
  /** What to check (set on a 401: the key and base URL settings). */
  readonly hint: string | undefined;

  constructor(init: WachtApiErrorInit) {
    const { fallbackDescription, ...fields } = init;
    const detail = fields.serverMessage ?? fallbackDescription ?? "<empty response>";
    const rid = fields.requestId === undefined ? "" : ` (request id ${fields.requestId})`;
    const hint = fields.hint === undefined ? "" : `. ${fields.hint}`;
    super("api", `${fields.status} ${fields.method} ${fields.path}: ${detail}${rid}${hint}`);
    Object.assign(this, fields);
  }

  /** Build the subclass matching `init.status` (400, 401, 403, 404, 409, 422, 429, 5xx; else this class). */
  static fromResponse(init: WachtApiErrorInit): WachtApiError {
    const { status } = init;
    const Ctor =
      STATUS_CLASSES[status] ?? (status >= 500 && status <= 599 ? WachtServerError : WachtApiError);
    return new Ctor(init);
  }
}

/** 400: bad path id, bad multipart, validation failure. */
export class WachtBadRequestError extends WachtApiError {}
/** 401: missing/invalid API key. */
export class WachtAuthenticationError extends WachtApiError {}
/** 403: permission denied by the gateway. */
export class WachtPermissionError extends WachtApiError {}
/** 404: unknown user (or another deployment's user), unknown route. */
export class WachtNotFoundError extends WachtApiError {}
/** 409: unique violation. */
export class WachtConflictError extends WachtApiError {}
/** 422: JSON body with a wrong shape. */
export class WachtUnprocessableError extends WachtApiError {}
/** 429: the gateway rate limit; `retryAfterMs` holds the server's hint when there was one. */
export class WachtRateLimitError extends WachtApiError {}
/** 5xx: server-side failure (non-atomic PATCH: field changes may already be applied, docs/wacht-api.md §3). */
export class WachtServerError extends WachtApiError {}

const STATUS_CLASSES: Record<number, new (init: WachtApiErrorInit) => WachtApiError> = {
  400: WachtBadRequestError,
  401: WachtAuthenticationError,
  403: WachtPermissionError,
  404: WachtNotFoundError,
  409: WachtConflictError,
  422: WachtUnprocessableError,
  429: WachtRateLimitError,
};

/** Where the request was when a timeout fired. */
export type WachtTimeoutPhase = "connect" | "headers" | "body" | "total";

/** No (complete) response arrived: refused, reset, DNS, TLS… The undici error is a sanitized `cause`. */
export class WachtConnectionError extends WachtError {
  readonly method!: string;
  readonly path!: string;
  /** Undici / OS error code (`ECONNREFUSED`, `UND_ERR_SOCKET`…), if any. */
  readonly code: string | undefined;
  /** False only when the request provably never left this process (connection refused, DNS, connect timeout). */
  readonly requestMaybeSent!: boolean;
  /** What to check (set on a refused connection: is the server running at the base URL?). */
  readonly hint: string | undefined;

  constructor(
    init: {
      method: string;
      path: string;
      code?: string | undefined;
      requestMaybeSent: boolean;
      detail: string;
      hint?: string | undefined;
    },
    options?: { cause?: unknown },
    kind: WachtErrorKind = "connection",
  ) {
    const { detail, ...fields } = init;
    const hint = fields.hint === undefined ? "" : `. ${fields.hint}`;
    super(kind, `${fields.method} ${fields.path}: ${detail}${hint}`, options);
    Object.assign(this, fields);
  }
}

/** An attempt (or the whole call, phase `total`) took too long. */
export class WachtTimeoutError extends WachtConnectionError {
  readonly phase: WachtTimeoutPhase;
  readonly timeoutMs: number;

  constructor(init: {
    method: string;
    path: string;
    phase: WachtTimeoutPhase;
    timeoutMs: number;
    requestMaybeSent: boolean;
    /** Replaces the default `timed out after N ms (phase)` text. */
    detail?: string;
  }) {
    const { phase, timeoutMs, detail, ...fields } = init;
    const text = detail ?? `timed out after ${timeoutMs} ms (${phase})`;
    super({ ...fields, code: "ETIMEDOUT", detail: text }, undefined, "timeout");
    this.phase = phase;
    this.timeoutMs = timeoutMs;
  }
}

/** One problem found while validating a response (path into the body + zod message; never the value). */
export interface WachtIssue {
  path: string;
  message: string;
}

/** A 2xx response did not match the documented shape (or was not JSON, or was too large). */
export class WachtResponseValidationError extends WachtError {
  readonly method!: string;
  readonly path!: string;
  readonly status!: number;
  /** Empty when the body was not JSON or too large (no shape to check). */
  readonly issues!: readonly WachtIssue[];

  constructor(init: {
    method: string;
    path: string;
    status: number;
    detail: string;
    issues?: WachtIssue[] | undefined;
  }) {
    const { detail, issues = [], ...fields } = init;
    super("response-validation", `${fields.status} ${fields.method} ${fields.path}: ${detail}`);
    Object.assign(this, fields, { issues });
  }
}

/** Missing/invalid client configuration (API key, base URL, numeric options). */
export class WachtConfigError extends WachtError {
  constructor(message: string) {
    super("config", message);
  }
}

/** A call's arguments were refused before sending (bad id, a value the server would silently ignore…). */
export class WachtValidationError extends WachtError {
  /** The offending parameter, camelCase (`id`, `firstName`, `profileImage`…). */
  readonly field: string;

  constructor(field: string, message: string) {
    super("validation", message);
    this.field = field;
  }
}
