// The census by permission (issue #22 part 6) against the emulator over real HTTP on 127.0.0.1:
// `selector: { permission: "organization:admin" }` names an enabled admin whose membership the
// stack does not declare (even when the user is declared), never a declared admin membership,
// a disabled admin, a mere member or an allowlisted one; report mode fails `up` naming it and
// saying how to declare the membership; disable mode disables it (a PATCH, never a delete). It
// costs the organization listing, one member listing per organization and one details read per
// undeclared holder.
import { startEmulator, type EmulatorHandle } from "../../../src/emulator";
import { WachtUserCensusProvider } from "../../../src/census/census-provider";
import { DECLARED_KEY, DECLARED_MEMBERSHIPS_KEY } from "../../../src/census/census-inputs";
import { dynamicFrontDoor } from "../../../src/provider/dynamic-front-door";
import type { ShimmedProvider } from "../../../src/provider/engine-facing";
import { captureWarnings } from "../../helpers/warnings";
import { WachtClient } from "../../../src/client/wacht-client";

const KEY = "sk_test_census_permission_0000000000000000000000000";
const ACME = "540000000000000001";
const BETA = "540000000000000002";
const ADA = "310000000000000001"; // declared admin of Acme
const EVE = "310000000000000002"; // declared user, made admin of Beta by hand
const DAN = "310000000000000003"; // undeclared admin of Beta, disabled
const MIA = "310000000000000004"; // undeclared member of Acme (not an admin)
const OPS = "310000000000000005"; // undeclared admin of Acme, allowlisted by email

let emulator: EmulatorHandle;

type CensusProvider = ShimmedProvider & Pick<WachtUserCensusProvider, "stats">;

async function provider(): Promise<CensusProvider> {
  const impl = new WachtUserCensusProvider();
  const door = dynamicFrontDoor(impl, "wacht.UserCensus", {
    internalInputs: {
      [DECLARED_KEY]: "declaredUserIds",
      [DECLARED_MEMBERSHIPS_KEY]: "declaredMemberships",
    },
  });
  const p = Object.assign(door, { stats: impl.stats });
  const values: Record<string, string> = { "wacht:apiKey": KEY, "wacht:baseUrl": emulator.url };
  await p.configure({
    config: { get: (k: string) => values[k], require: (k: string) => values[k] ?? "" },
  });
  return p;
}

const requests = () =>
  emulator.requests().map((r) => `${r.method} ${r.path.replace(/\d{6,}/g, ":id")}`);

const ADMINS = { permission: "organization:admin" };
const declaration = (over: Record<string, unknown> = {}) => ({
  selector: ADMINS,
  __declaredUserIds: [ADA, EVE],
  __declaredMemberships: [`${ACME}/${ADA}`],
  allowlist: ["ops@corp.example"],
  ...over,
});

async function checked(p: CensusProvider, news: Record<string, unknown>) {
  const res = await p.check({}, news);
  expect(res.failures ?? []).toEqual([]);
  return res.inputs as Record<string, unknown>;
}

beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    apiKey: KEY,
    rateLimitPerMinute: false,
    seed: [
      { id: ADA, username: "ada", email: "ada@corp.example" },
      { id: EVE, username: "eve", email: "eve@corp.example" },
      { id: DAN, username: "dan", email: "dan@corp.example", disabled: true },
      { id: MIA, username: "mia", email: "mia@corp.example" },
      { id: OPS, username: "ops_bot", email: "ops@corp.example" },
    ],
    organizations: [
      {
        id: ACME,
        name: "Acme",
        members: [
          { user_id: ADA, roles: ["Admin"] },
          { user_id: MIA, roles: ["Member"] },
          { user_id: OPS, roles: ["Admin", "Member"] },
        ],
      },
      {
        id: BETA,
        name: "Beta",
        members: [
          { user_id: EVE, roles: ["Admin"] },
          { user_id: DAN, roles: ["Admin"] },
          { user_id: ADA, roles: ["Member"] },
        ],
      },
    ],
  });
});
afterAll(async () => emulator.close());
beforeEach(() => emulator.reset());

describe("census by permission", () => {
  it("check accepts the selector and the declared memberships, and names a bad pair", async () => {
    const p = await provider();
    expect(await checked(p, declaration())).toEqual({
      selector: ADMINS,
      __declaredUserIds: [ADA, EVE],
      __declaredMemberships: [`${ACME}/${ADA}`],
      allowlist: ["ops@corp.example"],
      undeclared: "report",
    });
    const res = await p.check(
      {},
      declaration({
        selector: { permission: "organization:admin", organizations: ["acme"] },
        __declaredMemberships: [ADA],
      }),
    );
    expect(res.failures).toEqual([
      {
        property: "",
        reason:
          "selector.organizations.0: selector.organizations must hold organization ids (decimal int64 strings)",
      },
      {
        property: "",
        reason:
          "declaredMemberships.0: declaredMemberships must hold <organizationId>/<userId> pairs, e.g. the roster's memberships",
      },
    ]);
  });

  it("refresh names the undeclared enabled admin only, at the listings' cost plus one read per holder", async () => {
    const p = await provider();
    const inputs = await checked(p, declaration());
    emulator.clearRequests();
    const { props } = await p.read("wacht-user-census", inputs);
    expect(props).toMatchObject({
      undeclaredCount: 1,
      undeclaredAccounts: [
        { id: EVE, email: "eve@corp.example", username: "eve", organizationIds: [BETA] },
      ],
      declaredMemberships: [`${ACME}/${ADA}`],
    });
    // ADA's Acme admin membership is declared; DAN is disabled; MIA is a member; OPS is allowlisted.
    expect(requests().sort()).toEqual(
      [
        "GET /organizations",
        "GET /organizations/:id/members",
        "GET /organizations/:id/members",
        "GET /settings/b2b/organization-roles",
        "GET /users/:id/details", // EVE
        "GET /users/:id/details", // DAN: is it enabled?
        "GET /users/:id/details", // OPS: its email, for the allowlist
      ].sort(),
    );
    expect(p.stats).toMatchObject({ listRequests: 4, detailRequests: 3 });
    // The diff of the program's declaration warns, naming EVE, in the user census's words.
    const warnings = captureWarnings();
    try {
      expect((await p.diff("wacht-user-census", props, inputs)).changes).toBe(true);
    } finally {
      expect(warnings.done()).toEqual([
        expect.stringContaining(
          `wacht.UserCensus: 1 undeclared account: ${EVE} (eve@corp.example, username eve; in organization ${BETA}); \`pulumi up\` will fail`,
        ),
      ]);
    }
  });

  it("looks only in the organizations the selector lists (no organization listing)", async () => {
    const p = await provider();
    const inputs = await checked(
      p,
      declaration({ selector: { permission: "organization:admin", organizations: [ACME] } }),
    );
    emulator.clearRequests();
    const { props } = await p.read("wacht-user-census", inputs);
    expect(props).toMatchObject({ undeclaredCount: 0, undeclaredAccounts: [] });
    // The organization's roles prove it exists and that a role carries the permission.
    expect(requests()).toEqual([
      "GET /organizations/:id/roles",
      "GET /organizations/:id/members",
      "GET /users/:id/details",
    ]);
  });

  it("a census that could not see a holder fails instead of reporting nobody", async () => {
    const p = await provider();
    // A workspace permission: the organizations' member listings do not show workspace roles.
    const workspace = await p.check(
      {},
      declaration({ selector: { permission: "workspace:admin" } }),
    );
    expect(workspace.failures).toEqual([
      {
        property: "",
        reason:
          'selector.permission: the census reads organizations\' member listings, where workspace roles do not show: give an organization permission, such as "organization:admin"',
      },
    ]);
    const empty = await p.check(
      {},
      declaration({ selector: { permission: "", organizations: [] } }),
    );
    expect(empty.failures?.map((f) => f.reason)).toEqual([
      'selector.permission: give a permission, such as "organization:admin"',
      "selector.organizations: list at least one organization id, or leave organizations out to look in every organization",
    ]);
    // An organization that does not exist (its member listing would be an empty 200).
    const unknown = await checked(
      p,
      declaration({
        selector: { permission: "organization:admin", organizations: ["999999999999999999"] },
      }),
    );
    await expect(p.read("wacht-user-census", unknown)).rejects.toThrow(
      "wacht.UserCensus: selector.organizations: organization 999999999999999999 does not exist in this deployment (GET /organizations/999999999999999999/roles answered 404): give the id of an existing organization, or leave organizations out to look in every one",
    );
    // A permission no role carries (a typo): in every organization, and in the ones listed.
    const typo = await checked(p, declaration({ selector: { permission: "organization:Admin" } }));
    await expect(p.read("wacht-user-census", typo)).rejects.toThrow(
      'wacht.UserCensus: selector.permission: no role of the deployment, and none a member holds, carries "organization:Admin", so the census could not find a holder if there were one: check its spelling (the roles carry: organization:admin, organization:member)',
    );
    const listed = await checked(
      p,
      declaration({ selector: { permission: "organization:Admin", organizations: [ACME] } }),
    );
    await expect(p.read("wacht-user-census", listed)).rejects.toThrow(
      'no role of the organizations listed carries "organization:Admin"',
    );
  });

  it("a declared admin membership is never named; the user alone does not declare it", async () => {
    const p = await provider();
    const inputs = await checked(
      p,
      declaration({ __declaredMemberships: [`${ACME}/${ADA}`, `${BETA}/${EVE}`] }),
    );
    const { props } = await p.read("wacht-user-census", inputs);
    expect(props).toMatchObject({ undeclaredCount: 0 });
  });

  it("report mode fails up naming the admin and how to declare its membership", async () => {
    const p = await provider();
    const inputs = await checked(p, declaration());
    await expect(p.create(inputs)).rejects.toThrow(
      [
        "wacht.UserCensus: 1 account in the deployment is selected by the census but not declared by this stack:",
        `  - ${EVE} (eve@corp.example, username eve; in organization ${BETA})`,
        "For each one, either:",
        '  - declare its membership: in its roster file, `organizations: { "<organizationId>": [<role names>] }` for each organization where it holds organization:admin',
      ].join("\n"),
    );
  });

  it("disable mode never disables an account the stack declares: it fails naming it, writing nothing", async () => {
    const p = await provider();
    const inputs = await checked(p, declaration({ undeclared: "disable" })); // EVE is declared
    emulator.clearRequests();
    await expect(p.create(inputs)).rejects.toThrow(
      [
        "wacht.UserCensus: 1 account this stack declares holds organization:admin through a membership it does not declare, and disable mode does not disable a declared account (its own resource keeps it enabled); nothing was disabled:",
        `  - ${EVE} (eve@corp.example, username eve; in organization ${BETA})`,
      ].join("\n"),
    );
    expect(emulator.requests().filter((r) => r.method !== "GET")).toEqual([]);
  });

  it("disable mode disables the undeclared admin with one PATCH and nothing else", async () => {
    const p = await provider();
    // EVE's account is not declared here: only its membership would make it so.
    const inputs = await checked(
      p,
      declaration({ undeclared: "disable", __declaredUserIds: [ADA] }),
    );
    emulator.clearRequests();
    const info = jest.spyOn(console, "log").mockImplementation(() => undefined);
    let printed: string;
    let outs: unknown;
    try {
      ({ outs } = await p.create(inputs));
    } finally {
      printed = info.mock.calls.flat().join("\n");
      info.mockRestore();
    }
    expect(printed).toContain(`disabled 1 undeclared account: ${EVE}`);
    expect(outs).toMatchObject({ disabledCount: 1, disabledAccounts: [{ id: EVE }] });
    const writes = emulator.requests().filter((r) => r.method !== "GET");
    expect(writes.map((r) => `${r.method} ${r.path}`)).toEqual([`PATCH /users/${EVE}`]);
    const after = await checked(await provider(), declaration());
    const { props } = await (await provider()).read("wacht-user-census", after);
    expect(props).toMatchObject({ undeclaredCount: 0 });
  });

  it("lists every organization page by page (id and name only, never their metadata)", async () => {
    const client = new WachtClient({ apiKey: KEY, baseUrl: emulator.url });
    emulator.clearRequests();
    const { parents, requests: n } = await client.organizations.listAll(1);
    expect(parents).toEqual([
      { id: ACME, name: "Acme" },
      { id: BETA, name: "Beta" },
    ]);
    expect(n).toBe(2);
    expect(emulator.requests().map((r) => `${r.path}?${r.rawQuery}`)).toEqual([
      "/organizations?limit=1&offset=0&sort_key=created_at&sort_order=asc",
      "/organizations?limit=1&offset=1&sort_key=created_at&sort_order=asc",
    ]);
  });
});
