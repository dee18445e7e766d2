#!/usr/bin/env node
// The one place that finds (or builds) the real Pulumi CLI for the demo, the e2e tests and the
// benchmarks (docs/decisions/0010-real-pulumi-cli.md). Search order:
//   1. PULUMI_CLI (a path to a `pulumi` binary), then a `pulumi` on PATH (npm's own .bin shims
//      excluded: the `pulumi` npm package is step 4);
//   2. the cached build of the pinned version (tools/pulumi-cli/go.mod);
//   3. a build from the Go module proxy, when `go` exists;
//   4. the `pulumi` npm package, which downloads the CLI on first use (needs the internet).
// Builds go to a cache directory outside git, are made only when the binary is missing or of
// another version.
//
// Wherever the CLI comes from, the engine must find the dynamic-provider plugin launcher
// `pulumi-resource-pulumi-nodejs` to run this package's resources (supplyLauncher, below): a CLI
// downloaded from Pulumi ships its own beside the binary; the cached build gets ours beside it;
// any other CLI without one (a bare binary on PATH) gets ours in the plugin cache of the
// PULUMI_HOME it runs with, where the engine looks when nothing is beside the binary. Never on
// PATH: the engine warns about a launcher it takes from PATH ("using … from $PATH").
//
//   node scripts/cli/pulumi-cli.js ensure     find or build; supply the launcher; print the
//                                             binary's path (stdout) and what was found and
//                                             added (stderr)
//   node scripts/cli/pulumi-cli.js build      build the pinned version unless cached
//   node scripts/cli/pulumi-cli.js version    the pinned version
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const root = path.resolve(__dirname, "..", "..");
const toolsDir = path.join(root, "tools", "pulumi-cli");
const launcherSource = path.join(__dirname, "pulumi-resource-pulumi-nodejs");
const LAUNCHER = "pulumi-resource-pulumi-nodejs";
const VERSION_TIMEOUT_MS = 30_000;

/** The pkg/v3 version pinned in tools/pulumi-cli/go.mod, e.g. "v3.248.0". */
function pinnedVersion() {
  const gomod = fs.readFileSync(path.join(toolsDir, "go.mod"), "utf8");
  const m = /github\.com\/pulumi\/pulumi\/pkg\/v3 (v\d+\.\d+\.\d+)/.exec(gomod);
  if (!m)
    throw new Error(`tools/pulumi-cli/go.mod pins no github.com/pulumi/pulumi/pkg/v3 version`);
  return m[1];
}

function cacheRoot() {
  if (process.env.PULUMI_WACHT_CACHE_DIR) return path.resolve(process.env.PULUMI_WACHT_CACHE_DIR);
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  return path.join(base, "pulumi-wacht");
}

function cachedBinary(version = pinnedVersion()) {
  return path.join(cacheRoot(), "pulumi-cli", version, "pulumi");
}

/** `pulumi version` of a binary ("v3.248.0"), or undefined when it does not run. */
function versionOf(binary, extraEnv = {}) {
  const r = spawnSync(binary, ["version"], {
    encoding: "utf8",
    timeout: VERSION_TIMEOUT_MS,
    env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true", ...extraEnv },
  });
  if (r.status !== 0) return undefined;
  const v = r.stdout.trim();
  return v === "" ? undefined : v;
}

/** The first executable `name` on PATH (npm's node_modules/.bin directories excluded unless asked). */
function onPath(name, { searchPath = process.env.PATH, npmBins = false } = {}) {
  for (const dir of (searchPath || "").split(path.delimiter)) {
    if (!dir || (!npmBins && dir.split(path.sep).includes("node_modules"))) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Writes our launcher to `target` unless an identical one is there. True when it wrote. */
function writeLauncher(target) {
  const wanted = fs.readFileSync(launcherSource);
  let current;
  try {
    current = fs.readFileSync(target);
  } catch {
    current = undefined;
  }
  const changed = !current || !current.equals(wanted);
  if (changed) {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const tmp = `${target}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, wanted, { mode: 0o755 });
    fs.renameSync(tmp, target);
  }
  fs.chmodSync(target, 0o755);
  return changed;
}

/** Copies our launcher next to a binary in our cache unless an identical one is there. */
function ensureLauncher(binaryDir) {
  const target = path.join(binaryDir, LAUNCHER);
  writeLauncher(target);
  return target;
}

function isExecutableFile(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The PULUMI_HOME a CLI started with `env` uses: PULUMI_HOME, else `.pulumi` in the user's home
 * directory as the CLI reads it (Go's user.Current(): the password database, not $HOME).
 */
function pulumiHome(env = process.env) {
  if (env.PULUMI_HOME) return path.resolve(env.PULUMI_HOME);
  let home;
  try {
    home = os.userInfo().homedir;
  } catch {
    home = "";
  }
  return path.join(home || os.homedir(), ".pulumi");
}

/** Where our launcher goes in a PULUMI_HOME's plugin cache (`<kind>-<name>-v<version>/`). */
function pluginCacheLauncher(env = process.env) {
  const dir = `resource-pulumi-nodejs-v${pinnedVersion().replace(/^v/, "")}`;
  return path.join(pulumiHome(env), "plugins", dir, LAUNCHER);
}

/** A boolean Pulumi environment variable as the CLI reads it ("1" or "true", any case). */
function truthy(value) {
  return value === "1" || (value ?? "").toLowerCase() === "true";
}

/**
 * Makes sure the engine of `cli`, run with `env`, finds a `pulumi-resource-pulumi-nodejs`
 * launcher, the way the engine looks for one (sdk/go/common/workspace/plugins.go): on PATH first
 * (with a warning unless it is the one beside the binary), then beside the symlink-resolved
 * binary, then in PULUMI_HOME's plugin cache. Returns
 *   { launcher, where, added, ambient? }
 * `launcher` is the file the engine will run, `where` says whose it is and where, `added` is
 * true when this call wrote it, and `ambient` names a launcher on PATH that the engine prefers
 * (and warns about).
 */
function supplyLauncher(cli, env = process.env) {
  const binaryDir = path.dirname(fs.realpathSync(cli.binary));
  const beside = path.join(binaryDir, LAUNCHER);
  let result;
  if (binaryDir === realpathOr(path.dirname(cachedBinary()))) {
    result = {
      launcher: beside,
      where: "this project's, beside the cached CLI",
      added: writeLauncher(beside),
    };
  } else if (isExecutableFile(beside)) {
    result = { launcher: beside, where: "the CLI's own, beside it", added: false };
  } else {
    const target = pluginCacheLauncher(env);
    result = {
      launcher: target,
      where: "this project's, in the plugin cache of PULUMI_HOME (none is beside the CLI)",
      added: writeLauncher(target),
    };
  }
  if (!truthy(env.PULUMI_IGNORE_AMBIENT_PLUGINS)) {
    const ambient = onPath(LAUNCHER, { searchPath: env.PATH, npmBins: true });
    if (ambient && realpathOr(ambient) !== realpathOr(beside)) result.ambient = ambient;
  }
  return result;
}

function realpathOr(file) {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

/**
 * Builds the pinned CLI into the cache unless a binary of that version is there. Returns its path,
 * or undefined when `go` is not installed. Throws when the build itself fails.
 */
function buildCli({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const version = pinnedVersion();
  const binary = cachedBinary(version);
  if (fs.existsSync(binary) && versionOf(binary) === version) {
    ensureLauncher(path.dirname(binary));
    return binary;
  }
  if (spawnSync("go", ["version"], { encoding: "utf8" }).status !== 0) return undefined;
  fs.mkdirSync(path.dirname(binary), { recursive: true });
  const tmp = `${binary}.${process.pid}.tmp`;
  log(`Building the Pulumi CLI ${version} from the Go module proxy into ${path.dirname(binary)}`);
  log(
    `(a cold build downloads ~1.3 GB of modules and took 12-13 minutes on 2 cores; later runs reuse it)`,
  );
  const started = Date.now();
  const r = spawnSync(
    "go",
    [
      "build",
      "-trimpath",
      "-tags",
      "osusergo,grpcnotrace",
      "-ldflags",
      `-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${version}`,
      "-o",
      tmp,
      "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi",
    ],
    {
      cwd: toolsDir,
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, CGO_ENABLED: "0" },
    },
  );
  if (r.status !== 0) {
    fs.rmSync(tmp, { force: true });
    throw new Error(`go build of the Pulumi CLI ${version} failed (exit ${r.status ?? r.signal})`);
  }
  fs.renameSync(tmp, binary);
  ensureLauncher(path.dirname(binary));
  const built = versionOf(binary);
  if (built !== version)
    throw new Error(`built Pulumi CLI reports "${built}", expected ${version}`);
  log(`Built the Pulumi CLI ${version} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return binary;
}

/**
 * The binary the `pulumi` npm package downloads into its own cache on first use (needs the
 * internet once), found with the package's resolver so that it runs like any other binary.
 */
function npmPackageCli() {
  let resolver;
  try {
    resolver = require.resolve("pulumi/lib/resolve", { paths: [process.cwd(), root] });
  } catch {
    return undefined;
  }
  const r = spawnSync(
    process.execPath,
    ["-e", `require(${JSON.stringify(resolver)}).resolve().then((b) => process.stdout.write(b))`],
    { encoding: "utf8", timeout: 300_000, stdio: ["ignore", "pipe", "inherit"] },
  );
  const binary = r.status === 0 ? r.stdout.trim() : "";
  const version = binary ? versionOf(binary) : undefined;
  if (!version) return undefined;
  return { binary, version, source: "npm package pulumi" };
}

/**
 * Finds the CLI. Returns { binary, version, source } or undefined. With `trustExplicit`, an
 * executable PULUMI_CLI is taken as it is (version undefined), saving a `pulumi version` per
 * run of pulumi-inline.js (the demo and the tests set it). Finding supplies no launcher
 * (except beside a cached build): supplyLauncher does, for the PULUMI_HOME a run uses.
 */
function findPulumiCli({ build = true, npm = true, log, trustExplicit = false } = {}) {
  const explicit = process.env.PULUMI_CLI;
  if (explicit && trustExplicit && isExecutableFile(explicit)) {
    // A caller that set PULUMI_CLI itself (offlineEnv) already ran it: no `pulumi version` again.
    return { binary: explicit, version: undefined, source: "PULUMI_CLI" };
  }
  if (explicit) {
    const version = versionOf(explicit);
    if (!version)
      throw new Error(`PULUMI_CLI=${explicit} does not run ("${explicit} version" failed)`);
    return { binary: explicit, version, source: "PULUMI_CLI" };
  }
  const fromPath = onPath("pulumi");
  if (fromPath) {
    const version = versionOf(fromPath);
    if (version) return { binary: fromPath, version, source: "PATH" };
  }
  const pinned = pinnedVersion();
  const cached = cachedBinary(pinned);
  if (fs.existsSync(cached) && versionOf(cached) === pinned) {
    ensureLauncher(path.dirname(cached));
    return { binary: cached, version: pinned, source: "cached build" };
  }
  if (build) {
    const built = buildCli({ log });
    if (built) return { binary: built, version: pinned, source: "built now" };
  }
  if (npm) {
    const fromNpm = npmPackageCli();
    if (fromNpm) return { ...fromNpm };
  }
  return undefined;
}

/**
 * The environment of an offline, non-interactive run: a file backend, passphrase secrets, a
 * private PULUMI_HOME, no update check and no plugin download; `binary` pins the CLI for
 * pulumi-inline.js.
 */
function offlineEnv({ binary, home, stateDir, passphrase }) {
  return {
    PULUMI_CLI: binary,
    PULUMI_HOME: home,
    PULUMI_BACKEND_URL: `file://${stateDir}`,
    PULUMI_CONFIG_PASSPHRASE: passphrase,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  };
}

/** What `ensure` found and added, as lines for a person. */
function describe(cli, supplied) {
  const lines = [
    `Pulumi CLI ${cli.version} (${cli.source}: ${cli.binary})`,
    `Dynamic-provider launcher: ${supplied.launcher}`,
    `  ${supplied.where}; ${supplied.added ? "added now" : "already there"}`,
  ];
  if (supplied.where.includes("plugin cache")) {
    lines.push(
      "  (every run through scripts/cli/pulumi-inline.js adds it to the PULUMI_HOME it runs with;",
      "  the demo and the tests use private ones)",
    );
  }
  if (supplied.ambient) {
    lines.push(
      `Warning: the engine will run ${supplied.ambient} from PATH instead, and warn "using … from $PATH";`,
      `  remove it from PATH (or set PULUMI_IGNORE_AMBIENT_PLUGINS=true) to use the launcher above.`,
    );
  }
  return lines;
}

const NOT_FOUND_HELP = [
  "The Pulumi CLI was not found and could not be built.",
  "  - Install Go >= 1.25.11 (the CLI is then built from the Go module proxy, pinned in",
  "    tools/pulumi-cli/go.mod, into ~/.cache/pulumi-wacht), or",
  "  - put a `pulumi` on PATH or set PULUMI_CLI=/path/to/pulumi, or",
  "  - give the `pulumi` npm package internet access to download the CLI.",
].join("\n");

module.exports = {
  pinnedVersion,
  supplyLauncher,
  pluginCacheLauncher,
  describe,
  cacheRoot,
  cachedBinary,
  buildCli,
  findPulumiCli,
  ensureLauncher,
  versionOf,
  offlineEnv,
  NOT_FOUND_HELP,
};

if (require.main === module) {
  const command = process.argv[2] || "ensure";
  try {
    if (command === "version") {
      console.log(pinnedVersion());
    } else if (command === "build") {
      const binary = buildCli();
      if (!binary) throw new Error("`go` is not installed: cannot build the Pulumi CLI");
      console.log(binary);
    } else if (command === "ensure") {
      const cli = findPulumiCli();
      if (!cli) throw new Error(NOT_FOUND_HELP);
      require("./yaml-host").ensureYamlHost(cli); // the YAML language host, beside our CLI build
      console.log(cli.binary);
      for (const line of describe(cli, supplyLauncher(cli))) console.error(line);
    } else {
      throw new Error(`unknown command "${command}" (ensure | build | version)`);
    }
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  }
}
