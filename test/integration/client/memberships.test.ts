// client.organizations / client.workspaces against the loopback emulator
// (docs/wacht-memberships.md §2): JSON bodies, zod-validated answers trimmed of other people's
// data and of an organization's private metadata, paging to the end, and the retry rule (the
// member POST is not retried after a 500, every other call is).
import { startEmulator, type EmulatorHandle } from "../../../src/emulator";
import {
  WachtBadRequestError,
  WachtClient,
  WachtNotFoundError,
  WachtServerError,
  WachtValidationError,
} from "../../../src/client";
import { closeSharedDispatchers } from "../../../src/client/dispatchers";
import { resetPacing } from "../../../src/client/pacing";

const API_KEY = "sk_test_client_memberships";
const USERS = Array.from({ length: 7 }, (_, i) => `41000000000000000${i + 1}`);
const ACME = "510000000000000001";
const WS = "510000000000000011";

let emu: EmulatorHandle;
let c: WachtClient;

beforeAll(async () => {
  emu = await startEmulator({
    apiKey: API_KEY,
    seed: USERS.map((id, i) => ({ id, email: `u${i}@example.com`, first_name: `U${i}` })),
    organizations: [
      {
        id: ACME,
        name: "Acme",
        private_metadata: { token: "org-secret" },
        workspaces: [{ id: WS, name: "Prod" }],
      },
    ],
  });
  c = new WachtClient({ apiKey: API_KEY, baseUrl: emu.url, sleep: async () => {} });
});
afterEach(() => {
  emu.reset();
  resetPacing();
});
afterAll(async () => {
  await emu.close();
  await closeSharedDispatchers();
});

const roleIdOf = async (name: string) =>
  (await c.organizations.roles(ACME)).find((r) => r.name === name)!.id;

describe("client.organizations", () => {
  it("adds, updates, lists and removes a member with JSON bodies; answers carry no user details", async () => {
    const admin = await roleIdOf("Admin");
    const added = await c.organizations.addMember(ACME, USERS[0]!, [admin]);
    expect(added).toEqual({
      id: expect.any(String),
      created_at: expect.any(String),
      updated_at: expect.any(String),
      user_id: USERS[0],
      roles: [expect.objectContaining({ id: admin, name: "Admin" })],
      public_metadata: {},
    });
    const post = emu.requests().find((r) => r.method === "POST")!;
    expect([post.contentType, post.json]).toEqual([
      "application/json",
      { user_id: USERS[0], role_ids: [admin] },
    ]);
    await c.organizations.updateMember(ACME, added.id, { roleIds: [], publicMetadata: { a: 1 } });
    const [mine] = await c.organizations.membershipsOf(USERS[0]!);
    expect(mine).toMatchObject({ roles: [], public_metadata: { a: 1 }, organization_id: ACME });
    expect(mine!.organization).toEqual({ id: ACME, name: "Acme" }); // private metadata dropped
    await c.organizations.addMemberRole(ACME, added.id, admin);
    await c.organizations.addMemberRole(ACME, added.id, admin);
    expect((await c.organizations.membershipsOf(USERS[0]!))[0]!.roles.map((r) => r.name)).toEqual([
      "Admin",
    ]);
    await c.organizations.removeMemberRole(ACME, added.id, admin);
    await expect(c.organizations.removeMemberRole(ACME, added.id, admin)).rejects.toThrow(
      WachtNotFoundError,
    );
    await c.organizations.removeMember(ACME, added.id);
    expect(await c.organizations.membershipsOf(USERS[0]!)).toEqual([]);
  });

  it("listAllMembers follows has_more to the end: ⌈n/pageSize⌉ requests", async () => {
    for (const u of USERS) await c.organizations.addMember(ACME, u, []);
    emu.clearRequests();
    const { members, requests } = await c.organizations.listAllMembers(ACME, 3);
    expect(members.map((m) => m.user_id).sort()).toEqual([...USERS].sort());
    expect(requests).toBe(3);
    expect(emu.requests().map((r) => r.query)).toEqual([
      { limit: "3", offset: "0", sort_key: "created_at", sort_order: "asc" },
      { limit: "3", offset: "3", sort_key: "created_at", sort_order: "asc" },
      { limit: "3", offset: "6", sort_key: "created_at", sort_order: "asc" },
    ]);
  });

  it("the member POST is not retried after a 500 (the write may have happened); a PATCH is", async () => {
    emu.faults.enqueue({ kind: "status", status: 500, phase: "after", match: { method: "POST" } });
    await expect(c.organizations.addMember(ACME, USERS[1]!, [])).rejects.toThrow(WachtServerError);
    expect(emu.requests().filter((r) => r.method === "POST")).toHaveLength(1);
    await expect(c.organizations.addMember(ACME, USERS[1]!, [])).rejects.toThrow(
      WachtBadRequestError,
    );
    const [m] = await c.organizations.membershipsOf(USERS[1]!);
    emu.faults.enqueue({ kind: "status", status: 503, match: { method: "PATCH" } });
    await c.organizations.updateMember(ACME, m!.id, { publicMetadata: { b: 2 } });
    expect(
      emu
        .requests()
        .filter((r) => r.method === "PATCH")
        .map((r) => r.status),
    ).toEqual([503, 200]);
  });

  it("refuses a malformed id before sending, naming the parameter", async () => {
    await expect(c.organizations.addMember("1/x", USERS[0]!, [])).rejects.toThrow(
      WachtValidationError,
    );
    await expect(c.organizations.addMember(ACME, USERS[0]!, ["Admin"])).rejects.toThrow(
      /roleIds must be a positive decimal int64 string/,
    );
    expect(emu.requests()).toEqual([]);
  });
});

describe("client.workspaces", () => {
  it("adds a member (Wacht adds the org membership) and lists the user's workspace memberships", async () => {
    const [, member] = await c.workspaces.roles(WS);
    await c.workspaces.addMember(WS, USERS[2]!, [member!.id]);
    const [w] = await c.workspaces.membershipsOf(USERS[2]!);
    expect(w).toMatchObject({
      workspace_id: WS,
      organization_id: ACME,
      workspace: { id: WS, name: "Prod" },
    });
    expect((await c.organizations.membershipsOf(USERS[2]!))[0]!.roles.map((r) => r.name)).toEqual([
      "Member",
    ]);
    expect((await c.workspaces.deploymentRoles()).map((r) => r.permissions)).toEqual([
      ["workspace:admin"],
      ["workspace:member"],
    ]);
  });
});
