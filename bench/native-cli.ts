// `npm run bench:native`: the native provider (a YAML program) beside the dynamic resource (a
// Node.js program) through the REAL `pulumi` CLI, in one run, against the emulator in its own
// process. For N users (default 200) each: `up` creating them, then a no-op `refresh`; requests
// by kind (the budget: <= 2.05 requests per created user, ceil(M/500) lists per refresh) and
// state bytes per user (`pulumi stack export`); then the plugin's start time (launcher to port,
// median of 9). Writes bench/native-results.local.json (untracked).
//
//   BENCH_NATIVE_USERS=200 npm run bench:native
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { E2eProject, REPO_ROOT, requireCli } from "../test/e2e/helpers/project";
import { startEmulatorProcess } from "./lib/emulator-process";
import { API_KEY } from "./lib/fixtures";
import type { RequestLogEntry } from "../src/emulator";

const USERS = Number(process.env["BENCH_NATIVE_USERS"] ?? 200);
const PASSWORD = "Bench-Native-Password-42!";

const n = (i: number): string => String(i).padStart(4, "0");
const fields = (i: number) => ({
  emailAddress: `svc-${n(i)}@example.com`,
  firstName: "Service",
  lastName: `Account${n(i)}`,
  secondFactorPolicy: "none",
  publicMetadata: { kind: "service", n: i },
});

const dynamicProgram = `
const pulumi = require("@pulumi/pulumi");
const wacht = require("pulumi-wacht");
const password = new pulumi.Config().requireSecret("password");
const fields = ${fields.toString()};
const n = ${n.toString()};
for (let i = 0; i < ${USERS}; i++) new wacht.User("svc-" + n(i), { ...fields(i), password });
`;

const yamlProgram = stringify(
  {
    plugins: { providers: [{ name: "wacht", path: path.join(REPO_ROOT, "plugin") }] },
    config: { password: { type: "string", secret: true } },
    resources: Object.fromEntries(
      Array.from({ length: USERS }, (_, i) => [
        `svc-${n(i)}`,
        { type: "wacht:index:User", properties: { ...fields(i), password: "${password}" } },
      ]),
    ),
  },
  { aliasDuplicateObjects: false },
);

function byKind(entries: RequestLogEntry[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of entries) {
    const k = `${e.method} ${e.path.replace(/\/\d+(?=\/|$)/g, "/:id")}`;
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

interface Row {
  provider: "dynamic" | "native";
  step: string;
  wallSeconds: number;
  requests: number;
  perUser: number;
  byKind: Record<string, number>;
}

async function measure(provider: Row["provider"], rows: Row[]): Promise<number> {
  const emulator = await startEmulatorProcess(API_KEY);
  const project = await E2eProject.create(
    provider === "native"
      ? { runtime: "yaml", program: yamlProgram, stack: "bench-native" }
      : { program: dynamicProgram, stack: "bench-dynamic" },
  );
  try {
    await project.config("wacht:apiKey", API_KEY, true);
    await project.config("wacht:baseUrl", emulator.url);
    await project.config("password", PASSWORD, true);
    for (const [step, args] of [
      [`up creating ${USERS}`, ["up", "--yes", "--skip-preview"]],
      [`no-op refresh of ${USERS}`, ["refresh", "--yes", "--skip-preview"]],
    ] as const) {
      await emulator.clearRequests();
      const t0 = performance.now();
      const r = await project.run([...args, "--non-interactive"], { timeoutMs: 1_800_000 });
      if (r.code !== 0)
        throw new Error(`${provider} ${step} exited ${r.code}:\n${r.all.slice(-4000)}`);
      const log = await emulator.requests();
      const row: Row = {
        provider,
        step,
        wallSeconds: Math.round((performance.now() - t0) / 100) / 10,
        requests: log.length,
        perUser: Math.round((log.length / USERS) * 1000) / 1000,
        byKind: byKind(log),
      };
      rows.push(row);
      console.log(
        `${provider.padEnd(8)} ${step.padEnd(24)} ${row.wallSeconds.toFixed(1).padStart(6)} s ${String(row.requests).padStart(5)} requests (${row.perUser}/user) ${JSON.stringify(row.byKind)}`,
      );
    }
    const { deployment } = await project.exportState();
    const users = deployment.resources.filter(
      (r) => r.type.endsWith("wacht:User") || r.type === "wacht:index:User",
    );
    const bytes = users.reduce((sum, r) => sum + JSON.stringify(r).length, 0) / users.length;
    console.log(
      `${provider.padEnd(8)} state bytes per user: ${Math.round(bytes)} (${users.length} users)`,
    );
    return Math.round(bytes);
  } finally {
    await emulator.close();
    project.remove();
  }
}

/** Launcher start to the port on stdout, in ms. */
function startOnce(): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(path.join(REPO_ROOT, "plugin", "pulumi-resource-wacht"), ["127.0.0.1:1"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    child.stdout.once("data", () => {
      const ms = performance.now() - t0;
      child.kill();
      resolve(ms);
    });
    child.once("error", reject);
  });
}

async function main(): Promise<void> {
  const cli = requireCli();
  console.log(`Pulumi CLI ${cli.version} (${cli.source}); ${USERS} users`);
  const rows: Row[] = [];
  const stateBytes = {
    dynamic: await measure("dynamic", rows),
    native: await measure("native", rows),
  };
  const starts: number[] = [];
  for (let i = 0; i < 9; i++) starts.push(await startOnce());
  starts.sort((a, b) => a - b);
  const startMs = {
    median: Math.round(starts[4] ?? 0),
    min: Math.round(starts[0] ?? 0),
    max: Math.round(starts[8] ?? 0),
  };
  console.log(
    `plugin start (launcher to port): median ${startMs.median} ms (min ${startMs.min}, max ${startMs.max})`,
  );
  const file = path.join(__dirname, "native-results.local.json");
  writeFileSync(
    file,
    JSON.stringify({ cli: cli.version, users: USERS, rows, stateBytes, startMs }, null, 2),
  );
  console.log(`wrote ${file}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
