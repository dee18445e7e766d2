// `npm run bench:cli`: the provider through the REAL `pulumi` CLI (ADR 0010) against the emulator
// in its own process. For N users (default 500) and each --parallel value: `pulumi preview` of a
// new stack, `pulumi up` creating them, a no-op `pulumi up --refresh`, and `pulumi up --refresh`
// with k users drifted in the emulator. Reports wall time and requests by kind (from the
// emulator's log), and requests per user. Writes bench/cli-results.local.json (untracked).
//
//   BENCH_CLI_USERS=500 BENCH_CLI_PARALLEL=8,1,16,64 npm run bench:cli
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { E2eProject, requireCli } from "../test/e2e/helpers/project";
import { startEmulatorProcess } from "./lib/emulator-process";
import { API_KEY } from "./lib/fixtures";
import type { RequestLogEntry } from "../src/emulator";

const USERS = Number(process.env["BENCH_CLI_USERS"] ?? 500);
const PARALLEL = (process.env["BENCH_CLI_PARALLEL"] ?? "8").split(",").map(Number);
const DRIFTED = Number(process.env["BENCH_CLI_DRIFTED"] ?? 7);
const PASSWORD = "Bench-Cli-Password-42!";

const program = `
const pulumi = require("@pulumi/pulumi");
const wacht = require("pulumi-wacht");
const password = new pulumi.Config().requireSecret("password");
for (let i = 0; i < ${USERS}; i++) {
  const n = String(i).padStart(4, "0");
  new wacht.User("svc-" + n, {
    emailAddress: "svc-" + n + "@example.com",
    firstName: "Service",
    lastName: "Account" + n,
    password,
    secondFactorPolicy: "none",
    publicMetadata: { kind: "service", n: i },
  });
}
`;

function byKind(entries: RequestLogEntry[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of entries) {
    const k = `${e.method} ${e.path.replace(/\/\d+(?=\/|$)/g, "/:id")}`;
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

interface Step {
  parallel: number;
  step: string;
  wallSeconds: number;
  exitCode: number;
  requests: number;
  perUser: number;
  byKind: Record<string, number>;
}

async function main(): Promise<void> {
  const cli = requireCli();
  console.log(
    `Pulumi CLI ${cli.version} (${cli.source}); ${USERS} users; --parallel ${PARALLEL.join(", ")}`,
  );
  const results: Step[] = [];
  for (const parallel of PARALLEL) {
    const emulator = await startEmulatorProcess(API_KEY);
    const project = await E2eProject.create({ program, stack: `bench-p${parallel}` });
    try {
      await project.config("wacht:apiKey", API_KEY, true);
      await project.config("wacht:baseUrl", emulator.url);
      await project.config("password", PASSWORD, true);
      const step = async (name: string, args: string[], before?: () => Promise<void>) => {
        if (before) await before();
        await emulator.clearRequests();
        const t0 = performance.now();
        const r = await project.run(
          [...args, "--parallel", String(parallel), "--non-interactive"],
          {
            timeoutMs: 1_800_000,
          },
        );
        const wallSeconds = (performance.now() - t0) / 1000;
        if (r.code !== 0) throw new Error(`${name} exited ${r.code}:\n${r.all.slice(-4000)}`);
        const log = await emulator.requests();
        const s: Step = {
          parallel,
          step: name,
          wallSeconds: Math.round(wallSeconds * 10) / 10,
          exitCode: r.code,
          requests: log.length,
          perUser: Math.round((log.length / USERS) * 1000) / 1000,
          byKind: byKind(log),
        };
        results.push(s);
        console.log(
          `p=${parallel} ${name.padEnd(34)} ${s.wallSeconds.toFixed(1).padStart(7)} s  ${String(s.requests).padStart(5)} requests (${s.perUser}/user)  ${JSON.stringify(s.byKind)}`,
        );
      };
      await step(`preview of ${USERS} new users`, ["preview"]);
      await step(`up creating ${USERS} users`, ["up", "--yes"]);
      await step(`no-op up --refresh of ${USERS}`, ["up", "--yes", "--refresh"]);
      await step(`up --refresh, ${DRIFTED} drifted`, ["up", "--yes", "--refresh"], async () => {
        const users = (await emulator.users()).slice(0, DRIFTED);
        for (const u of users) await emulator.patchUser(u.user.id, { last_name: "Drifted" });
      });
    } finally {
      await emulator.close();
      project.remove();
    }
  }
  const file = path.join(__dirname, "cli-results.local.json");
  writeFileSync(file, JSON.stringify({ cli: cli.version, users: USERS, results }, null, 2));
  console.log(`wrote ${file}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
