// ONE HTTP attempt on undici's dispatcher: auth and standard headers, per-attempt timeout, bounded body read,
// non-2xx → WachtApiError.fromResponse, undici/OS failures → WachtConnectionError / WachtTimeoutError.
// No retries here (runner.ts). Every server-provided text that reaches an error (body, headers, content
// type) is redacted of the key and other secrets (redact.ts); Retry-After is parsed here, once, onto the error.

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
  /** The request headers every call sends (authorization, accept, user-agent), as undici's flat list. */
  readonly baseHeaders: readonly string[];
  /** The full header list per frozen call-headers object (the shared multipart content type), built once. */
  readonly headerLists: WeakMap<object, readonly string[]>;
}

/** A client's transport context: the constant request headers are built here, once. */
export function transportContext(
  settings: Omit<TransportContext, "baseHeaders" | "headerLists">,
): TransportContext {
  return {
    ...settings,
    baseHeaders: [
      "authorization",
      `Bearer ${settings.apiKey}`,
      "accept",
      "application/json",
      "user-agent",
      settings.userAgent,
    ],
    headerLists: new WeakMap(),
  };
}

/**
 * The header list of one request: the constant ones plus the call's own. A frozen call-headers
 * object is expanded once per client and reused (multipart bodies on the process boundary share one).
 */
function headerList(
  ctx: TransportContext,
  extra: Readonly<Record<string, string>> | undefined,
): readonly string[] {
  if (extra === undefined) return ctx.baseHeaders;
  let list = ctx.headerLists.get(extra);
  if (list === undefined) {
    // A call's own header replaces a constant one of the same name, as an object spread would.
    const merged = new Map<string, string>();
    for (let i = 0; i < ctx.baseHeaders.length; i += 2)
      merged.set(ctx.baseHeaders[i]!, ctx.baseHeaders[i + 1]!);
    for (const [k, v] of Object.entries(extra)) merged.set(k.toLowerCase(), v);
    list = [...merged].flat();
    // Only a frozen object can be reused as it is; any other is a one-off (kept out of the map).
    if (Object.isFrozen(extra)) ctx.headerLists.set(extra, list);
  }
  return list;
}

/** One attempt's request. */
export interface AttemptRequest {
  method: HttpMethod;
  /** API path, already encoded (e.g. `/users/123/details`); used in messages. */
  path: string;
  /** Encoded query string including `?`, or "". Never put into messages. */
  query?: string;
  body?: Buffer | string;
  headers?: Readonly<Record<string, string>> | undefined;
  timeoutMs: number;
  /** True when timeoutMs is the remainder of the call's total budget (a timeout is then phase `total`). */
  timeoutIsTotal: boolean;
  /** Extra strings to scrub from anything that reaches an error (e.g. a password). */
  secrets: readonly string[];
}

/** A 2xx response, body read. */
export interface AttemptResponse {
  readonly status: number;
  /** The content-type header ("" when absent). */
  readonly contentType: string;
  readonly body: Buffer;
}

/** A 2xx response; its content type is read from the raw headers only when asked (a failure). */
class Answer implements AttemptResponse {
  constructor(
    readonly status: number,
    readonly body: Buffer,
    private readonly rawHeaders: RawHeaders,
  ) {}

  get contentType(): string {
    return headerValue(this.rawHeaders, "content-type") ?? "";
  }
}

const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** undici's raw response headers: `[name, value, …]` as received (a repeated value may be a list). */
type RawHeaders = readonly (Buffer | string | readonly (Buffer | string)[])[];

/** A raw header name or value as text (undici decodes them as latin1 too). */
function latin1(raw: RawHeaders[number] | undefined): string | undefined {
  if (raw === undefined || typeof raw === "string") return raw;
  if (Buffer.isBuffer(raw)) return raw.toString("latin1");
  return latin1(raw[0]);
}

/** True when a raw header name is `lower` (a lower-case name), compared without decoding it. */
function nameIs(raw: RawHeaders[number], lower: string): boolean {
  if (raw.length !== lower.length) return false;
  if (typeof raw === "string") return raw.toLowerCase() === lower;
  if (!Buffer.isBuffer(raw)) return false;
  for (let i = 0; i < lower.length; i++) {
    const b = raw[i]!;
    if ((b >= 65 && b <= 90 ? b + 32 : b) !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/** The first value of a response header in undici's raw list (`[name, value, …]`, names as sent). */
function headerValue(raw: RawHeaders, lower: string): string | undefined {
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (nameIs(raw[i]!, lower)) return latin1(raw[i + 1]);
  }
  return undefined;
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
    ctx.dispatcher.dispatch(
      {
        origin: ctx.origin,
        path: `${ctx.basePath}${req.path}${req.query ?? ""}`,
        method: req.method,
        headersTimeout: req.timeoutMs + 1000,
        bodyTimeout: req.timeoutMs + 1000,
        headers: headerList(ctx, req.headers) as string[],
        body: req.body ?? null,
      },
      new Attempt(ctx, req, resolve, reject),
    );
  });
}

function onAttemptTimeout(attempt: Attempt): void {
  attempt.timeout();
}

/**
 * One attempt as an undici dispatch handler: the body is collected straight from the socket (no
 * stream, no abort signal, no promise per phase — those were most of the client's CPU per call),
 * bounded by MAX_RESPONSE_BYTES, and the per-attempt timer aborts through the abort function undici
 * hands over. It implements undici's core handler interface (onConnect … onComplete), which every
 * dispatcher of undici 7 runs on: a handler of the newer controller interface is wrapped into one
 * of these per request, and its headers parsed into an object, which cost ~1.5 µs per call
 * (docs/decisions/0009-client-wire-cost.md). The promise settles exactly once; whatever undici
 * reports after that is ignored.
 */
class Attempt implements Dispatcher.DispatchHandler {
  #abort: ((err?: Error) => void) | undefined;
  #settled = false;
  #timedOut = false;
  #status = 0;
  /** undici's raw response headers (`[name, value, …]`); undefined until they arrive. */
  #headers: RawHeaders | undefined;
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
    this.#timer = setTimeout(onAttemptTimeout, req.timeoutMs, this);
  }

  onConnect(abort: (err?: Error) => void): void {
    this.#abort = abort;
    if (this.#settled) abort(new Error("attempt already settled"));
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    if (statusCode < 200 || this.#settled) return true; // 1xx: informational, the real answer follows
    this.#status = statusCode;
    this.#headers = rawHeaders;
    const declared = headerValue(rawHeaders, "content-length");
    // undici refuses a body that does not match its content-length, so the declared size is the size.
    if (
      declared !== undefined &&
      /^\d{1,15}$/.test(declared) &&
      Number(declared) > MAX_RESPONSE_BYTES
    )
      this.#tooLarge();
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.#settled) return true;
    this.#size += chunk.length;
    if (this.#size > MAX_RESPONSE_BYTES) this.#tooLarge();
    else this.#chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    if (this.#settled) return;
    const chunks = this.#chunks;
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, this.#size);
    const headers = this.#headers ?? [];
    const status = this.#status;
    if (status >= 200 && status < 300) this.#settle(undefined, new Answer(status, body, headers));
    else {
      const contentType = headerValue(headers, "content-type") ?? "";
      this.#settle(apiError(this.#ctx, this.#req, status, headers, contentType, body));
    }
  }

  onError(err: Error): void {
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

  #tooLarge(): void {
    this.#chunks.length = 0;
    this.#settle(
      new WachtResponseValidationError({
        method: this.#req.method,
        path: this.#req.path,
        status: this.#status,
        detail: `response body larger than ${MAX_RESPONSE_BYTES} bytes`,
      }),
    );
    this.#abort?.(new Error("response body too large"));
  }

  /** The per-attempt timer fired (onAttemptTimeout). */
  timeout(): void {
    if (this.#settled) return;
    this.#timedOut = true;
    this.#settle(this.#timeoutError(this.#headers === undefined ? "headers" : "body"));
    // Before the request reached a socket there is no abort function yet: onConnect aborts it.
    this.#abort?.(new Error("attempt timed out"));
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
  headers: RawHeaders,
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
