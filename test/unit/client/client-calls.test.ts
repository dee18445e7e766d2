// Every users call through an undici MockAgent (no sockets): method, path, query, headers, body,
// and the parsed result (tokens dropped, unknown enum values kept, unknown keys stripped).

import type { MockInterceptor } from "undici/types/mock-interceptor";
import { WachtResponseValidationError, WachtValidationError } from "../../../src/client";
import { API_KEY, ORIGIN, PNG, userDetails, userSummary } from "./fixtures";
import { makeClient, mockAgent, rejection, type TestClient } from "./helpers";
import { parseMultipart } from "./multipart-parse";

const JSON_HEADERS = { headers: { "content-type": "application/json" } };
const ID = "123456789012345678";

let t: TestClient;
let seen: MockInterceptor.MockResponseCallbackOptions[];

beforeEach(() => {
  t = makeClient();
  seen = [];
});
afterEach(async () => {
  t.agent.assertNoPendingInterceptors();
  await t.agent.close();
});

function reply(path: string, method: string, body: unknown, status = 200) {
  t.pool.intercept({ path, method }).reply(
    status,
    (opts) => {
      seen.push(opts);
      return body as object;
    },
    JSON_HEADERS,
  );
}

function header(i: number, name: string): string | undefined {
  const h = seen[i]?.headers as Record<string, string> | undefined;
  return h?.[name];
}

describe("users.get", () => {
  it("GETs /users/{id}/details with auth, accept and user-agent headers", async () => {
    reply(`/users/${ID}/details`, "GET", userDetails());
    const user = await t.client.users.get(ID);
    expect(user.id).toBe(ID);
    expect(user.public_metadata).toEqual({ team: "core" });
    expect(header(0, "authorization")).toBe(`Bearer ${API_KEY}`);
    expect(header(0, "accept")).toBe("application/json");
    expect(header(0, "user-agent")).toMatch(/^pulumi-wacht\/\d+\.\d+\.\d+/);
  });

  it("drops social-connection tokens and unknown keys at parse time", async () => {
    reply(`/users/${ID}/details`, "GET", userDetails({ future_field: 1 }));
    const user = await t.client.users.get(ID);
    expect(user.social_connections[0]).not.toHaveProperty("access_token");
    expect(user.social_connections[0]).not.toHaveProperty("refresh_token");
    expect(user).not.toHaveProperty("future_field");
    expect(JSON.stringify(user)).not.toMatch(/gho_|ghr_/);
  });

  it("tolerates unknown enum values", async () => {
    reply(
      `/users/${ID}/details`,
      "GET",
      userDetails({ second_factor_policy: "passkey_only", availability: "dnd" }),
    );
    expect((await t.client.users.get(ID)).second_factor_policy).toBe("passkey_only");
  });

  it("raises WachtResponseValidationError for a wrong shape, with issue paths but no values", async () => {
    reply(`/users/${ID}/details`, "GET", userDetails({ id: 123, first_name: undefined }));
    const err = (await rejection(t.client.users.get(ID))) as WachtResponseValidationError;
    expect(err).toBeInstanceOf(WachtResponseValidationError);
    expect(err.issues.map((i) => i.path).sort()).toEqual(["first_name", "id"]);
    expect(err.message).toMatch(
      /^200 GET \/users\/123456789012345678\/details: response does not match/,
    );
  });

  it("raises WachtResponseValidationError for a non-JSON 200", async () => {
    t.pool
      .intercept({ path: `/users/${ID}/details`, method: "GET" })
      .reply(200, "<html>", { headers: { "content-type": "text/html" } });
    const err = (await rejection(t.client.users.get(ID))) as WachtResponseValidationError;
    expect(err.message).toBe(
      "200 GET /users/123456789012345678/details: response is not JSON (text/html, 6 bytes)",
    );
    expect(err.issues).toEqual([]); // the documented type: a list, empty when there is no shape
  });

  it("refuses a bad id without sending anything", async () => {
    for (const id of ["../1", "1?x=2", "1/password", "-1", "9223372036854775808"]) {
      await expect(t.client.users.get(id)).rejects.toBeInstanceOf(WachtValidationError);
    }
  });
});

describe("users.update", () => {
  it("PATCHes multipart to /users/{id} and returns the details", async () => {
    reply(`/users/${ID}`, "PATCH", userDetails({ first_name: "Grace", disabled: true }));
    const user = await t.client.users.update(ID, {
      firstName: "Grace",
      disabled: true,
      publicMetadata: { b: 1, a: 2 },
      profileImage: PNG,
    });
    expect(user.first_name).toBe("Grace");
    const ct = header(0, "content-type")!;
    expect(ct).toMatch(/^multipart\/form-data; boundary=/);
    const parts = await parseMultipart(Buffer.from(seen[0]!.body as Buffer), ct);
    expect(parts.map((p) => [p.name, p.mimeType ?? p.value])).toEqual([
      ["first_name", "Grace"],
      ["disabled", "true"],
      ["public_metadata", '{"a":2,"b":1}'],
      ["profile_image", "image/png"],
    ]);
  });

  it("refuses '' for a name before sending", async () => {
    await expect(t.client.users.update(ID, { lastName: "" })).rejects.toThrow(WachtValidationError);
  });

  it("sends each body on its own boundary with that boundary's content type, and the same headers", async () => {
    reply(`/users/${ID}`, "PATCH", userDetails());
    reply(`/users/${ID}`, "PATCH", userDetails());
    await t.client.users.update(ID, { firstName: "A" });
    const first = /boundary=(.+)$/.exec(header(0, "content-type")!)![1]!;
    // A value may even hold the previous body's boundary.
    const value = `x${first}y`;
    await t.client.users.update(ID, { firstName: value });
    const ct = header(1, "content-type")!;
    expect(ct).not.toBe(header(0, "content-type"));
    const parts = await parseMultipart(Buffer.from(seen[1]!.body as Buffer), ct);
    expect(parts.map((p) => [p.name, p.value])).toEqual([["first_name", value]]);
    for (const name of ["authorization", "accept", "user-agent"])
      expect(header(1, name)).toBe(header(0, name));
    expect(header(1, "authorization")).toBe(`Bearer ${API_KEY}`);
  });
});

describe("users.create", () => {
  it("POSTs multipart to /users and returns the summary", async () => {
    reply("/users", "POST", userSummary({ username: "ada" }));
    const user = await t.client.users.create({
      firstName: "Ada",
      emailAddress: "ada@example.com",
      password: "pw-123456",
      skipPasswordCheck: true,
    });
    expect(user).toMatchObject({
      id: ID,
      username: "ada",
      primary_email_address: "ada@example.com",
    });
    const parts = await parseMultipart(
      Buffer.from(seen[0]!.body as Buffer),
      header(0, "content-type")!,
    );
    expect(parts.map((p) => p.name)).toEqual([
      "first_name",
      "email_address",
      "password",
      "skip_password_check",
    ]);
  });
});

describe("users.delete", () => {
  it("DELETEs /users/{id} and resolves to undefined on 200 {}", async () => {
    reply(`/users/${ID}`, "DELETE", {});
    await expect(t.client.users.delete(ID)).resolves.toBeUndefined();
  });
});

describe("users.setPassword", () => {
  it("PATCHes JSON {new_password, skip_password_check}", async () => {
    reply(`/users/${ID}/password`, "PATCH", {});
    await t.client.users.setPassword(ID, "N3w-password!", { skipPasswordCheck: true });
    expect(header(0, "content-type")).toBe("application/json");
    expect(JSON.parse(seen[0]!.body as string)).toEqual({
      new_password: "N3w-password!",
      skip_password_check: true,
    });
  });

  it("defaults skip_password_check to false and refuses an empty password", async () => {
    reply(`/users/${ID}/password`, "PATCH", {});
    await t.client.users.setPassword(ID, "N3w-password!");
    expect(JSON.parse(seen[0]!.body as string)).toEqual({
      new_password: "N3w-password!",
      skip_password_check: false,
    });
    await expect(t.client.users.setPassword(ID, "")).rejects.toThrow(WachtValidationError);
  });
});

describe("users.list / listAll", () => {
  it("sends lowercase sort params and returns one page (no total)", async () => {
    reply("/users?limit=5&offset=10&sort_key=username&sort_order=asc&search=ada+l", "GET", {
      data: [userSummary({ username: "" })],
      has_more: true,
      limit: 5,
      offset: 10,
    });
    const page = await t.client.users.list({
      limit: 5,
      offset: 10,
      sortKey: "username",
      sortOrder: "ASC" as never,
      search: "ada l",
    });
    expect(page).toEqual({
      data: [expect.objectContaining({ username: "" })],
      has_more: true,
      limit: 5,
      offset: 10,
    });
  });

  it("sends no query when no params are given", async () => {
    reply("/users", "GET", { data: [], has_more: false, limit: 10, offset: 0 });
    expect((await t.client.users.list()).data).toEqual([]);
  });

  it("refuses bad list params", async () => {
    await expect(t.client.users.list({ offset: -1 })).rejects.toThrow(WachtValidationError);
    await expect(t.client.users.list({ limit: 1.5 })).rejects.toThrow(WachtValidationError);
    await expect(t.client.users.list({ sortKey: "name" as never })).rejects.toThrow(
      WachtValidationError,
    );
  });

  it("iterates every page until has_more is false", async () => {
    const u = (n: number) => userSummary({ id: String(n) });
    reply("/users?sort_key=created_at&limit=2&offset=0", "GET", {
      data: [u(1), u(2)],
      has_more: true,
      limit: 2,
      offset: 0,
    });
    reply("/users?sort_key=created_at&limit=2&offset=2", "GET", {
      data: [u(3), u(4)],
      has_more: true,
      limit: 2,
      offset: 2,
    });
    reply("/users?sort_key=created_at&limit=2&offset=4", "GET", {
      data: [u(5)],
      has_more: false,
      limit: 2,
      offset: 4,
    });
    const ids: string[] = [];
    for await (const user of t.client.users.listAll({ pageSize: 2, sortKey: "created_at" }))
      ids.push(user.id);
    expect(ids).toEqual(["1", "2", "3", "4", "5"]);
  });

  it("stops on an empty page even if has_more is (wrongly) true", async () => {
    reply("/users?limit=100&offset=0", "GET", { data: [], has_more: true, limit: 100, offset: 0 });
    const all: unknown[] = [];
    for await (const user of t.client.users.listAll()) all.push(user);
    expect(all).toEqual([]);
  });
});

describe("base URL path prefix", () => {
  it("is kept in front of every API path", async () => {
    const agent = mockAgent();
    const c = makeClient({ baseUrl: `${ORIGIN}/gateway/wacht/` }, agent);
    c.pool
      .intercept({ path: `/gateway/wacht/users/${ID}/details`, method: "GET" })
      .reply(200, userDetails(), JSON_HEADERS);
    expect((await c.client.users.get(ID)).id).toBe(ID);
    agent.assertNoPendingInterceptors();
    await agent.close();
  });

  it("is not part of error messages", async () => {
    const agent = mockAgent();
    const c = makeClient({ baseUrl: `${ORIGIN}/gw` }, agent);
    c.pool
      .intercept({ path: `/gw/users/${ID}`, method: "DELETE" })
      .reply(404, { errors: [{ message: "User not found", code: 404 }] }, JSON_HEADERS);
    expect((await rejection(c.client.users.delete(ID))).message).toBe(
      `404 DELETE /users/${ID}: User not found`,
    );
    await agent.close();
  });
});

describe("single-user answers are about the requested user", () => {
  it("refuses details of another user (never lets another user's data into state)", async () => {
    reply(`/users/${ID}/details`, "GET", userDetails({ id: "999" }));
    await expect(t.client.users.get(ID)).rejects.toThrow(
      `200 GET /users/${ID}/details: the response describes user 999, not the requested user ${ID}`,
    );
  });
});
