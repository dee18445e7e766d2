// What PULUMI_SKIP_CHECKPOINTS costs when `pulumi up` dies (docs/large-rosters.md): the real CLI
// creates N users (default 100) against the emulator and is killed (SIGKILL: a crash, an OOM
// kill, a lost CI runner) once half of them exist, with and without the setting. Reports what the
// state holds afterwards, then follows docs/lifecycle.md's recovery (`cancel`, `refresh
// --clear-pending-creates`, `up`), timing each step: how many users the last step creates, how
// many it takes over (the provider's duplicate-free create), whether any account exists twice and
// whether a preview afterwards is a no-op.
//
//   node -r ts-node/register/transpile-only bench/floor-crash.ts      (after npm run build)
//   FLOOR_CRASH_USERS=200 node -r ts-node/register/transpile-only bench/floor-crash.ts   (N users)
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { E2eProject, REPO_ROOT, requireCli } from "../test/e2e/helpers/project";
import { startEmulatorProcess, type EmulatorProcess } from "./lib/emulator-process";
import { API_KEY } from "./lib/fixtures";
import { packedModules } from "./lib/packed-install";

const N = Number(process.env["FLOOR_CRASH_USERS"] ?? 100);
const INLINE = path.join(REPO_ROOT, "scripts", "cli", "pulumi-inline.js");
const PROJECT = "wacht-floor";

const program = `const pulumi = require("@pulumi/pulumi");
const wacht = require("pulumi-wacht");
for (let i = 0; i < ${N}; i++) {
  const n = String(i).padStart(4, "0");
  new wacht.User("svc-" + n, { emailAddress: "svc-" + n + "@example.com", firstName: "Service", lastName: "Account" + n, password: "Floor-Crash-Password-42!" });
}
`;

/** Every process under `pid` (children first listed through /proc). */
function descendants(pid: number): number[] {
  const out: number[] = [];
  const visit = (p: number) => {
    let tasks: string[] = [];
    try {
      tasks = fs.readdirSync(`/proc/${p}/task`);
    } catch {
      return;
    }
    for (const t of tasks) {
      let text = "";
      try {
        text = fs.readFileSync(`/proc/${p}/task/${t}/children`, "utf8").trim();
      } catch {
        continue;
      }
      for (const c of text === "" ? [] : text.split(" ").map(Number)) {
        out.push(c);
        visit(c);
      }
    }
  };
  visit(pid);
  return out;
}

/** docs/lifecycle.md's recovery, in order. */
const RECOVERY: readonly (readonly string[])[] = [
  ["cancel", "--yes"],
  ["refresh", "--clear-pending-creates", "--yes"],
  ["up", "--yes", "--skip-preview"],
];

interface RecoveryStep {
  command: string;
  code: number;
  seconds: number;
  tail?: string;
}

interface Outcome {
  setting: string;
  usersWhenKilled: number;
  stateUsers: number;
  pendingOperations: number;
  /** The checkpoint's metadata file was left empty by the kill (and was removed, as documented). */
  emptyAttrs: boolean;
  recovery: RecoveryStep[];
  /** Accounts once every process of the run was dead. */
  accountsAfterKill: number;
  /** Accounts the recovery created, and those it took over instead of creating a duplicate. */
  created: number;
  found: number;
  stateUsersAfter: number;
  /** `pulumi preview --expect-no-changes` after the recovery succeeded. */
  noChangesAfter: boolean;
  accounts: number;
  duplicates: number;
}

async function crashThenRecover(
  modulesDir: string,
  env: NodeJS.ProcessEnv,
  setting: string,
): Promise<Outcome> {
  const emulator: EmulatorProcess = await startEmulatorProcess(API_KEY);
  const project = await E2eProject.create({
    program,
    stack: `crash-${setting.replace(/\W/g, "")}`,
    projectName: PROJECT,
    nodeModulesFrom: modulesDir,
  });
  try {
    await project.config("wacht:apiKey", API_KEY, true);
    await project.config("wacht:baseUrl", emulator.url);
    await project.config("wacht:requestsPerMinute", "100000000");
    const child = spawn(
      process.execPath,
      [
        INLINE,
        "--program",
        project.main,
        "--",
        "up",
        "--yes",
        "--skip-preview",
        "--non-interactive",
      ],
      { cwd: project.dir, env: { ...project.env, ...env }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (output += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (output += d));
    let exited: number | null | undefined;
    child.once("exit", (code) => (exited = code));
    let usersWhenKilled = 0;
    for (;;) {
      await new Promise((r) => setTimeout(r, 200));
      usersWhenKilled = (await emulator.users()).length;
      if (usersWhenKilled >= N / 2) break;
      // An `up` that ended before half the users existed is no crash to measure.
      if (exited !== undefined) {
        throw new Error(
          `${setting}: pulumi up exited ${exited} with ${usersWhenKilled} of ${N} users, before the kill:\n${output.slice(-3000)}`,
        );
      }
    }
    // A crash: every process of the run dies at once, with no chance to save anything.
    for (const pid of [...descendants(child.pid!), child.pid!]) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // gone already
      }
    }
    if (exited === undefined) await new Promise((r) => child.once("exit", r));
    const accountsAfterKill = (await emulator.users()).length;
    const { deployment } = await project.exportState();
    const stateUsers = deployment.resources.filter((r) => r.type.endsWith("wacht:User")).length;
    // The recovery docs/lifecycle.md ("Recovering from an interrupted run") gives, step by step.
    const steps: RecoveryStep[] = [];
    const attrs = path.join(
      project.dir,
      ".pulumi",
      "stacks",
      PROJECT,
      `${project.stack}.json.attrs`,
    );
    const emptyAttrs = fs.existsSync(attrs) && fs.statSync(attrs).size === 0;
    if (emptyAttrs) fs.rmSync(attrs); // the documented fix for `failed to load checkpoint: EOF`
    let last = { code: 0, stdout: "", all: "" };
    for (const args of RECOVERY) {
      const t0 = performance.now();
      last = await project.run([...args, "--non-interactive"], { timeoutMs: 1_800_000 });
      steps.push({
        command: `pulumi ${args.join(" ")}`,
        code: last.code,
        seconds: Math.round((performance.now() - t0) / 100) / 10,
        ...(last.code === 0 ? {} : { tail: last.all.trim().slice(-1500) }),
      });
    }
    // The provider's warning names each user it took over (the CLI prints it more than once).
    const found = new Set(
      [
        ...last.all.matchAll(
          /within the last hour \((\d+)\)[^\n]*instead of creating a duplicate/g,
        ),
      ].map((m) => m[1]),
    ).size;
    const again = await project.run(["preview", "--non-interactive", "--expect-no-changes"]);
    const emails = (await emulator.users()).map((u) => u.user.primary_email_address);
    const after = (await project.exportState()).deployment.resources.filter((r) =>
      r.type.endsWith("wacht:User"),
    ).length;
    return {
      setting,
      usersWhenKilled,
      stateUsers,
      pendingOperations: deployment.pending_operations?.length ?? 0,
      emptyAttrs,
      recovery: steps,
      accountsAfterKill,
      created: emails.length - accountsAfterKill,
      found,
      stateUsersAfter: after,
      noChangesAfter: again.code === 0,
      accounts: emails.length,
      duplicates: emails.length - new Set(emails).size,
    };
  } finally {
    await emulator.close();
    project.remove();
  }
}

async function main(): Promise<void> {
  const cli = requireCli();
  const modules = packedModules();
  try {
    console.log(`Pulumi CLI ${cli.version}; ${N} users; the run is killed once ${N / 2} exist`);
    for (const [setting, env] of [
      ["default checkpoints", {}],
      ["PULUMI_SKIP_CHECKPOINTS=true", { PULUMI_SKIP_CHECKPOINTS: "true" }],
    ] as const) {
      const o = await crashThenRecover(modules.dir, env, setting);
      console.log(JSON.stringify(o));
    }
  } finally {
    modules.remove();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
