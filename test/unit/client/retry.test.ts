// Pure retry policy: what is retried, Retry-After (seconds and HTTP date), the 429 message hint,
// equal-jitter exponential backoff and its caps.

import {
  WachtApiError,
  WachtConnectionError,
  WachtResponseValidationError,
  WachtTimeoutError,
  WachtValidationError,
} from "../../../src/client/errors";
import {
  classifyCreateFailure,
  CREATE_RETRY,
  parseRetryAfter,
  parseRetryAfterMessage,
  retryDelay,
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
  const base = { random: () => 0.5, maxRetryWaitMs: 60_000 };
  const hinted = (ms: number, source: "retry-after-header" | "message-hint") =>
    WachtApiError.fromResponse({
      status: 429,
      method: "GET",
      path: "/users",
      retryAfterMs: ms,
      retryAfterSource: source,
    });

  it("waits the server's hint carried on the error, with its source", () => {
    expect(retryDelay({ ...base, attempt: 3, error: hinted(7000, "message-hint") })).toEqual({
      delayMs: 7000,
      source: "message-hint",
    });
    expect(retryDelay({ ...base, attempt: 1, error: hinted(2000, "retry-after-header") })).toEqual({
      delayMs: 2000,
      source: "retry-after-header",
    });
  });

  it("caps server hints at maxRetryWaitMs", () => {
    const e = hinted(3_600_000, "retry-after-header");
    expect(retryDelay({ ...base, attempt: 1, error: e }).delayMs).toBe(60_000);
    expect(retryDelay({ ...base, attempt: 1, error: e, maxRetryWaitMs: 5000 }).delayMs).toBe(5000);
  });

  it("falls back to equal-jitter exponential backoff: 500 ms · 2^(n-1), half fixed half random", () => {
    const at = (random: number) => (attempt: number) =>
      retryDelay({ ...base, attempt, error: api(503), random: () => random }).delayMs;
    expect([1, 2, 3, 4, 5, 6].map(at(0))).toEqual([250, 500, 1000, 2000, 4000, 4000]);
    expect([1, 2, 3, 4, 5, 6].map(at(1))).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
    expect(retryDelay({ ...base, attempt: 2, error: conn(true) })).toEqual({
      delayMs: 750,
      source: "backoff",
    });
  });

  it("caps backoff at maxRetryWaitMs too", () => {
    expect(
      retryDelay({ attempt: 10, error: api(503), random: () => 1, maxRetryWaitMs: 3000 }).delayMs,
    ).toBe(3000);
  });
});

describe("decisions by kind, across copies of the package", () => {
  /** The client module loaded a second time: its errors are not instances of this copy's classes. */
  function otherCopy(): typeof import("../../../src/client/errors") {
    let mod: typeof import("../../../src/client/errors") | undefined;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a second module copy is the point
      mod = require("../../../src/client/errors");
    });
    return mod!;
  }

  it("classifies another copy's errors exactly like this copy's", () => {
    const o = otherCopy();
    const foreign503 = o.WachtApiError.fromResponse({ status: 503, method: "GET", path: "/u" });
    expect(foreign503).not.toBeInstanceOf(WachtApiError);
    expect(shouldRetry(foreign503, { idempotent: true })).toBe("server-error");
    expect(
      shouldRetry(o.WachtApiError.fromResponse({ status: 429, method: "POST", path: "/u" }), {
        idempotent: false,
      }),
    ).toBe("rate-limit");
    const foreignTimeout = new o.WachtTimeoutError({
      method: "GET",
      path: "/u",
      phase: "headers",
      timeoutMs: 5,
      requestMaybeSent: true,
    });
    expect(shouldRetry(foreignTimeout, { idempotent: true })).toBe("timeout");
    expect(shouldRetry(foreignTimeout, { idempotent: false })).toBeNull();
    expect(
      shouldRetry(
        new o.WachtConnectionError({
          method: "POST",
          path: "/u",
          requestMaybeSent: false,
          detail: "x",
        }),
        { idempotent: false },
      ),
    ).toBe("connection");
  });

  it("uses the wait hint carried on the error (parsed once), from any copy", () => {
    const o = otherCopy();
    const e = o.WachtApiError.fromResponse({
      status: 503,
      method: "GET",
      path: "/u",
      retryAfterMs: 4000,
      retryAfterSource: "retry-after-header",
    });
    const base = { attempt: 1, random: () => 0.5, maxRetryWaitMs: 60_000 };
    expect(retryDelay({ ...base, error: e })).toEqual({
      delayMs: 4000,
      source: "retry-after-header",
    });
    expect(retryDelay({ ...base, error: e, maxRetryWaitMs: 1000 }).delayMs).toBe(1000);
    expect(retryDelay({ ...base, error: api(503) })).toEqual({ delayMs: 375, source: "backoff" });
  });
});

describe("classifyCreateFailure (the no-duplicate create's rule)", () => {
  const wachtApi = (status: number, serverMessage?: string) =>
    WachtApiError.fromResponse({ status, method: "POST", path: "/users", serverMessage });

  it.each([
    ["a refused connection (nothing sent)", conn(false), "not-created"],
    ["a connect timeout", timeout("connect"), "not-created"],
    ["a 400 answer", wachtApi(400, "bad"), "not-created"],
    ["a 429", wachtApi(429, "Rate limit exceeded"), "not-created"],
    ["a non-Wacht error", new Error("x"), "not-created"],
    ["Wacht's own 500", wachtApi(500, "Something went wrong"), "answered"],
    ["Wacht's own 503", wachtApi(503, "busy"), "answered"],
    ["a gateway 502", wachtApi(502, "bad gateway"), "unanswered"],
    ["a gateway 504", wachtApi(504, "timeout"), "unanswered"],
    ["a 500 without Wacht's envelope", wachtApi(500), "unanswered"],
    ["a dropped connection", conn(true), "unanswered"],
    ["a headers timeout", timeout("headers"), "unanswered"],
    [
      "an unreadable 2xx",
      new WachtResponseValidationError({
        method: "POST",
        path: "/users",
        status: 200,
        detail: "x",
      }),
      "unanswered",
    ],
  ])("%s → %s", (_what, error, expected) => {
    expect(classifyCreateFailure(error)).toBe(expected);
  });

  it("holds the create's own retry numbers", () => {
    expect(CREATE_RETRY).toEqual({ maxAttempts: 3, backoffMs: 500, settleMs: 10_000, pollMs: 250 });
  });
});
