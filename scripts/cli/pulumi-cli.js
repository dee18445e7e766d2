#!/usr/bin/env node
// The one place that finds (or builds) the real Pulumi CLI for the demo, the e2e tests and the
// benchmarks (docs/decisions/0010-real-pulumi-cli.md). Search order:
//   1. PULUMI_CLI (a path to a `pulumi` binary), then a `pulumi` on PATH (npm's own .bin shims
//      excluded: the `pulumi` npm package is step 4);
//   2. the cached build of the pinned version (tools/pulumi-cli/go.mod);
//   3. a build from the Go module proxy, when `go` exists;
//   4. the `pulumi` npm package, which downloads the CLI on first use (needs the internet).
// Builds go to a cache directory outside git, are made only when the binary is missing or of
// another version, and get our own dynamic-provider launcher beside them.
//
//   node scripts/cli/pulumi-cli.js ensure     find or build; print the binary's path
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

function onPath(name) {
  for (const dir of (process.env.PATH || "").split(path.delimiter)) {
    if (!dir || dir.split(path.sep).includes("node_modules")) continue;
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

/** Copies our launcher next to `binary` unless an identical one is there already. */
function ensureLauncher(binaryDir) {
  const target = path.join(binaryDir, LAUNCHER);
  const wanted = fs.readFileSync(launcherSource);
  let current;
  try {
    current = fs.readFileSync(target);
  } catch {
    current = undefined;
  }
  if (!current || !current.equals(wanted)) {
    const tmp = `${target}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, wanted, { mode: 0o755 });
    fs.renameSync(tmp, target);
  }
  fs.chmodSync(target, 0o755);
  return target;
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

/** The `pulumi` npm package's binary, when it can fetch or has fetched the CLI. */
function npmPackageCli() {
  let runJs;
  try {
    runJs = require.resolve("pulumi/run.js", { paths: [process.cwd(), root] });
  } catch {
    return undefined;
  }
  const r = spawnSync(process.execPath, [runJs, "version"], {
    encoding: "utf8",
    timeout: 120_000,
    env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
  });
  if (r.status !== 0) return undefined;
  return {
    binary: process.execPath,
    prefix: [runJs],
    version: r.stdout.trim(),
    source: "npm package pulumi",
  };
}

/**
 * Finds the CLI. Returns { binary, prefix, version, source } or undefined.
 * `prefix` is the argument list to put before pulumi's own arguments (non-empty only for the npm
 * package, which is run through node). A cached build has our plugin launcher beside it (the
 * engine looks there, and warns when it takes one from PATH instead); a CLI from PULUMI_CLI, PATH
 * or the npm package ships its own.
 */
function findPulumiCli({ build = true, npm = true, log } = {}) {
  const explicit = process.env.PULUMI_CLI;
  if (explicit) {
    const version = versionOf(explicit);
    if (!version)
      throw new Error(`PULUMI_CLI=${explicit} does not run ("${explicit} version" failed)`);
    return { binary: explicit, prefix: [], version, source: "PULUMI_CLI" };
  }
  const fromPath = onPath("pulumi");
  if (fromPath) {
    const version = versionOf(fromPath);
    if (version) return { binary: fromPath, prefix: [], version, source: "PATH" };
  }
  const pinned = pinnedVersion();
  const cached = cachedBinary(pinned);
  if (fs.existsSync(cached) && versionOf(cached) === pinned) {
    ensureLauncher(path.dirname(cached));
    return { binary: cached, prefix: [], version: pinned, source: "cached build" };
  }
  if (build) {
    const built = buildCli({ log });
    if (built) return { binary: built, prefix: [], version: pinned, source: "built now" };
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

const NOT_FOUND_HELP = [
  "The Pulumi CLI was not found and could not be built.",
  "  - Install Go >= 1.25.11 (the CLI is then built from the Go module proxy, pinned in",
  "    tools/pulumi-cli/go.mod, into ~/.cache/pulumi-wacht), or",
  "  - put a `pulumi` on PATH or set PULUMI_CLI=/path/to/pulumi, or",
  "  - give the `pulumi` npm package internet access to download the CLI.",
].join("\n");

module.exports = {
  pinnedVersion,
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
      console.error(`Pulumi CLI ${cli.version} (${cli.source})`);
    } else {
      throw new Error(`unknown command "${command}" (ensure | build | version)`);
    }
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  }
}
