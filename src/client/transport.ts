// ONE HTTP attempt with undici's `request()`: the client's headers, a per-attempt timeout (an
// abort signal), a bounded body read, a 2xx body parsed by the call's zod schema; a non-2xx answer →
// WachtApiError.fromResponse, an undici/OS failure → WachtConnectionError / WachtTimeoutError.
// No retries here (runner.ts). Every server-provided text that reaches an error (body, headers,
// content type) is redacted of the key and other secrets (redact.ts); Retry-After is parsed here,
// once, onto the error.

import { EventEmitter } from "node:events";
import type { z } from "zod";
import type { Dispatcher } from "undici";
import { ApiErrorBodySchema } from "../schema/wire";
import {
  WachtApiError,
  WachtConnectionError,
  WachtError,
  WachtResponseValidationError,
  WachtTimeoutError,
  type WachtIssue,
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

/** One API request, sent as it is by every attempt of a call, and its answer's schema. */
export interface ApiRequest<T> {
  method: HttpMethod;
  /** API path, already encoded (e.g. `/users/123/details`); used in messages. */
  path: string;
  /** Encoded query string including `?`, or "". Never put into messages. */
  query?: string;
  body?: Buffer | string;
  /** The call's own headers (e.g. its content type), added to the client's. */
  headers?: Record<string, string>;
  /** Extra strings to scrub from anything that reaches an error (e.g. a password). */
  secrets?: readonly string[];
  /** Response schema; undefined = ignore the body (unit responses `{}`). */
  schema: z.ZodType<T> | undefined;
}

/** One attempt's timeout; `isTotal` when it is the rest of the call's budget (phase `total`). */
export interface AttemptTimeout {
  ms: number;
  isTotal: boolean;
}

type Headers = Dispatcher.ResponseData["headers"];

const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** The strings to redact from a failure: the key and the call's own secrets. */
export function secretsOf(ctx: TransportContext, req: ApiRequest<unknown>): readonly string[] {
  return [ctx.apiKey, ...(req.secrets ?? [])];
}

/** undici's own timeouts (a dispatcher passed in may set them), by the phase they cut. */
const UNDICI_TIMEOUTS = new Map<string, "connect" | "headers" | "body">([
  ["UND_ERR_CONNECT_TIMEOUT", "connect"],
  ["UND_ERR_HEADERS_TIMEOUT", "headers"],
  ["UND_ERR_BODY_TIMEOUT", "body"],
]);

function headerValue(headers: Headers, name: string): string | undefined {
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
function describeContentType(contentType: string, secrets: readonly string[]): string {
  const type = redact(contentType, secrets).split(";")[0]?.trim() || "no content type";
  return type.replace(/[^\w.+/[\]-]/g, "").slice(0, 60);
}

/** A server's request id, redacted; kept only when it looks like an id (no spaces, no markup). */
function requestIdOf(raw: string | undefined, secrets: readonly string[]): string | undefined {
  if (raw === undefined) return undefined;
  const clean = redact(raw, secrets);
  return /^[\w.:[\]-]{1,100}$/.test(clean) ? clean : undefined;
}

/** Every name the base URL can be set under: the environment, the Pulumi stack config, the option. */
const BASE_URL_NAMES = `${ENV_BASE_URL}, the stack config ${CONFIG_BASE_URL}, or the baseUrl option`;

/** What a 401 depends on, by every name it can be set under (the provider passes them through). */
export function authenticationHint(baseUrl: string): string {
  return (
    `Check the API key (${ENV_API_KEY}, the stack config ${CONFIG_API_KEY}, or the apiKey option) ` +
    `and that it belongs to the deployment at ${baseUrl} (${BASE_URL_NAMES})`
  );
}

/** What a refused connection depends on: is anything listening at the base URL? */
export function connectionRefusedHint(baseUrl: string): string {
  return `Is the Wacht server (or the emulator) running at ${baseUrl}? Check the base URL (${BASE_URL_NAMES})`;
}

/** The response body, or null when it is over MAX_RESPONSE_BYTES (then it is not read on). */
async function readBody(res: Dispatcher.ResponseData): Promise<Buffer | null> {
  // undici refuses a body that does not match its content-length, so the declared size is the size.
  if (Number(headerValue(res.headers, "content-length")) > MAX_RESPONSE_BYTES) {
    res.body.destroy();
    return null;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    size += (chunk as Buffer).length;
    if (size > MAX_RESPONSE_BYTES) {
      res.body.destroy();
      return null;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, size);
}

/** The answer to one attempt: the 2xx body parsed by the call's schema, or the error it makes. */
function answer<T>(
  ctx: TransportContext,
  req: ApiRequest<T>,
  res: Dispatcher.ResponseData,
  body: Buffer | null,
): T {
  const status = res.statusCode;
  const invalid = (detail: string, issues?: WachtIssue[]) =>
    new WachtResponseValidationError({
      method: req.method,
      path: req.path,
      status,
      detail,
      issues,
    });
  if (body === null) throw invalid(`response body larger than ${MAX_RESPONSE_BYTES} bytes`);
  const contentType = headerValue(res.headers, "content-type") ?? "";
  if (status < 200 || status >= 300) throw apiError(ctx, req, res, contentType, body);
  if (req.schema === undefined) return undefined as T;
  let data: unknown;
  try {
    data = JSON.parse(body.toString("utf8"));
  } catch {
    const type = describeContentType(contentType, secretsOf(ctx, req));
    throw invalid(`response is not JSON (${type}, ${body.length} bytes)`);
  }
  const result = req.schema.safeParse(data);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({
    path: i.path.map(String).join(".") || "(root)",
    message: i.message,
  }));
  const first = issues[0];
  throw invalid(
    `response does not match the expected shape: ${issues.length} issue(s), first at ${first?.path}: ${first?.message}`,
    issues,
  );
}

/** Sends one attempt. Resolves with the parsed 2xx body; rejects with a WachtError. */
export async function sendAttempt<T>(
  ctx: TransportContext,
  req: ApiRequest<T>,
  timeout: AttemptTimeout,
): Promise<T> {
  // undici takes an EventEmitter that emits 'abort' as the signal (the second form its docs show);
  // an AbortController is an EventTarget and cost ~15 times as much per attempt (ADR 0009).
  const signal = new EventEmitter();
  let timedOutIn: "headers" | "body" | undefined;
  let phase: "headers" | "body" = "headers";
  const timer = setTimeout(() => {
    timedOutIn = phase;
    signal.emit("abort");
  }, timeout.ms);
  try {
    const res = await ctx.dispatcher.request({
      origin: ctx.origin,
      path: `${ctx.basePath}${req.path}${req.query ?? ""}`,
      method: req.method,
      headers: {
        authorization: `Bearer ${ctx.apiKey}`,
        accept: "application/json",
        "user-agent": ctx.userAgent,
        ...req.headers,
      },
      body: req.body ?? null,
      signal,
    });
    phase = "body";
    return answer(ctx, req, res, await readBody(res));
  } catch (err) {
    if (err instanceof WachtError) throw err;
    throw failure(ctx, req, timeout, err, timedOutIn);
  } finally {
    clearTimeout(timer);
  }
}

/** An undici/OS failure (or our own timer's abort) as a WachtConnectionError or WachtTimeoutError. */
function failure(
  ctx: TransportContext,
  req: ApiRequest<unknown>,
  timeout: AttemptTimeout,
  err: unknown,
  timedOutIn: "headers" | "body" | undefined,
): WachtConnectionError {
  const code = errorCode(err);
  const phase = timedOutIn ?? UNDICI_TIMEOUTS.get(code ?? "");
  if (phase !== undefined) {
    return new WachtTimeoutError({
      method: req.method,
      path: req.path,
      phase: timeout.isTotal ? "total" : phase,
      timeoutMs: timeout.ms,
      requestMaybeSent: phase !== "connect",
    });
  }
  const cause = sanitizedCause(err, secretsOf(ctx, req));
  return new WachtConnectionError(
    {
      method: req.method,
      path: req.path,
      code,
      requestMaybeSent: code === undefined || !NOT_SENT_CODES.has(code),
      detail: `connection failed (${code ?? cause.name}: ${cause.message})`,
      hint:
        code === "ECONNREFUSED" ? connectionRefusedHint(`${ctx.origin}${ctx.basePath}`) : undefined,
    },
    { cause },
  );
}

/** A non-2xx answer as a WachtApiError: every server-provided text redacted, Retry-After parsed. */
function apiError(
  ctx: TransportContext,
  req: ApiRequest<unknown>,
  { statusCode: status, headers }: Dispatcher.ResponseData,
  contentType: string,
  body: Buffer,
): WachtApiError {
  const secrets = secretsOf(ctx, req);
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
          first === undefined ? undefined : redact(first.message, secrets).slice(0, 1000);
        code = typeof first?.code === "string" ? redact(first.code, secrets) : first?.code;
      } else {
        fallbackDescription = "<JSON response without an errors[0].message>";
      }
    } catch {
      fallbackDescription =
        body.length === 0
          ? "<empty response>"
          : `<non-JSON response: ${describeContentType(contentType, secrets)}, ${body.length} bytes>`;
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
    requestId: requestIdOf(headerValue(headers, "x-request-id"), secrets),
    hint: status === 401 ? authenticationHint(`${ctx.origin}${ctx.basePath}`) : undefined,
  });
}
