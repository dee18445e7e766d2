// Issue 14: what a `pulumi preview` of a 1,000-file roster costs on our side, without the Pulumi
// CLI (not installable here). Four parts, each timed: (1) readRoster: parse + validate 1,000
// YAML files; (2) loadRoster under pulumi.runtime mocks: the program registering 1,000 Users;
// (3) Check + Diff of each user through the REAL dynamic-provider host over gRPC (what preview
// asks the provider for an unchanged stack; no HTTP request is made); (4) the census read
// against the emulator with 1,000 declared users (list requests only).
// Run: npm run build && node scripts/link-self.js && node -r ts-node/register/transpile-only bench/roster-1000.ts
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { loadRoster, readRoster, User } from "../src";
import { WachtUserCensusProvider } from "../src/census/census-provider";
import { userArgsOf } from "../src/roster/load-roster";
import { startEmulator } from "../src/emulator";
import { captureOne } from "../test/helpers/capture";
import { startHost, userUrn } from "../test/helpers/engine-host";

const N = Number(process.env["ROSTER_FILES"] ?? 1000);
const LIMITS = { usernameMinLength: 3, usernameMaxLength: 30 };
const KEY = "sk_bench_roster_key_000000000000000000000000000000";

function ms(start: bigint): number {
  return Math.round(Number(process.hrtime.bigint() - start) / 1e5) / 10;
}

function writeRoster(dir: string): void {
  for (let i = 0; i < N; i += 1) {
    const lines = [
      `userId: "${400000000000000000 + i + 1}"`,
      `firstName: First${i}`,
      `lastName: Last${i}`,
      `username: user_${i}`,
      `secondFactorPolicy: ${i % 3 === 0 ? "enforced" : "optional"}`,
      "publicMetadata:",
      `  kind: ${i % 10 === 0 ? "admin" : "service"}`,
      `  teams: [team${i % 7}, platform]`,
      ...(i % 4 === 0 ? ["password: { config: sharedPassword }", "passwordVersion: 1"] : []),
    ];
    fs.writeFileSync(
      path.join(dir, `user-${String(i).padStart(4, "0")}.yaml`),
      `${lines.join("\n")}\n`,
    );
  }
}

/** Mocks the engine: every resource registers with its inputs as state; counts registrations. */
async function countRegistrations(): Promise<{ count: () => number }> {
  let registered = 0;
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        registered += 1;
        return { id: `${args.name}-id`, state: { ...args.inputs } };
      },
      call(args) {
        return args.inputs;
      },
    },
    "bench",
    "dev",
    false,
  );
  return { count: () => registered };
}

async function registerUnderMocks(dir: string): Promise<number> {
  const registrations = await countRegistrations();
  const start = process.hrtime.bigint();
  const roster = loadRoster(dir, { limits: LIMITS });
  const ids = await new Promise<string[]>((resolve) => roster.userIds.apply((v) => resolve(v)));
  const took = ms(start);
  const registered = registrations.count();
  if (ids.length !== N || registered !== N)
    throw new Error(`registered ${registered}, ids ${ids.length}`);
  return took;
}

/** Baseline: the same N Users declared directly (no roster), to show the SDK's own share. */
async function registerDirect(
  entries: ReturnType<typeof readRoster>,
  dir: string,
): Promise<number> {
  const registrations = await countRegistrations();
  const start = process.hrtime.bigint();
  const users = entries.map((e) => new User(`direct-${e.name}`, userArgsOf(e, dir)));
  await Promise.all(users.map((u) => new Promise((resolve) => u.userId.apply(resolve))));
  const took = ms(start);
  const registered = registrations.count();
  if (registered !== N) throw new Error(`registered ${registered}`);
  return took;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "roster-1000-"));
  const emu = await startEmulator({ port: 0, apiKey: KEY, rateLimitPerMinute: false });
  try {
    writeRoster(dir);
    let start = process.hrtime.bigint();
    const entries = readRoster(dir, LIMITS);
    const readMs = ms(start);

    const provider = (await captureOne(() => new User("x", { userId: "1" }))).providerText;
    pulumi.runtime.setAllConfig({ "bench:sharedPassword": "Bench-pass-1" }, [
      "bench:sharedPassword",
    ]);
    // Direct first, then the roster: the later run pays for the earlier one's garbage.
    const directMs = await registerDirect(entries, dir);
    const registerMs = await registerUnderMocks(dir);

    const host = await startHost({
      cwd: path.resolve(__dirname, ".."),
      env: { WACHT_API_KEY: undefined },
    });
    let checkDiffMs: number;
    try {
      await host.configure({ "wacht:apiKey": KEY, "wacht:baseUrl": emu.url });
      emu.clearRequests();
      start = process.hrtime.bigint();
      await Promise.all(
        entries.map(async (e) => {
          const urn = userUrn(e.name);
          const news = { ...e.args, __provider: provider };
          if (e.password) Object.assign(news, { password: "Bench-pass-1" });
          const checked = await host.check(urn, news, news);
          await host.diff(String(e.args["userId"]), urn, checked.inputs, checked.inputs);
        }),
      );
      checkDiffMs = ms(start);
    } finally {
      await host.close();
    }
    const hostRequests = emu.requests().length;

    // The census over a deployment of N users, all declared.
    emu.users.seed(
      entries.map((e) => ({ id: String(e.args["userId"]), username: String(e.args["username"]) })),
    );
    const census = new WachtUserCensusProvider();
    const values: Record<string, string> = { "wacht:apiKey": KEY, "wacht:baseUrl": emu.url };
    await census.configure({
      config: { get: (k: string) => values[k], require: (k: string) => values[k] ?? "" },
    });
    emu.clearRequests();
    start = process.hrtime.bigint();
    await census.read("c", {
      selector: { publicMetadata: { key: "kind", in: ["admin", "service"] } },
      declaredUserIds: entries.map((e) => String(e.args["userId"])),
      allowlist: [],
      undeclared: "report",
      inspected: {},
    });
    const censusMs = ms(start);
    const censusRequests = emu.requests().map((r) => `${r.method} ${r.path}`);

    console.log(
      JSON.stringify(
        {
          files: N,
          readRosterMs: readMs,
          loadRosterRegisterMs: registerMs,
          sameUsersDeclaredDirectlyMs: directMs,
          hostCheckDiffMs: checkDiffMs,
          hostHttpRequests: hostRequests,
          censusReadMs: censusMs,
          censusRequests: censusRequests.length,
          censusRequestKinds: [...new Set(censusRequests)],
          node: process.version,
          cpus: os.cpus().length,
        },
        null,
        2,
      ),
    );
  } finally {
    await emu.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
