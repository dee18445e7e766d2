// Tests of the emulator's own features (not in the real API): fault injection (queue and seeded
// probability), the loopback control routes under /__emulator/ and the request log.
import { startHarness, errorOf, form, imageForm, type Harness } from "./helpers";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    seed: [
      {
        first_name: "Seeded",
        email: "seed@example.com",
        has_backup_codes: true,
        authenticators: 1,
        sign_ins: 2,
      },
    ],
  });
});
afterAll(() => h.emu.close());
beforeEach(() => h.emu.reset());

const control = async (method: string, path: string, json?: unknown) =>
  h.call(method, `/__emulator${path}`, { auth: null, ...(json === undefined ? {} : { json }) });

describe("injected faults fail requests the way the gateway and the server do", () => {
  it.each([500, 502, 503] as const)(
    "a queued status %d fault answers the next matching request with the envelope",
    async (status) => {
      h.emu.faults.enqueue({ kind: "status", status, match: { method: "GET", path: "/users" } });
      const res = await h.call("GET", "/users");
      expect(res.status).toBe(status);
      expect(errorOf(res)).toBe("Something went wrong");
      expect((await h.call("GET", "/users")).status).toBe(200);
    },
  );

  it("a 429 fault uses the gateway's exact message and no Retry-After header", async () => {
    h.emu.faults.enqueue({ kind: "status", status: 429, retryAfterSeconds: 7 });
    const res = await h.call("GET", "/users");
    expect(errorOf(res)).toBe("Rate limit exceeded. Retry after 7 seconds");
    expect(res.headers.get("retry-after")).toBeNull();
  });

  it("count applies a rule to the next N matching requests only; non-matching requests pass", async () => {
    h.emu.faults.enqueue({ kind: "status", status: 503, count: 2, match: { method: "PATCH" } });
    expect((await h.call("GET", "/users")).status).toBe(200);
    const id = h.emu.users.list()[0]!.user.id;
    expect((await h.patch(id, form({}))).status).toBe(503);
    expect((await h.patch(id, form({}))).status).toBe(503);
    expect((await h.patch(id, form({}))).status).toBe(200);
  });

  it("phase `after` applies the change, then fails the response (500 or dropped)", async () => {
    const id = h.emu.users.list()[0]!.user.id;
    h.emu.faults.enqueue({ kind: "status", status: 502, phase: "after" });
    expect((await h.patch(id, form({ first_name: "Changed" }))).status).toBe(502);
    expect(h.emu.users.get(id)!.user.first_name).toBe("Changed");
    h.emu.faults.enqueue({ kind: "drop", phase: "after" });
    await expect(h.patch(id, form({ first_name: "Again" }))).rejects.toThrow();
    expect(h.emu.users.get(id)!.user.first_name).toBe("Again");
    const last = h.emu.requests().at(-1)!;
    expect(last).toMatchObject({ status: null, handledStatus: 200, fault: "drop after" });
  });

  it("a `before` drop destroys the connection without touching state", async () => {
    h.emu.faults.enqueue({ kind: "drop", match: { method: "POST" } });
    await expect(
      h.call("POST", "/users", {
        body: form({ email_address: "x@example.com", password: "Str0ng!pass" }),
      }),
    ).rejects.toThrow();
    expect(h.emu.users.list()).toHaveLength(1);
    expect(h.emu.requests().at(-1)).toMatchObject({
      method: "POST",
      status: null,
      fault: "drop before",
    });
  });

  it("a delay makes the response slow", async () => {
    h.emu.faults.enqueue({ kind: "delay", ms: 150 });
    const started = Date.now();
    expect((await h.call("GET", "/users")).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("an html body imitates a proxy error page", async () => {
    h.emu.faults.enqueue({ kind: "status", status: 502, body: "html" });
    const res = await h.call("GET", "/users");
    expect(res.status).toBe(502);
    expect(res.headers.get("content-type")).toBe("text/html");
  });

  it("pathRegex matching", async () => {
    h.emu.faults.enqueue({
      kind: "status",
      status: 500,
      match: { pathRegex: "^/users/\\d+/details$" },
    });
    expect((await h.call("GET", "/users")).status).toBe(200);
    const id = h.emu.users.list()[0]!.user.id;
    expect((await h.details(id)).status).toBe(500);
  });

  it("the seeded probability mode is deterministic", async () => {
    const run = async (): Promise<number[]> => {
      h.emu.faults.setProbability({
        seed: 42,
        rates: { status500: 0.2, status429: 0.2, status503: 0.1 },
      });
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) statuses.push((await h.call("GET", "/users?limit=0")).status);
      h.emu.faults.setProbability(null);
      return statuses;
    };
    const a = await run();
    const b = await run();
    expect(a).toEqual(b);
    expect(new Set(a)).toEqual(new Set([200, 500, 429, 503]));
    expect(a.filter((s) => s === 200).length).toBeGreaterThan(10);
  });

  it("faults can be set at start", async () => {
    const f = await startHarness({ faults: { queue: [{ kind: "status", status: 503 }] } });
    try {
      expect((await f.call("GET", "/users")).status).toBe(503);
      expect((await f.call("GET", "/users")).status).toBe(200);
    } finally {
      await f.emu.close();
    }
  });
});

describe("the /__emulator control routes edit faults, the log, users, settings and limits", () => {
  it("POST/GET/DELETE /__emulator/faults without an API key, not rate limited, not logged", async () => {
    h.emu.setRateLimit(1);
    const posted = await control("POST", "/faults", [
      { kind: "status", status: 500 },
      { kind: "delay", ms: 1, count: 3 },
    ]);
    expect(posted.status).toBe(200);
    expect(posted.body.queue).toHaveLength(2);
    expect((await control("GET", "/faults")).body.queue[1]).toMatchObject({
      kind: "delay",
      remaining: 3,
    });
    expect((await control("DELETE", "/faults")).body).toEqual({ queue: [], probability: null });
    expect(
      (await control("POST", "/faults", { probability: { seed: 1, rates: { drop: 0.5 } } })).body
        .probability,
    ).toMatchObject({ seed: 1 });
    await control("DELETE", "/faults");
    expect(h.emu.requests()).toEqual([]);
  });

  it("invalid fault shapes are 400 with a readable message", async () => {
    const res = await control("POST", "/faults", { kind: "status", status: 418 });
    expect(res.status).toBe(400);
    expect(errorOf(res)).toMatch(/^Invalid control request/);
  });

  it("GET /__emulator/requests logs method, path, query, status, content type and parsed parts", async () => {
    const id = h.emu.users.list()[0]!.user.id;
    await h.call("GET", "/users?limit=2&search=x");
    await h.patch(
      id,
      imageForm("image/png", [
        ["first_name", "Logged"],
        ["remove_profile_image", "false"],
      ]),
    );
    await h.call("PATCH", `/users/${id}/password`, { json: { new_password: "S3cret!pass" } });
    const { requests } = (await control("GET", "/requests")).body;
    expect(requests).toHaveLength(3);
    expect(requests[0]).toMatchObject({
      method: "GET",
      path: "/users",
      query: { limit: "2", search: "x" },
      status: 200,
    });
    expect(requests[1].contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(requests[1].multipart).toEqual([
      { name: "first_name", value: "Logged" },
      { name: "remove_profile_image", value: "false" },
      { name: "profile_image", filename: "avatar", contentType: "image/png", size: 11 },
    ]);
    expect(requests[2].json).toEqual({ new_password: "[redacted]" });
    expect((await control("DELETE", "/requests")).status).toBe(200);
    expect(h.emu.requests()).toEqual([]);
  });

  it("the log records errors with their message", async () => {
    await h.call("GET", "/users/1");
    expect(h.emu.requests()[0]).toMatchObject({
      status: 405,
      errorMessage: "Method not allowed",
      fault: null,
    });
  });

  it("GET /__emulator/users dumps users with internal facts; PATCH edits them out of band", async () => {
    const { users } = (await control("GET", "/users")).body;
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({
      sign_ins: 2,
      authenticators: 1,
      user: { first_name: "Seeded", has_backup_codes: true },
    });
    const id = users[0].user.id;
    const before = users[0].user.updated_at;
    const patched = await control("PATCH", `/users/${id}`, {
      first_name: "Dashboard edit",
      sign_ins: 5,
      has_backup_codes: false,
    });
    expect(patched.body).toMatchObject({
      sign_ins: 5,
      user: { first_name: "Dashboard edit", has_backup_codes: false },
    });
    expect(patched.body.user.updated_at).not.toBe(before);
    expect((await h.details(id)).body.first_name).toBe("Dashboard edit");
    expect((await control("GET", "/users/1")).status).toBe(404);
  });

  it("POST /__emulator/users seeds users", async () => {
    const res = await control("POST", "/users", [{ first_name: "Extra", username: "extra" }]);
    expect(res.body.users[0].user).toMatchObject({ first_name: "Extra", username: "extra" });
    expect(h.emu.users.list()).toHaveLength(2);
  });

  it("PATCH /__emulator/auth-settings changes validation; reset restores the start settings", async () => {
    const res = await control("PATCH", "/auth-settings", { username: { minLength: 10 } });
    expect(res.body.username).toMatchObject({ minLength: 10, maxLength: 30 });
    const id = h.emu.users.list()[0]!.user.id;
    expect(errorOf(await h.patch(id, form({ username: "short" })))).toBe(
      "Username must be at least 10 characters",
    );
    await control("POST", "/reset");
    expect((await control("GET", "/auth-settings")).body.username.minLength).toBe(3);
  });

  it("POST /__emulator/reset restores the seed users and clears faults and the log", async () => {
    await h.createUser();
    h.emu.faults.enqueue({ kind: "status", status: 500, match: { path: "/nothing" } });
    await control("POST", "/reset");
    expect(h.emu.users.list().map((u) => u.user.first_name)).toEqual(["Seeded"]);
    expect(h.emu.faults.state().queue).toEqual([]);
    expect(h.emu.requests()).toEqual([]);
  });

  it("PUT /__emulator/rate-limit and GET /__emulator/info", async () => {
    await control("PUT", "/rate-limit", { perMinute: 1 });
    await h.call("GET", "/users");
    expect((await h.call("GET", "/users")).status).toBe(429);
    await control("PUT", "/rate-limit", { perMinute: false });
    expect((await h.call("GET", "/users")).status).toBe(200);
    const info = (await control("GET", "/info")).body;
    expect(info).toMatchObject({ deployment_id: h.emu.deploymentId, rate_limit_per_minute: false });
  });

  it("unknown control routes are 404 and wrong methods 405", async () => {
    expect((await control("GET", "/nope")).status).toBe(404);
    expect((await control("GET", "/reset")).status).toBe(405);
  });
});
