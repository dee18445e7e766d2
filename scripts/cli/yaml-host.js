#!/usr/bin/env node
// The Pulumi YAML language host, `pulumi-language-yaml`, for plain `pulumi up` of YAML programs
// (docs/decisions/0014-sdk-generation-and-distribution.md). The CLI distribution bundles it; our
// CLI is built from the Go module proxy (scripts/cli/pulumi-cli.js), so we build the host the same
// way: from tools/pulumi-yaml/go.mod (github.com/pulumi/pulumi-yaml pinned, against pkg/sdk
// v3.206.0, the only pkg/sdk it compiles against), into the directory of the cached `pulumi`
// binary, as a real file (the CLI looks for language hosts next to its own binary, and with
// PULUMI_IGNORE_AMBIENT_PLUGINS only there). It is rebuilt only when missing or built from other
// pinned versions (read from the binary's Go build info).
//
//   node scripts/cli/yaml-host.js ensure [path/to/pulumi]   find or build; print the host's path
//   node scripts/cli/yaml-host.js version                   the pinned pulumi-yaml version
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..", "..");
const toolsDir = path.join(root, "tools", "pulumi-yaml");
const HOST = "pulumi-language-yaml";
const YAML_MODULE = "github.com/pulumi/pulumi-yaml";
const SDK_MODULE = "github.com/pulumi/pulumi/sdk/v3";

/** The versions tools/pulumi-yaml/go.mod pins: { yaml: "v1.25.0", sdk: "v3.206.0" }. */
function pinnedVersions() {
  const gomod = fs.readFileSync(path.join(toolsDir, "go.mod"), "utf8");
  const pin = (module) => {
    const m = new RegExp(`${module.replace(/[./]/g, "\\$&")} (v\\d+\\.\\d+\\.\\d+)`).exec(gomod);
    if (!m) throw new Error(`tools/pulumi-yaml/go.mod pins no ${module} version`);
    return m[1];
  };
  return { yaml: pin(YAML_MODULE), sdk: pin(SDK_MODULE) };
}

function hasGo() {
  return spawnSync("go", ["version"], { encoding: "utf8" }).status === 0;
}

/**
 * Whether `binary` was built from the pinned versions, from its embedded Go build info
 * (`go version -m`). Without `go` an existing binary cannot be checked (nor rebuilt): it is kept.
 */
function isPinnedBuild(binary, pinned = pinnedVersions()) {
  if (!fs.existsSync(binary)) return false;
  const r = spawnSync("go", ["version", "-m", binary], { encoding: "utf8" });
  if (r.error && r.error.code === "ENOENT") return true;
  if (r.status !== 0) return false;
  const lines = r.stdout.split("\n").map((line) => line.trim().split(/\s+/));
  const has = (kind, module, version) =>
    lines.some(([k, m, v]) => k === kind && m === module && v === version);
  return has("mod", YAML_MODULE, pinned.yaml) && has("dep", SDK_MODULE, pinned.sdk);
}

/**
 * Builds the pinned host into `dir` (written to a temporary name, then renamed, so concurrent
 * callers never see half a binary) unless a pinned build is there. Returns its path; throws when
 * `go` is missing or the build fails.
 */
function buildYamlHost(dir, { log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const pinned = pinnedVersions();
  const binary = path.join(dir, HOST);
  if (isPinnedBuild(binary, pinned)) return binary;
  if (!hasGo())
    throw new Error(`\`go\` is not installed: cannot build the Pulumi YAML language host`);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = `${binary}.${process.pid}.tmp`;
  log(`Building the Pulumi YAML language host ${pinned.yaml} from the Go module proxy into ${dir}`);
  log(`(a cold build took about 4 minutes on 2 cores; later runs reuse it)`);
  const started = Date.now();
  const r = spawnSync(
    "go",
    [
      "build",
      "-trimpath",
      "-tags",
      "osusergo,grpcnotrace",
      "-ldflags",
      `-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=${pinned.yaml}`,
      "-o",
      tmp,
      `${YAML_MODULE}/cmd/${HOST}`,
    ],
    {
      cwd: toolsDir,
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, CGO_ENABLED: "0" },
    },
  );
  if (r.status !== 0) {
    fs.rmSync(tmp, { force: true });
    throw new Error(`go build of ${HOST} ${pinned.yaml} failed (exit ${r.status ?? r.signal})`);
  }
  fs.renameSync(tmp, binary);
  log(`Built ${HOST} ${pinned.yaml} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return binary;
}

/**
 * Makes sure the CLI that `findPulumiCli()` found (`cli`: { binary, prefix }) finds a YAML
 * language host. Our own cached CLI build gets the pinned host beside it (built when missing or of
 * other versions). A CLI installed some other way (PULUMI_CLI, PATH, the `pulumi` npm package)
 * ships its own host: it is used as it is, and only its absence is reported. Returns the host's
 * path, or undefined when that CLI has none beside it.
 */
function ensureYamlHost(cli, { log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  if (cli.prefix && cli.prefix.length > 0) return undefined; // the npm package's own download
  const dir = path.dirname(fs.realpathSync(cli.binary));
  const ours = require("./pulumi-cli").cachedBinary();
  if (fs.existsSync(ours) && path.dirname(fs.realpathSync(ours)) === dir)
    return buildYamlHost(dir, { log });
  const beside = path.join(dir, HOST);
  if (fs.existsSync(beside)) return beside;
  log(
    `No ${HOST} next to ${cli.binary}: plain \`pulumi up\` of YAML programs needs it (use our ` +
      `cached CLI build, without PULUMI_CLI, or a full Pulumi CLI installation)`,
  );
  return undefined;
}

module.exports = { pinnedVersions, isPinnedBuild, buildYamlHost, ensureYamlHost, HOST };

if (require.main === module) {
  const command = process.argv[2] || "ensure";
  try {
    if (command === "version") {
      console.log(pinnedVersions().yaml);
    } else if (command === "ensure") {
      const { findPulumiCli, NOT_FOUND_HELP } = require("./pulumi-cli");
      const cli = process.argv[3] ? { binary: process.argv[3], prefix: [] } : findPulumiCli();
      if (!cli) throw new Error(NOT_FOUND_HELP);
      const host = ensureYamlHost(cli);
      if (!host) process.exitCode = 1;
      else console.log(host);
    } else {
      throw new Error(`unknown command "${command}" (ensure | version)`);
    }
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  }
}
