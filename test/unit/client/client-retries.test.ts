// Retry behaviour through MockAgent with a fake clock/sleep: counts per status, no retry of POST once it
// may have been sent, Retry-After (seconds, HTTP date), the message-only 429, backoff, the total budget,
// per-attempt timeouts.

import {
  WachtConnectionError,
  WachtRateLimitError,
  WachtServerError,
  WachtTimeoutError,
} from "../../../src/client";
import { userDetails, userSummary } from "./fixtures";
import { makeClient, rejection, type TestClient } from "./helpers";

const JSON_HEADERS = { headers: { "content-type": "application/json" } };
const ID = "1";
const DETAILS = `/users/${ID}/details`;
const err = (status: number, message: string) => ({ errors: [{ message, code: status }] });
const refused = () =>
  Object.assign(new Error("connect ECONNREFUSED 10.0.0.1:443"), { code: "ECONNREFUSED" });
const reset = () => Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" });

let t: TestClient;
afterEach(async () => {
  t.agent.assertNoPendingInterceptors();
  await t.agent.close();
});

describe("GET, PATCH and DELETE are retried up to maxRetries on 429 and 5xx, never on 4xx", () => {
  it.each([429, 500, 502, 503, 504])("retries GET on %i and succeeds", async (status) => {
    t = makeClient();
    t.pool
      .intercept({ path: DETAILS, method: "GET" })
      .reply(status, err(status, "x"), JSON_HEADERS)
      .times(2);
    t.pool
      .intercept({ path: DETAILS, method: "GET" })
      .reply(200, userDetails({ id: "1" }), JSON_HEADERS);
    await t.client.users.get(ID);
    expect(t.retries.map((r) => [r.attempt, r.status])).toEqual([
      [1, status],
      [2, status],
    ]);
  });

  it("makes maxRetries + 1 attempts (default 5) then throws the last error with a note", async () => {
    t = makeClient();
    t.pool
      .intercept({ path: DETAILS, method: "GET" })
      .reply(503, err(503, "Something went wrong"), JSON_HEADERS)
      .times(5);
    const e = (await rejection(t.client.users.get(ID))) as WachtServerError;
    expect(e).toBeInstanceOf(WachtServerError);
    expect(e.attempts).toBe(5);
    expect(e.message).toBe(
      "503 GET /users/1/details: Something went wrong (gave up after 5 attempts)",
    );
    expect(t.waits).toEqual([375, 750, 1500, 3000]); // equal jitter with random=0.5: 0.75 · 500·2^(n−1)
  });

  it("notes the attempts on an error that ends the retries early", async () => {
    t = makeClient();
    t.pool
      .intercept({ path: DETAILS, method: "GET" })
      .reply(503, err(503, "Something went wrong"), JSON_HEADERS);
    t.pool
      .intercept({ path: DETAILS, method: "GET" })
      .reply(404, err(404, "Resource not found"), JSON_HEADERS);
    const e = await rejection(t.client.users.get(ID));
    expect(e.message).toBe("404 GET /users/1/details: Resource not found (after 2 attempts)");
  });

  it("honours maxRetries: 0", async () => {
    t = makeClient({ maxRetries: 0 });
    t.pool
      .intercept({ path: DETAILS, method: "GET" })
      .reply(500, err(500, "Something went wrong"), JSON_HEADERS);
    const e = await rejection(t.client.users.get(ID));
    expect(e.message).toBe("500 GET /users/1/details: Something went wrong");
    expect(t.retries).toEqual([]);
  });

  it.each([400, 401, 403, 404, 405, 409, 422])("never retries %i", async (status) => {
    t = makeClient();
    t.pool
      .intercept({ path: DETAILS, method: "GET" })
      .reply(status, err(status, "nope"), JSON_HEADERS);
    await rejection(t.client.users.get(ID));
    expect(t.retries).toEqual([]);
  });

  it("retries DELETE, PATCH and the password PATCH (absolute values)", async () => {
    t = makeClient();
    t.pool
      .intercept({ path: "/users/1", method: "DELETE" })
      .reply(502, "Bad gateway", { headers: { "content-type": "text/html" } });
    t.pool.intercept({ path: "/users/1", method: "DELETE" }).reply(200, {}, JSON_HEADERS);
    t.pool.intercept({ path: "/users/1", method: "PATCH" }).replyWithError(reset());
    t.pool
      .intercept({ path: "/users/1", method: "PATCH" })
      .reply(200, userDetails({ id: "1" }), JSON_HEADERS);
    t.pool
      .intercept({ path: "/users/1/password", method: "PATCH" })
      .reply(504, err(504, "Operation timed out"), JSON_HEADERS);
    t.pool.intercept({ path: "/users/1/password", method: "PATCH" }).reply(200, {}, JSON_HEADERS);
    await t.client.users.delete(ID);
    await t.client.users.update(ID, { disabled: true });
    await t.client.users.setPassword(ID, "Passw0rd!x");
    expect(t.retries.map((r) => `${r.method} ${r.path} ${r.reason}`)).toEqual([
      "DELETE /users/1 server-error",
      "PATCH /users/1 connection",
      "PATCH /users/1/password server-error",
    ]);
  });

  it("re-sends identical multipart bytes on retry", async () => {
    t = makeClient();
    const bodies: Buffer[] = [];
    const capture = (opts: { body?: unknown }) => {
      bodies.push(Buffer.from(opts.body as Buffer));
      return bodies.length === 1 ? err(503, "x") : userDetails({ id: "1" });
    };
    t.pool.intercept({ path: "/users/1", method: "PATCH" }).reply(503, capture, JSON_HEADERS);
    t.pool.intercept({ path: "/users/1", method: "PATCH" }).reply(200, capture, JSON_HEADERS);
    await t.client.users.update(ID, { firstName: "A", publicMetadata: { z: 1, a: 1 } });
    expect(bodies).toHaveLength(2);
    expect(bodies[0]!.equals(bodies[1]!)).toBe(true);
  });
});

describe("POST /users is retried only when nothing can have been created", () => {
  it.each([500, 502, 503, 504])("is not retried on %i", async (status) => {
    t = makeClient();
    t.pool
      .intercept({ path: "/users", method: "POST" })
      .reply(status, err(status, "Something went wrong"), JSON_HEADERS);
    const e = (await rejection(t.client.users.create({ firstName: "A" }))) as WachtServerError;
    expect(e.status).toBe(status);
    expect(e.attempts).toBe(1);
    expect(t.retries).toEqual([]);
  });

  it("is not retried after a connection reset (the server may have created the user)", async () => {
    t = makeClient();
    t.pool.intercept({ path: "/users", method: "POST" }).replyWithError(reset());
    const e = (await rejection(t.client.users.create({ firstName: "A" }))) as WachtConnectionError;
    expect(e).toBeInstanceOf(WachtConnectionError);
    expect(e.requestMaybeSent).toBe(true);
    expect(t.retries).toEqual([]);
  });

  it("is not retried after a response timeout", async () => {
    t = makeClient({ timeoutMs: 30 });
    t.pool
      .intercept({ path: "/users", method: "POST" })
      .reply(200, userSummary(), JSON_HEADERS)
      .delay(300);
    const e = (await rejection(t.client.users.create({ firstName: "A" }))) as WachtTimeoutError;
    expect(e).toBeInstanceOf(WachtTimeoutError);
    expect(e.phase).toBe("headers");
    expect(t.retries).toEqual([]);
  });

  it("is retried when the connection was refused (nothing was sent)", async () => {
    t = makeClient();
    t.pool.intercept({ path: "/users", method: "POST" }).replyWithError(refused());
    t.pool.intercept({ path: "/users", method: "POST" }).reply(200, userSummary(), JSON_HEADERS);
    await t.client.users.create({ firstName: "A" });
    expect(t.retries.map((r) => r.reason)).toEqual(["connection"]);
  });

  it("is retried on 429 (the gateway rejects before the handler runs)", async () => {
    t = makeClient();
    t.pool
      .intercept({ path: "/users", method: "POST" })
      .reply(429, err(429, "Rate limit exceeded. Retry after 2 seconds"), JSON_HEADERS);
    t.pool.intercept({ path: "/users", method: "POST" }).reply(200, userSummary(), JSON_HEADERS);
    await t.client.users.create({ firstName: "A" });
    expect(t.waits).toEqual([2000]);
  });
});

describe("retry waits follow the server's hint, within the budget", () => {
  it("uses the message hint of a header-less 429 (the real server)", async () => {
    t = makeClient();
    t.pool
      .intercept({ path: DETAILS, method: "GET" })
      .reply(429, err(429, "Rate limit exceeded. Retry after 7 seconds"), JSON_HEADERS);
    t.pool
      .intercept({ path: DETAILS, method: "GET" })
      .reply(200, userDetails({ id: "1" }), JSON_HEADERS);
    await t.client.users.get(ID);
    expect(t.retries).toEqual([
      {
        attempt: 1,
        delayMs: 7000,
        reason: "rate-limit",
        source: "message-hint",
        method: "GET",
        path: DETAILS,
        status: 429,
      },
    ]);
  });

  it("prefers a Retry-After header in seconds", async () => {
    t = makeClient();
    t.pool
      .intercept({ path: DETAILS, method: "GET" })
      .reply(429, err(429, "Rate limit exceeded. Retry after 60 seconds"), {
        headers: { "content-type": "application/json", "retry-after": "3" },
      });
    t.pool
      .intercept({ path: DETAILS, method: "GET" })
      .reply(200, userDetails({ id: "1" }), JSON_HEADERS);
    await t.client.users.get(ID);
    expect(t.retries[0]).toMatchObject({ delayMs: 3000, source: "retry-after-header" });
  });

  it("accepts a Retry-After HTTP date", async () => {
    t = makeClient();
    const at = new Date(t.clock.now + 4000).toUTCString();
    t.pool.intercept({ path: DETAILS, method: "GET" }).reply(503, err(503, "busy"), {
      headers: { "content-type": "application/json", "retry-after": at },
    });
    t.pool
      .intercept({ path: DETAILS, method: "GET" })
      .reply(200, userDetails({ id: "1" }), JSON_HEADERS);
    await t.client.users.get(ID);
    expect(t.waits).toEqual([4000]);
  });

  it("exposes the hint as retryAfterMs on a final 429", async () => {
    t = makeClient({ maxRetries: 0 });
    t.pool
      .intercept({ path: DETAILS, method: "GET" })
      .reply(429, err(429, "Rate limit exceeded. Retry after 60 seconds"), JSON_HEADERS);
    const e = (await rejection(t.client.users.get(ID))) as WachtRateLimitError;
    expect(e).toBeInstanceOf(WachtRateLimitError);
    expect(e.retryAfterMs).toBe(60_000);
  });

  it("parses Retry-After once and carries it on the error, for any status", async () => {
    t = makeClient({ maxRetries: 0 });
    t.pool.intercept({ path: DETAILS, method: "GET" }).reply(503, err(503, "busy"), {
      headers: { "content-type": "application/json", "retry-after": "2" },
    });
    const e = (await rejection(t.client.users.get(ID))) as WachtServerError;
    expect(e).toMatchObject({ retryAfterMs: 2000, retryAfterSource: "retry-after-header" });
  });

  it("caps a long server hint at maxRetryWaitMs", async () => {
    t = makeClient({ maxRetryWaitMs: 10_000 });
    t.pool
      .intercept({ path: DETAILS, method: "GET" })
      .reply(429, err(429, "Rate limit exceeded. Retry after 60 seconds"), JSON_HEADERS);
    t.pool
      .intercept({ path: DETAILS, method: "GET" })
      .reply(200, userDetails({ id: "1" }), JSON_HEADERS);
    await t.client.users.get(ID);
    expect(t.waits).toEqual([10_000]);
  });

  it("gives up when the next wait would exceed the total budget", async () => {
    t = makeClient({ totalTimeoutMs: 30_000 });
    t.pool
      .intercept({ path: DETAILS, method: "GET" })
      .reply(429, err(429, "Rate limit exceeded. Retry after 20 seconds"), JSON_HEADERS)
      .times(2);
    const e = await rejection(t.client.users.get(ID));
    expect(t.waits).toEqual([20_000]);
    expect(e.message).toBe(
      "429 GET /users/1/details: Rate limit exceeded. Retry after 20 seconds (gave up after 2 attempts: the next wait of 20000 ms exceeds the remaining total budget of 10000 ms)",
    );
  });
});

describe("a slow response times out and is retried within the total budget", () => {
  it("retries a GET whose response is too slow, then succeeds", async () => {
    t = makeClient({ timeoutMs: 30 });
    t.pool
      .intercept({ path: DETAILS, method: "GET" })
      .reply(200, userDetails({ id: "1" }), JSON_HEADERS)
      .delay(300);
    t.pool
      .intercept({ path: DETAILS, method: "GET" })
      .reply(200, userDetails({ id: "1" }), JSON_HEADERS);
    await t.client.users.get(ID);
    expect(t.retries.map((r) => r.reason)).toEqual(["timeout"]);
  });

  it("reports a WachtTimeoutError with phase and timeout after the last attempt", async () => {
    t = makeClient({ timeoutMs: 20, maxRetries: 1 });
    t.pool
      .intercept({ path: DETAILS, method: "GET" })
      .reply(200, userDetails({ id: "1" }), JSON_HEADERS)
      .delay(300)
      .times(2);
    const e = (await rejection(t.client.users.get(ID))) as WachtTimeoutError;
    expect(e).toBeInstanceOf(WachtTimeoutError);
    expect(e).toBeInstanceOf(WachtConnectionError);
    expect(e).toMatchObject({ phase: "headers", timeoutMs: 20, attempts: 2, kind: "timeout" });
    expect(e.message).toBe(
      "GET /users/1/details: timed out after 20 ms (headers) (gave up after 2 attempts)",
    );
  });

  it("shrinks the last attempt to the remaining total budget (phase total, not retried)", async () => {
    t = makeClient({ timeoutMs: 1000, totalTimeoutMs: 40 });
    t.pool
      .intercept({ path: DETAILS, method: "GET" })
      .reply(200, userDetails({ id: "1" }), JSON_HEADERS)
      .delay(300);
    const e = (await rejection(t.client.users.get(ID))) as WachtTimeoutError;
    expect(e.phase).toBe("total");
    expect(t.retries).toEqual([]);
  });
});
