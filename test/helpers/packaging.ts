// Packaging harness: `npm pack` the repository (the already-built dist/), install the tarball into
// a scratch Pulumi program OUTSIDE the repo (os.tmpdir()) exactly as a user would, and run plain
// `node` scripts there — e.g. a setMocks capture that serializes `__provider` with the scratch
// dir's own copies of pulumi-wacht and @pulumi/pulumi. The dynamic-provider host can then be
// started with cwd = the scratch dir (engine-host.ts).
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { toCaptured, type CaptureOptions, type CapturedResource } from "./capture";

const execFileP = promisify(execFile);

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
/** The @pulumi/pulumi version a user on Node 20 installs (peer dependency of pulumi-wacht). */
export const SCRATCH_PULUMI_VERSION = "3.248.0";
// One scratch base per checkout: worktrees of this repository testing side by side on one machine
// must not remove each other's installs as "stale".
const SCRATCH_BASE = path.join(
  os.tmpdir(),
  `pulumi-wacht-scratch-${createHash("sha256").update(REPO_ROOT).digest("hex").slice(0, 8)}`,
);

export interface ScratchInstall {
  /** The scratch program directory (has node_modules/pulumi-wacht from the tarball). */
  dir: string;
  /** The packed tarball. */
  tarball: string;
  /** Wall-clock ms spent in `npm pack`. */
  packMs: number;
  /** Wall-clock ms spent in `npm install` (0 when a previous identical install was reused). */
  installMs: number;
  /** True when an install of a byte-identical tarball was reused from an earlier run. */
  reused: boolean;
}

function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // No jest/ts-node hooks in the child: it must behave like a user's plain `node` process.
  delete env.NODE_OPTIONS;
  delete env.TS_NODE_PROJECT;
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** Runs a command like a user's shell would (no jest hooks); throws with its output on failure. */
export async function run(
  cmd: string,
  args: string[],
  cwd: string,
  env?: NodeJS.ProcessEnv,
  timeoutMs = 180_000,
): Promise<string> {
  try {
    const { stdout } = await execFileP(cmd, args, {
      cwd,
      env: env ?? cleanEnv(),
      timeout: timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch (e) {
    const err = e as Error & { stdout?: string; stderr?: string };
    throw new Error(
      `${cmd} ${args.join(" ")} (cwd ${cwd}) failed: ${err.message}\n${err.stdout ?? ""}\n${err.stderr ?? ""}`,
    );
  }
}

let cached: Promise<ScratchInstall> | undefined;

/**
 * Packs the repository and installs the tarball into a scratch program. Memoized per process (one
 * pack+install per test file run). The install directory is content-addressed by the tarball's
 * sha256, so a later run with a byte-identical tarball reuses the finished install (`reused`).
 * Expects dist/ to be built (`npm test` builds in pretest); packs with --ignore-scripts so that
 * it never rebuilds dist/ underneath concurrently running engine tests.
 */
export function packAndInstall(): Promise<ScratchInstall> {
  cached ??= doPackAndInstall();
  return cached;
}

async function doPackAndInstall(): Promise<ScratchInstall> {
  for (const f of ["dist/index.js", "dist/provider/user-provider.js"]) {
    if (!fs.existsSync(path.join(REPO_ROOT, f))) {
      throw new Error(`${f} is missing: run \`npm run build\` (npm test does it in pretest)`);
    }
  }
  fs.mkdirSync(SCRATCH_BASE, { recursive: true });
  const packDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-wacht-pack-"));
  const t0 = Date.now();
  const packOut = await run(
    "npm",
    ["pack", "--ignore-scripts", "--json", "--pack-destination", packDir],
    REPO_ROOT,
  );
  const packMs = Date.now() - t0;
  const packed = JSON.parse(packOut) as { filename: string }[];
  const packedTarball = path.join(packDir, packed[0]!.filename);

  const sha = createHash("sha256").update(fs.readFileSync(packedTarball)).digest("hex");
  const key = `${sha.slice(0, 16)}-pulumi-${SCRATCH_PULUMI_VERSION}`;
  const dir = path.join(SCRATCH_BASE, key);
  const tarball = path.join(SCRATCH_BASE, `${key}.tgz`);
  const marker = path.join(dir, ".installed");
  if (fs.existsSync(marker)) {
    fs.rmSync(packDir, { recursive: true, force: true });
    return { dir, tarball, packMs, installMs: 0, reused: true };
  }

  // A fresh install. Jest workers may pack and install the same tarball side by side: each
  // installs into its own staging folder and renames it into place (the first rename wins, the
  // others use the winner's). Scratch programs of older tarballs are dropped, never this one's.
  for (const old of fs.readdirSync(SCRATCH_BASE)) {
    if (!old.startsWith(key))
      fs.rmSync(path.join(SCRATCH_BASE, old), { recursive: true, force: true });
  }
  fs.renameSync(packedTarball, tarball); // byte-identical whoever renames last
  fs.rmSync(packDir, { recursive: true, force: true });
  const staging = `${dir}.${process.pid}.staging`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  fs.writeFileSync(
    path.join(staging, "package.json"),
    JSON.stringify(
      {
        name: "wacht-scratch-program",
        private: true,
        version: "0.0.0",
        main: "index.js",
        dependencies: {
          "@pulumi/pulumi": SCRATCH_PULUMI_VERSION,
          "pulumi-wacht": `file:${tarball}`,
        },
      },
      null,
      2,
    ),
  );
  const t1 = Date.now();
  await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"], staging);
  const installMs = Date.now() - t1;
  fs.writeFileSync(path.join(staging, ".installed"), new Date().toISOString());
  if (fs.existsSync(dir) && !fs.existsSync(marker))
    fs.rmSync(dir, { recursive: true, force: true }); // an interrupted run's
  try {
    fs.renameSync(staging, dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if ((code !== "ENOTEMPTY" && code !== "EEXIST") || !fs.existsSync(marker)) throw e;
    fs.rmSync(staging, { recursive: true, force: true }); // another worker's install won
  }
  return { dir, tarball, packMs, installMs, reused: false };
}

/**
 * Writes `script` (plain CommonJS) into `dir` and runs it with plain `node` (no ts-node, no jest),
 * so `require()` resolves from the scratch program's node_modules. Returns stdout.
 */
export async function runNodeScript(
  dir: string,
  script: string,
  args: string[] = [],
  env?: Record<string, string | undefined>,
): Promise<string> {
  const file = path.join(dir, `script-${process.pid}-${Date.now()}.js`);
  fs.writeFileSync(file, script);
  try {
    return await run(process.execPath, [file, ...args], dir, cleanEnv(env), 60_000);
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** The capture program run inside the scratch dir: what a user's `index.js` would do, under mocks. */
const CAPTURE_SCRIPT = `"use strict";
const pulumi = require("@pulumi/pulumi");
const wacht = require("pulumi-wacht");
const spec = JSON.parse(process.argv[2]);
const captured = [];
pulumi.runtime.setAllConfig(spec.config, spec.secretKeys);
Promise.resolve(
  pulumi.runtime.setMocks(
    {
      newResource(args) {
        if (args.inputs && "__provider" in args.inputs) {
          captured.push({ type: args.type, name: args.name, inputs: args.inputs });
        }
        return { id: args.name + "-id", state: args.inputs };
      },
      call(args) {
        return args.inputs;
      },
    },
    spec.project,
    spec.stack,
    false,
  ),
)
  .then(async () => {
    new wacht.User(spec.name, spec.args);
    await pulumi.runtime.waitForRPCs();
    process.stdout.write(JSON.stringify(captured));
  })
  .catch((e) => {
    console.error(e && e.stack ? e.stack : String(e));
    process.exit(1);
  });
`;

export interface ScratchCaptureOptions extends CaptureOptions {
  /** Environment of the capture process (undefined removes a variable). */
  env?: Record<string, string | undefined>;
}

/**
 * Serializes `new User(name, args)` inside the scratch program with plain `node` — the same
 * serializer, module cache and package layout as a user's program — and returns the capture.
 */
export async function captureUserInScratch(
  dir: string,
  name: string,
  args: Record<string, unknown>,
  opts: ScratchCaptureOptions = {},
): Promise<CapturedResource> {
  const spec = {
    name,
    args,
    config: opts.config ?? {},
    secretKeys: opts.secretKeys ?? [],
    project: opts.project ?? "wacht-test",
    stack: opts.stack ?? "test",
  };
  const stdout = await runNodeScript(dir, CAPTURE_SCRIPT, [JSON.stringify(spec)], opts.env);
  const regs = JSON.parse(stdout) as {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
  }[];
  if (regs.length !== 1) throw new Error(`expected 1 dynamic resource, captured ${regs.length}`);
  const r = regs[0]!;
  return toCaptured(r.type, r.name, r.inputs);
}

/** The subpaths a user can import: package.json "exports" minus package.json and the dist/ escape hatch. */
export function publicSubpaths(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
    name: string;
    exports: Record<string, unknown>;
  };
  return Object.keys(pkg.exports)
    .filter((k) => k !== "./package.json" && !k.includes("*"))
    .map((k) => (k === "." ? pkg.name : `${pkg.name}/${k.slice(2)}`));
}

/** The tsconfig of a `pulumi new typescript` project, with the module resolution under test. */
function consumerTsconfig(moduleResolution: "node10" | "node16"): Record<string, unknown> {
  return {
    compilerOptions: {
      strict: true,
      outDir: "bin",
      target: "es2020",
      module: moduleResolution === "node16" ? "node16" : "commonjs",
      moduleResolution,
      sourceMap: true,
      experimentalDecorators: true,
      pretty: false,
      // zod's declarations (which ours re-export) default-import `export =` modules (TS1259 without it).
      esModuleInterop: true,
      noFallthroughCasesInSwitch: true,
      noImplicitReturns: true,
      forceConsistentCasingInFileNames: true,
      noEmit: true,
      // The scratch program has no @types/node of its own; a Pulumi project has it as a devDependency.
      typeRoots: [path.join(REPO_ROOT, "node_modules", "@types")],
      types: ["node"],
    },
    files: ["index.ts"],
  };
}

/**
 * Type-checks `source` as `index.ts` of a TypeScript program in a subdirectory of the scratch
 * install, with the repository's own `tsc` and the given module resolution. Resolves to tsc's
 * output (empty on success); never throws for type errors, so a test can assert the diagnostics.
 */
export async function typecheckInScratch(
  dir: string,
  moduleResolution: "node10" | "node16",
  source: string,
): Promise<{ ok: boolean; output: string }> {
  const program = path.join(dir, `ts-consumer-${moduleResolution}`);
  fs.mkdirSync(program, { recursive: true });
  fs.writeFileSync(
    path.join(program, "tsconfig.json"),
    JSON.stringify(consumerTsconfig(moduleResolution), null, 2),
  );
  fs.writeFileSync(path.join(program, "index.ts"), source);
  const tsc = path.join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
  try {
    const out = await execFileP(process.execPath, [tsc, "-p", "tsconfig.json"], {
      cwd: program,
      env: cleanEnv(),
      timeout: 120_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return { ok: true, output: out.stdout + out.stderr };
  } catch (e) {
    const err = e as Error & { stdout?: string; stderr?: string };
    return { ok: false, output: `${err.stdout ?? ""}${err.stderr ?? ""}` || err.message };
  }
}
