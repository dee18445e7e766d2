// Error mapping (status → class), the message format, non-JSON / redirect bodies, isWachtError across
// module copies, and redaction: the key, the Authorization header and passwords never appear in any
// message, property, toJSON, String(), util.inspect output or cause chain.

import { inspect } from "node:util";
import {
  isWachtError,
  WachtApiError,
  WachtAuthenticationError,
  WachtBadRequestError,
  WachtConfigError,
  WachtConflictError,
  WachtConnectionError,
  WachtError,
  WachtNotFoundError,
  WachtPermissionError,
  WachtRateLimitError,
  WachtServerError,
  WachtUnprocessableError,
  WachtValidationError,
} from "../../../src/client";
import { API_KEY, userDetails } from "./fixtures";
import { makeClient, rejection, type TestClient } from "./helpers";

const JSON_HEADERS = { headers: { "content-type": "application/json" } };
const err = (status: number, message: string) => ({ errors: [{ message, code: status }] });

let t: TestClient;
beforeEach(() => {
  t = makeClient({ maxRetries: 0 });
});
afterEach(async () => {
  t.agent.assertNoPendingInterceptors();
  await t.agent.close();
});

describe("status → class", () => {
  it.each([
    [400, WachtBadRequestError],
    [401, WachtAuthenticationError],
    [403, WachtPermissionError],
    [404, WachtNotFoundError],
    [409, WachtConflictError],
    [422, WachtUnprocessableError],
    [429, WachtRateLimitError],
    [500, WachtServerError],
    [503, WachtServerError],
    [599, WachtServerError],
    [405, WachtApiError],
    [415, WachtApiError],
  ])("%i → %p", (status, Ctor) => {
    const e = WachtApiError.fromResponse({ status, method: "GET", path: "/users" });
    expect(e).toBeInstanceOf(Ctor);
    expect(e).toBeInstanceOf(WachtApiError);
    expect(e).toBeInstanceOf(WachtError);
    expect(e.constructor).toBe(Ctor);
    expect(e.name).toBe(Ctor.name);
    expect(e.kind).toBe("api");
  });
});

describe("message format and properties", () => {
  it("reads `404 PATCH /users/123: Resource not found` with the server's message and code", async () => {
    t.pool
      .intercept({ path: "/users/123", method: "PATCH" })
      .reply(404, err(404, "Resource not found"), JSON_HEADERS);
    const e = (await rejection(
      t.client.users.update("123", { firstName: "A" }),
    )) as WachtNotFoundError;
    expect(e).toBeInstanceOf(WachtNotFoundError);
    expect(e.message).toBe("404 PATCH /users/123: Resource not found");
    expect(e).toMatchObject({
      status: 404,
      method: "PATCH",
      path: "/users/123",
      serverMessage: "Resource not found",
      code: 404,
      attempts: 1,
    });
  });

  it("leaves the query string out of the path", async () => {
    t.pool
      .intercept({ path: "/users?sort_key=email", method: "GET" })
      .reply(400, err(400, "Bad request"), JSON_HEADERS);
    const e = await rejection(t.client.users.list({ sortKey: "email" }));
    expect(e.message).toBe("400 GET /users: Bad request");
  });

  it("describes a non-JSON error body without echoing it", async () => {
    t.pool
      .intercept({ path: "/users/1/details", method: "GET" })
      .reply(502, "<html><body>Bad Gateway secret-ish</body></html>", {
        headers: { "content-type": "text/html; charset=utf-8" },
      });
    const e = (await rejection(t.client.users.get("1"))) as WachtServerError;
    expect(e.message).toBe("502 GET /users/1/details: <non-JSON response: text/html, 48 bytes>");
    expect(e.serverMessage).toBeUndefined();
  });

  it("describes JSON without the envelope, and an empty body", async () => {
    t.pool
      .intercept({ path: "/users/1/details", method: "GET" })
      .reply(500, { error: { message: "x" } }, JSON_HEADERS);
    t.pool.intercept({ path: "/users/2/details", method: "GET" }).reply(500, "");
    expect((await rejection(t.client.users.get("1"))).message).toBe(
      "500 GET /users/1/details: <JSON response without an errors[0].message>",
    );
    expect((await rejection(t.client.users.get("2"))).message).toBe(
      "500 GET /users/2/details: <empty response>",
    );
  });

  it("does not follow redirects: a 3xx is a WachtApiError", async () => {
    t.pool
      .intercept({ path: "/users/1/details", method: "GET" })
      .reply(302, "", { headers: { location: "https://evil.example/steal" } });
    const e = (await rejection(t.client.users.get("1"))) as WachtApiError;
    expect(e.constructor).toBe(WachtApiError);
    expect(e.message).toBe("302 GET /users/1/details: <redirect not followed>");
  });

  it("adds an x-request-id when the server sends one", async () => {
    t.pool
      .intercept({ path: "/users/1/details", method: "GET" })
      .reply(500, err(500, "Something went wrong"), {
        headers: { "content-type": "application/json", "x-request-id": "req_abc-123" },
      });
    const e = (await rejection(t.client.users.get("1"))) as WachtServerError;
    expect(e.message).toBe(
      "500 GET /users/1/details: Something went wrong (request id req_abc-123)",
    );
    expect(e.requestId).toBe("req_abc-123");
  });

  it("maps a connection failure to WachtConnectionError with a sanitized cause", async () => {
    t.pool
      .intercept({ path: "/users/1/details", method: "GET" })
      .replyWithError(
        Object.assign(new Error("connect ECONNREFUSED 10.1.2.3:443"), { code: "ECONNREFUSED" }),
      );
    const e = (await rejection(t.client.users.get("1"))) as WachtConnectionError;
    expect(e).toBeInstanceOf(WachtConnectionError);
    expect(e).toMatchObject({ code: "ECONNREFUSED", requestMaybeSent: false, kind: "connection" });
    expect(e.message).toBe(
      `GET /users/1/details: connection failed (ECONNREFUSED: connect ECONNREFUSED 10.1.2.3:443). ${REFUSED_HINT}`,
    );
    expect(e.hint).toBe(REFUSED_HINT);
    expect((e.cause as Error).message).toBe("connect ECONNREFUSED 10.1.2.3:443");
  });

  it("asks whether the server runs only when the connection was refused", async () => {
    t.pool
      .intercept({ path: "/users/1/details", method: "GET" })
      .replyWithError(Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }));
    const e = (await rejection(t.client.users.get("1"))) as WachtConnectionError;
    expect(e.message).toBe(
      "GET /users/1/details: connection failed (UND_ERR_SOCKET: other side closed)",
    );
    expect(e.hint).toBeUndefined();
  });
});

/** What a refused connection asks the user to check (issue 20). */
const REFUSED_HINT =
  "Is the Wacht server (or the emulator) running at https://api.wacht.test? Check the base URL (WACHT_BASE_URL, the stack config wacht:baseUrl, or the baseUrl option)";

/** What a 401 asks the user to check (issue 11 defect 7). */
const AUTH_HINT =
  "Check the API key (WACHT_API_KEY, the stack config wacht:apiKey, or the apiKey option) and that it belongs to the deployment at https://api.wacht.test (WACHT_BASE_URL, the stack config wacht:baseUrl, or the baseUrl option)";

describe("a 401 names what to check", () => {
  it("names the key and base URL settings, and the base URL the key was sent to", async () => {
    const c = makeClient({ maxRetries: 0, baseUrl: "https://api.wacht.test/gw/v1/" });
    c.pool
      .intercept({ path: "/gw/v1/users/1/details", method: "GET" })
      .reply(401, err(401, "Invalid API key"), JSON_HEADERS);
    const e = (await rejection(c.client.users.get("1"))) as WachtAuthenticationError;
    expect(e).toBeInstanceOf(WachtAuthenticationError);
    expect(e.message).toBe(
      `401 GET /users/1/details: Invalid API key. ${AUTH_HINT.replace("https://api.wacht.test", "https://api.wacht.test/gw/v1")}`,
    );
    expect(e.hint).toContain("wacht:apiKey");
    await c.agent.close();
  });

  it("adds no hint to other statuses", async () => {
    t.pool
      .intercept({ path: "/users/1/details", method: "GET" })
      .reply(403, err(403, "Forbidden"), JSON_HEADERS);
    const e = (await rejection(t.client.users.get("1"))) as WachtPermissionError;
    expect(e.message).toBe("403 GET /users/1/details: Forbidden");
    expect(e.hint).toBeUndefined();
  });
});

describe("isWachtError", () => {
  it("recognises every client error and nothing else", () => {
    expect(isWachtError(new WachtConfigError("x"))).toBe(true);
    expect(isWachtError(new WachtValidationError("id", "x"))).toBe(true);
    expect(
      isWachtError(WachtApiError.fromResponse({ status: 404, method: "GET", path: "/" })),
    ).toBe(true);
    expect(isWachtError(new Error("x"))).toBe(false);
    expect(isWachtError({ kind: "api", name: "WachtApiError" })).toBe(false);
    expect(isWachtError(null)).toBe(false);
  });

  it("works across module copies (Symbol.for brand)", () => {
    let Other: typeof import("../../../src/client") | undefined;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a second module copy is the point
      Other = require("../../../src/client");
    });
    const foreign = new Other!.WachtNotFoundError({
      status: 404,
      method: "GET",
      path: "/users/1/details",
    });
    expect(foreign).not.toBeInstanceOf(WachtNotFoundError);
    expect(isWachtError(foreign)).toBe(true);
    expect(Other!.isWachtError(new WachtConfigError("x"))).toBe(true);
  });
});

describe("redaction", () => {
  function dump(e: unknown): string {
    const parts = [String(e), JSON.stringify(e), inspect(e, { depth: 10, showHidden: true })];
    for (let c: unknown = e; c instanceof Error; c = c.cause) {
      parts.push(
        c.message,
        c.stack ?? "",
        JSON.stringify(Object.entries(c)),
        inspect(c, { showHidden: true }),
      );
    }
    return parts.join("\n");
  }

  it("never exposes the key, even when the server or the network echoes it", async () => {
    const echoes = `Authentication failed for Bearer ${API_KEY}`;
    t.pool
      .intercept({ path: "/users/1/details", method: "GET" })
      .reply(401, err(401, echoes), JSON_HEADERS);
    t.pool
      .intercept({ path: "/users/2/details", method: "GET" })
      .replyWithError(
        Object.assign(new Error(`socket hang up ${API_KEY}`), { code: "ECONNRESET" }),
      );
    t.pool
      .intercept({ path: "/users/3/details", method: "GET" })
      .reply(200, { nope: API_KEY }, JSON_HEADERS);
    const errors = [
      await rejection(t.client.users.get("1")),
      await rejection(t.client.users.get("2")),
      await rejection(t.client.users.get("3")),
    ];
    expect(errors[0]!.message).toBe(
      `401 GET /users/1/details: Authentication failed for Bearer [REDACTED]. ${AUTH_HINT}`,
    );
    for (const e of errors) {
      const text = dump(e);
      expect(text).not.toContain(API_KEY);
      expect(text).not.toMatch(/authorization/i);
    }
  });

  it("never exposes the key a server echoes in a response header, content type or error code", async () => {
    // Issue 11 defect 1: a proxy echoing the key in x-request-id got it into message and requestId.
    t.pool.intercept({ path: "/users/1/details", method: "GET" }).reply(500, err(500, "boom"), {
      headers: { "content-type": "application/json", "x-request-id": API_KEY },
    });
    t.pool.intercept({ path: "/users/2/details", method: "GET" }).reply(502, "<html>bad</html>", {
      headers: {
        "content-type": `text/${API_KEY}; charset=utf-8`,
        "x-request-id": `req-${API_KEY}`,
      },
    });
    t.pool.intercept({ path: "/users/3/details", method: "GET" }).reply(200, "not json", {
      headers: { "content-type": `application/${API_KEY}` },
    });
    t.pool
      .intercept({ path: "/users/4/details", method: "GET" })
      .reply(400, { errors: [{ message: "bad", code: `E_${API_KEY}` }] }, JSON_HEADERS);
    t.pool
      .intercept({ path: "/users/5/details", method: "GET" })
      .reply(200, { ...userDetails(), id: API_KEY }, JSON_HEADERS);
    t.pool
      .intercept({ path: "/users/6/details", method: "GET" })
      .reply(500, err(500, `see /keys/${encodeURIComponent(`${API_KEY}/x`)}`), JSON_HEADERS);
    const errors = [
      (await rejection(t.client.users.get("1"))) as WachtServerError,
      (await rejection(t.client.users.get("2"))) as WachtServerError,
      await rejection(t.client.users.get("3")),
      (await rejection(t.client.users.get("4"))) as WachtBadRequestError,
      await rejection(t.client.users.get("5")),
      await rejection(t.client.users.get("6")),
    ];
    expect(errors[0]!.message).toBe("500 GET /users/1/details: boom (request id [REDACTED])");
    expect((errors[0] as WachtServerError).requestId).toBe("[REDACTED]");
    expect(errors[1]!.message).toBe(
      "502 GET /users/2/details: <non-JSON response: text/[REDACTED], 16 bytes> (request id req-[REDACTED])",
    );
    expect(errors[2]!.message).toBe(
      "200 GET /users/3/details: response is not JSON (application/[REDACTED], 8 bytes)",
    );
    expect((errors[3] as WachtBadRequestError).code).toBe("E_[REDACTED]");
    expect(errors[4]!.message).toBe(
      "200 GET /users/5/details: the response describes user <not a decimal id>, not the requested user 5",
    );
    for (const e of errors) expect(dump(e)).not.toContain(API_KEY);
    // The percent-encoded key in a URL is redacted too (the key itself has no reserved characters).
    expect(dump(errors[5])).not.toContain(encodeURIComponent(`${API_KEY}/x`));
  });

  it("never exposes the password of setPassword or create", async () => {
    const pw = "Sup3r-secret-pw!";
    t.pool
      .intercept({ path: "/users/1/password", method: "PATCH" })
      .reply(400, err(400, `Validation failed: password: '${pw}' is weak`), JSON_HEADERS);
    t.pool
      .intercept({ path: "/users", method: "POST" })
      .reply(400, err(400, `bad ${pw}`), JSON_HEADERS);
    const e1 = await rejection(t.client.users.setPassword("1", pw));
    const e2 = await rejection(t.client.users.create({ password: pw }));
    for (const e of [e1, e2]) expect(dump(e)).not.toContain(pw);
    expect(e1.message).toBe(
      "400 PATCH /users/1/password: Validation failed: password: '[REDACTED]' is weak",
    );
  });

  it("gives onRetry no secrets", async () => {
    const c = makeClient();
    c.pool
      .intercept({ path: "/users/1/details", method: "GET" })
      .reply(503, err(503, API_KEY), JSON_HEADERS);
    c.pool
      .intercept({ path: "/users/1/details", method: "GET" })
      .reply(200, err(200, "x"), JSON_HEADERS);
    await rejection(c.client.users.get("1"));
    expect(JSON.stringify(c.retries)).not.toContain(API_KEY);
    await c.agent.close();
  });

  it("toJSON is a plain, useful view", () => {
    const e = WachtApiError.fromResponse({
      status: 404,
      method: "GET",
      path: "/users/1/details",
      serverMessage: "Resource not found",
      code: 404,
    });
    expect(JSON.parse(JSON.stringify(e))).toEqual({
      name: "WachtNotFoundError",
      kind: "api",
      message: "404 GET /users/1/details: Resource not found",
      attempts: 0,
      status: 404,
      method: "GET",
      path: "/users/1/details",
      serverMessage: "Resource not found",
      code: 404,
    });
  });
});
