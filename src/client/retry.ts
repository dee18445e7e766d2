// PURE retry policy: what is retried (shouldRetry) and how long to wait (retryDelayMs, parseRetryAfter).
// No clock, timers or randomness of its own: callers pass nowMs and random, so the maths is unit-testable.
// Rationale and measured behaviour: docs/decisions/0006-client-retries.md.

import { WachtApiError, WachtConnectionError, WachtTimeoutError } from "./errors";

/** Why an attempt is retried. */
export type RetryReason = "connection" | "timeout" | "rate-limit" | "server-error";

/** Where a wait came from. */
export type RetryDelaySource = "retry-after-header" | "message-hint" | "backoff";

/** First backoff step. */
export const DEFAULT_BASE_DELAY_MS = 500;
/** Largest exponential backoff step (before jitter). */
export const DEFAULT_MAX_BACKOFF_MS = 8_000;

/** Server errors worth another attempt (500 included: the real server's 500s are mostly transient DB/S3 errors). */
export const RETRYABLE_SERVER_STATUSES: readonly number[] = [500, 502, 503, 504];

/**
 * Classifies a failed attempt. `idempotent` is true for GET, DELETE and the absolute-value PATCHes.
 * Non-idempotent calls (POST /users) are retried only when the server provably did not act:
 * a 429 (the gateway middleware rejects before any handler runs, wacht-api.md §3 "Order of processing")
 * or a connection failure before the request left this process (refused, DNS, connect timeout).
 */
export function shouldRetry(error: unknown, opts: { idempotent: boolean }): RetryReason | null {
  if (error instanceof WachtTimeoutError) {
    if (error.phase === "total") return null;
    return opts.idempotent || !error.requestMaybeSent ? "timeout" : null;
  }
  if (error instanceof WachtConnectionError) {
    return opts.idempotent || !error.requestMaybeSent ? "connection" : null;
  }
  if (error instanceof WachtApiError) {
    if (error.status === 429) return "rate-limit";
    if (RETRYABLE_SERVER_STATUSES.includes(error.status))
      return opts.idempotent ? "server-error" : null;
  }
  return null;
}

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

/** Parses the real server's only hint, `Rate limit exceeded. Retry after {n} seconds` (wacht-api.md §8). */
export function parseRetryAfterMessage(message: string | undefined): number | undefined {
  const m = message === undefined ? null : /retry after (\d+) seconds?/i.exec(message);
  return m?.[1] === undefined ? undefined : Number(m[1]) * 1000;
}

/** Inputs of {@link retryDelayMs}. */
export interface RetryDelayInput {
  /** Number of attempts that have failed so far (1 before the first retry). */
  attempt: number;
  /** Raw `Retry-After` header of the failed response, if any. */
  retryAfterHeader?: string | undefined;
  /** The server's error message (checked for "Retry after N seconds"). */
  message?: string | undefined;
  /** Uniform [0, 1) source, injected. */
  random: () => number;
  /** Current time, for HTTP-date Retry-After. */
  nowMs: number;
  baseDelayMs?: number;
  maxBackoffMs?: number;
  /** Cap on any single wait, including server hints. */
  maxRetryWaitMs?: number;
}

/** The chosen wait and where it came from. */
export interface RetryDelay {
  delayMs: number;
  source: RetryDelaySource;
}

/**
 * Wait before the next attempt: the `Retry-After` header if present, else the message hint, else
 * equal-jitter exponential backoff (half fixed, half random: base·2^(attempt−1) capped at maxBackoffMs).
 * Server hints are honoured exactly (no jitter: pacing already spreads callers). Every wait is capped.
 */
export function retryDelay(input: RetryDelayInput): RetryDelay {
  const cap = input.maxRetryWaitMs ?? 60_000;
  const header = parseRetryAfter(input.retryAfterHeader, input.nowMs);
  if (header !== undefined) return { delayMs: Math.min(header, cap), source: "retry-after-header" };
  const hint = parseRetryAfterMessage(input.message);
  if (hint !== undefined) return { delayMs: Math.min(hint, cap), source: "message-hint" };
  const base = input.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
  const maxBackoff = input.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS;
  const exp = Math.min(maxBackoff, base * 2 ** Math.max(0, input.attempt - 1));
  const r = Math.min(Math.max(input.random(), 0), 1);
  return { delayMs: Math.min(Math.round(exp / 2 + (r * exp) / 2), cap), source: "backoff" };
}

/** {@link retryDelay} returning only the milliseconds. */
export function retryDelayMs(input: RetryDelayInput): number {
  return retryDelay(input).delayMs;
}
