// Contract tests for GET /users: docs/wacht-api.md §6 and §5 (list item shape) and checklist item §12.5.
import { startHarness, errorOf, form, type Harness } from "./helpers";

let h: Harness;
const names = [
  "Alice",
  "bob",
  "Carol",
  "dave",
  "Eve",
  "Frank",
  "Grace",
  "heidi",
  "Ivan",
  "Judy",
  "Mallory",
  "Niaj",
];
beforeAll(async () => {
  h = await startHarness({
    seed: names.map((n, i) => ({
      first_name: n,
      last_name: "Test",
      ...(i % 2 === 0 ? { username: `${n.toLowerCase()}_u` } : {}),
      email: `${n.toLowerCase()}@example.com`,
      ...(i === 0 ? { phone_number: "4155550100", country_code: "+1" } : {}),
      ...(i === 1 ? { phone_number: "5550101", country_code: null } : {}),
    })),
  });
});
afterAll(() => h.emu.close());
beforeEach(() => h.emu.reset());

const list = (query = "") => h.call("GET", `/users${query}`);

describe("§6 GET /users", () => {
  it("§6/§12.5 `{data, has_more, limit, offset}` with no total; default limit 10, newest first", async () => {
    const res = await list();
    expect(Object.keys(res.body).sort()).toEqual(["data", "has_more", "limit", "offset"]);
    expect(res.body).toMatchObject({ has_more: true, limit: 10, offset: 0 });
    expect(res.body.data).toHaveLength(10);
    expect(res.body.data[0].first_name).toBe("Niaj");
  });

  it("§6 has_more is false on the last page; offset pages through", async () => {
    const res = await list("?limit=5&offset=10");
    expect(res.body).toMatchObject({ has_more: false, limit: 5, offset: 10 });
    expect(res.body.data.map((u: { first_name: string }) => u.first_name)).toEqual([
      "bob",
      "Alice",
    ]);
    const exact = await list("?limit=12");
    expect(exact.body.has_more).toBe(false);
  });

  it("§6 no maximum limit", async () => {
    const res = await list("?limit=100000");
    expect(res.body.data).toHaveLength(12);
    expect(res.body.limit).toBe(100000);
  });

  it("§6 a negative offset is 500 `Something went wrong`", async () => {
    const res = await list("?offset=-1");
    expect(res.status).toBe(500);
    expect(errorOf(res)).toBe("Something went wrong");
  });

  it.each(["?limit=abc", "?limit=-1", "?limit=", "?offset=x", "?limit=1&limit=2"])(
    "§6 bad query %s is 400 `Bad request`",
    async (q) => {
      const res = await list(q);
      expect(res.status).toBe(400);
      expect(errorOf(res)).toBe("Bad request");
    },
  );

  it.each([
    "?sort_key=CreatedAt",
    "?sort_key=first_name",
    "?sort_order=Asc",
    "?sort_order=DESC",
    "?sort_key=Username",
  ])("§6/§12.5 sort enums are lowercase only: %s → 400", async (q) => {
    const res = await list(q);
    expect(res.status).toBe(400);
    expect(errorOf(res)).toBe("Bad request");
  });

  it("§6 sort_key created_at asc gives the oldest first", async () => {
    const res = await list("?sort_key=created_at&sort_order=asc&limit=3");
    expect(res.body.data.map((u: { first_name: string }) => u.first_name)).toEqual([
      "Alice",
      "bob",
      "Carol",
    ]);
  });

  it('§6 sort by username ("" first ascending) and by email', async () => {
    const byUser = await list("?sort_key=username&sort_order=asc&limit=100");
    const usernames = byUser.body.data.map((u: { username: string }) => u.username);
    expect(usernames.slice(0, 6)).toEqual(["", "", "", "", "", ""]);
    expect(usernames.slice(6)).toEqual([...usernames.slice(6)].sort());
    const byEmail = await list("?sort_key=email&sort_order=desc&limit=2");
    expect(
      byEmail.body.data.map((u: { primary_email_address: string }) => u.primary_email_address),
    ).toEqual(["niaj@example.com", "mallory@example.com"]);
    expect((await list("?sort_key=phone_number")).status).toBe(200);
  });

  it('§5/§12.5 list items: username "" when unset; phone is country_code||phone_number, null without a country code', async () => {
    const res = await list("?sort_order=asc&limit=2");
    const [alice, bob] = res.body.data;
    expect(Object.keys(alice).sort()).toEqual(
      [
        "id",
        "created_at",
        "updated_at",
        "first_name",
        "last_name",
        "username",
        "profile_picture_url",
        "primary_email_address",
        "primary_phone_number",
      ].sort(),
    );
    expect(alice.username).toBe("alice_u");
    expect(alice.primary_phone_number).toBe("+14155550100");
    expect(bob.username).toBe("");
    expect(bob.primary_phone_number).toBeNull();
    const details = await h.details(bob.id);
    expect(details.body.username).toBeNull();
    expect(details.body.primary_phone_number).toBe("5550101");
    expect((await h.details(alice.id)).body.primary_phone_number).toBe("4155550100");
  });

  it("§6/§12.5 search is trimmed and a case-insensitive substring over names, username, emails, phones", async () => {
    const names = async (q: string): Promise<string[]> =>
      (await list(`?search=${encodeURIComponent(q)}`)).body.data.map(
        (u: { first_name: string }) => u.first_name,
      );
    expect(await names("  ALI  ")).toEqual(["Alice"]);
    expect(await names("GRACE_U")).toEqual(["Grace"]);
    expect(await names("judy@EXAMPLE")).toEqual(["Judy"]);
    expect(await names("+1415555")).toEqual(["Alice"]);
    expect(await names("5550101")).toEqual(["bob"]);
    expect(await names("nobody")).toEqual([]);
  });

  it("§6 search keeps LIKE wildcards: `%` and `_` are not escaped", async () => {
    const res = await list(`?search=${encodeURIComponent("a_i")}`); // matches "alice" (l) … and more
    expect(res.body.data.map((u: { first_name: string }) => u.first_name)).toContain("Alice");
    const pct = await list(`?search=${encodeURIComponent("m%y")}`);
    expect(pct.body.data.map((u: { first_name: string }) => u.first_name)).toContain("Mallory");
  });

  it("§6 the search index lags: a fresh user is listed but not found by search until indexed", async () => {
    const lag = await startHarness({ searchIndexLagMs: 150 });
    try {
      const id = await lag.createUser({ first_name: "Zebedee" });
      expect(
        (await lag.call("GET", "/users")).body.data.map((u: { id: string }) => u.id),
      ).toContain(id);
      expect((await lag.call("GET", "/users?search=zebedee")).body.data).toEqual([]);
      await new Promise((r) => setTimeout(r, 200));
      expect(
        (await lag.call("GET", "/users?search=zebedee")).body.data.map((u: { id: string }) => u.id),
      ).toEqual([id]);
      await lag.patch(id, form({ first_name: "Yolanda" }));
      expect((await lag.call("GET", "/users?search=yolanda")).body.data).toEqual([]);
    } finally {
      await lag.emu.close();
    }
  });
});
