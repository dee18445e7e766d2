// ONE HTTP attempt on undici `request`: auth and standard headers, per-attempt timeout, bounded body read,
// non-2xx → WachtApiError.fromResponse, undici/OS failures → WachtConnectionError / WachtTimeoutError.
// No retries here (runner.ts). Every server-provided text that reaches an error (body, headers, content
// type) is redacted of the key and other secrets (redact.ts); Retry-After is parsed here, once, onto the error.

import { EventEmitter } from "node:events";
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

function headerValue(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
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

async function readBody(res: Dispatcher.ResponseData, limit: number): Promise<Buffer | null> {
  const body = res.body;
  const declared = headerValue(res.headers, "content-length");
  if (declared !== undefined && /^\d{1,15}$/.test(declared)) {
    // undici refuses a body that does not match its content-length, so the declared size is the size.
    if (Number(declared) > limit) {
      body.destroy();
      return null;
    }
    return Buffer.from(await body.arrayBuffer());
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    size += buf.length;
    if (size > limit) {
      body.destroy();
      return null;
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
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
 * The per-attempt abort signal. undici accepts an EventEmitter with `aborted`/`reason` as a signal;
 * it is much cheaper per attempt than an AbortController (an EventTarget). undici supplies its own
 * RequestAbortedError as the reason; the failure is mapped to a timeout by the `timedOut` flag.
 */
class AttemptSignal extends EventEmitter {
  aborted = false;
  readonly reason = undefined;

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.emit("abort");
  }
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
export async function sendAttempt(
  ctx: TransportContext,
  req: AttemptRequest,
): Promise<AttemptResponse> {
  // Only failures need the secrets list (redaction); the success path never builds it.
  const secrets = () => [ctx.apiKey, ...req.secrets];
  const signal = new AttemptSignal();
  let timedOut = false;
  let headersReceived = false;
  const timer = setTimeout(() => {
    timedOut = true;
    signal.abort();
  }, req.timeoutMs);
  const timeoutError = (phase: "connect" | "headers" | "body") =>
    new WachtTimeoutError({
      method: req.method,
      path: req.path,
      phase: req.timeoutIsTotal ? "total" : phase,
      timeoutMs: req.timeoutMs,
      requestMaybeSent: phase !== "connect",
    });

  try {
    let res: Dispatcher.ResponseData;
    try {
      res = await ctx.dispatcher.request({
        origin: ctx.origin,
        path: `${ctx.basePath}${req.path}${req.query ?? ""}`,
        method: req.method,
        signal,
        headersTimeout: req.timeoutMs + 1000,
        bodyTimeout: req.timeoutMs + 1000,
        headers: {
          authorization: `Bearer ${ctx.apiKey}`,
          accept: "application/json",
          "user-agent": ctx.userAgent,
          ...req.headers,
        },
        body: req.body ?? null,
      });
      headersReceived = true;
    } catch (err) {
      throw mapFailure(err);
    }

    let body: Buffer | null;
    try {
      body = await readBody(res, MAX_RESPONSE_BYTES);
    } catch (err) {
      throw mapFailure(err);
    }
    const contentType = headerValue(res.headers, "content-type") ?? "";
    if (body === null) {
      throw new WachtResponseValidationError({
        method: req.method,
        path: req.path,
        status: res.statusCode,
        detail: `response body larger than ${MAX_RESPONSE_BYTES} bytes`,
      });
    }
    if (res.statusCode >= 200 && res.statusCode < 300) {
      return { status: res.statusCode, contentType, body };
    }
    throw apiError(res.statusCode, res.headers, contentType, body);
  } finally {
    clearTimeout(timer);
  }

  function mapFailure(err: unknown): Error {
    const code = errorCode(err);
    if (timedOut) return timeoutError(headersReceived ? "body" : "headers");
    if (code === "UND_ERR_CONNECT_TIMEOUT") return timeoutError("connect");
    if (code === "UND_ERR_HEADERS_TIMEOUT") return timeoutError("headers");
    if (code === "UND_ERR_BODY_TIMEOUT") return timeoutError("body");
    const cause = sanitizedCause(err, secrets());
    const detail = `connection failed (${code ?? cause.name}: ${cause.message})`;
    return new WachtConnectionError(
      {
        method: req.method,
        path: req.path,
        code,
        requestMaybeSent: code === undefined || !NOT_SENT_CODES.has(code),
        detail,
      },
      { cause },
    );
  }

  function apiError(
    status: number,
    headers: Record<string, string | string[] | undefined>,
    contentType: string,
    body: Buffer,
  ): WachtApiError {
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
        header !== undefined
          ? "retry-after-header"
          : hint !== undefined
            ? "message-hint"
            : undefined,
      requestId: requestIdOf(headerValue(headers, "x-request-id"), secrets()),
      hint: status === 401 ? authenticationHint(`${ctx.origin}${ctx.basePath}`) : undefined,
    });
  }
}
