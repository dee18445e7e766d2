jest.setTimeout(600_000);

// examples/gitops through the real CLI: every command its three workflows run
// (examples/gitops/.github/workflows), with credentials in the environment as the workflows pass
// them, against the emulator.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { startEmulator, type EmulatorHandle } from "../../src/emulator";
import { E2E_API_KEY, expectSuccess, stage, writes, type Stage } from "./helpers/fixtures";
import { E2eProject, REPO_ROOT } from "./helpers/project";
import { seedUser } from "../helpers/seed";

const execFileP = promisify(execFile);
const EXAMPLE = path.join(REPO_ROOT, "examples", "gitops");
const ADA_PASSWORD = "Gitops-Ada-Password-7!";

/** The example's program and roster files, as a project's files. */
function exampleFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const f of fs.readdirSync(path.join(EXAMPLE, "users"))) {
    files[`users/${f}`] = fs.readFileSync(path.join(EXAMPLE, "users", f), "utf8");
  }
  return files;
}

// The workflows' own command lines (preview.yml, up.yml, drift.yml).
const PR_PREVIEW = ["preview", "--refresh", "--diff", "--non-interactive"];
const MERGE_UP = ["up", "--refresh", "--yes", "--skip-preview", "--non-interactive"];
const DRIFT = ["preview", "--refresh", "--expect-no-changes", "--diff", "--non-interactive"];

describe("the GitOps workflows through the real CLI", () => {
  let emulator: EmulatorHandle;
  let project: E2eProject;
  let env: NodeJS.ProcessEnv;
  const run = (args: string[]) => project.run(args, { env });

  beforeAll(async () => {
    emulator = await startEmulator({ apiKey: E2E_API_KEY, rateLimitPerMinute: false });
    project = await E2eProject.create({
      program: fs.readFileSync(path.join(EXAMPLE, "index.ts"), "utf8"),
      main: "index.ts",
      files: exampleFiles(),
      projectName: "wacht-gitops",
    });
    env = { WACHT_API_KEY: E2E_API_KEY, WACHT_BASE_URL: emulator.url };
    await project.config("adaPassword", ADA_PASSWORD, true);
  }, 120_000);
  afterAll(async () => {
    await emulator?.close();
    project?.remove();
  });

  test("merge to main: up creates every account in the roster", async () => {
    const up = expectSuccess(await run(MERGE_UP));
    expect(up.stdout).toMatch(/\+ 5 created/); // stack, census, ada, deploy-bot, grace
    const usernames = emulator.users
      .list()
      .map((u) => u.user.username ?? u.user.primary_email_address);
    expect(usernames).toEqual(expect.arrayContaining(["ada", "deploy-bot"]));
    expect(emulator.users.list()).toHaveLength(3);
  });

  test("nightly drift job after up: exits 0, listing the deployment once (users and census share it)", async () => {
    emulator.clearRequests();
    expectSuccess(await run(DRIFT));
    // One provider process refreshes the three users (delta refresh) and the census: ⌈3/500⌉ = 1
    // list request in all (issue #14; each listed for itself before: 2).
    const lists = emulator.requests().filter((r) => r.method === "GET" && r.path === "/users");
    expect(lists).toHaveLength(1);
  });

  test("a pull request adding a file: the preview shows + create for it", async () => {
    project.writeFile(
      "users/new-admin.yaml",
      "username: new_admin\nfirstName: New\nlastName: Admin\nskipPasswordCheck: true\npublicMetadata: { kind: admin }\n",
    );
    emulator.clearRequests();
    const preview = expectSuccess(await run(PR_PREVIEW));
    expect(preview.stdout).toMatch(/\+ pulumi-nodejs:dynamic\/wacht:User: \(create\)/);
    expect(preview.stdout).toMatch(/wacht:User::new-admin\]/);
    expect(writes(emulator.requests())).toEqual([]);
    project.writeFile("users/new-admin.yaml", undefined);
  });

  test("a dashboard edit: the drift job exits non-zero and names the account and field", async () => {
    const ada = emulator.users.list().find((u) => u.user.username === "ada")!;
    emulator.users.patch(ada.user.id, { first_name: "Augusta" });
    const drift = await run(DRIFT);
    expect(drift.code).not.toBe(0);
    expect(drift.all).toMatch(/no changes were expected/);
    expect(drift.stdout).toMatch(/wacht:User::ada\]/);
    expect(drift.stdout).toMatch(/~ firstName\s+: "Augusta" => "Ada"/);
    expectSuccess(await run(MERGE_UP));
    expectSuccess(await run(DRIFT));
  });

  test("an admin created by hand: the drift job exits non-zero and names the account", async () => {
    const mallory = seedUser(emulator, {
      username: "mallory",
      first_name: "Mal",
      last_name: "Lory",
      email: "mallory@example.com",
      public_metadata: { kind: "admin" },
    });
    const drift = await run(DRIFT);
    expect(drift.code).not.toBe(0);
    expect(drift.all).toMatch(new RegExp(mallory.user.id));
    expect(drift.all).toMatch(/mallory/);
    const up = await run(MERGE_UP);
    expect(up.code).not.toBe(0);
    expect(up.all).toMatch(/not declared by this stack/);
    expect(emulator.users.get(mallory.user.id)!.user.disabled).toBe(false);

    await project.config("undeclared", "disable");
    emulator.clearRequests();
    expectSuccess(await run(MERGE_UP));
    expect(emulator.users.get(mallory.user.id)!.user.disabled).toBe(true);
    expect(emulator.requests().filter((e) => e.method === "DELETE")).toEqual([]);
  });

  test("an expired account: preview shows it disabled, up disables it, the drift job flags it re-enabled", async () => {
    const grace = JSON.parse(
      fs.readFileSync(path.join(EXAMPLE, "users", "grace.json"), "utf8"),
    ) as Record<string, unknown>;
    project.writeFile(
      "users/grace.json",
      JSON.stringify({ ...grace, disableAfter: "2026-01-31T23:59:59Z" }, null, 2),
    );
    const preview = expectSuccess(await run(PR_PREVIEW));
    expect(preview.stdout).toMatch(/wacht:User::grace\]/);
    // `disabled` was not declared before: --diff shows it added to the inputs, as true.
    expect(preview.stdout).toMatch(/[+~] disabled\s+: (false => )?true/);
    expectSuccess(await run(MERGE_UP));
    const id = emulator.users
      .list()
      .find((u) => u.user.primary_email_address === "grace@example.com")!.user.id;
    expect(emulator.users.get(id)!.user.disabled).toBe(true);
    expectSuccess(await run(DRIFT));

    emulator.users.patch(id, { disabled: false });
    const drift = await run(DRIFT);
    expect(drift.code).not.toBe(0);
    expect(drift.stdout).toMatch(/wacht:User::grace\]/);
    expect(drift.stdout).toMatch(/~ disabled\s+: false => true/);
  });

  test("export of existing users, then up: 0 write requests", async () => {
    const exported = await E2eProject.create({
      program: fs.readFileSync(path.join(EXAMPLE, "index.ts"), "utf8"),
      main: "index.ts",
      projectName: "wacht-gitops-export",
      stack: "export",
    });
    try {
      const out = path.join(exported.dir, "users");
      const cli = await execFileP(
        process.execPath,
        [
          path.join(REPO_ROOT, "dist", "cli", "pulumi-wacht.js"),
          "export",
          "--select",
          "meta.kind:admin,service",
          "--out",
          out,
        ],
        { env: { ...process.env, ...env } },
      );
      expect(cli.stdout).toMatch(/exported \d+ users/);
      await exported.config("undeclared", "disable");
      emulator.clearRequests();
      const up = expectSuccess(await exported.run(MERGE_UP, { env }));
      expect(up.stdout).toMatch(/created/);
      expect(writes(emulator.requests())).toEqual([]);
    } finally {
      exported.remove();
    }
  });
});

describe("a stack with config only (no WACHT_* in the environment), through the real CLI", () => {
  const stages: Stage[] = [];
  afterAll(async () => {
    await Promise.all(stages.map((s) => s.close()));
  });
  const ADA_ID = "350000000000000001";

  test("lookupUser finds the user with the stack's wacht:apiKey and wacht:baseUrl, at preview and up", async () => {
    const s = await stage({
      program: [
        'const wacht = require("pulumi-wacht");',
        'exports.adaId = wacht.lookupUser({ email: "ada@corp.example" }).then((u) => u.userId);',
        "",
      ].join("\n"),
      seed: [{ id: ADA_ID, first_name: "Ada", username: "ada", email: "ada@corp.example" }],
    });
    stages.push(s);
    expectSuccess(await s.project.run(["preview", "--non-interactive"]));
    expectSuccess(await s.project.run(["up", "--yes", "--non-interactive"]));
    const out = expectSuccess(await s.project.run(["stack", "output", "adaId"]));
    expect(out.stdout.trim()).toBe(ADA_ID);
    expect(s.emulator.requests().length).toBeGreaterThan(0);
  });

  test("roster errors name users/<file>:line:column, every file's problems and then every unset reference at once", async () => {
    const s = await stage({
      program: [
        'const path = require("node:path");',
        'const wacht = require("pulumi-wacht");',
        'wacht.loadRoster(path.join(__dirname, "users"));',
        "",
      ].join("\n"),
      files: {
        "users/bob.yaml":
          "emailAddress: bob@example.com\nusername: bobby\nsecondFactorPolicy: always\n",
        "users/tess.json": '{\n  "username": "tess",\n  "aliases": ["tessa",]\n}\n',
        "users/zed.yaml": "username: zed\npassword: { config: zedPassword }\n",
        "users/yan.yaml": "username: yan\npassword: { config: yanPassword }\n",
      },
    });
    stages.push(s);
    const first = await s.project.run(["preview", "--non-interactive"]);
    expect(first.code).not.toBe(0);
    expect(first.all).toContain("the roster has 2 problems:");
    expect(first.all).toContain(
      "users/bob.yaml:3:21: secondFactorPolicy must be one of: none, optional, enforced",
    );
    expect(first.all).toContain(
      "users/tess.json:3:23: not valid JSON: a value is expected here (no trailing comma)",
    );
    expect(first.all).not.toContain(path.join(s.project.dir, "users"));

    s.project.writeFile("users/bob.yaml", "emailAddress: bob@example.com\nusername: bobby\n");
    s.project.writeFile("users/tess.json", '{\n  "username": "tess"\n}\n');
    const second = await s.project.run(["preview", "--non-interactive"]);
    expect(second.code).not.toBe(0);
    expect(second.all).toContain("the roster has 2 problems:");
    expect(second.all).toContain(
      "users/yan.yaml:2:21: password: the stack config wacht-e2e:yanPassword is not set",
    );
    expect(second.all).toContain(
      "users/zed.yaml:2:21: password: the stack config wacht-e2e:zedPassword is not set",
    );
    expect(second.all).not.toContain("Missing required configuration variable");
    expect(writes(s.emulator.requests())).toEqual([]);
  });
});
