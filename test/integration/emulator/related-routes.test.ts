// docs/wacht-api.md §2 list routes (`{data, has_more: false}`), sessions made visible so that §3's
// "disabled=true deletes every sign-in" can be seen through the API, HEAD on GET routes (axum's
// get() answers HEAD), a part without any Content-Disposition (§3: no name → 400), and metadata
// JSON that serde_json would reject (§3: invalid JSON is silently ignored).
import { errorOf, form, startHarness, type Harness } from "./helpers";

let h: Harness;
let id: string;

beforeAll(async () => {
  h = await startHarness({ port: 0, seed: [{ email: "related@example.com", sign_ins: 2 }] });
});
afterAll(async () => h.emu.close());
beforeEach(() => {
  h.emu.reset();
  id = h.emu.users.list()[0]!.user.id;
});

describe("§2 lists with {data, has_more: false}", () => {
  it.each(["organization-memberships", "workspace-memberships", "passkeys"])(
    "GET /users/{id}/%s",
    async (route) => {
      const res = await h.call("GET", `/users/${id}/${route}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: [], has_more: false });
    },
  );

  it("GET /users/{id}/sessions lists one session per sign-in; §3 disabled=true empties it", async () => {
    expect((await h.call("GET", `/users/${id}/sessions`)).body).toMatchObject({
      data: [{}, {}],
      has_more: false,
    });
    expect((await h.patch(id, form({ disabled: "true" }))).status).toBe(200);
    expect((await h.call("GET", `/users/${id}/sessions`)).body).toEqual({
      data: [],
      has_more: false,
    });
  });

  it("POST /users/{id}/sessions/revoke-all and /sessions/{signin_id}/revoke answer 200 {}", async () => {
    const one = await h.call("POST", `/users/${id}/sessions/1/revoke`);
    expect([one.status, one.body]).toEqual([200, {}]);
    expect((await h.call("GET", `/users/${id}/sessions`)).body.data).toHaveLength(1);
    const all = await h.call("POST", `/users/${id}/sessions/revoke-all`);
    expect([all.status, all.body]).toEqual([200, {}]);
    expect((await h.call("GET", `/users/${id}/sessions`)).body.data).toHaveLength(0);
  });

  it("a bad path id is 400 Bad request, a wrong method 405", async () => {
    const bad = await h.call("GET", "/users/abc/sessions");
    expect([bad.status, errorOf(bad)]).toEqual([400, "Bad request"]);
    const wrong = await h.call("PUT", `/users/${id}/passkeys`);
    expect([wrong.status, errorOf(wrong)]).toEqual([405, "Method not allowed"]);
  });
});

describe("HEAD on GET routes", () => {
  it("answers like GET, without a body", async () => {
    const res = await h.call("HEAD", `/users/${id}/details`);
    expect(res.status).toBe(200);
    expect(res.text).toBe("");
  });
});

describe("§3 a part without a name", () => {
  it("a part with no Content-Disposition at all is 400 Multipart field name is missing", async () => {
    const boundary = "----no-disposition";
    const body = Buffer.from(
      `--${boundary}\r\nContent-Type: text/plain\r\n\r\nvalue\r\n--${boundary}--\r\n`,
      "latin1",
    );
    const res = await h.patch(id, {
      body,
      contentType: `multipart/form-data; boundary=${boundary}`,
    });
    expect([res.status, errorOf(res)]).toEqual([400, "Multipart field name is missing"]);
  });
});

describe("§3 metadata JSON that serde_json rejects is ignored", () => {
  it("a number out of f64 range leaves the field unchanged", async () => {
    expect((await h.patch(id, form({ public_metadata: '{"keep":1}' }))).status).toBe(200);
    const res = await h.patch(id, form({ public_metadata: '{"e":1e400}' }));
    expect(res.status).toBe(200);
    expect(res.body.public_metadata).toEqual({ keep: 1 });
  });
});
