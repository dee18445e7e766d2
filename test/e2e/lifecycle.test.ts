jest.setTimeout(300_000);

// The whole lifecycle through the REAL `pulumi` CLI against the emulator, asserting on what a user
// sees (exit codes, printed lines) and on what the server and the state file hold.
import { SECRET_SIG } from "../helpers/capture";
import { byKind, partNames, stage, writes, E2E_API_KEY, type Stage } from "./helpers/fixtures";

const SVC_ID = "310000000000000001";
const PASSWORD = "Pw-e2e-Correct-Horse-91!";
const NEXT_PASSWORD = "Pw-e2e-Battery-Staple-37!";
const PRIVATE_VALUE = "kv/svc-bot-private-zq81";
const PRIVATE_KEY = "vaultPathZq81";

const program = `
const pulumi = require("@pulumi/pulumi");
const wacht = require("pulumi-wacht");
const cfg = new pulumi.Config();
const svc = new wacht.User("svc-bot", {
  userId: "${SVC_ID}",
  firstName: cfg.get("svcFirstName") ?? "Svc",
  lastName: "Bot",
  username: "svc-bot",
  secondFactorPolicy: "none",
  publicMetadata: { kind: "service", owner: "platform" },
  privateMetadata: { ${PRIVATE_KEY}: "${PRIVATE_VALUE}" },
  metadataOwnership: "keys",
});
const admin = new wacht.User("ops-admin", {
  emailAddress: "ops-admin@example.com",
  firstName: "Olga",
  lastName: "Admin",
  password: cfg.requireSecret("adminPassword"),
  passwordVersion: Number(cfg.get("passwordVersion") ?? "1"),
  publicMetadata: { kind: "admin" },
});
module.exports = { svcId: svc.userId, adminId: admin.userId, adminEmail: admin.primaryEmailAddress };
`;

describe("the real pulumi CLI drives the whole lifecycle", () => {
  let s: Stage;
  const printed: string[] = [];
  const run = async (args: string[]) => {
    const r = await s.project.run(args);
    printed.push(r.all);
    return r;
  };

  beforeAll(async () => {
    s = await stage({
      program,
      seed: [
        {
          id: SVC_ID,
          first_name: "svc",
          last_name: "old",
          username: "svc-old",
          email: "svc-bot@example.com",
          public_metadata: { kind: "service", addedByHand: true },
        },
      ],
    });
    await s.project.config("adminPassword", PASSWORD, true);
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });

  test("preview of a new stack names every user and its operation, and writes nothing", async () => {
    s.emulator.clearRequests();
    const r = await run(["preview", "--non-interactive"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\+\s+pulumi-nodejs:dynamic\/wacht:User\s+svc-bot\s+create/);
    expect(r.stdout).toMatch(/\+\s+pulumi-nodejs:dynamic\/wacht:User\s+ops-admin\s+create/);
    expect(r.stdout).toMatch(/\+ 3 to create/);
    expect(writes(s.emulator.requests())).toEqual([]);
  });

  test("up makes the server equal the declarations, and the state holds no key or password", async () => {
    s.emulator.clearRequests();
    const r = await run(["up", "--yes", "--non-interactive"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\+ 3 created/);

    const svc = s.emulator.users.get(SVC_ID)!.user;
    expect(svc).toMatchObject({ first_name: "Svc", last_name: "Bot", username: "svc-bot" });
    expect(svc.second_factor_policy).toBe("none");
    // Key-level ownership: the hand-added key stays, the declared ones are set.
    expect(svc.public_metadata).toEqual({ kind: "service", owner: "platform", addedByHand: true });
    expect(svc.private_metadata).toEqual({ [PRIVATE_KEY]: PRIVATE_VALUE });
    const admin = s.emulator.users
      .list()
      .find((u) => u.user.primary_email_address === "ops-admin@example.com");
    expect(admin?.user).toMatchObject({
      first_name: "Olga",
      last_name: "Admin",
      public_metadata: { kind: "admin" },
    });
    expect(admin?.user.has_password).toBe(true);
    // Request budget (issue #13): svc-bot (userId) is read and PATCHed; ops-admin is one listing
    // of the recent users (the run's duplicate lookup), its POST, and one PATCH whose answer is
    // the read.
    expect(byKind(s.emulator.requests())).toEqual({
      "GET /users": 1,
      "POST /users": 1,
      "GET /users/:id/details": 1,
      "PATCH /users/:id": 2,
    });
    const posts = s.emulator.requests().filter((e) => e.method === "POST");
    expect(posts).toHaveLength(1);
    expect(partNames(posts[0]!)).toContain("password");

    const { text, deployment } = await s.project.exportState();
    for (const secret of [E2E_API_KEY, PASSWORD, PRIVATE_VALUE, PRIVATE_KEY])
      expect(text).not.toContain(secret);
    const svcState = deployment.resources.find((x) => x.urn.endsWith("::svc-bot"))!;
    for (const key of [
      "privateMetadata",
      "managedPrivateMetadataKeys",
      "externalPrivateMetadataKeys",
    ]) {
      const v = svcState.outputs?.[key] as Record<string, unknown> | undefined;
      expect(v?.[SECRET_SIG]).toBeDefined();
      expect(typeof v?.ciphertext).toBe("string");
    }
    const provider = svcState.inputs?.__provider;
    expect(typeof provider).toBe("string");
    expect(String(provider)).not.toContain(E2E_API_KEY);
  });

  test("a second up changes nothing and writes nothing; preview --expect-no-changes exits 0", async () => {
    s.emulator.clearRequests();
    const up = await run(["up", "--yes", "--non-interactive"]);
    expect(up.code).toBe(0);
    expect(up.stdout).toMatch(/3 unchanged/);
    expect(up.stdout).not.toMatch(/[+~-] \d+ (created|updated|deleted)/);
    expect(writes(s.emulator.requests())).toEqual([]);
    const preview = await run(["preview", "--expect-no-changes", "--non-interactive"]);
    expect(preview.code).toBe(0);
  });

  test("a dashboard edit fails the drift check naming the user and field; up --refresh PATCHes only that field", async () => {
    s.emulator.users.patch(SVC_ID, { last_name: "EditedInDashboard" });
    const drift = await run([
      "preview",
      "--refresh",
      "--expect-no-changes",
      "--diff",
      "--non-interactive",
    ]);
    expect(drift.code).not.toBe(0);
    expect(drift.all).toMatch(/no changes were expected/);
    // `--diff` prints each planned step with its URN (which names the resource) and each field.
    const plan = drift.stdout.slice(drift.stdout.indexOf("pulumi:pulumi:Stack: (same)"));
    expect(plan).toMatch(/~ pulumi-nodejs:dynamic\/wacht:User: \(update\)/);
    expect(plan).toMatch(/wacht:User::svc-bot\]/);
    expect(plan).toMatch(/~ lastName\s+: "EditedInDashboard" => "Bot"/);

    s.emulator.clearRequests();
    const up = await run(["up", "--refresh", "--yes", "--non-interactive"]);
    expect(up.code).toBe(0);
    // The CLI refreshes in the preview and again in the update, each in its own provider
    // process: one listing each and a GET of the one drifted user; the update reuses its
    // process's read for the lost-update guard, so it is the PATCH alone.
    expect(byKind(s.emulator.requests())).toEqual({
      "GET /users": 2,
      "GET /users/:id/details": 2,
      "PATCH /users/:id": 1,
    });
    const patches = s.emulator.requests().filter((e) => e.method === "PATCH");
    expect(patches).toHaveLength(1);
    expect(patches[0]!.path).toBe(`/users/${SVC_ID}`);
    expect(partNames(patches[0]!)).toEqual(["last_name"]);
    expect(s.emulator.users.get(SVC_ID)!.user.last_name).toBe("Bot");

    s.emulator.clearRequests();
    const again = await run(["up", "--yes", "--non-interactive"]);
    expect(again.code).toBe(0);
    expect(writes(s.emulator.requests())).toEqual([]);
  });

  test("the password is set once, survives separate preview and up processes, and is set again on a bump", async () => {
    await s.project.config("adminPassword", NEXT_PASSWORD, true);
    s.emulator.clearRequests();
    // A new password value alone sets nothing: passwordVersion decides.
    const same = await run(["up", "--yes", "--non-interactive"]);
    expect(same.code).toBe(0);
    expect(writes(s.emulator.requests())).toEqual([]);

    await s.project.config("passwordVersion", "2");
    const preview = await run(["preview", "--non-interactive"]);
    expect(preview.code).toBe(0);
    expect(preview.stdout).toMatch(/~\s+pulumi-nodejs:dynamic\/wacht:User\s+ops-admin\s+update/);
    s.emulator.clearRequests();
    const up = await run(["up", "--yes", "--non-interactive"]);
    expect(up.code).toBe(0);
    const adminId = String((await s.project.outputsOf("ops-admin")).userId);
    // Only the password changed: no guarded profile PATCH, so no guard GET either.
    expect(byKind(s.emulator.requests())).toEqual({ "PATCH /users/:id/password": 1 });
    expect(s.emulator.requests().find((e) => e.method === "PATCH")?.path).toBe(
      `/users/${adminId}/password`,
    );
    const { text } = await s.project.exportState();
    for (const secret of [PASSWORD, NEXT_PASSWORD]) expect(text).not.toContain(secret);
  });

  test("a user deleted out of band is dropped by refresh with a warning; the next up creates it again", async () => {
    const adminId = String((await s.project.outputsOf("ops-admin")).userId);
    expect(s.emulator.users.get(adminId)).toBeDefined();
    const del = await fetch(`${s.emulator.url}/users/${adminId}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${E2E_API_KEY}` },
    });
    expect(del.status).toBeLessThan(300);
    const refresh = await run(["refresh", "--yes", "--non-interactive"]);
    expect(refresh.code).toBe(0);
    expect(refresh.all).toMatch(/ops-admin/);
    expect(refresh.all).toMatch(/warning: .*(deleted|not found|no longer exists)/i);
    expect(refresh.stdout).toMatch(/- 1 deleted/);

    s.emulator.clearRequests();
    const up = await run(["up", "--yes", "--non-interactive"]);
    expect(up.code).toBe(0);
    expect(up.stdout).toMatch(/\+ 1 created/);
    expect(byKind(s.emulator.requests())["POST /users"]).toBe(1);
  });

  test("nothing the CLI printed holds the API key or a password", () => {
    const all = printed.join("\n");
    for (const secret of [E2E_API_KEY, PASSWORD, NEXT_PASSWORD, PRIVATE_VALUE])
      expect(all).not.toContain(secret);
  });
});
