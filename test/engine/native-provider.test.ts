// The native `wacht` provider plugin through its launcher, driven over gRPC as the engine drives
// it (test/helpers/native-host.ts), against the emulator: schema, provider settings (an explicit
// provider's args in a process with no wacht environment), secrets marked in every answer, a
// write-only password with no handle, detailed diffs, import by id, getUser, warnings attached
// to the resource's URN, onDelete, and the census. One plugin process walks one sequence.
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type EmulatorHandle } from "../../src/emulator";
import { packageSchema } from "../../src/native/schema";
import { RpcError, secretValue, type Props } from "../helpers/engine-host";
import { packAndInstall } from "../helpers/packaging";
import {
  isSecret,
  LAUNCHER,
  NATIVE_CENSUS,
  nativeUrn,
  REPO_ROOT,
  reveal,
  startNativeHost,
  type NativeHost,
} from "../helpers/native-host";
import { aUser, editOutOfBand, seedUser } from "../helpers/seed";

const API_KEY = "sk_native_0123456789abcdefghijklmnop";
const version = (
  JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string }
).version;
let emu: EmulatorHandle;
let host: NativeHost;
/** An account no stack declares, there before the run lists the deployment. */
let intruder = "";

beforeAll(async () => {
  emu = await startEmulator({ port: 0, apiKey: API_KEY });
  intruder = seedUser(emu, aUser({ email: "intruder@example.com" })).user.id;
  // No WACHT_* environment and no stack config: only the provider's own args configure it.
  host = await startNativeHost({ WACHT_API_KEY: undefined, WACHT_BASE_URL: undefined });
}, 90_000);

afterAll(async () => {
  await host?.close();
  await emu?.close();
});

async function rpcError(p: Promise<unknown>): Promise<RpcError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof RpcError)) throw new Error(`expected an RpcError, got ${String(err)}`);
  return err;
}

/** Check that must pass; returns the inputs as the engine would store them. */
async function check(urn: string, news: Props, olds: Props = {}): Promise<Props> {
  const { inputs, failures } = await host.check(urn, olds, news);
  expect(failures).toEqual([]);
  return inputs;
}

describe("the plugin", () => {
  it("reports package.json's version and serves the generated schema", async () => {
    expect(await host.getPluginInfo()).toBe(version);
    expect(await host.getSchema()).toEqual(JSON.parse(JSON.stringify(packageSchema(version))));
  });

  it("CheckConfig names an unknown or bad setting, and returns the API key secret", async () => {
    const bad = await host.checkConfig({ apiKey: API_KEY, timeoutMs: "soon", apikey: "x" });
    expect(bad.failures).toEqual([
      expect.stringContaining(
        "apikey is not a setting of the wacht provider; it takes apiKey, baseUrl",
      ),
      expect.stringContaining('timeoutMs must be a non-negative integer, got "soon"'),
    ]);
    const good = await host.checkConfig({
      apiKey: API_KEY,
      baseUrl: emu.url,
      timeoutMs: 5000,
      deltaRefresh: false,
      version,
    });
    expect(good.failures).toEqual([]);
    expect(isSecret(good.inputs["apiKey"])).toBe(true);
    expect(good.inputs["version"]).toBe(version);
  });

  it("DiffConfig: a changed setting updates the provider, never replaces it", async () => {
    const olds = { apiKey: API_KEY, baseUrl: emu.url };
    expect(await host.diffConfig(olds, olds)).toMatchObject({ changes: "none", detailed: {} });
    expect(await host.diffConfig(olds, { ...olds, apiKey: "sk_other" })).toEqual({
      changes: "some",
      replaces: [],
      detailed: { apiKey: "update" },
    });
  });

  it("Configure takes an explicit provider's args and accepts no secrets, previews no writes", async () => {
    const answer = await host.configure({ apiKey: secretValue(API_KEY), baseUrl: emu.url });
    expect(answer).toEqual({ acceptSecrets: false, supportsPreview: false });
  });
});

describe("wacht:index:User", () => {
  const urn = nativeUrn("ada");
  let id = "";
  let inputs: Props = {};
  let state: Props = {};
  const declaration = {
    emailAddress: "ada@example.com",
    firstName: "Ada",
    password: "Pa55word!x",
    passwordVersion: "1",
    privateMetadata: { tier: "gold" },
  };

  it("check keeps the password out of the inputs (no handle) and marks private metadata secret", async () => {
    inputs = await check(urn, declaration);
    expect(inputs).not.toHaveProperty("password");
    expect(inputs).not.toHaveProperty("passwordHandle");
    expect(isSecret(inputs["privateMetadata"])).toBe(true);
    expect(reveal(inputs)).toMatchObject({ firstName: "Ada", onDelete: "delete" });
  });

  it("create sets the password with the POST and returns secret outputs, no password anywhere", async () => {
    emu.clearRequests();
    const created = await host.create(urn, reveal(inputs));
    id = created.id;
    state = reveal(created.properties);
    expect(isSecret(created.properties["privateMetadata"])).toBe(true);
    expect(isSecret(created.properties["managedPrivateMetadataKeys"])).toBe(true);
    expect(state).toMatchObject({ userId: id, firstName: "Ada", hasPassword: true });
    expect(JSON.stringify(created.properties)).not.toMatch(/Pa55word|passwordHandle/);
    const post = emu.requests().find((r) => r.method === "POST" && r.path === "/users");
    expect(JSON.stringify(post)).toContain("password");
  });

  it("a dashboard edit: refresh reads it, and the diff names the field (detailed diff)", async () => {
    await editOutOfBand(emu.url, API_KEY, id, { first_name: "Grace" });
    const read = await host.read(urn, id, state, reveal(inputs));
    expect(read.id).toBe(id);
    expect(reveal(read.properties)["firstName"]).toBe("Grace");
    expect(read.inputs).not.toHaveProperty("passwordHandle");
    state = reveal(read.properties);
    const diff = await host.diff(urn, id, state, reveal(inputs));
    expect(diff).toEqual({ changes: "some", replaces: [], detailed: { firstName: "update" } });
  });

  it("update sends one PATCH of the drifted field; a bumped passwordVersion sets the password again", async () => {
    inputs = await check(urn, { ...declaration, passwordVersion: "2" }, reveal(inputs));
    const diff = await host.diff(urn, id, state, reveal(inputs));
    expect(diff.detailed).toEqual({ firstName: "update", passwordVersion: "update" });
    emu.clearRequests();
    state = reveal(await host.update(urn, id, state, reveal(inputs)));
    const writes = emu.requests().filter((r) => r.method !== "GET");
    expect(writes.map((r) => `${r.method} ${r.path}`)).toEqual([
      `PATCH /users/${id}`,
      `PATCH /users/${id}/password`,
    ]);
    expect(state).toMatchObject({ firstName: "Ada", passwordVersion: "2" });
    expect(await host.diff(urn, id, state, reveal(inputs))).toMatchObject({ changes: "none" });
  });

  it("import of an unknown id fails with exactly 'Wacht user <id> does not exist', and warns nothing", async () => {
    const importUrn = nativeUrn("ghost");
    for (const ghost of ["999999999999999999", "not-an-id"]) {
      const err = await rpcError(host.read(importUrn, ghost, {}));
      expect(err.details).toBe(`Wacht user ${ghost} does not exist`);
    }
    expect(host.logs.filter((l) => l.urn === importUrn)).toEqual([]);
  });

  it("import by id declares userId and the live managed fields (never private metadata); re-checked it plans no change", async () => {
    const seeded = seedUser(
      emu,
      aUser({
        first_name: "Imp",
        last_name: "Orted",
        public_metadata: { team: "core" },
        private_metadata: { pin: 1 },
      }),
    ).user.id;
    const importUrn = nativeUrn("imported");
    const imported = await host.read(importUrn, seeded, {});
    expect(imported.id).toBe(seeded);
    expect(imported.inputs).toEqual({
      userId: seeded,
      firstName: "Imp",
      lastName: "Orted",
      username: expect.any(String),
      disabled: false,
      secondFactorPolicy: "optional",
      publicMetadata: { team: "core" },
      onDelete: "retain",
    });
    expect(isSecret(imported.properties["privateMetadata"])).toBe(true);
    const checked = await check(importUrn, imported.inputs!, imported.inputs);
    const diff = await host.diff(importUrn, seeded, reveal(imported.properties), reveal(checked));
    expect(diff.changes).toBe("none");
  });

  it("a warning is sent to the engine with the resource's URN, at warning severity", async () => {
    const seeded = seedUser(emu, aUser()).user.id;
    const warnUrn = nativeUrn("given");
    const given = await check(warnUrn, { userId: seeded, onDelete: "delete" });
    await host.create(warnUrn, reveal(given));
    expect(host.logs).toContainEqual({
      severity: "warning",
      urn: warnUrn,
      message: expect.stringContaining(`onDelete is "delete" for Wacht user ${seeded}`),
    });
  });

  it("getUser: exactly one key, lookupUser's results", async () => {
    const found = await host.invoke("wacht:index:getUser", { email: "ada@example.com" });
    expect(found.failures).toEqual([]);
    expect(found.result).toEqual({
      userId: id,
      email: "ada@example.com",
      username: null,
      firstName: "Ada",
      lastName: expect.any(String),
      disabled: false,
      publicMetadata: {},
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect((await host.invoke("wacht:index:getUser", {})).failures).toEqual([
      "getUser takes exactly one of userId, email and username; got none",
    ]);
    expect(
      (await host.invoke("wacht:index:getUser", { email: "a@b.c", username: "x" })).failures,
    ).toEqual(["getUser takes exactly one of userId, email and username; got email and username"]);
    const none = await rpcError(
      host.invoke("wacht:index:getUser", { email: "nobody@example.com" }),
    );
    expect(none.details).toBe('getUser: no Wacht user has email "nobody@example.com"');
  });

  it("destroy (another plugin process) honours onDelete: delete removes the user it created", async () => {
    const destroy = await startNativeHost({ WACHT_API_KEY: undefined, WACHT_BASE_URL: undefined });
    try {
      await destroy.configure({ apiKey: secretValue(API_KEY), baseUrl: emu.url });
      emu.clearRequests();
      await destroy.delete(urn, id, state);
      // The delete warning names the user's memberships. This deployment has no organization, so
      // the run's one look at GET /organizations stands for the user's two membership reads.
      expect(emu.requests().map((r) => `${r.method} ${r.path}`)).toEqual([
        `GET /organizations`,
        `DELETE /users/${id}`,
      ]);
      expect(destroy.logs).toContainEqual({
        severity: "warning",
        urn,
        message: expect.stringContaining(
          `deleting Wacht user ${id} for good (onDelete: "delete"): Wacht also deletes its 1 email address(es), 0 phone number(s), no organization or workspace membership;`,
        ),
      });
    } finally {
      await destroy.close();
    }
  });
});

describe("wacht:index:UserCensus", () => {
  it("report mode: up fails naming the undeclared account; refresh's plan warns under the census's URN", async () => {
    const urn = nativeUrn("census", NATIVE_CENSUS);
    const declared = emu.users
      .list()
      .map((u) => u.user.id)
      .filter((u) => u !== intruder);
    const inputs = await check(urn, { selector: { all: true }, declaredUserIds: declared });
    expect(inputs).toMatchObject({ undeclared: "report", allowlist: [] });
    const err = await rpcError(host.create(urn, inputs));
    expect(err.details).toContain(`${intruder} (intruder@example.com`);
    const read = await host.read(urn, "wacht-user-census", {
      ...inputs,
      undeclaredAccounts: [],
      disabledAccounts: [],
      inspected: {},
    });
    expect(await host.diff(urn, "wacht-user-census", read.properties, inputs)).toMatchObject({
      changes: "some",
    });
    expect(host.logs).toContainEqual({
      severity: "warning",
      urn,
      message: expect.stringContaining("1 undeclared account"),
    });
  });
});

describe("wacht:index:OrganizationMembership and its kin (the membership implementation)", () => {
  const ORG = "560000000000000001";
  const MEMBERSHIP = "wacht:index:OrganizationMembership";
  const MEMBER_ROLE = "wacht:index:OrganizationMemberRole";
  let bot = "";
  let carol = "";

  beforeAll(() => {
    bot = seedUser(emu, aUser({ first_name: "Bot" })).user.id;
    carol = seedUser(emu, aUser({ first_name: "Carol" })).user.id;
    emu.organizations.seed([
      {
        id: ORG,
        name: "Acme",
        roles: [{ name: "Auditor", permissions: ["audit:read"] }],
        members: [{ user_id: carol, roles: ["Member", "Auditor"] }],
      },
    ]);
  });

  it("check resolves role names at preview; an unknown name fails naming the roles that exist", async () => {
    const urn = nativeUrn("bot-acme", MEMBERSHIP);
    const bad = await host.check(urn, {}, { organizationId: ORG, userId: bot, roles: ["Owner"] });
    expect(bad.failures).toEqual([
      `roles: no role named "Owner" in organization ${ORG} (its roles: Admin, Auditor, Member)`,
    ]);
  });

  it("create, a role change in the dashboard as a detailed diff of roles, one PATCH back", async () => {
    const urn = nativeUrn("bot-acme", MEMBERSHIP);
    const inputs = await check(urn, { organizationId: ORG, userId: bot, roles: ["Admin"] });
    const created = await host.create(urn, inputs);
    expect(created.id).toBe(`${ORG}/${bot}`);
    expect(created.properties).toMatchObject({
      roles: ["Admin"],
      permissions: ["organization:admin"],
    });
    const roles = (await host.invoke("wacht:index:getOrganizationRoles", { organizationId: ORG }))
      .result["roles"] as { id: string; name: string; isDeploymentLevel: boolean }[];
    expect(roles.map((r) => [r.name, r.isDeploymentLevel])).toEqual([
      ["Admin", true],
      ["Auditor", false],
      ["Member", true],
    ]);
    const mid = String(created.properties["membershipId"]);
    await fetch(`${emu.url}/organizations/${ORG}/members/${mid}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ role_ids: [roles.find((r) => r.name === "Member")!.id] }),
    });
    // A second plugin process: a new run, which lists the organization's members afresh.
    const next = await startNativeHost({ WACHT_API_KEY: undefined, WACHT_BASE_URL: undefined });
    try {
      await next.configure({ apiKey: secretValue(API_KEY), baseUrl: emu.url });
      const read = await next.read(urn, created.id, created.properties, inputs);
      expect(read.properties["roles"]).toEqual(["Member"]);
      const diff = await next.diff(urn, created.id, read.properties, inputs);
      expect(diff).toEqual({ changes: "some", replaces: [], detailed: { roles: "update" } });
      emu.clearRequests();
      const updated = await next.update(urn, created.id, read.properties, inputs);
      expect(updated["roles"]).toEqual(["Admin"]);
      expect(
        emu
          .requests()
          .filter((r) => r.method !== "GET")
          .map((r) => `${r.method} ${r.path}`),
      ).toEqual([`PATCH /organizations/${ORG}/members/${mid}`]);
    } finally {
      await next.close();
    }
  });

  it("import by id {organizationId}/{userId} declares the ids and the live roles; re-checked it plans no change", async () => {
    const urn = nativeUrn("carol-acme", MEMBERSHIP);
    emu.clearRequests();
    const imported = await host.read(urn, `${ORG}/${carol}`, {});
    expect(emu.requests().filter((r) => r.method !== "GET")).toEqual([]);
    expect(imported.id).toBe(`${ORG}/${carol}`);
    expect(imported.inputs).toEqual({
      organizationId: ORG,
      userId: carol,
      roles: ["Auditor", "Member"],
    });
    const checked = await check(urn, imported.inputs!, imported.inputs);
    expect((await host.diff(urn, imported.id, imported.properties, checked)).changes).toBe("none");
    const ghost = await rpcError(host.read(urn, `${ORG}/999999999999999999`, {}));
    expect(ghost.details).toBe(
      `${MEMBERSHIP} ${ORG}/999999999999999999: user 999999999999999999 has no membership in organization ${ORG}`,
    );
  });

  it("a member role imports by {organizationId}/{userId}/{roleId} as its role name", async () => {
    const urn = nativeUrn("carol-auditor", MEMBER_ROLE);
    const auditor = emu.organizations.get(ORG)!.roles.find((r) => r.name === "Auditor")!;
    const imported = await host.read(urn, `${ORG}/${carol}/${auditor.id}`, {});
    expect(imported.inputs).toEqual({ organizationId: ORG, userId: carol, role: "Auditor" });
    const checked = await check(urn, imported.inputs!, imported.inputs);
    expect((await host.diff(urn, imported.id, imported.properties, checked)).changes).toBe("none");
  });

  it("getUserMemberships: the user's memberships with roles and permissions; an unknown user fails", async () => {
    const got = await host.invoke("wacht:index:getUserMemberships", { userId: carol });
    expect(got.failures).toEqual([]);
    expect(got.result).toEqual({
      userId: carol,
      organizations: [
        expect.objectContaining({
          organizationId: ORG,
          organizationName: "Acme",
          roles: ["Auditor", "Member"],
          permissions: ["audit:read", "organization:member"],
        }),
      ],
      workspaces: [],
    });
    expect((await host.invoke("wacht:index:getUserMemberships", { userId: "x" })).failures).toEqual(
      ["userId must be a Wacht id (a decimal int64 string)"],
    );
    const ghost = await rpcError(
      host.invoke("wacht:index:getUserMemberships", { userId: "999999999999999999" }),
    );
    expect(ghost.details).toBe("getUserMemberships: Wacht user 999999999999999999 does not exist");
  });
});

describe("the launcher", () => {
  it("prints nothing but the port on stdout (a second line would break no engine, but none is written)", async () => {
    const second = await startNativeHost();
    try {
      expect(second.output()).toBe("");
    } finally {
      await second.close();
    }
  });

  it("starts from the packed package (npm install of the tarball), plugin/ beside dist/", async () => {
    const install = await packAndInstall();
    const launcher = path.join(
      install.dir,
      "node_modules",
      "pulumi-wacht",
      "plugin",
      "pulumi-resource-wacht",
    );
    const packed = await startNativeHost({}, launcher);
    try {
      expect(await packed.getPluginInfo()).toBe(version);
    } finally {
      await packed.close();
    }
  }, 180_000);

  it("says what to install when node is missing or older than 20", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "wacht-launcher-"));
    const oldNode = path.join(dir, "node");
    writeFileSync(oldNode, "#!/bin/sh\necho v18.19.0\n");
    chmodSync(oldNode, 0o755);
    const old = spawnSync(LAUNCHER, ["127.0.0.1:1"], {
      env: { PATH: process.env.PATH, PULUMI_WACHT_NODE: oldNode },
      encoding: "utf8",
    });
    expect(old.status).toBe(1);
    expect(old.stdout).toBe("");
    expect(old.stderr).toBe(
      `pulumi-resource-wacht: the wacht provider needs Node.js >= 20; ${oldNode} is v18.19.0\n`,
    );
    const none = spawnSync(LAUNCHER, ["127.0.0.1:1"], {
      env: { PATH: "/nonexistent" },
      encoding: "utf8",
    });
    expect(none.status).toBe(1);
    expect(none.stderr).toContain("Node.js not found: the wacht provider needs node >= 20 on PATH");
  });

  it("runs through a symlink (resolves its own real path)", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "wacht-launcher-"));
    const link = path.join(dir, "pulumi-resource-wacht");
    execFileSync("ln", ["-s", LAUNCHER, link]);
    const run = spawnSync(link, [], { encoding: "utf8" });
    // Without the engine's address the server refuses to start, after the launcher found it.
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("pulumi-resource-wacht is a Pulumi provider plugin");
  });
});
