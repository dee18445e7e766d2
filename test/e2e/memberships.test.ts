jest.setTimeout(600_000);

// Issue #22 through the REAL pulumi CLI against the emulator, one stack walking the steps: a
// service account made organization Admin and workspace Member (verified by its `permissions`
// output), a dashboard role change seen as drift and reverted by one PATCH, an additive role
// beside a role someone added by hand (which stays), an existing membership brought under
// management by declaring its ids (`pulumi import` cannot import a dynamic resource,
// pulumi/pulumi#16175) with a no-op after, a roster file whose `organizations:` makes its account
// an org Admin, the census by permission naming an admin made by hand, and destroy in dependency
// order with the cascade.
import { writeFileSync } from "node:fs";
import { expectSuccess, stage, writes, E2E_API_KEY, type Stage } from "./helpers/fixtures";

const ORG = "540000000000000001";
const PROD = "540000000000000011";
const STAGING = "540000000000000012";
const CAROL = "440000000000000001";
const DANA = "440000000000000002";
const MAL = "440000000000000003";

const base = `
const wacht = require("pulumi-wacht");
const bot = new wacht.User("deploy-bot", {
  username: "deploy_bot",
  firstName: "Deploy",
  lastName: "Bot",
  emailAddress: "deploy-bot@example.com",
  skipPasswordCheck: true,
});
const acme = new wacht.OrganizationMembership("bot-acme", {
  organizationId: "${ORG}",
  userId: bot.userId,
  roles: ["Admin"],
});
const prod = new wacht.WorkspaceMembership(
  "bot-prod",
  { workspaceId: "${PROD}", userId: bot.userId, roles: ["Member"] },
  { dependsOn: [acme] },
);
exports.botId = bot.userId;
exports.orgPermissions = acme.permissions;
exports.workspacePermissions = prod.permissions;
`;

const more = `
new wacht.OrganizationMemberRole("carol-auditor", {
  organizationId: "${ORG}",
  userId: "${CAROL}",
  role: "Auditor",
});
const dana = new wacht.OrganizationMembership("dana-acme", {
  organizationId: "${ORG}",
  userId: "${DANA}",
  roles: ["Admin"],
});
`;

// A roster beside the program's own declarations, and a census of organization admins: the
// memberships the stack declares are the roster's and the program's (a membership's id is the
// <organizationId>/<userId> pair the census takes).
const roster = `
const pulumi = require("@pulumi/pulumi");
const roster = wacht.loadRoster(require("path").join(__dirname, "users"));
new wacht.UserCensus("org-admins", {
  selector: { permission: "organization:admin" },
  declaredUserIds: roster.userIds,
  declaredMemberships: pulumi
    .all([roster.memberships, acme.id, dana.id])
    .apply(([declared, ...own]) => [...declared, ...own]),
});
`;

const DRIFT = ["preview", "--refresh", "--expect-no-changes", "--diff", "--non-interactive"];
const UP = ["up", "--refresh", "--yes", "--skip-preview", "--non-interactive"];

describe("memberships through the real pulumi CLI", () => {
  let s: Stage;
  let botId: string;
  // WACHT_E2E_TRANSCRIPT=<file>: everything the CLI printed, for reading the flows (optional).
  const transcript: string[] = [];
  const run = async (args: string[]) => {
    const r = await s.project.run(args);
    transcript.push(`$ pulumi ${args.join(" ")}\n${r.all}`);
    return r;
  };

  const org = () => s.emulator.organizations.get(ORG)!;
  const rolesOf = (userId: string, members = org().members) =>
    members.find((m) => m.user_id === userId)?.roles;
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${s.emulator.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${E2E_API_KEY}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { data: Array<{ id: string; name: string }> };
  };
  const roleId = async (name: string) =>
    (await api("GET", `/organizations/${ORG}/roles`)).data.find((r) => r.name === name)!.id;

  beforeAll(async () => {
    s = await stage({
      program: base,
      seed: [
        { id: CAROL, first_name: "Carol", email: "carol@example.com" },
        { id: DANA, first_name: "Dana", email: "dana@example.com" },
        { id: MAL, username: "mallory", email: "mallory@example.com" },
      ],
    });
    s.emulator.organizations.seed([
      {
        id: ORG,
        name: "Acme",
        roles: [
          { name: "Billing", permissions: ["billing:manage"] },
          { name: "Auditor", permissions: ["audit:read"] },
        ],
        workspaces: [
          { id: PROD, name: "Prod" },
          { id: STAGING, name: "Staging" },
        ],
        members: [
          { user_id: CAROL, roles: ["Member"] },
          { user_id: DANA, roles: ["Admin"] },
        ],
      },
    ]);
  }, 120_000);
  afterAll(async () => {
    const file = process.env["WACHT_E2E_TRANSCRIPT"];
    if (file) writeFileSync(file, transcript.join("\n"));
    await s?.close();
  });

  test("a service account is created, made org Admin and workspace Member, verified by its permissions", async () => {
    const up = expectSuccess(await run(["up", "--yes", "--non-interactive"]));
    expect(up.stdout).toMatch(/\+ 4 created/); // stack, user, two memberships
    const out = await run(["stack", "output", "--json"]);
    const outputs = JSON.parse(out.stdout) as Record<string, unknown>;
    botId = outputs["botId"] as string;
    expect(outputs["orgPermissions"]).toEqual(["organization:admin"]);
    expect(outputs["workspacePermissions"]).toEqual(["workspace:member"]);
    expect(rolesOf(botId)).toEqual(["Admin"]);
    expect(rolesOf(botId, org().workspaces[0]!.members)).toEqual(["Member"]);
    // The serialized provider is the shim, loading the implementation by package name: no key.
    const { deployment } = await s.project.exportState();
    const acme = deployment.resources.find((r) => r.urn.endsWith("::bot-acme"))!;
    expect(acme.id).toBe(`${ORG}/${botId}`);
    expect(String(acme.inputs?.["__provider"])).toContain("pulumi-wacht/membership-impl");
    expect(JSON.stringify(acme)).not.toContain(E2E_API_KEY);
    // dependsOn: the org membership existed first, so Wacht added no implicit Member role.
    const posts = writes(s.emulator.requests()).filter((r) => r.method === "POST");
    expect(posts.map((r) => r.path.replace(/\d{6,}/g, ":id"))).toEqual([
      "/users",
      "/organizations/:id/members",
      "/workspaces/:id/members",
    ]);
  });

  test("a dashboard role change shows as drift and is reverted by one PATCH", async () => {
    const mid = org().members.find((m) => m.user_id === botId)!.id;
    await api("PATCH", `/organizations/${ORG}/members/${mid}`, {
      role_ids: [await roleId("Member")],
    });
    const drift = await run(DRIFT);
    expect(drift.code).not.toBe(0);
    expect(drift.stdout).toMatch(/wacht:OrganizationMembership::bot-acme\]/);
    // The refresh reads the change; the plan puts the declared role back.
    expect(drift.stdout).toMatch(/~ roles\s*: \[\s*~ \[0\]: "Admin" => "Member"\s*\]/);
    expect(drift.stdout).toMatch(/~ 1 to update/);
    s.emulator.clearRequests();
    expectSuccess(await run(UP));
    const sent = writes(s.emulator.requests());
    expect(sent.map((r) => [r.method, r.path, r.json])).toEqual([
      ["PATCH", `/organizations/${ORG}/members/${mid}`, { role_ids: [await roleId("Admin")] }],
    ]);
    expect(rolesOf(botId)).toEqual(["Admin"]);
  });

  test("an additive role beside a hand-added role, which stays; an existing membership declared by ids, then a no-op", async () => {
    const carol = org().members.find((m) => m.user_id === CAROL)!.id;
    await api("POST", `/organizations/${ORG}/members/${carol}/roles/${await roleId("Billing")}`); // by hand
    s.project.setProgram(base + more);
    s.emulator.clearRequests();
    const up = expectSuccess(await run(UP));
    expect(up.all).toMatch(
      /adopting the existing user \d+'s membership in organization \d+ \(\d+\): its roles stay as they are/,
    );
    expect(writes(s.emulator.requests()).map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST /organizations/${ORG}/members/${carol}/roles/${await roleId("Auditor")}`,
    ]);
    expect(rolesOf(CAROL)).toEqual(["Auditor", "Billing", "Member"]);
    expect(rolesOf(DANA)).toEqual(["Admin"]);
    const after = expectSuccess(await run(DRIFT));
    expect(after.stdout).toMatch(/6 unchanged/);
  });

  test("a roster file with organizations: makes its account an org Admin, a child of its user", async () => {
    s.project.writeFile(
      "users/ops-bot.yaml",
      `username: ops_bot\nemailAddress: ops-bot@example.com\nskipPasswordCheck: true\norganizations:\n  ${ORG}: [Admin]\n`,
    );
    s.project.setProgram(base + more + roster);
    s.emulator.clearRequests();
    const up = expectSuccess(await run(UP));
    expect(up.stdout).toMatch(/\+ 3 created/); // the user, its membership, the census
    const ops = s.emulator.users.list().find((u) => u.user.username === "ops_bot")!;
    expect(rolesOf(ops.user.id)).toEqual(["Admin"]);
    const { deployment } = await s.project.exportState();
    expect(deployment.resources.map((r) => r.urn)).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `wacht:User\\$pulumi-nodejs:dynamic/wacht:OrganizationMembership::ops-bot@${ORG}$`,
        ),
      ),
    );
  });

  test("the census by permission names an admin made by hand, and no declared one", async () => {
    await api("POST", `/organizations/${ORG}/members`, {
      user_id: MAL,
      role_ids: [await roleId("Admin")],
    });
    const drift = await run(DRIFT);
    expect(drift.code).not.toBe(0);
    expect(drift.all).toContain(
      `warning: wacht.UserCensus "org-admins": 1 undeclared account: ${MAL} (mallory@example.com, username mallory; in organization ${ORG})`,
    );
    // The bot, Dana (the program's) and ops-bot (the roster's) are declared admins.
    expect(drift.stdout).toMatch(/~ 1 to update/);
  });

  test("destroy goes in dependency order; the org membership's delete names the cascade", async () => {
    // Someone adds the bot to Staging by hand: removing its org membership removes that too.
    const staging = await api("GET", `/workspaces/${STAGING}/roles`);
    await api("POST", `/workspaces/${STAGING}/members`, {
      user_id: botId,
      role_ids: [staging.data[1]!.id],
    });
    const botOrg = `/organizations/${ORG}/members/${org().members.find((m) => m.user_id === botId)!.id}`;
    const botProd = `/workspaces/${PROD}/members/${org().workspaces[0]!.members[0]!.id}`;
    s.emulator.clearRequests();
    const destroy = expectSuccess(await run(["destroy", "--yes", "--non-interactive"]));
    expect(destroy.all).toMatch(
      /removing user \d+'s membership in organization \d+ also removes the user's workspace memberships in it \(Wacht cascades\): Staging/,
    );
    const deletes = writes(s.emulator.requests()).map((r) => `${r.method} ${r.path}`);
    const at = (p: string) => deletes.indexOf(`DELETE ${p}`);
    expect(at(botProd)).toBeGreaterThanOrEqual(0);
    expect(at(botProd)).toBeLessThan(at(botOrg));
    expect(at(botOrg)).toBeLessThan(at(`/users/${botId}`));
    expect(org().workspaces.flatMap((w) => w.members)).toEqual([]);
    expect(rolesOf(CAROL)).toEqual(["Billing", "Member"]); // only the declared role went
    expect(rolesOf(DANA)).toBeUndefined(); // a managed membership is removed with the stack
    expect(s.emulator.users.get(botId)).toBeUndefined();
  });
});
