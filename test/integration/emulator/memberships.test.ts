// The B2B routes of docs/wacht-memberships.md §2 over real HTTP: organizations, workspaces, the
// deployment-level and custom roles, member and per-role routes, both per-user lists, with the
// exact messages and the traps a provider must survive (role scope checked only by the per-role
// POST, no default role, PATCH replaces the set, cascade, implicit org membership, 500 after the
// write, role order). Everything is scoped to the caller's deployment (§2 semantics 9).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "../../../src/emulator";
import { API_KEY, errorOf, startHarness, type Harness } from "./helpers";

const OTHER_KEY = "sk_test_other_deployment";
const OTHER_DEPLOYMENT = "597652436791357999";

let h: Harness;
let ada: string;
let bob: string;
let stranger: string;
let acme: string;
let beta: string;
let ws: string;
let foreignOrg: string;

const json = (body: unknown) => ({ json: body });
const ids = (o: { roles: Array<{ id: string; name: string }> }, name: string) =>
  o.roles.filter((r) => r.name === name).map((r) => r.id);

beforeAll(async () => {
  h = await startHarness({
    apiKeys: { [OTHER_KEY]: OTHER_DEPLOYMENT },
    seed: [
      { id: "400000000000000001", first_name: "Ada", email: "ada@example.com" },
      { id: "400000000000000002", first_name: "Bob", email: "bob@example.com", username: "bob" },
      { id: "77", first_name: "Num", email: "num@example.com" },
      {
        id: "400000000000000003",
        first_name: "Eve",
        email: "eve@example.com",
        deployment_id: OTHER_DEPLOYMENT,
      },
    ],
    organizations: [
      {
        id: "500000000000000001",
        name: "Acme",
        private_metadata: { secret: "acme-private" },
        roles: [{ name: "Billing", permissions: ["billing:manage"] }],
        workspaces: [{ id: "500000000000000011", name: "Acme Prod" }],
      },
      { id: "500000000000000002", name: "Beta", roles: [{ name: "Auditor", permissions: [] }] },
      { id: "500000000000000009", name: "Foreign", deployment_id: OTHER_DEPLOYMENT },
    ],
  });
  [ada, bob, stranger] = ["400000000000000001", "400000000000000002", "400000000000000003"];
  [acme, beta, ws, foreignOrg] = [
    "500000000000000001",
    "500000000000000002",
    "500000000000000011",
    "500000000000000009",
  ];
});
afterAll(async () => h.emu.close());
beforeEach(() => h.emu.reset());

async function roles(orgId: string): Promise<Array<{ id: string; name: string }>> {
  const res = await h.call("GET", `/organizations/${orgId}/roles`);
  expect(res.status).toBe(200);
  return res.body.data;
}

async function roleId(orgId: string, name: string, deploymentLevel = true): Promise<string> {
  const list = (await h.call("GET", `/organizations/${orgId}/roles`)).body.data as Array<{
    id: string;
    name: string;
    is_deployment_level: boolean;
  }>;
  return list.find((r) => r.name === name && r.is_deployment_level === deploymentLevel)!.id;
}

async function addMember(orgId: string, userId: string, roleIds: string[] = []) {
  return h.call(
    "POST",
    `/organizations/${orgId}/members`,
    json({ user_id: userId, role_ids: roleIds }),
  );
}

describe("roles", () => {
  it("every deployment has the four deployment-level roles; an org lists them plus its own, by creation", async () => {
    const list = await roles(acme);
    expect(list.map((r) => r.name)).toEqual(["Admin", "Member", "Billing"]);
    expect(list[0]).toMatchObject({
      name: "Admin",
      permissions: ["organization:admin"],
      is_deployment_level: true,
    });
    const settings = await h.call("GET", "/settings/b2b/organization-roles");
    expect(settings.body.data.map((r: { name: string }) => r.name)).toEqual(["Admin", "Member"]);
    expect(Object.keys(settings.body)).toEqual(["data"]);
    expect(Object.keys(settings.body.data[0]).sort()).toEqual([
      "created_at",
      "deployment_id",
      "id",
      "name",
      "organization_id",
      "permissions",
      "updated_at",
    ]);
    const wsRoles = await h.call("GET", `/workspaces/${ws}/roles`);
    expect(wsRoles.body.data.map((r: { permissions: string[] }) => r.permissions)).toEqual([
      ["workspace:admin"],
      ["workspace:member"],
    ]);
  });

  it("role ids differ per deployment; another deployment's org is 404 Organization not found", async () => {
    const other = await h.call("GET", "/settings/b2b/organization-roles", {
      auth: `Bearer ${OTHER_KEY}`,
    });
    expect(other.body.data.map((r: { id: string }) => r.id)).not.toEqual(
      (await roles(acme)).slice(0, 2).map((r) => r.id),
    );
    const res = await h.call("GET", `/organizations/${foreignOrg}/roles`);
    expect([res.status, errorOf(res)]).toEqual([404, "Organization not found"]);
  });

  it("a custom Admin can sit beside the deployment-level one; names are unique among the org's own", async () => {
    const made = await h.call(
      "POST",
      `/organizations/${acme}/roles`,
      json({ name: "Admin", permissions: ["x"] }),
    );
    expect(made.status).toBe(200);
    expect(made.body).toMatchObject({ name: "Admin", is_deployment_level: false });
    expect(ids({ roles: await roles(acme) }, "Admin")).toHaveLength(2);
    const again = await h.call(
      "POST",
      `/organizations/${acme}/roles`,
      json({ name: "Admin", permissions: [] }),
    );
    expect([again.status, errorOf(again)]).toEqual([400, "Role with this name already exists"]);
    const deploymentAdmin = await roleId(acme, "Admin");
    const edit = await h.call(
      "PATCH",
      `/organizations/${acme}/roles/${deploymentAdmin}`,
      json({ name: "Boss" }),
    );
    expect([edit.status, errorOf(edit)]).toEqual([404, "Organization role not found"]);
    const empty = await h.call("PATCH", `/organizations/${acme}/roles/${made.body.id}`, json({}));
    expect([empty.status, errorOf(empty)]).toEqual([400, "No fields to update"]);
  });
});

describe("POST /organizations/{oid}/members", () => {
  it("takes JSON {user_id, role_ids}: 415 without a JSON type, 400 for bad JSON, 422 for a missing field", async () => {
    const noType = await h.call("POST", `/organizations/${acme}/members`, {
      body: JSON.stringify({ user_id: ada, role_ids: [] }),
      headers: { "content-type": "text/plain" },
    });
    expect([noType.status, errorOf(noType)]).toEqual([415, "Request failed"]);
    const bad = await h.call("POST", `/organizations/${acme}/members`, {
      body: "{",
      headers: { "content-type": "application/json" },
    });
    expect([bad.status, errorOf(bad)]).toEqual([400, "Bad request"]);
    const missing = await h.call("POST", `/organizations/${acme}/members`, json({ user_id: ada }));
    expect([missing.status, errorOf(missing)]).toEqual([422, "Invalid request payload"]);
  });

  it("applies NO default role, answers the details (roles not deployment-level, username null)", async () => {
    const admin = await roleId(acme, "Admin");
    const res = await h.call(
      "POST",
      `/organizations/${acme}/members`,
      json({ user_id: ada, role_ids: [admin] }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      organization_id: acme,
      user_id: ada,
      username: null,
      first_name: "Ada",
      primary_email_address: "ada@example.com",
      roles: [{ id: admin, name: "Admin", is_deployment_level: false }],
    });
    const none = await addMember(acme, bob);
    expect(none.body.roles).toEqual([]);
    expect(h.emu.organizations.get(acme)!.members.find((m) => m.user_id === bob)!.roles).toEqual(
      [],
    );
  });

  it("accepts ids as numbers or decimal strings", async () => {
    const member = await roleId(acme, "Member");
    const res = await h.call("POST", `/organizations/${acme}/members`, {
      body: `{"user_id": 77, "role_ids": ["${member}"]}`,
      headers: { "content-type": "application/json" },
    });
    expect([res.status, res.body.user_id]).toEqual([200, "77"]);
  });

  it("404 User not found, 404 Organization not found, 400 already a member, 409 duplicate role, 404 unknown role", async () => {
    const member = await roleId(acme, "Member");
    const cases: Array<[string, unknown, number, string]> = [
      [acme, { user_id: "1", role_ids: [] }, 404, "User not found"],
      [acme, { user_id: stranger, role_ids: [] }, 404, "User not found"],
      [foreignOrg, { user_id: ada, role_ids: [] }, 404, "Organization not found"],
      ["123", { user_id: ada, role_ids: [] }, 404, "Organization not found"],
      [acme, { user_id: ada, role_ids: [member, member] }, 409, "Resource already exists"],
      [acme, { user_id: ada, role_ids: ["42"] }, 404, "Related resource not found"],
    ];
    for (const [org, body, status, message] of cases) {
      const res = await h.call("POST", `/organizations/${org}/members`, json(body));
      expect([status, message]).toEqual([res.status, errorOf(res)]);
    }
    expect((await addMember(acme, ada)).status).toBe(200);
    const twice = await addMember(acme, ada);
    expect([twice.status, errorOf(twice)]).toEqual([
      400,
      "User is already a member of this organization",
    ]);
  });

  it("accepts another organization's role (scope is checked only by the per-role POST) but not another deployment's", async () => {
    const auditor = await roleId(beta, "Auditor", false);
    expect((await addMember(acme, ada, [auditor])).status).toBe(200);
    const foreignRole = (
      await h.call("GET", "/settings/b2b/organization-roles", { auth: `Bearer ${OTHER_KEY}` })
    ).body.data[0].id;
    const res = await addMember(acme, bob, [foreignRole]);
    expect([res.status, errorOf(res)]).toEqual([404, "Related resource not found"]);
  });

  it("a 500 can come after the write; the retry then gets 400 already a member", async () => {
    h.emu.faults.enqueue({
      kind: "status",
      status: 500,
      phase: "after",
      match: { method: "POST" },
    });
    const first = await addMember(acme, ada);
    expect(first.status).toBe(500);
    expect(h.emu.organizations.get(acme)!.members.map((m) => m.user_id)).toEqual([ada]);
    const retry = await addMember(acme, ada);
    expect([retry.status, errorOf(retry)]).toEqual([
      400,
      "User is already a member of this organization",
    ]);
  });
});

describe("PATCH, DELETE and the per-role routes", () => {
  let mid: string;
  let admin: string;
  let member: string;
  beforeEach(async () => {
    admin = await roleId(acme, "Admin");
    member = await roleId(acme, "Member");
    mid = (await addMember(acme, ada, [member])).body.id;
  });
  const live = () => h.emu.organizations.get(acme)!.members.find((m) => m.id === mid);

  it("PATCH role_ids replaces the whole set and answers {}; only metadata moves updated_at", async () => {
    const before = live()!.updated_at;
    const res = await h.call(
      "PATCH",
      `/organizations/${acme}/members/${mid}`,
      json({ role_ids: [admin] }),
    );
    expect([res.status, res.body]).toEqual([200, {}]);
    expect(live()!.roles).toEqual(["Admin"]);
    expect(live()!.updated_at).toBe(before);
    await h.call("PATCH", `/organizations/${acme}/members/${mid}`, json({ public_metadata: null }));
    expect(live()!.updated_at).toBe(before);
    await h.call(
      "PATCH",
      `/organizations/${acme}/members/${mid}`,
      json({ public_metadata: { a: 1 } }),
    );
    expect(live()!).toMatchObject({ public_metadata: { a: 1 }, roles: ["Admin"] });
    expect(live()!.updated_at).not.toBe(before);
    await h.call("PATCH", `/organizations/${acme}/members/${mid}`, json({ role_ids: [] }));
    expect(live()!.roles).toEqual([]);
    const gone = await h.call("PATCH", `/organizations/${beta}/members/${mid}`, json({}));
    expect([gone.status, errorOf(gone)]).toEqual([404, "Organization membership not found"]);
  });

  it("the per-role POST is idempotent and checks the role's organization; DELETE says not assigned", async () => {
    const add = () => h.call("POST", `/organizations/${acme}/members/${mid}/roles/${admin}`);
    expect([(await add()).status, (await add()).status]).toEqual([200, 200]);
    expect(live()!.roles).toEqual(["Admin", "Member"]);
    const auditor = await roleId(beta, "Auditor", false);
    const wrong = await h.call("POST", `/organizations/${acme}/members/${mid}/roles/${auditor}`);
    expect([wrong.status, errorOf(wrong)]).toEqual([404, "role not found in this organization"]);
    const noMember = await h.call("POST", `/organizations/${acme}/members/77/roles/${admin}`);
    expect([noMember.status, errorOf(noMember)]).toEqual([
      404,
      "organization membership not found",
    ]);
    const del = () => h.call("DELETE", `/organizations/${acme}/members/${mid}/roles/${admin}`);
    expect((await del()).status).toBe(200);
    const again = await del();
    expect([again.status, errorOf(again)]).toEqual([404, "role not assigned to this membership"]);
    expect(live()!.roles).toEqual(["Member"]);
  });

  it("DELETE of an org membership cascades to the user's workspace memberships in that org", async () => {
    const wsRoles = (await h.call("GET", `/workspaces/${ws}/roles`)).body.data;
    const res = await h.call(
      "POST",
      `/workspaces/${ws}/members`,
      json({ user_id: ada, role_ids: [wsRoles[1].id] }),
    );
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty("organization_id");
    expect(h.emu.organizations.get(acme)!.workspaces[0]!.members).toHaveLength(1);
    const del = await h.call("DELETE", `/organizations/${acme}/members/${mid}`);
    expect([del.status, del.body]).toEqual([200, {}]);
    expect(h.emu.organizations.get(acme)!.workspaces[0]!.members).toEqual([]);
    const again = await h.call("DELETE", `/organizations/${acme}/members/${mid}`);
    expect([again.status, errorOf(again)]).toEqual([404, "Organization membership not found"]);
  });

  it("deleting the user deletes its memberships", async () => {
    expect((await h.call("DELETE", `/users/${ada}`)).status).toBe(200);
    expect(h.emu.organizations.get(acme)!.members).toEqual([]);
  });
});

describe("workspaces", () => {
  it("POST workspace member creates the org membership with the default Member role when missing", async () => {
    const wsAdmin = (await h.call("GET", `/workspaces/${ws}/roles`)).body.data[0].id;
    const res = await h.call(
      "POST",
      `/workspaces/${ws}/members`,
      json({ user_id: bob, role_ids: [wsAdmin] }),
    );
    expect(res.body).toMatchObject({ workspace_id: ws, user_id: bob, roles: [{ name: "Admin" }] });
    const org = h.emu.organizations.get(acme)!;
    expect(org.members.map((m) => [m.user_id, m.roles])).toEqual([[bob, ["Member"]]]);
    const again = await h.call(
      "POST",
      `/workspaces/${ws}/members`,
      json({ user_id: bob, role_ids: [] }),
    );
    expect([again.status, errorOf(again)]).toEqual([
      400,
      "User is already a member of this workspace",
    ]);
    const unknown = await h.call(
      "POST",
      `/workspaces/${ws}/members`,
      json({ user_id: "5", role_ids: [] }),
    );
    expect([unknown.status, errorOf(unknown)]).toEqual([404, "Related resource not found"]);
    const noWs = await h.call(
      "POST",
      `/workspaces/${acme}/members`,
      json({ user_id: bob, role_ids: [] }),
    );
    expect([noWs.status, errorOf(noWs)]).toEqual([404, "Workspace not found"]);
    // Removing the workspace membership leaves the org membership.
    await h.call("DELETE", `/workspaces/${ws}/members/${res.body.id}`);
    expect(h.emu.organizations.get(acme)!.members).toHaveLength(1);
    const gone = await h.call("PATCH", `/workspaces/${ws}/members/${res.body.id}`, json({}));
    expect([gone.status, errorOf(gone)]).toEqual([404, "Workspace membership not found"]);
  });
});

describe("lists", () => {
  it("the member list pages with {data, has_more, limit, offset}; an unknown org is 200 []", async () => {
    for (const u of [ada, bob]) await addMember(acme, u);
    const page = await h.call("GET", `/organizations/${acme}/members?limit=1&offset=0`);
    expect(page.body).toMatchObject({ has_more: true, limit: 1, offset: 0 });
    expect(page.body.data).toHaveLength(1);
    const rest = await h.call("GET", `/organizations/${acme}/members?limit=1&offset=1`);
    expect(rest.body).toMatchObject({ has_more: false });
    expect([page.body.data[0].user_id, rest.body.data[0].user_id].sort()).toEqual([ada, bob]);
    expect((await h.call("GET", `/organizations/${acme}/members`)).body.limit).toBe(20);
    expect((await h.call("GET", "/organizations/99/members")).body).toEqual({
      data: [],
      has_more: false,
      limit: 20,
      offset: 0,
    });
    const foreign = await h.call("GET", `/organizations/${acme}/members`, {
      auth: `Bearer ${OTHER_KEY}`,
    });
    expect(foreign.body.data).toEqual([]);
  });

  it("role order in member answers is arbitrary (not the order given); the per-user list orders by name", async () => {
    const names = ["Admin", "Member", "Billing"];
    const roleIds = await Promise.all(names.map((n, i) => roleId(acme, n, i < 2)));
    const orders = new Set<string>();
    for (const u of [ada, bob]) {
      const res = await addMember(acme, u, roleIds);
      orders.add(res.body.roles.map((r: { name: string }) => r.name).join());
      expect(res.body.roles.map((r: { name: string }) => r.name).sort()).toEqual([...names].sort());
    }
    const listed = await h.call("GET", `/organizations/${acme}/members`);
    for (const m of listed.body.data)
      orders.add(m.roles.map((r: { name: string }) => r.name).join());
    expect(orders.size).toBeGreaterThan(1);
    const mine = await h.call("GET", `/users/${ada}/organization-memberships`);
    expect(Object.keys(mine.body)).toEqual(["data", "has_more"]);
    expect(mine.body.data[0]).toMatchObject({
      organization_id: acme,
      user_id: ada,
      organization: { id: acme, name: "Acme" },
    });
    expect(mine.body.data[0].roles.map((r: { name: string }) => r.name)).toEqual([
      "Admin",
      "Billing",
      "Member",
    ]);
    expect(mine.body.data[0].roles[0].is_deployment_level).toBe(true);
    expect((await h.call("GET", `/users/1/organization-memberships`)).body).toEqual({
      data: [],
      has_more: false,
    });
  });

  it("the per-user workspace list names the workspace, its organization and the org membership", async () => {
    const org = await addMember(acme, ada);
    await h.call("POST", `/workspaces/${ws}/members`, json({ user_id: ada, role_ids: [] }));
    const res = await h.call("GET", `/users/${ada}/workspace-memberships`);
    expect(res.body.data).toEqual([
      expect.objectContaining({
        workspace_id: ws,
        organization_id: acme,
        organization_membership_id: org.body.id,
        workspace: expect.objectContaining({ id: ws, name: "Acme Prod" }),
      }),
    ]);
  });
});

describe("state", () => {
  it("reset restores the seed organizations; a state file keeps memberships across restarts", async () => {
    await addMember(acme, ada);
    h.emu.reset();
    expect(h.emu.organizations.get(acme)!.members).toEqual([]);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "b2b-state-")), "state.json");
    const one = await startEmulator({
      apiKey: API_KEY,
      stateFile: file,
      seed: [{ id: ada, email: "a@x.io" }],
    });
    one.organizations.seed([
      { id: acme, name: "Acme", members: [{ user_id: ada, roles: ["Admin"] }] },
    ]);
    await one.close();
    const two = await startEmulator({ apiKey: API_KEY, stateFile: file });
    expect(two.organizations.get(acme)!.members.map((m) => m.roles)).toEqual([["Admin"]]);
    await two.close();
  });
});
