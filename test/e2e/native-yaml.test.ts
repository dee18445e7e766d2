// The native provider from a Pulumi YAML program, through the real CLI and its YAML language host,
// against the emulator: one stack with no `wacht:*` config at all, whose resources use an
// explicit `pulumi:providers:wacht` with its own key and base URL. It walks: a preview with no
// write, up (getUser as fn::invoke), a no-op preview, a dashboard edit named by
// `preview --refresh` and reverted by `up --refresh` with one PATCH (while the census in report
// mode fails naming an undeclared account), a password set again by passwordVersion, `pulumi
// import` (an unknown id, then a user and an organization membership whose generated code plans
// no change), and destroy honouring onDelete. Alongside the user, the stack declares her
// organization membership with roles (`wacht:index:OrganizationMembership`, verified by its
// `permissions`) and calls the membership invokes (`getOrganizationRoles`,
// `getUserMemberships`). Secrets are ciphertext in state, inputs and outputs alike.
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { startEmulator, type EmulatorHandle } from "../../src/emulator";
import { aUser, editOutOfBand, seedUser } from "../helpers/seed";
import { byKind, expectSuccess, writes, E2E_API_KEY } from "./helpers/fixtures";
import { E2eProject, REPO_ROOT, type StateResource } from "./helpers/project";

jest.setTimeout(240_000);

const PASSWORD = "Pa55word!native";
const PRIVATE = "gold-tier-private";
const ORG = "570000000000000001";
let emu: EmulatorHandle;
let project: E2eProject;
let lookupId = "";
let importId = "";
let intruderId = "";
let adaId = "";
let providerUrn = "";

/** The program; `extra` resources are added (the imported one), `opts` change the flow. */
function program(opts: { passwordVersion: number; allow: string[]; extra?: object }): string {
  const provider = { provider: "${staging}" };
  return stringify(
    {
      plugins: { providers: [{ name: "wacht", path: path.join(REPO_ROOT, "plugin") }] },
      config: {
        emulatorUrl: { type: "string" },
        emulatorKey: { type: "string", secret: true },
      },
      resources: {
        staging: {
          type: "pulumi:providers:wacht",
          properties: { apiKey: "${emulatorKey}", baseUrl: "${emulatorUrl}" },
        },
        ada: {
          type: "wacht:index:User",
          properties: {
            emailAddress: "ada@corp.example",
            firstName: "Ada",
            lastName: "Lovelace",
            password: PASSWORD,
            passwordVersion: opts.passwordVersion,
            privateMetadata: { tier: PRIVATE },
          },
          options: provider,
        },
        adaAcme: {
          type: "wacht:index:OrganizationMembership",
          properties: { organizationId: ORG, userId: "${ada.userId}", roles: ["Admin", "Auditor"] },
          options: provider,
        },
        census: {
          type: "wacht:index:UserCensus",
          properties: {
            selector: { emailDomains: ["corp.example"] },
            declaredUserIds: ["${ada.userId}"],
            allowlist: opts.allow,
          },
          options: provider,
        },
        ...opts.extra,
      },
      variables: {
        lookedUp: {
          "fn::invoke": {
            function: "wacht:index:getUser",
            arguments: { email: "lookup@example.com" },
            options: provider,
          },
        },
        acmeRoles: {
          "fn::invoke": {
            function: "wacht:index:getOrganizationRoles",
            arguments: { organizationId: ORG },
            options: provider,
          },
        },
        louMemberships: {
          "fn::invoke": {
            function: "wacht:index:getUserMemberships",
            arguments: { userId: "${lookedUp.userId}" },
            options: provider,
          },
        },
      },
      outputs: {
        adaId: "${ada.userId}",
        lookedUpName: "${lookedUp.firstName}",
        adaPermissions: "${adaAcme.permissions}",
        acmeRoles: "${acmeRoles.roles}",
        louOrganizations: "${louMemberships.organizations}",
      },
    },
    { aliasDuplicateObjects: false },
  );
}

/** With NATIVE_E2E_SHOW=1, prints what a reviewer wants to see (the import round trip). */
function show(text: string): void {
  if (process.env["NATIVE_E2E_SHOW"] === "1") process.stdout.write(`${text}\n`);
}

async function pulumi(...args: string[]) {
  return project.run(args);
}

async function resources(): Promise<{ text: string; byName: (name: string) => StateResource }> {
  const { text, deployment } = await project.exportState();
  return {
    text,
    byName: (name) => {
      const found = deployment.resources.find((r) => r.urn.endsWith(`::${name}`));
      if (found === undefined) throw new Error(`no ${name} in the state`);
      return found;
    },
  };
}

const isCiphertext = (v: unknown): boolean =>
  typeof v === "object" && v !== null && "ciphertext" in v;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, apiKey: E2E_API_KEY });
  lookupId = seedUser(emu, aUser({ first_name: "Lou", email: "lookup@example.com" })).user.id;
  importId = seedUser(
    emu,
    aUser({ first_name: "Imp", last_name: "Orted", private_metadata: { pin: PRIVATE } }),
  ).user.id;
  emu.organizations.seed([
    {
      id: ORG,
      name: "Acme",
      roles: [{ name: "Auditor", permissions: ["audit:read"] }],
      members: [
        { user_id: lookupId, roles: ["Member"] },
        { user_id: importId, roles: ["Admin"] },
      ],
    },
  ]);
  project = await E2eProject.create({
    runtime: "yaml",
    projectName: "wacht-native",
    program: program({ passwordVersion: 1, allow: [] }),
  });
  await project.config("emulatorUrl", emu.url);
  await project.config("emulatorKey", E2E_API_KEY, true);
});

afterAll(async () => {
  await emu?.close();
  project?.remove();
});

test("preview plans the user, her membership, the census and the explicit provider, and writes nothing", async () => {
  const r = expectSuccess(await pulumi("preview"));
  expect(r.stdout).toMatch(/\+ 5 to create/);
  expect(writes(emu.requests())).toEqual([]);
});

test("up: one POST and one PATCH for the user, one POST for her membership (Admin, verified by its permissions); the invokes' results; secrets are ciphertext in inputs and outputs", async () => {
  emu.clearRequests();
  const up = expectSuccess(await pulumi("up", "--yes", "--skip-preview"));
  expect(byKind(writes(emu.requests()))).toEqual({
    "POST /users": 1,
    "PATCH /users/:id": 1,
    "POST /organizations/:id/members": 1,
  });
  const outputs = JSON.parse(expectSuccess(await pulumi("stack", "output", "--json")).stdout) as {
    adaId: string;
    lookedUpName: string;
    adaPermissions: string[];
    acmeRoles: { name: string; isDeploymentLevel: boolean; permissions: string[] }[];
    louOrganizations: { organizationId: string; organizationName: string; roles: string[] }[];
  };
  adaId = outputs.adaId;
  expect(outputs.lookedUpName).toBe("Lou");
  expect(outputs.adaPermissions).toEqual(["audit:read", "organization:admin"]);
  expect(outputs.acmeRoles.map((r) => [r.name, r.isDeploymentLevel, r.permissions])).toEqual([
    ["Admin", true, ["organization:admin"]],
    ["Auditor", false, ["audit:read"]],
    ["Member", true, ["organization:member"]],
  ]);
  expect(outputs.louOrganizations).toEqual([
    expect.objectContaining({ organizationId: ORG, organizationName: "Acme", roles: ["Member"] }),
  ]);
  expect(emu.organizations.get(ORG)?.members.find((m) => m.user_id === adaId)?.roles).toEqual([
    "Admin",
    "Auditor",
  ]);
  const state = await resources();
  const ada = state.byName("ada");
  expect(isCiphertext(ada.inputs?.["privateMetadata"])).toBe(true);
  expect(isCiphertext(ada.outputs?.["privateMetadata"])).toBe(true);
  expect(isCiphertext(ada.outputs?.["managedPrivateMetadataKeys"])).toBe(true);
  const staging = state.byName("staging");
  providerUrn = staging.urn;
  expect(isCiphertext(staging.inputs?.["apiKey"])).toBe(true);
  for (const secret of [PRIVATE, PASSWORD, E2E_API_KEY]) {
    expect(state.text).not.toContain(secret);
    expect(up.all).not.toContain(secret);
  }
  expect(state.text).not.toMatch(/passwordHandle/);
  expect(emu.users.get(adaId)?.user).toMatchObject({ first_name: "Ada" });
});

test("a no-op: preview --expect-no-changes exits 0", async () => {
  expectSuccess(await pulumi("preview", "--expect-no-changes"));
});

test("a dashboard edit: preview --refresh names the field; up --refresh sends one PATCH while the census reports an undeclared account", async () => {
  await editOutOfBand(emu.url, E2E_API_KEY, adaId, { first_name: "Grace" });
  intruderId = seedUser(emu, aUser({ email: "intruder@corp.example" })).user.id;
  const preview = await pulumi("preview", "--refresh", "--expect-no-changes", "--diff");
  expect(preview.code).not.toBe(0);
  expect(preview.stdout).toMatch(/~ firstName: "Grace" => "Ada"/);
  expect(preview.all).toContain(`${intruderId} (intruder@corp.example`);
  emu.clearRequests();
  const up = await pulumi("up", "--refresh", "--yes", "--skip-preview");
  expect(up.code).not.toBe(0);
  expect(up.all).toMatch(/1 account in the deployment is selected by the census but not declared/);
  expect(writes(emu.requests()).map((e) => `${e.method} ${e.path}`)).toEqual([
    `PATCH /users/${adaId}`,
  ]);
  expect(emu.users.get(adaId)?.user).toMatchObject({ first_name: "Ada" });
});

test("allowlisted, and passwordVersion bumped: the only write sets the password again", async () => {
  project.setProgram(program({ passwordVersion: 2, allow: ["intruder@corp.example"] }));
  emu.clearRequests();
  expectSuccess(await pulumi("up", "--yes", "--skip-preview"));
  expect(writes(emu.requests()).map((e) => `${e.method} ${e.path}`)).toEqual([
    `PATCH /users/${adaId}/password`,
  ]);
});

test("pulumi import: an unknown id fails with 'Wacht user <id> does not exist'", async () => {
  const r = await pulumi(
    "import",
    "wacht:index:User",
    "ghost",
    "999999999999999999",
    "--provider",
    `staging=${providerUrn}`,
    "--yes",
  );
  expect(r.code).not.toBe(0);
  expect(r.all).toContain("Wacht user 999999999999999999 does not exist");
});

test("pulumi import of a user and of an organization membership (one import file) writes code declaring their ids and live fields; with it, preview --expect-no-changes exits 0", async () => {
  emu.clearRequests();
  const file = path.join(project.dir, "import.json");
  const out = path.join(project.dir, "imported.yaml");
  const resources = [
    { type: "wacht:index:User", name: "imp", id: importId },
    { type: "wacht:index:OrganizationMembership", name: "impAcme", id: `${ORG}/${importId}` },
  ];
  writeFileSync(
    file,
    JSON.stringify({
      nameTable: { staging: providerUrn },
      resources: resources.map((r) => ({ ...r, provider: "staging" })),
    }),
  );
  expectSuccess(await pulumi("import", "--file", file, "--yes", "--out", out));
  expect(writes(emu.requests())).toEqual([]);
  const code = readFileSync(out, "utf8");
  show(`pulumi import --file generated:\n${code}`);
  expect(code).not.toContain(PRIVATE);
  const imported = (parse(code) as { resources: Record<string, { properties: object }> }).resources;
  expect(imported["imp"]?.properties).toMatchObject({
    userId: importId,
    firstName: "Imp",
    lastName: "Orted",
  });
  // Imported together, the membership's userId is generated as a reference to the user.
  expect(imported["impAcme"]?.properties).toEqual({
    organizationId: ORG,
    userId: "${imp.id}",
    roles: ["Admin"],
  });
  project.setProgram(
    program({ passwordVersion: 2, allow: ["intruder@corp.example"], extra: imported }),
  );
  const noop = expectSuccess(await pulumi("preview", "--expect-no-changes"));
  show(`preview --expect-no-changes (exit ${noop.code}):\n${noop.stdout}`);
});

test("destroy honours onDelete: the created user is deleted after her membership, the imported user kept", async () => {
  const state = await resources();
  expectSuccess(await pulumi("state", "unprotect", "--all", "--yes")); // import protected both
  const adaMembership = String(state.byName("adaAcme").outputs?.["membershipId"]);
  const impMembership = String(state.byName("impAcme").outputs?.["membershipId"]);
  emu.clearRequests();
  expectSuccess(await pulumi("destroy", "--yes", "--skip-preview"));
  const deletes = writes(emu.requests()).map((e) => `${e.method} ${e.path}`);
  expect([...deletes].sort()).toEqual(
    [
      `DELETE /organizations/${ORG}/members/${adaMembership}`,
      `DELETE /organizations/${ORG}/members/${impMembership}`,
      `DELETE /users/${adaId}`,
    ].sort(),
  );
  expect(deletes.indexOf(`DELETE /users/${adaId}`)).toBeGreaterThan(
    deletes.indexOf(`DELETE /organizations/${ORG}/members/${adaMembership}`),
  );
  expect(emu.users.get(importId)).toBeDefined();
  expect(emu.users.get(lookupId)).toBeDefined();
});
