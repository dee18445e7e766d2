// What the Python and Go e2e flows need, each made once and cached outside the repository like
// the CLI (docs/decisions/0014-sdk-generation-and-distribution.md):
// - the plugin tarball (`npm run build:plugin`'s script, rebuilt only when the bundle changed),
//   installed into a clean PULUMI_HOME with `pulumi plugin install resource wacht <v> --file`;
// - a Python venv with `pulumi` from PyPI (test/sdk/python/requirements.txt) and `pulumi_wacht`
//   pip-installed from a copy of sdk/python (reinstalled only when sdk/python changed);
// - the Go program test/sdk/go-program built against sdk/go (rebuilt only when either changed).
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { run } from "../../helpers/packaging";

export const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");
const SDK_TESTS = path.resolve(__dirname, "..");

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { cacheRoot } = require(path.join(REPO_ROOT, "scripts", "cli", "pulumi-cli.js")) as {
  cacheRoot(): string;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const plugin = require(path.join(REPO_ROOT, "scripts", "plugin", "build-plugin.js")) as {
  buildPlugin(opts?: { log?: (line: string) => void }): Promise<{
    tarball: string;
    rebuilt: boolean;
  }>;
  EXECUTABLE: string;
};

export const PACKAGE_VERSION = (
  JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string }
).version;

/** sha256 over files and directory trees (paths and contents), for cache keys. */
function hashOf(paths: string[]): string {
  const hash = crypto.createHash("sha256");
  const add = (p: string) => {
    if (fs.statSync(p).isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) add(path.join(p, name));
    } else {
      hash.update(path.relative(REPO_ROOT, p)).update("\0").update(fs.readFileSync(p));
    }
  };
  for (const p of paths) add(p);
  return hash.digest("hex").slice(0, 16);
}

/** Writes into `dir` through `make(tmp)` once: a temp sibling renamed into place when done. */
async function once(dir: string, make: (tmp: string) => Promise<void>): Promise<string> {
  if (fs.existsSync(dir)) return dir;
  const tmp = `${dir}.${process.pid}.tmp`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  try {
    await make(tmp);
    fs.renameSync(tmp, dir);
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  return dir;
}

/** Removes the other cached builds beside `dir` (older keys of the same cache). */
function dropSiblings(dir: string): void {
  const parent = path.dirname(dir);
  for (const name of fs.readdirSync(parent)) {
    const other = path.join(parent, name);
    if (other !== dir && !name.endsWith(".tmp")) fs.rmSync(other, { recursive: true, force: true });
  }
}

export interface InstalledPlugin {
  home: string;
  tarball: string;
  installOutput: string;
}

/**
 * The plugin tarball, installed into a fresh, empty PULUMI_HOME exactly as the docs tell users:
 * `pulumi plugin install resource wacht <version> --file <tarball>`.
 */
export async function installPlugin(cli: string, env: NodeJS.ProcessEnv): Promise<InstalledPlugin> {
  const { tarball } = await plugin.buildPlugin({ log: () => undefined });
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "wacht-pulumi-home-"));
  const args = ["plugin", "install", "resource", "wacht", PACKAGE_VERSION, "--file", tarball];
  const out = await run(cli, args, home, { ...env, PULUMI_HOME: home });
  return { home, tarball, installOutput: out };
}

/** The venv's python, with the pinned `pulumi` and the current sdk/python installed. */
export async function pythonWithSdk(): Promise<string> {
  const requirements = path.join(SDK_TESTS, "python", "requirements.txt");
  const pythonVersion = (await run("python3", ["--version"], REPO_ROOT)).trim();
  const key = crypto
    .createHash("sha256")
    .update(fs.readFileSync(requirements))
    .update(pythonVersion)
    .digest("hex")
    .slice(0, 16);
  const venv = path.join(cacheRoot(), "python-venv", key);
  await once(venv, async (tmp) => {
    await run("python3", ["-m", "venv", tmp], REPO_ROOT);
    await run(
      path.join(tmp, "bin", "pip"),
      ["install", "-q", "-r", requirements],
      REPO_ROOT,
      undefined,
      600_000,
    );
  });
  dropSiblings(venv);
  const python = path.join(venv, "bin", "python");
  // The SDK as users install it: pip from a copy of the directory (not the repo itself).
  const sdkDir = path.join(REPO_ROOT, "sdk", "python");
  const stampFile = path.join(venv, "pulumi_wacht.stamp");
  const pipInstall = ["-m", "pip", "install", "-q"];
  const stamp = `${hashOf([sdkDir])} ${pipInstall.join(" ")}`;
  if (!fs.existsSync(stampFile) || fs.readFileSync(stampFile, "utf8") !== stamp) {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), "wacht-sdk-python-"));
    try {
      fs.cpSync(sdkDir, copy, { recursive: true });
      await run(python, [...pipInstall, copy], copy, undefined, 600_000);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
    fs.writeFileSync(stampFile, stamp);
  }
  return python;
}

/** The Go program of test/sdk/go-program, built against sdk/go (a `replace` in its go.mod). */
export async function goFlowBinary(): Promise<string> {
  const source = path.join(SDK_TESTS, "go-program");
  const key = hashOf([source, path.join(REPO_ROOT, "sdk", "go")]);
  const dir = path.join(cacheRoot(), "go-flow", key);
  await once(dir, async (tmp) => {
    const flags = ["-trimpath", "-tags", "osusergo,grpcnotrace"];
    await run(
      "go",
      ["build", ...flags, "-o", path.join(tmp, "flow"), "."],
      source,
      {
        ...process.env,
        CGO_ENABLED: "0",
      },
      1_200_000,
    );
  });
  dropSiblings(dir);
  return path.join(dir, "flow");
}
