// Contract tests for transport, auth, ids, time, routing and errors: docs/wacht-api.md §1, §2, §8, §12.1, §12.4.
import { startHarness, errorOf, form, rawMultipart, API_KEY, type Harness } from "./helpers";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ apiKeys: { sk_other_deployment: "1234567890123456789" } });
});
afterAll(() => h.emu.close());
beforeEach(() => h.emu.reset());

describe("§1 auth", () => {
  it("§1 a missing Authorization header is 401 `Authorization header must be Bearer token`", async () => {
    const res = await h.call("GET", "/users", { auth: null });
    expect(res.status).toBe(401);
    expect(errorOf(res)).toBe("Authorization header must be Bearer token");
  });

  it.each(["bearer " + API_KEY, "Basic abc", "Bearer" + API_KEY, "Token " + API_KEY])(
    "§1 the `Bearer ` prefix is exact and case-sensitive: %s → 401",
    async (auth) => {
      const res = await h.call("GET", "/users", { auth });
      expect(res.status).toBe(401);
      expect(errorOf(res)).toBe("Authorization header must be Bearer token");
    },
  );

  it("§1 an unknown key is 401 `Authentication failed`", async () => {
    const res = await h.call("GET", "/users", { auth: "Bearer wrong" });
    expect(res.status).toBe(401);
    expect(errorOf(res)).toBe("Authentication failed");
  });

  it("§1 `Bearer ` with nothing after it: HTTP drops trailing whitespace, so it is the scheme error", async () => {
    const res = await h.call("GET", "/users", { auth: "Bearer " });
    expect(res.status).toBe(401);
    expect(errorOf(res)).toBe("Authorization header must be Bearer token");
  });

  it("§3 order: auth (401) comes before the path id (400) and routing (404/405)", async () => {
    expect((await h.call("PATCH", "/users/abc", { auth: null })).status).toBe(401);
    expect((await h.call("GET", "/nope", { auth: "Bearer wrong" })).status).toBe(401);
  });

  it("§1 the deployment is implied by the key: another deployment's user is 404 `Resource not found`", async () => {
    const id = await h.createUser();
    const other = "Bearer sk_other_deployment";
    const details = await h.call("GET", `/users/${id}/details`, { auth: other });
    expect(details.status).toBe(404);
    expect(errorOf(details)).toBe("Resource not found");
    const patch = await h.call("PATCH", `/users/${id}`, {
      auth: other,
      body: form({ first_name: "X" }),
    });
    expect(errorOf(patch)).toBe("Resource not found");
    const list = await h.call("GET", "/users", { auth: other });
    expect(list.body.data).toEqual([]);
  });
});

describe("§1 ids and timestamps", () => {
  it("§1 ids are int64 decimal strings beyond 2^53 (JS numbers would corrupt them)", async () => {
    const id = await h.createUser();
    expect(id).toMatch(/^\d+$/);
    expect(BigInt(id) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(String(Number(id))).not.toBe(id);
    const details = await h.details(id);
    expect(typeof details.body.id).toBe("string");
    expect(typeof details.body.deployment_id).toBe("string");
    expect(typeof details.body.email_addresses[0].id).toBe("string");
  });

  it.each(["abc", "1.5", "12345678901234567890123", "0x10", " 1"])(
    "§1 a non-int64 path id is 400 `Bad request`: %s",
    async (bad) => {
      for (const [method, path] of [
        ["PATCH", `/users/${encodeURIComponent(bad)}`],
        ["DELETE", `/users/${encodeURIComponent(bad)}`],
        ["GET", `/users/${encodeURIComponent(bad)}/details`],
      ] as const) {
        const res = await h.call(method, path, method === "PATCH" ? { body: form({}) } : {});
        expect(res.status).toBe(400);
        expect(errorOf(res)).toBe("Bad request");
      }
    },
  );

  it("§1 a path id with leading zeros parses as the same int64", async () => {
    const id = await h.createUser();
    const res = await h.call("GET", `/users/000${id}/details`);
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(id);
  });

  it("§1 RFC 3339 Z timestamps: 9 fractional digits in the POST response, µs (AutoSi) on reads", async () => {
    const res = await h.call("POST", "/users", {
      body: form({
        first_name: "A",
        last_name: "B",
        email_address: "t@example.com",
        password: "Str0ng!pass",
      }),
    });
    expect(res.body.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    const details = await h.details(res.body.id);
    expect(details.body.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3}|\.\d{6})?Z$/);
    // The same instant at µs precision.
    expect(details.body.created_at.slice(0, 26)).toBe(res.body.created_at.slice(0, 26));
  });
});

describe("§2 routing", () => {
  it("§2/§12.1 GET /users/{id} is 405 `Method not allowed`", async () => {
    const id = await h.createUser();
    const res = await h.call("GET", `/users/${id}`);
    expect(res.status).toBe(405);
    expect(errorOf(res)).toBe("Method not allowed");
  });

  it.each(["/nope", "/users/", "/users/1/details/", "/users//details", "/v1/users"])(
    "§2 unknown route %s is 404 `Not found`",
    async (path) => {
      const res = await h.call("GET", path);
      expect(res.status).toBe(404);
      expect(errorOf(res)).toBe("Not found");
    },
  );

  it("§2 PUT /users is 405", async () => {
    const res = await h.call("PUT", "/users");
    expect(res.status).toBe(405);
    expect(errorOf(res)).toBe("Method not allowed");
  });

  it("§2/§12.1 GET /users/{id}/details is the read; DELETE returns 200 {} and then the user is gone", async () => {
    const id = await h.createUser();
    expect((await h.details(id)).status).toBe(200);
    const del = await h.call("DELETE", `/users/${id}`);
    expect(del.status).toBe(200);
    expect(del.body).toEqual({});
    const again = await h.details(id);
    expect(again.status).toBe(404);
    expect(errorOf(again)).toBe("Resource not found");
  });

  it("§7 DELETE of an unknown user is 404 `User not found`", async () => {
    const res = await h.call("DELETE", "/users/42");
    expect(res.status).toBe(404);
    expect(errorOf(res)).toBe("User not found");
  });
});

describe("§1 body limit", () => {
  it("§1 a multipart body over 2 MiB is a 400", async () => {
    const id = await h.createUser();
    const big = rawMultipart([{ name: "first_name", data: "x".repeat(2 * 1024 * 1024 + 10) }]);
    const res = await h.patch(id, big);
    expect(res.status).toBe(400);
    errorOf(res);
    expect((await h.details(id)).body.first_name).toBe("Ada");
  });

  it("§1 a body just under 2 MiB is accepted", async () => {
    const id = await h.createUser();
    const ok = rawMultipart([{ name: "last_name", data: "y".repeat(2 * 1024 * 1024 - 500) }]);
    expect((await h.patch(id, ok)).status).toBe(200);
  });
});

describe("§8 rate limiting", () => {
  let r: Harness;
  beforeAll(async () => {
    r = await startHarness({
      rateLimitPerMinute: 3,
      apiKeys: {
        sk_second_key_same_deployment: "597652436791357441",
        sk_other: "1111111111111111111",
      },
    });
  });
  afterAll(() => r.emu.close());

  it("§8/§12.4 over budget: 429 `Rate limit exceeded. Retry after N seconds`, no Retry-After header", async () => {
    for (let i = 0; i < 3; i++) expect((await r.call("GET", "/users")).status).toBe(200);
    const res = await r.call("GET", "/users");
    expect(res.status).toBe(429);
    const message = errorOf(res);
    expect(message).toMatch(/^Rate limit exceeded\. Retry after \d+ seconds$/);
    const n = Number(/(\d+) seconds/.exec(message)![1]);
    expect(n).toBeGreaterThanOrEqual(1);
    expect(n).toBeLessThanOrEqual(60);
    expect(res.headers.get("retry-after")).toBeNull();
    expect([...res.headers.keys()].filter((k) => k.startsWith("x-ratelimit"))).toEqual([]);
  });

  it("§8 the budget is per deployment: shared by its keys, separate for another deployment", async () => {
    r.emu.reset();
    for (let i = 0; i < 3; i++) expect((await r.call("GET", "/users")).status).toBe(200);
    expect(
      (await r.call("GET", "/users", { auth: "Bearer sk_second_key_same_deployment" })).status,
    ).toBe(429);
    expect((await r.call("GET", "/users", { auth: "Bearer sk_other" })).status).toBe(200);
  });

  it("§3 order: 429 comes before routing and path-id errors", async () => {
    r.emu.reset();
    for (let i = 0; i < 3; i++) await r.call("GET", "/users");
    expect((await r.call("GET", "/nope")).status).toBe(429);
    expect((await r.call("PATCH", "/users/abc")).status).toBe(429);
  });

  it("§8 a new window restores the budget (short window for the test)", async () => {
    const w = await startHarness({ rateLimitPerMinute: 1, rateLimitWindowMs: 200 });
    try {
      expect((await w.call("GET", "/users")).status).toBe(200);
      const limited = await w.call("GET", "/users");
      expect(errorOf(limited)).toBe("Rate limit exceeded. Retry after 1 seconds");
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect((await w.call("GET", "/users")).status).toBe(200);
    } finally {
      await w.emu.close();
    }
  });

  it("§8 the default budget is 1000 per minute", async () => {
    const d = await startHarness();
    try {
      const statuses = await Promise.all(
        Array.from({ length: 1001 }, () => d.call("GET", "/users?limit=0")),
      );
      expect(statuses.filter((s) => s.status === 200)).toHaveLength(1000);
      expect(statuses.filter((s) => s.status === 429)).toHaveLength(1);
    } finally {
      await d.emu.close();
    }
    // 1,001 requests take ~1 s alone but over 5 s on a loaded 2-core machine (seen in npm test).
  }, 30_000);
});
