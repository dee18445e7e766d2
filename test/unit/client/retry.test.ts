// Pure retry policy: what is retried, Retry-After (seconds and HTTP date), the 429 message hint,
// equal-jitter exponential backoff and its caps.

import {
  WachtApiError,
  WachtConnectionError,
  WachtTimeoutError,
  WachtValidationError,
} from "../../../src/client/errors";
import {
  parseRetryAfter,
  parseRetryAfterMessage,
  retryDelay,
  retryDelayMs,
  shouldRetry,
} from "../../../src/client/retry";

const NOW = Date.parse("2026-07-01T00:00:00Z");
const api = (status: number) =>
  WachtApiError.fromResponse({ status, method: "GET", path: "/users" });
const conn = (sent: boolean) =>
  new WachtConnectionError({ method: "GET", path: "/users", requestMaybeSent: sent, detail: "x" });
const timeout = (phase: "connect" | "headers" | "body" | "total") =>
  new WachtTimeoutError({
    method: "GET",
    path: "/users",
    phase,
    timeoutMs: 5,
    requestMaybeSent: phase !== "connect",
  });

describe("shouldRetry", () => {
  it.each([429, 500, 502, 503, 504])("retries %i on idempotent calls", (status) => {
    expect(shouldRetry(api(status), { idempotent: true })).toBe(
      status === 429 ? "rate-limit" : "server-error",
    );
  });

  it.each([400, 401, 403, 404, 405, 409, 415, 422, 501, 505, 302])("never retries %i", (status) => {
    expect(shouldRetry(api(status), { idempotent: true })).toBeNull();
  });

  it("retries connection errors and timeouts on idempotent calls", () => {
    expect(shouldRetry(conn(true), { idempotent: true })).toBe("connection");
    expect(shouldRetry(timeout("headers"), { idempotent: true })).toBe("timeout");
    expect(shouldRetry(timeout("body"), { idempotent: true })).toBe("timeout");
  });

  it("does not retry a non-idempotent call once the request may have been sent", () => {
    expect(shouldRetry(api(500), { idempotent: false })).toBeNull();
    expect(shouldRetry(api(503), { idempotent: false })).toBeNull();
    expect(shouldRetry(conn(true), { idempotent: false })).toBeNull();
    expect(shouldRetry(timeout("headers"), { idempotent: false })).toBeNull();
  });

  it("retries a non-idempotent call only when the server provably did not act", () => {
    expect(shouldRetry(api(429), { idempotent: false })).toBe("rate-limit");
    expect(shouldRetry(conn(false), { idempotent: false })).toBe("connection");
    expect(shouldRetry(timeout("connect"), { idempotent: false })).toBe("timeout");
  });

  it("never retries a total-budget timeout or a non-HTTP error", () => {
    expect(shouldRetry(timeout("total"), { idempotent: true })).toBeNull();
    expect(shouldRetry(new WachtValidationError("id", "bad"), { idempotent: true })).toBeNull();
    expect(shouldRetry(new Error("boom"), { idempotent: true })).toBeNull();
  });
});

describe("parseRetryAfter", () => {
  it("reads delta-seconds", () => {
    expect(parseRetryAfter("3", NOW)).toBe(3000);
    expect(parseRetryAfter(" 0 ", NOW)).toBe(0);
    expect(parseRetryAfter("1.5", NOW)).toBe(1500);
  });

  it("reads an HTTP date relative to now, never negative", () => {
    expect(parseRetryAfter(new Date(NOW + 7000).toUTCString(), NOW)).toBe(7000);
    expect(parseRetryAfter("Wed, 01 Jul 2026 00:00:12 GMT", NOW)).toBe(12_000);
    expect(parseRetryAfter(new Date(NOW - 5000).toUTCString(), NOW)).toBe(0);
  });

  it("ignores absent or garbage values", () => {
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
    expect(parseRetryAfter("", NOW)).toBeUndefined();
    expect(parseRetryAfter("-1", NOW)).toBeUndefined();
    expect(parseRetryAfter("soon", NOW)).toBeUndefined();
  });
});

describe("parseRetryAfterMessage", () => {
  it("reads the real server's hint", () => {
    expect(parseRetryAfterMessage("Rate limit exceeded. Retry after 60 seconds")).toBe(60_000);
    expect(parseRetryAfterMessage("Rate limit exceeded. Retry after 1 second")).toBe(1000);
  });

  it("returns undefined without a hint", () => {
    expect(parseRetryAfterMessage("Rate limit exceeded")).toBeUndefined();
    expect(parseRetryAfterMessage(undefined)).toBeUndefined();
  });
});

describe("retryDelay", () => {
  const base = { nowMs: NOW, random: () => 0.5 };

  it("prefers the Retry-After header over the message hint", () => {
    expect(
      retryDelay({ ...base, attempt: 1, retryAfterHeader: "2", message: "Retry after 9 seconds" }),
    ).toEqual({ delayMs: 2000, source: "retry-after-header" });
  });

  it("uses the message hint when there is no header (the real server)", () => {
    expect(
      retryDelay({ ...base, attempt: 3, message: "Rate limit exceeded. Retry after 7 seconds" }),
    ).toEqual({
      delayMs: 7000,
      source: "message-hint",
    });
  });

  it("caps server hints at maxRetryWaitMs (default 60 s)", () => {
    expect(retryDelayMs({ ...base, attempt: 1, retryAfterHeader: "3600" })).toBe(60_000);
    expect(
      retryDelayMs({
        ...base,
        attempt: 1,
        message: "Retry after 90 seconds",
        maxRetryWaitMs: 5000,
      }),
    ).toBe(5000);
  });

  it("falls back to equal-jitter exponential backoff: 500 ms · 2^(n-1), half fixed half random", () => {
    const lo = (attempt: number) => retryDelayMs({ nowMs: NOW, attempt, random: () => 0 });
    const hi = (attempt: number) => retryDelayMs({ nowMs: NOW, attempt, random: () => 1 });
    expect([1, 2, 3, 4, 5, 6].map(lo)).toEqual([250, 500, 1000, 2000, 4000, 4000]);
    expect([1, 2, 3, 4, 5, 6].map(hi)).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
    expect(retryDelay({ ...base, attempt: 2 })).toEqual({ delayMs: 750, source: "backoff" });
  });

  it("caps backoff at maxRetryWaitMs too", () => {
    expect(retryDelayMs({ nowMs: NOW, attempt: 10, random: () => 1, maxRetryWaitMs: 3000 })).toBe(
      3000,
    );
  });
});
