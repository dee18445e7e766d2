// The membership providers in-process against the emulator over real HTTP (issue #22): role
// names resolved at preview, one PATCH with the whole set, adoption with a warning, the 500
// after the write adopted in the same run or the next, refresh from one listing per parent
// (Σ⌈members/500⌉ list requests), import by id, the cascade warning, and the additive member
// role that never touches other roles.
import { startEmulator, type EmulatorHandle, type SeedUser } from "../../../src/emulator";
import { MembershipProvider } from "../../../src/membership/membership-provider";
import { MemberRoleProvider } from "../../../src/membership/member-role-provider";
import { dynamicFrontDoor } from "../../../src/membership/providers";
import { MembershipRuntime } from "../../../src/membership/runtime";
import type { ShimmedProvider } from "../../../src/provider/engine-facing";
import { ORGANIZATION_SCOPE, WORKSPACE_SCOPE } from "../../../src/membership/scope";
import { UNKNOWN } from "../../../src/schema/user-fields";
import { captureWarnings } from "../../helpers/warnings";
import { configuredProvider } from "../../helpers/provider";

const KEY = "sk_test_membership_provider";
const ORG = "520000000000000001";
const ORG2 = "520000000000000002";
const ORG3 = "520000000000000003";
const WS = "520000000000000011";
const ADA = "420000000000000001";
const BOB = "420000000000000002";
const CAL = "420000000000000003";
const many = (n: number, base: bigint) =>
  Array.from({ length: n }, (_, i) => String(base + BigInt(i)));
const CROWD = many(531, 430000000000000000n);

let emu: EmulatorHandle;

beforeAll(async () => {
  const users: SeedUser[] = [ADA, BOB, CAL, ...CROWD].map((id, i) => ({
    id,
    email: `m${i}@example.com`,
  }));
  emu = await startEmulator({
    apiKey: KEY,
    rateLimitPerMinute: false,
    seed: users,
    organizations: [
      {
        id: ORG,
        name: "Acme",
        roles: [{ name: "Billing", permissions: ["billing:manage", "organization:read"] }],
        workspaces: [{ id: WS, name: "Acme Prod" }],
      },
      { id: ORG2, name: "Beta", roles: [{ name: "Admin", permissions: ["beta:all"] }] },
      { id: ORG3, name: "Gamma" },
    ],
  });
});
afterAll(async () => emu.close());
beforeEach(() => emu.reset());

type Provider = MembershipProvider | MemberRoleProvider;

async function configured<P extends Provider>(
  p: P,
  extra: Record<string, string> = {},
): Promise<P> {
  const values: Record<string, string> = {
    "wacht:apiKey": KEY,
    "wacht:baseUrl": emu.url,
    ...extra,
  };
  await p.configure({
    config: { get: (k: string) => values[k], require: (k: string) => values[k] ?? "" },
  });
  return p;
}

/** One provider process: the providers on one runtime, as the engine sees them. */
async function run(config: Record<string, string> = {}) {
  const runtime = new MembershipRuntime();
  const front = async (p: Provider, type: string) =>
    dynamicFrontDoor(await configured(p, config), type);
  return {
    runtime,
    org: await front(
      new MembershipProvider(ORGANIZATION_SCOPE, runtime),
      ORGANIZATION_SCOPE.membershipType,
    ),
    ws: await front(
      new MembershipProvider(WORKSPACE_SCOPE, runtime),
      WORKSPACE_SCOPE.membershipType,
    ),
    orgRole: await front(
      new MemberRoleProvider(ORGANIZATION_SCOPE, runtime),
      ORGANIZATION_SCOPE.memberRoleType,
    ),
  };
}

async function checked(p: ShimmedProvider, news: Record<string, unknown>) {
  const res = await p.check({}, news);
  expect(res.failures ?? []).toEqual([]);
  return res.inputs as Record<string, unknown>;
}

const members = (org = ORG) => emu.organizations.get(org)!.members;
const requests = () => emu.requests().map((r) => `${r.method} ${r.path.replace(/\d{6,}/g, ":id")}`);

describe("check", () => {
  it("resolves role names at preview; unknown and ambiguous names fail, naming what exists", async () => {
    const { org } = await run();
    expect(
      await checked(org, { organizationId: ORG, userId: ADA, roles: ["Member", "Admin"] }),
    ).toEqual({ organizationId: ORG, userId: ADA, roles: ["Admin", "Member"] });
    const typo = await org.check({}, { organizationId: ORG, userId: ADA, roles: ["Admn"] });
    expect(typo.failures).toEqual([
      {
        property: "",
        reason: `roles: no role named "Admn" in organization ${ORG} (its roles: Admin, Billing, Member)`,
      },
    ]);
    const ambiguous = await org.check({}, { organizationId: ORG2, userId: ADA, roles: ["Admin"] });
    expect(ambiguous.failures![0]!.reason).toMatch(
      /^roles: the role name "Admin" is ambiguous in organization \d+: 2 roles have it .*deployment-level.*rename the custom one/,
    );
    const missing = await org.check({}, { organizationId: "9", userId: ADA, roles: ["Admin"] });
    expect(missing.failures![0]!.reason).toMatch(/^organizationId: organization 9 does not exist/);
    // One role listing per organization for the whole run.
    expect(requests().filter((r) => r.endsWith("/roles"))).toHaveLength(3);
  });

  it("lets preview unknowns through and refuses bad values by name", async () => {
    const { org } = await run();
    expect(await checked(org, { organizationId: UNKNOWN, userId: ADA, roles: ["Nope"] })).toEqual({
      organizationId: UNKNOWN,
      userId: ADA,
      roles: ["Nope"],
    });
    const bad = await org.check(
      {},
      { organizationId: "x", userId: ADA, roles: ["A", "A"], publicMetadata: null, extra: 1 },
    );
    expect(bad.failures!.map((f) => f.reason)).toEqual([
      "organizationId must be a Wacht id (a decimal int64 string)",
      "roles names a role twice",
      "publicMetadata cannot be null (Wacht ignores null): declare {} to clear it",
      'extra: unknown property "extra": wacht.OrganizationMembership takes organizationId, userId, roles and publicMetadata',
    ]);
  });
});

describe("create, update, read, delete", () => {
  it("creates with the resolved ids (GET + POST) and outputs names, details and permissions", async () => {
    const { org } = await run();
    const inputs = await checked(org, {
      organizationId: ORG,
      userId: ADA,
      roles: ["Admin", "Billing"],
    });
    emu.clearRequests();
    const made = await org.create(inputs);
    expect(requests()).toEqual([
      "GET /users/:id/organization-memberships",
      "POST /organizations/:id/members",
    ]);
    expect(made.id).toBe(`${ORG}/${ADA}`);
    expect(made.outs).toMatchObject({
      organizationId: ORG,
      userId: ADA,
      roles: ["Admin", "Billing"],
      permissions: ["billing:manage", "organization:admin", "organization:read"],
      publicMetadata: {},
    });
    expect(made.outs.roleDetails.map((r: { name: string }) => r.name)).toEqual([
      "Admin",
      "Billing",
    ]);
    expect(members()[0]!.roles).toEqual(["Admin", "Billing"]);
  });

  it("adopts an existing membership, warns which roles change, and reconciles with one PATCH", async () => {
    const { org } = await run();
    const seeded = await checked(org, { organizationId: ORG, userId: BOB, roles: ["Member"] });
    await org.create(seeded); // someone made Bob a Member
    const inputs = await checked(org, {
      organizationId: ORG,
      userId: BOB,
      roles: ["Admin"],
      publicMetadata: { team: "ops" },
    });
    const w = captureWarnings();
    emu.clearRequests();
    const made = await org.create(inputs);
    expect(w.done()).toEqual([
      expect.stringMatching(
        /wacht\.OrganizationMembership: adopting the existing user \d+'s membership in organization \d+ \(\d+\): its roles change: \+ Admin, - Member$/,
      ),
    ]);
    expect(requests()).toEqual([
      "GET /users/:id/organization-memberships",
      "PATCH /organizations/:id/members/:id",
    ]);
    expect(emu.requests()[1]!.json).toEqual({
      role_ids: [made.outs.roleDetails[0].id],
      public_metadata: { team: "ops" },
    });
    expect(members()).toHaveLength(1);
    expect(members()[0]).toMatchObject({ roles: ["Admin"], public_metadata: { team: "ops" } });
  });

  it("without declared roles: a new membership gets none (no default role), with a warning", async () => {
    const { org } = await run();
    const w = captureWarnings();
    await org.create(await checked(org, { organizationId: ORG, userId: CAL }));
    expect(w.done()[0]).toMatch(/without roles \(Wacht applies no default role\)/);
    expect(members()[0]!.roles).toEqual([]);
  });

  it("a dashboard role change is drift: diff shows it and update sends ONE PATCH with the whole set", async () => {
    const { org } = await run();
    const inputs = await checked(org, { organizationId: ORG, userId: ADA, roles: ["Admin"] });
    const made = await org.create(inputs);
    const mid = members()[0]!.id;
    const [memberRole] = (await fetchJson(`/organizations/${ORG}/roles`)).data.filter(
      (r: { name: string }) => r.name === "Member",
    );
    await fetchJson(`/organizations/${ORG}/members/${mid}`, "PATCH", { role_ids: [memberRole.id] });
    const updatedAt = members()[0]!.updated_at;
    const { org: next } = await run(); // the next `up --refresh`
    const refreshed = await next.read(made.id, made.outs);
    expect(refreshed.props).toMatchObject({
      roles: ["Member"],
      permissions: ["organization:member"],
    });
    const news = await checked(next, { organizationId: ORG, userId: ADA, roles: ["Admin"] });
    expect(await next.diff(made.id, refreshed.props, news)).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
      changedProperties: ["roles"],
    });
    emu.clearRequests();
    const updated = await next.update(made.id, refreshed.props, news);
    expect(requests()).toEqual(["PATCH /organizations/:id/members/:id"]);
    expect(updated.outs).toMatchObject({ roles: ["Admin"], permissions: ["organization:admin"] });
    expect(members()[0]).toMatchObject({ roles: ["Admin"], updated_at: updatedAt });
    expect(await next.diff(made.id, updated.outs, news)).toMatchObject({ changes: false });
    expect(
      await next.diff(made.id, updated.outs, { organizationId: ORG, userId: ADA }),
    ).toMatchObject({ changes: false });
    expect(await next.diff(made.id, updated.outs, { ...news, userId: BOB })).toMatchObject({
      replaces: ["userId"],
    });
  });

  it("import: read with the id {organizationId}/{userId} alone records matching inputs", async () => {
    const { org } = await run();
    await org.create(await checked(org, { organizationId: ORG, userId: ADA, roles: ["Billing"] }));
    const { org: next } = await run();
    const imported = await next.read(`${ORG}/${ADA}`, {});
    expect(imported.inputs).toEqual({ organizationId: ORG, userId: ADA, roles: ["Billing"] });
    expect(await next.diff(imported.id!, imported.props, imported.inputs)).toMatchObject({
      changes: false,
    });
    emu.clearRequests();
    expect((await next.read(`${ORG}/${BOB}`, {})).id).toBe("");
    // Not in the listing: confirmed gone by the user's own list (not a page the listing skipped).
    expect(requests()).toEqual(["GET /users/:id/organization-memberships"]);
    await expect(next.read("nonsense", {})).rejects.toThrow(
      /is not \{organizationId\}\/\{userId\}/,
    );
  });

  it("delete of an org membership warns which workspace memberships Wacht removes with it", async () => {
    const { org, ws } = await run();
    const made = await org.create(
      await checked(org, { organizationId: ORG, userId: ADA, roles: ["Member"] }),
    );
    await ws.create(await checked(ws, { workspaceId: WS, userId: ADA, roles: ["Admin"] }));
    const w = captureWarnings();
    await org.delete(made.id, made.outs);
    expect(w.done()).toEqual([
      expect.stringMatching(
        /also removes the user's workspace memberships in it \(Wacht cascades\): Acme Prod \(\d+\)/,
      ),
    ]);
    expect(emu.organizations.get(ORG)!.workspaces[0]!.members).toEqual([]);
    await org.delete(made.id, made.outs); // already gone: fine
  });
});

describe("a create answered by a 500 after Wacht wrote the membership ends with that one membership", () => {
  it("adopted in the same run", async () => {
    const { org } = await run();
    const inputs = await checked(org, { organizationId: ORG, userId: ADA, roles: ["Admin"] });
    emu.faults.enqueue({ kind: "status", status: 500, phase: "after", match: { method: "POST" } });
    const w = captureWarnings();
    const made = await org.create(inputs);
    expect(w.done()[0]).toMatch(
      /Wacht answered the create with .*500.* but the membership was written: adopted it/,
    );
    expect(made.outs).toMatchObject({ roles: ["Admin"] });
    expect(members()).toHaveLength(1);
    expect(emu.requests().filter((r) => r.method === "POST")).toHaveLength(1);
  });

  it("adopted by the next up when the same run could not look", async () => {
    const { org } = await run({ "wacht:maxRetries": "0" });
    const inputs = await checked(org, { organizationId: ORG, userId: ADA, roles: ["Admin"] });
    emu.faults.enqueue([
      { kind: "delay", ms: 0, match: { method: "GET" } }, // the lookup before the POST passes
      { kind: "status", status: 500, phase: "after", match: { method: "POST" } },
      { kind: "status", status: 503, match: { method: "GET" } }, // the lookup after it fails
    ]);
    await expect(org.create(inputs)).rejects.toThrow(
      /creating user \d+'s membership in organization \d+ failed/,
    );
    emu.faults.clear();
    const { org: next } = await run();
    const said = jest.spyOn(console, "log").mockImplementation(() => undefined);
    const made = await next.create(
      await checked(next, { organizationId: ORG, userId: ADA, roles: ["Admin"] }),
    );
    // Information, not a warning: nothing changes (a stack adopting 500 memberships stays quiet).
    expect(said.mock.calls.flat().join("\n")).toMatch(
      /^info: \[runtime\] wacht\.OrganizationMembership: adopting the existing .*: its roles stay as they are$/,
    );
    said.mockRestore();
    expect(made.outs).toMatchObject({ roles: ["Admin"] });
    expect(members()).toHaveLength(1);
  });
});

describe("refresh", () => {
  it("costs Σ⌈members/500⌉ list requests for all memberships, following has_more to the end", async () => {
    // 501 + 30 + 3 memberships in three new organizations.
    const layout: Array<[string, string[]]> = [
      ["530000000000000001", CROWD.slice(0, 501)],
      ["530000000000000002", CROWD.slice(501)],
      ["530000000000000003", [ADA, BOB, CAL]],
    ];
    emu.organizations.seed(
      layout.map(([id, ids], i) => ({
        id,
        name: `Org ${i}`,
        members: ids.map((user_id) => ({ user_id, roles: ["Member"] })),
      })),
    );
    const states = layout.flatMap(([organizationId, ids]) =>
      ids.map((userId) => ({
        id: `${organizationId}/${userId}`,
        props: { organizationId, userId, membershipId: "1" },
      })),
    );
    expect(states).toHaveLength(534);
    const { org, runtime } = await run();
    emu.clearRequests();
    const read = await Promise.all(states.map((s) => org.read(s.id, s.props)));
    expect(
      read.every((r) => r.id !== "" && (r.props as { roles: string[] }).roles[0] === "Member"),
    ).toBe(true);
    expect(requests()).toEqual(Array(4).fill("GET /organizations/:id/members"));
    expect(runtime.stats).toEqual({
      memberListRequests: 4,
      roleListRequests: 0,
      userListRequests: 0,
    });
    expect(emu.requests().map((r) => r.query.limit)).toEqual(["500", "500", "500", "500"]);
  });
});

describe("member roles (additive)", () => {
  it("adds one role beside a hand-added one, which stays; delete removes only its own", async () => {
    const { org, orgRole } = await run();
    const w = captureWarnings();
    const membership = await org.create(await checked(org, { organizationId: ORG, userId: BOB }));
    expect(w.done()).toEqual([expect.stringMatching(/without roles/)]);
    const billing = (await fetchJson(`/organizations/${ORG}/roles`)).data.find(
      (r: { name: string }) => r.name === "Billing",
    );
    await fetchJson(
      `/organizations/${ORG}/members/${membership.outs.membershipId}/roles/${billing.id}`,
      "POST",
    ); // by hand
    const inputs = await checked(orgRole, { organizationId: ORG, userId: BOB, role: "Admin" });
    emu.clearRequests();
    const made = await orgRole.create(inputs);
    expect(requests()).toEqual([
      "GET /users/:id/organization-memberships",
      "POST /organizations/:id/members/:id/roles/:id",
    ]);
    expect(made.outs).toMatchObject({ role: "Admin", permissions: ["organization:admin"] });
    expect(members()[0]!.roles).toEqual(["Admin", "Billing"]);
    const { orgRole: next } = await run();
    expect((await next.read(made.id, made.outs)).id).toBe(made.id);
    await next.delete(made.id, made.outs);
    expect(members()[0]!.roles).toEqual(["Billing"]);
    expect((await (await run()).orgRole.read(made.id, made.outs)).id).toBe("");
    await next.delete(made.id, made.outs); // already removed: fine
  });

  it("fails clearly without a membership, and rejects an unknown role at preview", async () => {
    const { orgRole } = await run();
    await expect(
      orgRole.create(await checked(orgRole, { organizationId: ORG, userId: CAL, role: "Admin" })),
    ).rejects.toThrow(
      /has no membership in organization \d+: declare a wacht.OrganizationMembership for it and give this resource dependsOn on it/,
    );
    const bad = await orgRole.check({}, { organizationId: ORG, userId: CAL, role: "Root" });
    expect(bad.failures![0]!.reason).toMatch(/^role: no role named "Root"/);
    expect(
      await orgRole.diff(
        "x",
        { organizationId: ORG, userId: CAL, role: "Admin" },
        { organizationId: ORG, userId: CAL, role: "Member" },
      ),
    ).toEqual({
      changes: true,
      replaces: ["role"],
      deleteBeforeReplace: true,
      changedProperties: ["role"],
    });
  });
});

describe("the User provider's delete warning (issue #22 part 7)", () => {
  it("names the user's real memberships, read only when a delete is planned", async () => {
    const { org, ws } = await run();
    await org.create(await checked(org, { organizationId: ORG, userId: CAL, roles: ["Admin"] }));
    await ws.create(await checked(ws, { workspaceId: WS, userId: CAL, roles: ["Member"] }));
    const users = await configuredProvider(emu.url, KEY);
    const w = captureWarnings();
    const declared = await users.check({}, { userId: CAL, onDelete: "delete" });
    const state = (await users.create(declared.inputs)).outs;
    // The create warns in general terms (nothing listed then): the user is not this resource's own.
    expect(w.messages.splice(0)).toEqual([
      expect.stringMatching(/its organization and workspace memberships; its passkeys/),
    ]);
    const destroyer = await configuredProvider(emu.url, KEY); // `pulumi destroy`, a new process
    emu.clearRequests();
    await destroyer.delete(CAL, state);
    const [warning] = w.done();
    expect(warning).toMatch(
      /deleting Wacht user \d+ for good .*its memberships: organization Acme \(Admin\), workspace Acme Prod \(Member\); its passkeys/,
    );
    expect(warning).not.toMatch(/segment/);
    // The run's one look at GET /organizations found one, so the user's lists are read.
    expect(requests()).toEqual([
      "GET /organizations",
      "GET /users/:id/organization-memberships",
      "GET /users/:id/workspace-memberships",
      "DELETE /users/:id",
    ]);
    const retained = await users.create((await users.check({}, { userId: ADA })).inputs);
    emu.clearRequests();
    await destroyer.delete(ADA, retained.outs); // onDelete "retain": nothing read
    expect(requests()).toEqual([]);
  });

  it("in a deployment without organizations: one look per run, no user's lists; a failed look reads them", async () => {
    const plain = await startEmulator({
      apiKey: KEY,
      rateLimitPerMinute: false,
      seed: [ADA, BOB, CAL].map((id, i) => ({ id, email: `p${i}@example.com` })),
    });
    try {
      const users = await configuredProvider(plain.url, KEY);
      const states = [];
      for (const userId of [ADA, BOB, CAL]) {
        states.push(
          (await users.create((await users.check({}, { userId, onDelete: "delete" })).inputs)).outs,
        );
      }
      const paths = () =>
        plain.requests().map((r) => `${r.method} ${r.path.replace(/\d{6,}/g, ":id")}`);
      const w = captureWarnings();
      const destroyer = await configuredProvider(plain.url, KEY); // `pulumi destroy`, a new process
      plain.clearRequests();
      await destroyer.delete(ADA, states[0]);
      await destroyer.delete(BOB, states[1]);
      expect(paths()).toEqual(["GET /organizations", "DELETE /users/:id", "DELETE /users/:id"]);
      // A run whose look keeps failing (every retry answered 503) reads the user's lists, as before.
      const failing = await configuredProvider(plain.url, KEY, { "wacht:maxRetries": "1" });
      plain.faults.enqueue({
        kind: "status",
        status: 503,
        phase: "before",
        count: 20,
        match: { method: "GET", path: "/organizations" },
      });
      plain.clearRequests();
      await failing.delete(CAL, states[2]);
      expect(paths().filter((r) => r !== "GET /organizations")).toEqual([
        "GET /users/:id/organization-memberships",
        "GET /users/:id/workspace-memberships",
        "DELETE /users/:id",
      ]);
      const warnings = w.done().filter((m) => m.includes("for good"));
      expect(warnings).toHaveLength(3);
      for (const m of warnings)
        expect(m).toMatch(/no organization or workspace membership; its passkeys/);
    } finally {
      await plain.close();
    }
  }, 30_000);
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
async function fetchJson(path: string, method = "GET", body?: unknown): Promise<any> {
  const res = await fetch(`${emu.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}
