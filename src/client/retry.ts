// PURE retry policy, every rule in one place: what is retried (shouldRetry), how long to wait
// (retryDelay; parseRetryAfter for the transport), and what a failed POST /users means for sending it again
// (classifyCreateFailure, CREATE_RETRY: used by the provider's no-duplicate create).
// Decisions read the error's `kind` (isWachtError brand), never instanceof, so an error from another
// copy of this package is classified the same. No clock, timers or randomness of its own: callers pass
// them, so the maths is unit-testable. Rationale: docs/decisions/0006-client-retries.md.

import {
  isWachtError,
  type RetryHintSource,
  type WachtApiError,
  type WachtError,
  type WachtTimeoutError,
} from "./errors";

/** Why an attempt is retried. */
export type RetryReason = "connection" | "timeout" | "rate-limit" | "server-error";

/** Where a wait came from. */
export type RetryDelaySource = RetryHintSource | "backoff";

const BASE_DELAY_MS = 500;
/** Largest exponential backoff step (before jitter). */
const MAX_BACKOFF_MS = 8_000;

/** Server errors worth another attempt (500 included: the real server's 500s are mostly transient DB/S3 errors). */
const RETRYABLE_SERVER_STATUSES: readonly number[] = [500, 502, 503, 504];

/**
 * Classifies a failed attempt. `idempotent` is true for GET, DELETE and the absolute-value PATCHes.
 * Non-idempotent calls (POST /users) are retried only when the server provably did not act:
 * a 429 (the gateway middleware rejects before any handler runs, docs/wacht-api.md §3 "Order of processing")
 * or a connection failure before the request left this process (refused, DNS, connect timeout).
 */
export function shouldRetry(error: unknown, opts: { idempotent: boolean }): RetryReason | null {
  const e = facts(error);
  if (e === undefined) return null;
  if (e.kind === "timeout" || e.kind === "connection") {
    // A call out of its total budget is over; only a timeout has a phase.
    if (e.phase === "total") return null;
    return opts.idempotent || !e.requestMaybeSent ? e.kind : null;
  }
  if (e.kind === "api" && e.status !== undefined) {
    if (e.status === 429) return "rate-limit";
    if (RETRYABLE_SERVER_STATUSES.includes(e.status))
      return opts.idempotent ? "server-error" : null;
  }
  return null;
}

/** The fields retry decisions read, by kind (works for an error from any copy of the package). */
type ErrorFacts = WachtError & Partial<WachtApiError & WachtTimeoutError>;
const facts = (error: unknown): ErrorFacts | undefined => (isWachtError(error) ? error : undefined);

/**
 * What a failed POST /users (not idempotent, no idempotency key) means for sending it again:
 * - `not-created`: the server provably did not create the user (nothing left this machine, or a
 *   definite 4xx answer): no lookup, the error stands;
 * - `answered`: Wacht itself answered with a 5xx, so its work is over; the user may or may not exist
 *   (look it up; when absent, the POST may be sent again);
 * - `unanswered`: no answer, or an answer from a gateway (502/504, a 5xx without Wacht's envelope),
 *   or an unreadable one: the POST may still be running; look it up for a while, never re-send.
 */
export type CreateFailure = "not-created" | "answered" | "unanswered";

/** Classifies a failed POST /users (see {@link CreateFailure}). */
export function classifyCreateFailure(error: unknown): CreateFailure {
  const e = facts(error);
  if (e === undefined) return "not-created";
  if (e.kind === "connection" || e.kind === "timeout") {
    // The client knows when nothing left this machine (refused connection, DNS, connect timeout).
    return e.requestMaybeSent === false ? "not-created" : "unanswered";
  }
  if (e.kind === "response-validation") return "unanswered";
  if (e.kind !== "api" || e.status === undefined || e.status < 500) return "not-created";
  // A 502/504, or a 5xx without Wacht's JSON envelope, came from a gateway or proxy: the backend
  // may still be running the POST. Only Wacht's own 5xx answer means its work is over.
  return e.status === 502 || e.status === 504 || e.serverMessage === undefined
    ? "unanswered"
    : "answered";
}

/** The no-duplicate create's own retry numbers (the POST is re-sent only after an `answered` failure). */
export const CREATE_RETRY = {
  /** POST attempts in all. */
  maxAttempts: 3,
  /** Wait before the second POST; doubles each time. */
  backoffMs: 500,
  /** After an `unanswered` failure, how long the lookup is repeated before giving up. */
  settleMs: 10_000,
  /** Interval of those repeated lookups. */
  pollMs: 250,
} as const;

/**
 * Parses a `Retry-After` header: delta-seconds (`"3"`) or an HTTP date. Returns milliseconds
 * (never negative), or undefined when absent or unparseable.
 */
export function parseRetryAfter(header: string | undefined, nowMs: number): number | undefined {
  if (header === undefined) return undefined;
  const v = header.trim();
  if (v === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  if (!/[a-z]/i.test(v)) return undefined; // e.g. "-1": not a date either
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** Parses the real server's only hint, `Rate limit exceeded. Retry after {n} seconds` (docs/wacht-api.md §8). */
export function parseRetryAfterMessage(message: string | undefined): number | undefined {
  const m = message === undefined ? null : /retry after (\d+) seconds?/i.exec(message);
  return m?.[1] === undefined ? undefined : Number(m[1]) * 1000;
}

/** The chosen wait and where it came from. */
export interface RetryDelay {
  delayMs: number;
  source: RetryDelaySource;
}

/**
 * Wait before the next attempt: the server's hint carried on the error (its `Retry-After` header,
 * else its 429 message, parsed once when the response arrived), else equal-jitter exponential
 * backoff (half fixed, half random: 500 ms·2^(attempt−1), steps capped at 8 s). Server hints are
 * honoured exactly (no jitter: pacing already spreads callers). Every wait is capped at `maxRetryWaitMs`.
 */
export function retryDelay(input: {
  /** Number of attempts that have failed so far (1 before the first retry). */
  attempt: number;
  /** The failed attempt's error. */
  error: unknown;
  /** Uniform [0, 1) source, injected. */
  random: () => number;
  maxRetryWaitMs: number;
}): RetryDelay {
  const cap = input.maxRetryWaitMs;
  const e = facts(input.error);
  if (e?.kind === "api" && e.retryAfterMs !== undefined && Number.isFinite(e.retryAfterMs)) {
    const ms = Math.max(0, e.retryAfterMs);
    return { delayMs: Math.min(ms, cap), source: e.retryAfterSource ?? "retry-after-header" };
  }
  const exp = Math.min(MAX_BACKOFF_MS, BASE_DELAY_MS * 2 ** Math.max(0, input.attempt - 1));
  const r = Math.min(Math.max(input.random(), 0), 1);
  return { delayMs: Math.min(Math.round(exp / 2 + (r * exp) / 2), cap), source: "backoff" };
}
