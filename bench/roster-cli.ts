// `node -r ts-node/register/transpile-only bench/roster-cli.ts` (after `npm run build && node
// scripts/link-self.js`): `pulumi preview` (the real CLI, ADR 0010) of examples/gitops with a
// roster of N generated account files (default 1,000), against the emulator in its own process.
// Prints the wall time and the requests the preview sent.
import * as fs from "node:fs";
import * as path from "node:path";
import { E2eProject, REPO_ROOT, requireCli } from "../test/e2e/helpers/project";
import { startEmulatorProcess } from "./lib/emulator-process";
import { API_KEY } from "./lib/fixtures";

const FILES = Number(process.env["BENCH_ROSTER_FILES"] ?? 1000);

async function main(): Promise<void> {
  const cli = requireCli();
  const files: Record<string, string> = {};
  for (let i = 0; i < FILES; i++) {
    const n = String(i).padStart(4, "0");
    files[`users/svc-${n}.yaml`] = [
      `emailAddress: svc-${n}@example.com`,
      `username: svc-${n}`,
      "firstName: Service",
      `lastName: Account${n}`,
      "skipPasswordCheck: true",
      "publicMetadata: { kind: service }",
      "",
    ].join("\n");
  }
  const emulator = await startEmulatorProcess(API_KEY);
  const project = await E2eProject.create({
    program: fs.readFileSync(path.join(REPO_ROOT, "examples", "gitops", "index.ts"), "utf8"),
    main: "index.ts",
    files,
    projectName: "wacht-gitops",
  });
  try {
    const env = { WACHT_API_KEY: API_KEY, WACHT_BASE_URL: emulator.url };
    const t0 = performance.now();
    const r = await project.run(["preview", "--non-interactive"], { env, timeoutMs: 1_800_000 });
    const seconds = (performance.now() - t0) / 1000;
    if (r.code !== 0) throw new Error(`preview exited ${r.code}:\n${r.all.slice(-3000)}`);
    const requests = await emulator.requests();
    const summary = /Resources:[\s\S]*?(?=\n\n|$)/.exec(r.stdout)?.[0] ?? "";
    console.log(
      `Pulumi CLI ${cli.version}: pulumi preview of a ${FILES}-file roster: ${seconds.toFixed(1)} s, ${requests.length} requests`,
    );
    console.log(summary);
  } finally {
    await emulator.close();
    project.remove();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
