// WachtClient against the real loopback emulator (src/emulator): every call end to end, then the
// failure modes the client exists for — a message-only 429, 5xx, a dropped connection, a timeout —
// and pacing that keeps a burst under the emulator's rate limit. Measured waits are printed.

import { startEmulator, type EmulatorHandle } from "../../../src/emulator";
import {
  WachtClient,
  WachtConnectionError,
  WachtNotFoundError,
  WachtRateLimitError,
  WachtServerError,
  WachtTimeoutError,
  type RetryInfo,
  type WachtClientOptions,
} from "../../../src/client";
import { closeSharedDispatchers } from "../../../src/client/dispatchers";
import { resetPacing } from "../../../src/client/pacing";

const API_KEY = "sk_" + "Integration_Test_Key_0123456789abcdefghijklm";
const PNG = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
]);
const GIF = Buffer.from("GIF89a\x01\x00\x01\x00\x00\x00\x00", "latin1");

let emu: EmulatorHandle;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, apiKey: API_KEY });
});
afterEach(() => {
  emu.reset();
  resetPacing();
});
afterAll(async () => {
  await emu.close();
  await closeSharedDispatchers();
});

function client(options: WachtClientOptions = {}): { c: WachtClient; retries: RetryInfo[] } {
  const retries: RetryInfo[] = [];
  const c = new WachtClient({
    apiKey: API_KEY,
    baseUrl: emu.url,
    env: {},
    onRetry: (r) => retries.push(r),
    ...options,
  });
  return { c, retries };
}

describe("every users call round-trips against the emulator", () => {
  it("creates, reads, updates, lists, sets the password of and deletes a user", async () => {
    const { c, retries } = client();
    const created = await c.users.create({
      firstName: "Ada",
      lastName: "Lovelace",
      emailAddress: "ada@example.com",
      username: "ada_l",
      password: "Sup3r-secret-pw!",
      profileImage: PNG,
    });
    expect(created).toMatchObject({
      first_name: "Ada",
      username: "ada_l",
      primary_email_address: "ada@example.com",
    });
    expect(created.id).toMatch(/^\d+$/);

    const details = await c.users.get(created.id);
    expect(details).toMatchObject({
      id: created.id,
      second_factor_policy: "optional",
      schema_version: "v1",
      disabled: false,
    });
    expect(details.email_addresses.map((e) => e.email)).toEqual(["ada@example.com"]);

    const updated = await c.users.update(created.id, {
      firstName: "Grace ",
      disabled: true,
      secondFactorPolicy: "enforced",
      publicMetadata: { tier: "gold", tags: ["a", "b"] },
      privateMetadata: null,
      profileImage: GIF,
    });
    expect(updated).toMatchObject({
      first_name: "Grace ",
      disabled: true,
      second_factor_policy: "enforced",
      public_metadata: { tags: ["a", "b"], tier: "gold" },
      private_metadata: null,
    });
    expect(updated.profile_picture_url).toMatch(/\/users\/\d+\/profile\.gif$/);
    const sent = emu.requests().find((r) => r.method === "PATCH");
    expect(sent?.multipart).toContainEqual(
      expect.objectContaining({ name: "profile_image", contentType: "image/gif" }),
    );
    expect(sent?.multipart).toContainEqual({
      name: "public_metadata",
      value: '{"tags":["a","b"],"tier":"gold"}',
    });

    const removed = await c.users.update(created.id, { removeProfileImage: true });
    expect(removed.profile_picture_url).toBe("");

    await c.users.setPassword(created.id, "An0ther-secret!", { skipPasswordCheck: false });

    const second = await c.users.create({
      firstName: "Bob",
      emailAddress: "bob@example.com",
      skipPasswordCheck: true,
    });
    const page = await c.users.list({ limit: 1, sortKey: "created_at", sortOrder: "asc" });
    expect(page).toEqual({
      data: [expect.objectContaining({ id: created.id })],
      has_more: true,
      limit: 1,
      offset: 0,
    });
    const all: string[] = [];
    for await (const u of c.users.listAll({ pageSize: 1, sortOrder: "asc" })) all.push(u.id);
    expect(all).toEqual(expect.arrayContaining([created.id, second.id]));
    const found = await c.users.list({ search: "GRACE" });
    expect(found.data.map((u) => u.id)).toEqual([created.id]);

    await c.users.delete(created.id);
    const gone = await c.users.get(created.id).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(WachtNotFoundError);
    expect((gone as Error).message).toBe(
      `404 GET /users/${created.id}/details: Resource not found`,
    );
    const again = await c.users.delete(created.id).catch((e: unknown) => e);
    expect((again as Error).message).toBe(`404 DELETE /users/${created.id}: User not found`);
    expect(retries).toEqual([]);
  });
});

describe("the client retries only what is safe to repeat, and surfaces the rest", () => {
  async function seedUser(c: WachtClient): Promise<string> {
    return (
      await c.users.create({
        firstName: "Ada",
        emailAddress: "ada@example.com",
        skipPasswordCheck: true,
      })
    ).id;
  }

  it("waits out a message-only 429 (no Retry-After header) and succeeds", async () => {
    const { c, retries } = client();
    const id = await seedUser(c);
    emu.faults.enqueue({
      kind: "status",
      status: 429,
      retryAfterSeconds: 1,
      match: { method: "GET" },
    });
    const started = performance.now();
    await c.users.get(id);
    const elapsed = Math.round(performance.now() - started);
    console.log(
      `message-only 429 "Retry after 1 seconds": planned wait ${retries[0]?.delayMs} ms (${retries[0]?.source}), call took ${elapsed} ms`,
    );
    expect(retries).toEqual([
      {
        attempt: 1,
        delayMs: 1000,
        reason: "rate-limit",
        source: "message-hint",
        method: "GET",
        path: `/users/${id}/details`,
        status: 429,
      },
    ]);
    expect(elapsed).toBeGreaterThanOrEqual(995);
    expect(elapsed).toBeLessThan(2500);
    expect(
      emu
        .requests()
        .filter((r) => r.method === "GET")
        .map((r) => r.status),
    ).toEqual([429, 200]);
  });

  it("retries POST /users after a 429 (rejected before the handler) and creates exactly one user", async () => {
    const { c, retries } = client({ maxRetryWaitMs: 50 });
    emu.faults.enqueue({
      kind: "status",
      status: 429,
      retryAfterSeconds: 1,
      match: { method: "POST" },
    });
    await seedUser(c);
    expect(retries.map((r) => [r.reason, r.delayMs])).toEqual([["rate-limit", 50]]);
    expect(emu.users.list()).toHaveLength(1);
  });

  it("retries 5xx on GET and PATCH, then succeeds", async () => {
    const { c, retries } = client();
    const id = await seedUser(c);
    emu.faults.enqueue([
      { kind: "status", status: 503, count: 2, match: { method: "GET" } },
      { kind: "status", status: 502, body: "html", match: { method: "PATCH" } },
      { kind: "status", status: 500, phase: "after", match: { method: "PATCH" } },
    ]);
    const started = performance.now();
    await c.users.get(id);
    const user = await c.users.update(id, { lastName: "Byron" });
    console.log(
      `5xx backoff waits: ${retries.map((r) => `${r.status}→${r.delayMs} ms`).join(", ")}; total ${Math.round(performance.now() - started)} ms`,
    );
    expect(user.last_name).toBe("Byron");
    expect(retries.map((r) => `${r.method} ${r.status}`)).toEqual([
      "GET 503",
      "GET 503",
      "PATCH 502",
      "PATCH 500",
    ]);
  });

  it("does not retry POST /users after a 5xx, and reports the HTML body without echoing it", async () => {
    const { c, retries } = client();
    emu.faults.enqueue({ kind: "status", status: 502, body: "html", match: { method: "POST" } });
    const e = (await c.users
      .create({ firstName: "A", skipPasswordCheck: true })
      .catch((x: unknown) => x)) as WachtServerError;
    expect(e).toBeInstanceOf(WachtServerError);
    expect(e.message).toMatch(/^502 POST \/users: <non-JSON response: text\/html, \d+ bytes>$/);
    expect(retries).toEqual([]);
  });

  it("retries a dropped connection on GET, then succeeds", async () => {
    const { c, retries } = client();
    const id = await seedUser(c);
    emu.faults.enqueue({ kind: "drop", match: { method: "GET" } });
    await c.users.get(id);
    expect(retries.map((r) => r.reason)).toEqual(["connection"]);
    expect(
      emu
        .requests()
        .filter((r) => r.method === "GET")
        .map((r) => r.status),
    ).toEqual([null, 200]);
  });

  it("does not retry POST /users after a dropped connection (the user may exist)", async () => {
    const { c, retries } = client();
    emu.faults.enqueue({ kind: "drop", phase: "after", match: { method: "POST" } });
    const e = await c.users
      .create({ firstName: "A", emailAddress: "a@example.com", skipPasswordCheck: true })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(WachtConnectionError);
    expect(e).toMatchObject({ requestMaybeSent: true, attempts: 1 });
    expect(retries).toEqual([]);
    expect(emu.users.list()).toHaveLength(1); // the server did create it
  });

  it("times out a slow response, and retries it when the budget allows", async () => {
    const { c: strict } = client({ timeoutMs: 150, maxRetries: 0 });
    const id = await seedUser(strict);
    emu.faults.enqueue({ kind: "delay", ms: 600, match: { method: "GET" } });
    const started = performance.now();
    const e = (await strict.users.get(id).catch((x: unknown) => x)) as WachtTimeoutError;
    const elapsed = Math.round(performance.now() - started);
    expect(e).toBeInstanceOf(WachtTimeoutError);
    expect(e).toMatchObject({ phase: "headers", timeoutMs: 150 });
    expect(e.message).toBe(`GET /users/${id}/details: timed out after 150 ms (headers)`);
    expect(elapsed).toBeLessThan(500);

    const { c, retries } = client({ timeoutMs: 150 });
    emu.faults.enqueue({ kind: "delay", ms: 600, match: { method: "GET" } });
    await c.users.get(id);
    expect(retries.map((r) => r.reason)).toEqual(["timeout"]);
  });
});

describe("pacing keeps a burst under the emulator's rate limit", () => {
  let limited: EmulatorHandle;
  beforeAll(async () => {
    limited = await startEmulator({ port: 0, apiKey: API_KEY, rateLimitPerMinute: 30 });
  });
  afterAll(async () => {
    await limited.close();
  });

  it("keeps a burst under the emulator's limit; without pacing the 31st request is a 429", async () => {
    const paced = new WachtClient({
      apiKey: API_KEY,
      baseUrl: limited.url,
      env: {},
      requestsPerMinute: 30,
      totalTimeoutMs: 1500,
    });
    const started = performance.now();
    const results = await Promise.allSettled(
      Array.from({ length: 31 }, () => paced.users.list({ limit: 1 })),
    );
    const elapsed = Math.round(performance.now() - started);
    const ok = results.filter((r) => r.status === "fulfilled").length;
    const rejected = results.flatMap((r) => (r.status === "rejected" ? [r.reason as Error] : []));
    console.log(
      `paced burst of 31 at 30/min: ${ok} sent and answered 200 in ${elapsed} ms; the 31st refused locally: ${rejected[0]?.message}`,
    );
    expect(ok).toBe(30);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toBeInstanceOf(WachtTimeoutError);
    expect(limited.requests().map((r) => r.status)).toEqual(Array(30).fill(200));

    const unpaced = new WachtClient({
      apiKey: API_KEY,
      baseUrl: limited.url,
      env: {},
      requestsPerMinute: Infinity,
      maxRetries: 0,
    });
    const e = (await unpaced.users
      .list({ limit: 1 })
      .catch((x: unknown) => x)) as WachtRateLimitError;
    expect(e).toBeInstanceOf(WachtRateLimitError);
    expect(e.message).toMatch(/^429 GET \/users: Rate limit exceeded\. Retry after \d+ seconds$/);
    expect(e.retryAfterMs).toBeGreaterThan(0);
  });
});
