// wacht.UserCensus provider against the emulator over real HTTP on 127.0.0.1 (issue 14): read
// (refresh) finds undeclared accounts and only lists when nothing changed; diff shows the change
// and names them; report mode fails `up` with the list and what to do; disable mode PATCHes
// `disabled` only, never DELETE; private metadata never reaches the state.
import { startEmulator, type EmulatorHandle } from "../../../src/emulator";
import { CENSUS_ID, WachtUserCensusProvider } from "../../../src/census/census-provider";
import { DECLARED_KEY } from "../../../src/census/census-inputs";
import { dynamicFrontDoor } from "../../../src/provider/dynamic-front-door";
import type { ShimmedProvider } from "../../../src/provider/engine-facing";
import { calls } from "../../helpers/provider";
import { seedUsers } from "../../helpers/seed";
import { captureWarnings } from "../../helpers/warnings";
import { byProperty } from "../../helpers/check-failures";

const KEY = "sk_test_census_key_00000000000000000000000000000000";
const ADA = "310000000000000001"; // declared admin
const EVE = "310000000000000002"; // undeclared admin (added in the dashboard)
const CAL = "310000000000000003"; // end user, not selected
const OPS = "310000000000000004"; // undeclared admin on the allowlist
const seed = [
  { id: ADA, username: "ada", email: "ada@corp.example", public_metadata: { kind: "admin" } },
  {
    id: EVE,
    username: "eve",
    email: "eve@corp.example",
    public_metadata: { kind: "admin" },
    private_metadata: { token: "PRIVATE-eve" },
  },
  { id: CAL, username: "cal", email: "cal@gmail.example", public_metadata: { kind: "customer" } },
  { id: OPS, username: "ops_bot", email: "ops@corp.example", public_metadata: { kind: "service" } },
];

let emulator: EmulatorHandle;

/** The census as the engine reaches it: behind the dynamic front door (its logging context). */
type CensusProvider = ShimmedProvider & Pick<WachtUserCensusProvider, "stats">;

async function provider(): Promise<CensusProvider> {
  const impl = new WachtUserCensusProvider();
  const door = dynamicFrontDoor(impl, "wacht.UserCensus", {
    internalInputs: { [DECLARED_KEY]: "declaredUserIds" },
  });
  const p = Object.assign(door, { stats: impl.stats });
  const values: Record<string, string> = { "wacht:apiKey": KEY, "wacht:baseUrl": emulator.url };
  await p.configure({
    config: { get: (k: string) => values[k], require: (k: string) => values[k] ?? "" },
  });
  return p;
}

const ADMINS = { publicMetadata: { key: "kind", in: ["admin", "service"] } };

async function checked(p: CensusProvider, news: Record<string, unknown>) {
  const res = await p.check({}, news);
  expect(res.failures ?? []).toEqual([]);
  return res.inputs as Record<string, unknown>;
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, apiKey: KEY, seed });
});
afterAll(async () => emulator.close());
beforeEach(() => emulator.reset());

describe("census check applies the defaults and names a bad property", () => {
  it("applies the defaults and rejects a bad selector, id or key, naming the property", async () => {
    const p = await provider();
    // The declared ids travel under an internal key: no plan prints them.
    expect(await checked(p, { selector: { all: true }, declaredUserIds: [ADA] })).toEqual({
      selector: { all: true },
      __declaredUserIds: [ADA],
      allowlist: [],
      undeclared: "report",
    });
    const res = await p.check(
      {},
      {
        selector: { kind: "admin" },
        declaredUserIds: ["ada"],
        undeclared: "delete",
        allowList: [],
      },
    );
    expect(byProperty(res.failures ?? [])).toEqual(
      expect.arrayContaining([
        { property: "allowList", reason: expect.stringContaining('unknown property "allowList"') },
        { property: "selector", reason: expect.stringContaining("selector must be { all: true }") },
        {
          property: "declaredUserIds.0",
          reason: "declaredUserIds must hold Wacht user ids (decimal int64 strings)",
        },
        { property: "undeclared", reason: "undeclared must be one of: report, disable" },
      ]),
    );
    expect(res.failures).toHaveLength(4);
    expect(emulator.requests()).toEqual([]);
  });
});

describe("census refresh finds undeclared accounts; up reports or disables them", () => {
  it("report mode: refresh names the undeclared admin, diff shows a change, up fails with what to do", async () => {
    const p = await provider();
    const inputs = await checked(p, {
      selector: ADMINS,
      declaredUserIds: [ADA],
      allowlist: ["ops_bot"],
    });
    // A clean first create: Eve is not there yet.
    emulator.users.patch(EVE, { disabled: true });
    const created = await p.create(inputs);
    expect(created.id).toBe(CENSUS_ID);
    expect(created.outs).toMatchObject({ undeclaredAccounts: [], disabledAccounts: [] });

    // Someone enables Eve in the dashboard.
    emulator.users.patch(EVE, { disabled: false });
    emulator.clearRequests();
    const read = await p.read(CENSUS_ID, created.outs as Record<string, unknown>);
    const state = read.props as Record<string, unknown>;
    expect(state["undeclaredAccounts"]).toEqual([
      { id: EVE, email: "eve@corp.example", username: "eve" },
    ]);
    // One list page, and one details GET for Eve (her updated_at changed); none for the others.
    expect(calls(emulator)).toEqual(["GET /users", `GET /users/${EVE}/details`]);
    expect(JSON.stringify(state)).not.toContain("PRIVATE-eve");

    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      const diff = await p.diff(CENSUS_ID, state, inputs);
      expect(diff.changes).toBe(true);
      const printed = [...warn.mock.calls, ...log.mock.calls].flat().join("\n");
      expect(printed).toContain(`1 undeclared account: ${EVE} (eve@corp.example, username eve`);
    } finally {
      warn.mockRestore();
      log.mockRestore();
    }

    emulator.clearRequests();
    const failure = p.update(CENSUS_ID, state, inputs);
    await expect(failure).rejects.toThrow(
      `1 account in the deployment is selected by the census but not declared by this stack:\n  - ${EVE} (eve@corp.example, username eve`,
    );
    await expect(failure).rejects.toThrow("allowlist it");
    await expect(failure).rejects.toThrow('opt in to undeclared: "disable"');
    // Report mode never writes.
    expect(calls(emulator).every((c) => c.startsWith("GET "))).toBe(true);
  });

  it("one `up --refresh` warns once, with the program's mode: the refresh's diff (recorded declaration) is silent", async () => {
    // The recorded census: report mode (the default), taken by an earlier process.
    const earlier = await provider();
    const recorded = await checked(earlier, { selector: ADMINS, declaredUserIds: [ADA, OPS] });
    const state = (await earlier.read(CENSUS_ID, { ...recorded, __checked: {} })).props as Record<
      string,
      unknown
    >;
    expect(state["undeclaredAccounts"]).toEqual([expect.objectContaining({ id: EVE })]);

    const p = await provider(); // this run's process
    const warnings = captureWarnings();
    let said: string[];
    try {
      // The refresh's diff: the census just taken against the declaration recorded in state.
      expect((await p.diff(CENSUS_ID, state, recorded)).changes).toBe(true);
      expect(warnings.messages).toEqual([]);
      // The program now says "disable": its plan warns, once however often diff is asked.
      const program = await checked(p, { ...recorded, undeclared: "disable" });
      expect((await p.diff(CENSUS_ID, state, program)).changes).toBe(true);
      expect((await p.diff(CENSUS_ID, state, program)).changes).toBe(true);
    } finally {
      said = warnings.done();
    }
    expect(said).toHaveLength(1);
    expect(said[0]).toContain(`wacht.UserCensus: 1 undeclared account: ${EVE} (eve@corp.example`);
    expect(said[0]).toMatch(/`pulumi up` will disable them \(never delete\)\.$/);
  });

  it("a second refresh with nothing changed costs the list request only", async () => {
    const p = await provider();
    const inputs = await checked(p, { selector: ADMINS, declaredUserIds: [ADA, OPS] });
    const first = await p.read(CENSUS_ID, {
      ...inputs,
      undeclaredAccounts: [],
      disabledAccounts: [],
      __checked: {},
    });
    emulator.clearRequests();
    const second = await p.read(CENSUS_ID, first.props as Record<string, unknown>);
    expect(calls(emulator)).toEqual(["GET /users"]);
    expect((second.props as Record<string, unknown>)["undeclaredAccounts"]).toEqual([
      expect.objectContaining({ id: EVE }),
    ]);
    expect(p.stats.listRequests).toBe(2);
  });

  it("disable mode: up disables the undeclared account (PATCH disabled only, never DELETE), then refresh is clean", async () => {
    const p = await provider();
    const inputs = await checked(p, {
      selector: { emailDomains: ["corp.example"] },
      declaredUserIds: [ADA],
      allowlist: ["ops@corp.example"],
      undeclared: "disable",
    });
    emulator.clearRequests();
    const info = jest.spyOn(console, "log").mockImplementation(() => undefined);
    let printed = "";
    const created = await p.create(inputs).finally(() => {
      printed = info.mock.calls.flat().join("\n");
      info.mockRestore();
    });
    expect(printed).toContain(`wacht.UserCensus: disabled 1 undeclared account: ${EVE}`);
    expect(created.outs).toMatchObject({
      undeclaredAccounts: [],
      disabledAccounts: [{ id: EVE, email: "eve@corp.example", username: "eve" }],
    });
    const log = calls(emulator);
    expect(log.filter((c) => !c.startsWith("GET "))).toEqual([`PATCH /users/${EVE}`]);
    expect(log).not.toContain(`GET /users/${CAL}/details`); // outside the domain: never read
    expect(emulator.users.get(EVE)?.user.disabled).toBe(true);
    expect(emulator.users.get(EVE)).toBeDefined();
    const patch = emulator.requests().find((r) => r.method === "PATCH");
    expect((patch?.multipart ?? []).map((part) => part.name)).toEqual(["disabled"]);

    emulator.clearRequests();
    const read = await p.read(CENSUS_ID, created.outs as Record<string, unknown>);
    expect((read.props as Record<string, unknown>)["undeclaredAccounts"]).toEqual([]);
    expect(calls(emulator)).toEqual(["GET /users"]);
    const diff = await p.diff(CENSUS_ID, read.props as Record<string, unknown>, inputs);
    expect(diff.changes).toBe(false);
  });

  it("declaring the account (its id in declaredUserIds) clears the census; delete touches nothing", async () => {
    const p = await provider();
    const inputs = await checked(p, {
      selector: { all: true },
      declaredUserIds: [ADA, EVE, CAL, OPS],
    });
    emulator.clearRequests();
    const created = await p.create(inputs);
    expect(created.outs).toMatchObject({
      undeclaredAccounts: [],
      disabledAccounts: [],
      __checked: {},
    });
    expect(calls(emulator)).toEqual(["GET /users"]);
    emulator.clearRequests();
    await p.delete(CENSUS_ID, {});
    expect(calls(emulator)).toEqual([]);
  });

  it("an account whose file was removed is not judged by that same up (its delete runs later), but by the next refresh", async () => {
    const p = await provider();
    const before = await checked(p, {
      selector: { all: true },
      declaredUserIds: [ADA, EVE, CAL, OPS],
    });
    const created = await p.create(before);
    // The roster no longer declares Eve: her resource's delete (or retain) runs after the census.
    const after = await checked(p, { selector: { all: true }, declaredUserIds: [ADA, CAL, OPS] });
    expect((await p.diff(CENSUS_ID, created.outs as Record<string, unknown>, after)).changes).toBe(
      true,
    );
    const updated = await p.update(CENSUS_ID, created.outs as Record<string, unknown>, after);
    expect(updated.outs).toMatchObject({
      undeclaredAccounts: [],
      declaredUserIds: [ADA, CAL, OPS],
    });
    // Retained and still enabled: the next refresh names her.
    const read = await p.read(CENSUS_ID, updated.outs as Record<string, unknown>);
    expect((read.props as Record<string, unknown>)["undeclaredAccounts"]).toEqual([
      expect.objectContaining({ id: EVE }),
    ]);
  });

  it("lists in pages of 500", async () => {
    seedUsers(emulator, 620, (i) => ({ username: `bulk${i}`, email: `bulk${i}@x.example` }));
    const p = await provider();
    const inputs = await checked(p, {
      selector: { emailDomains: ["corp.example"] },
      declaredUserIds: [ADA, EVE, OPS],
    });
    emulator.clearRequests();
    await p.read(CENSUS_ID, { ...inputs, __checked: {} });
    expect(calls(emulator)).toEqual(["GET /users", "GET /users"]);
    expect(emulator.requests()[0]?.query["limit"]).toBe("500");
  });
});

describe("a census that keeps its findings to itself (issue #21)", () => {
  it("its state holds the count and id, email and username of the accounts it names; nothing of the candidates it checked", async () => {
    const p = await provider();
    const inputs = await checked(p, { selector: ADMINS, declaredUserIds: [ADA, OPS] });
    const read = await p.read(CENSUS_ID, { ...inputs, __checked: {} });
    const state = read.props as Record<string, unknown>;
    expect(state).toEqual({
      selector: ADMINS,
      declaredUserIds: [ADA, OPS],
      allowlist: [],
      undeclared: "report",
      undeclaredCount: 1,
      undeclaredAccounts: [{ id: EVE, email: "eve@corp.example", username: "eve" }],
      disabledCount: 0,
      disabledAccounts: [],
      __checked: expect.any(Object),
    });
    // Cal (a customer the selector does not select) was checked, and nothing says who he is.
    const text = JSON.stringify(state);
    for (const fact of [CAL, "cal@gmail.example", "customer"]) expect(text).not.toContain(fact);
    const checkedCache = state["__checked"] as Record<string, string>;
    expect(Object.keys(checkedCache)).toHaveLength(2); // Eve and Cal: digests and flags only
    for (const [key, value] of Object.entries(checkedCache)) {
      expect(key).toMatch(/^[0-9a-f]{16}$/);
      expect(value).toMatch(/^[0-9a-f]{8}[s-][d-]$/);
    }
    // The cache works: the next census reads no details.
    emulator.clearRequests();
    await p.read(CENSUS_ID, state);
    expect(calls(emulator)).toEqual(["GET /users"]);
  });

  it("names the first 20 accounts and counts them all, in its state, its warning and its failure", async () => {
    seedUsers(emulator, 25, (i) => ({
      username: `intruder${i}`,
      email: `intruder${i}@corp.example`,
      public_metadata: { kind: "admin" },
    }));
    const p = await provider();
    const inputs = await checked(p, { selector: ADMINS, declaredUserIds: [ADA, EVE, OPS] });
    const state = (await p.read(CENSUS_ID, { ...inputs, __checked: {} })).props as Record<
      string,
      unknown
    >;
    expect(state["undeclaredCount"]).toBe(25);
    expect(state["undeclaredAccounts"]).toHaveLength(20);
    const warnings = captureWarnings();
    try {
      await p.diff(CENSUS_ID, state, inputs);
    } finally {
      expect(warnings.done()).toEqual([
        expect.stringMatching(
          /wacht\.UserCensus: 25 undeclared accounts: .*; and 5 more; `pulumi up` will fail/,
        ),
      ]);
    }
    await expect(p.update(CENSUS_ID, state, inputs)).rejects.toThrow(
      /25 accounts in the deployment are selected[^]*\n {2}- and 5 more\n/,
    );
  });

  it("a plan whose declared ids are not known yet (new users) does not show the census changing; known ids that differ do", async () => {
    const p = await provider();
    const inputs = await checked(p, { selector: ADMINS, declaredUserIds: [ADA, EVE, OPS] });
    const state = (await p.create(inputs)).outs as Record<string, unknown>;
    expect(state["undeclaredCount"]).toBe(0);
    const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    // A PR that adds a user: the roster's userIds are unknown until up.
    const pr = await checked(p, { selector: ADMINS, declaredUserIds: UNKNOWN });
    expect((await p.diff(CENSUS_ID, state, pr)).changes).toBe(false);
    const prElements = await checked(p, {
      selector: ADMINS,
      declaredUserIds: [ADA, EVE, OPS, UNKNOWN],
    });
    expect((await p.diff(CENSUS_ID, state, prElements)).changes).toBe(false);
    // At up the ids are known: the census records them.
    const up = await checked(p, { selector: ADMINS, declaredUserIds: [ADA, EVE, OPS, CAL] });
    expect((await p.diff(CENSUS_ID, state, up)).changes).toBe(true);
    // Same ids in another order: no change.
    const reordered = await checked(p, { selector: ADMINS, declaredUserIds: [OPS, EVE, ADA] });
    expect((await p.diff(CENSUS_ID, state, reordered)).changes).toBe(false);
    // With undeclared accounts recorded, the census shows as changed in any plan.
    const found = (await p.read(CENSUS_ID, { ...state, declaredUserIds: [ADA, OPS] }))
      .props as Record<string, unknown>;
    const warnings = captureWarnings();
    try {
      expect((await p.diff(CENSUS_ID, found, pr)).changes).toBe(true);
    } finally {
      warnings.done();
    }
  });

  it("a state written before the digest cache (an inspected map by id) is read into it: no details read again", async () => {
    const p = await provider();
    const inputs = await checked(p, { selector: ADMINS, declaredUserIds: [ADA, OPS] });
    const fresh = (await p.read(CENSUS_ID, { ...inputs, __checked: {} })).props as Record<
      string,
      unknown
    >;
    // The old form, from what the listing says of each candidate.
    const lists = await fetch(`${emulator.url}/users?limit=500`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    const page = (await lists.json()) as { data: { id: string; updated_at: string }[] };
    const at = (id: string) => page.data.find((u) => u.id === id)!.updated_at;
    const inspected = {
      [EVE]: { updatedAt: at(EVE), selected: true, disabled: false },
      [CAL]: { updatedAt: at(CAL), selected: false, disabled: false },
    };
    const withoutCache = { ...fresh };
    delete withoutCache["__checked"];
    emulator.clearRequests();
    const upgraded = (await p.read(CENSUS_ID, { ...withoutCache, inspected })).props as Record<
      string,
      unknown
    >;
    expect(calls(emulator)).toEqual(["GET /users"]);
    expect(upgraded).not.toHaveProperty("inspected");
    expect(upgraded["__checked"]).toEqual(fresh["__checked"]);
  });
});
