// ONE HTTP attempt on undici `request`: auth and standard headers, per-attempt timeout, bounded body read,
// non-2xx → WachtApiError.fromResponse, undici/OS failures → WachtConnectionError / WachtTimeoutError.
// No retries here (runner.ts). Every server-provided text that reaches an error (body, headers, content
// type) is redacted of the key and other secrets (redact.ts); Retry-After is parsed here, once, onto the error.

import type { IncomingHttpHeaders } from "node:http";
import type { Dispatcher } from "undici";
import { ApiErrorBodySchema } from "../schema/wire";
import {
  WachtApiError,
  WachtConnectionError,
  WachtResponseValidationError,
  WachtTimeoutError,
} from "./errors";
import { CONFIG_API_KEY, CONFIG_BASE_URL, ENV_API_KEY, ENV_BASE_URL } from "./env";
import { redact } from "./redact";
import { parseRetryAfter, parseRetryAfterMessage } from "./retry";

/** HTTP methods the client uses. */
export type HttpMethod = "GET" | "POST" | "PATCH" | "DELETE";

/** Bodies larger than this are refused as a response validation error (a user is a few KiB). */
export const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

/** Connection-level settings of one client (holds the key: never expose this object). */
export interface TransportContext {
  origin: string;
  basePath: string;
  apiKey: string;
  userAgent: string;
  dispatcher: Dispatcher;
  now: () => number;
}

/** One attempt's request. */
export interface AttemptRequest {
  method: HttpMethod;
  /** API path, already encoded (e.g. `/users/123/details`); used in messages. */
  path: string;
  /** Encoded query string including `?`, or "". Never put into messages. */
  query?: string;
  body?: Buffer | string;
  headers?: Record<string, string>;
  timeoutMs: number;
  /** True when timeoutMs is the remainder of the call's total budget (a timeout is then phase `total`). */
  timeoutIsTotal: boolean;
  /** Extra strings to scrub from anything that reaches an error (e.g. a password). */
  secrets: readonly string[];
}

/** A 2xx response, body read. */
export interface AttemptResponse {
  status: number;
  contentType: string;
  body: Buffer;
}

const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function errorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 4 && typeof e === "object" && e !== null; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A fresh Error with only name, code and a redacted message: undici errors may reference sockets/requests. */
function sanitizedCause(err: unknown, secrets: readonly string[]): Error {
  const src = err instanceof Error ? err : new Error(String(err));
  const c = new Error(redact(src.message, secrets).slice(0, 300));
  c.name = src.name;
  const code = errorCode(err);
  if (code !== undefined) Object.defineProperty(c, "code", { value: code, enumerable: true });
  return c;
}

/** The media type of a server's content-type header, redacted and reduced to safe characters. */
export function describeContentType(contentType: string, secrets: readonly string[]): string {
  const type = redact(contentType, secrets).split(";")[0]?.trim() || "no content type";
  return type.replace(/[^\w.+/[\]-]/g, "").slice(0, 60);
}

function describeNonJson(contentType: string, bytes: number, secrets: readonly string[]): string {
  return `<non-JSON response: ${describeContentType(contentType, secrets)}, ${bytes} bytes>`;
}

/** A server's request id, redacted; kept only when it looks like an id (no spaces, no markup). */
function requestIdOf(raw: string | undefined, secrets: readonly string[]): string | undefined {
  if (raw === undefined) return undefined;
  const clean = redact(raw, secrets);
  return /^[\w.:[\]-]{1,100}$/.test(clean) ? clean : undefined;
}

/**
 * What a 401 depends on, by every name it can be set under: the client option, the environment
 * variable and the Pulumi stack config key (the provider passes the latter two through).
 */
export function authenticationHint(baseUrl: string): string {
  return (
    `Check the API key (${ENV_API_KEY}, the stack config ${CONFIG_API_KEY}, or the apiKey option) ` +
    `and that it belongs to the deployment at ${baseUrl} ` +
    `(${ENV_BASE_URL}, the stack config ${CONFIG_BASE_URL}, or the baseUrl option)`
  );
}

/** Sends one attempt. Resolves with a 2xx response; rejects with a WachtError. */
export function sendAttempt(ctx: TransportContext, req: AttemptRequest): Promise<AttemptResponse> {
  return new Promise<AttemptResponse>((resolve, reject) => {
    const attempt = new Attempt(ctx, req, resolve, reject);
    ctx.dispatcher.dispatch(
      {
        origin: ctx.origin,
        path: `${ctx.basePath}${req.path}${req.query ?? ""}`,
        method: req.method,
        headersTimeout: req.timeoutMs + 1000,
        bodyTimeout: req.timeoutMs + 1000,
        headers: {
          authorization: `Bearer ${ctx.apiKey}`,
          accept: "application/json",
          "user-agent": ctx.userAgent,
          ...req.headers,
        },
        body: req.body ?? null,
      },
      attempt,
    );
  });
}

/**
 * One attempt as an undici dispatch handler: the body is collected straight from the socket (no
 * stream, no abort signal, no promise per phase — those were most of the client's CPU per call),
 * bounded by MAX_RESPONSE_BYTES, and the per-attempt timer aborts through the handler's controller.
 * The promise settles exactly once; whatever undici reports after that is ignored.
 */
class Attempt implements Dispatcher.DispatchHandler {
  #controller: Dispatcher.DispatchController | undefined;
  #settled = false;
  #timedOut = false;
  #status = 0;
  #headers: IncomingHttpHeaders | undefined;
  readonly #chunks: Buffer[] = [];
  #size = 0;
  readonly #timer: NodeJS.Timeout;
  // Private: the context holds the API key, and undici keeps a reference to this handler.
  readonly #ctx: TransportContext;
  readonly #req: AttemptRequest;
  readonly #resolve: (res: AttemptResponse) => void;
  readonly #reject: (err: Error) => void;

  constructor(
    ctx: TransportContext,
    req: AttemptRequest,
    resolve: (res: AttemptResponse) => void,
    reject: (err: Error) => void,
  ) {
    this.#ctx = ctx;
    this.#req = req;
    this.#resolve = resolve;
    this.#reject = reject;
    this.#timer = setTimeout(() => this.#onTimeout(), req.timeoutMs);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.#settled) controller.abort(new Error("attempt already settled"));
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
  ): void {
    if (statusCode < 200 || this.#settled) return; // 1xx: informational, the real answer follows
    this.#status = statusCode;
    this.#headers = headers;
    const declared = headerValue(headers, "content-length");
    // undici refuses a body that does not match its content-length, so the declared size is the size.
    if (
      declared !== undefined &&
      /^\d{1,15}$/.test(declared) &&
      Number(declared) > MAX_RESPONSE_BYTES
    )
      this.#tooLarge(controller);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#settled) return;
    this.#size += chunk.length;
    if (this.#size > MAX_RESPONSE_BYTES) this.#tooLarge(controller);
    else this.#chunks.push(chunk);
  }

  onResponseEnd(): void {
    if (this.#settled) return;
    const chunks = this.#chunks;
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, this.#size);
    const headers = this.#headers ?? {};
    const contentType = headerValue(headers, "content-type") ?? "";
    const status = this.#status;
    if (status >= 200 && status < 300) this.#settle(undefined, { status, contentType, body });
    else this.#settle(apiError(this.#ctx, this.#req, status, headers, contentType, body));
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error): void {
    if (this.#settled) return;
    this.#settle(this.#mapFailure(err));
  }

  #settle(error: Error | undefined, res?: AttemptResponse): void {
    if (this.#settled) return;
    this.#settled = true;
    clearTimeout(this.#timer);
    if (error !== undefined) this.#reject(error);
    else this.#resolve(res!);
  }

  #tooLarge(controller: Dispatcher.DispatchController): void {
    this.#chunks.length = 0;
    this.#settle(
      new WachtResponseValidationError({
        method: this.#req.method,
        path: this.#req.path,
        status: this.#status,
        detail: `response body larger than ${MAX_RESPONSE_BYTES} bytes`,
      }),
    );
    controller.abort(new Error("response body too large"));
  }

  #onTimeout(): void {
    if (this.#settled) return;
    this.#timedOut = true;
    this.#settle(this.#timeoutError(this.#headers === undefined ? "headers" : "body"));
    // Before the request reached a socket there is no controller yet: onRequestStart aborts it.
    this.#controller?.abort(new Error("attempt timed out"));
  }

  #timeoutError(phase: "connect" | "headers" | "body"): WachtTimeoutError {
    const req = this.#req;
    return new WachtTimeoutError({
      method: req.method,
      path: req.path,
      phase: req.timeoutIsTotal ? "total" : phase,
      timeoutMs: req.timeoutMs,
      requestMaybeSent: phase !== "connect",
    });
  }

  #mapFailure(err: unknown): Error {
    const code = errorCode(err);
    if (this.#timedOut) return this.#timeoutError(this.#headers === undefined ? "headers" : "body");
    if (code === "UND_ERR_CONNECT_TIMEOUT") return this.#timeoutError("connect");
    if (code === "UND_ERR_HEADERS_TIMEOUT") return this.#timeoutError("headers");
    if (code === "UND_ERR_BODY_TIMEOUT") return this.#timeoutError("body");
    const cause = sanitizedCause(err, [this.#ctx.apiKey, ...this.#req.secrets]);
    const detail = `connection failed (${code ?? cause.name}: ${cause.message})`;
    return new WachtConnectionError(
      {
        method: this.#req.method,
        path: this.#req.path,
        code,
        requestMaybeSent: code === undefined || !NOT_SENT_CODES.has(code),
        detail,
      },
      { cause },
    );
  }
}

/** A non-2xx answer as a WachtApiError: every server-provided text redacted, Retry-After parsed. */
function apiError(
  ctx: TransportContext,
  req: AttemptRequest,
  status: number,
  headers: IncomingHttpHeaders,
  contentType: string,
  body: Buffer,
): WachtApiError {
  const secrets = () => [ctx.apiKey, ...req.secrets];
  let serverMessage: string | undefined;
  let code: number | string | undefined;
  let fallbackDescription: string | undefined;
  if (status >= 300 && status < 400) {
    fallbackDescription = "<redirect not followed>";
  } else {
    try {
      const parsed = ApiErrorBodySchema.safeParse(JSON.parse(body.toString("utf8")));
      if (parsed.success) {
        const first = parsed.data.errors[0];
        serverMessage =
          first === undefined ? undefined : redact(first.message, secrets()).slice(0, 1000);
        code = typeof first?.code === "string" ? redact(first.code, secrets()) : first?.code;
      } else {
        fallbackDescription = "<JSON response without an errors[0].message>";
      }
    } catch {
      fallbackDescription =
        body.length === 0
          ? "<empty response>"
          : describeNonJson(contentType, body.length, secrets());
    }
  }
  const header = parseRetryAfter(headerValue(headers, "retry-after"), ctx.now());
  const hint = parseRetryAfterMessage(serverMessage);
  return WachtApiError.fromResponse({
    status,
    method: req.method,
    path: req.path,
    serverMessage,
    code,
    fallbackDescription,
    retryAfterMs: header ?? hint,
    retryAfterSource:
      header !== undefined ? "retry-after-header" : hint !== undefined ? "message-hint" : undefined,
    requestId: requestIdOf(headerValue(headers, "x-request-id"), secrets()),
    hint: status === 401 ? authenticationHint(`${ctx.origin}${ctx.basePath}`) : undefined,
  });
}
