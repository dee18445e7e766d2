#!/usr/bin/env node
// The SDKs (sdk/python, sdk/go, sdk/nodejs) generated from sdk/schema.json, offline, by our small
// Go program over pkg/v3's own code generators (tools/sdk-gen,
// docs/decisions/0014-sdk-generation-and-distribution.md). The generator binary is built from the
// Go module cache (or proxy) once and cached outside git like the Pulumi CLI, keyed by the hash of
// its sources, so regenerating or checking the SDKs later needs neither the network nor a build.
//
//   node scripts/sdk/gen-sdk.js            regenerate sdk/{python,go,nodejs} (npm run gen:sdk)
//   node scripts/sdk/gen-sdk.js check      exit 1, naming the files, when the committed SDKs are stale
//   node scripts/sdk/gen-sdk.js ensure     build the generator unless cached; print its path
"use strict";
const { spawnSync } = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { cacheRoot } = require("../cli/pulumi-cli");

const root = path.resolve(__dirname, "..", "..");
const toolsDir = path.join(root, "tools", "sdk-gen");
const schemaPath = path.join(root, "sdk", "schema.json");
const LANGUAGES = ["python", "go", "nodejs"];
const GENERATOR_SOURCES = ["go.mod", "go.sum", "main.go"];

/** The generator's cache key: a hash of its sources (the pinned pkg/v3 is in go.mod). */
function generatorKey() {
  const hash = crypto.createHash("sha256");
  for (const name of GENERATOR_SOURCES) hash.update(fs.readFileSync(path.join(toolsDir, name)));
  return hash.digest("hex").slice(0, 16);
}

function generatorPath(key = generatorKey()) {
  return path.join(cacheRoot(), "sdk-gen", key, "sdk-gen");
}

/**
 * The cached generator, built first when missing (to a temporary name, then renamed; other
 * builds of older sources are removed). Throws when it must be built and `go` is missing.
 */
function ensureGenerator({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const key = generatorKey();
  const binary = generatorPath(key);
  if (fs.existsSync(binary)) return binary;
  if (spawnSync("go", ["version"], { encoding: "utf8" }).status !== 0)
    throw new Error("`go` is not installed: cannot build the SDK generator (tools/sdk-gen)");
  fs.mkdirSync(path.dirname(binary), { recursive: true });
  const tmp = `${binary}.${process.pid}.tmp`;
  log(`Building the SDK generator (tools/sdk-gen) into ${path.dirname(binary)}`);
  const started = Date.now();
  const r = spawnSync("go", ["build", "-trimpath", "-ldflags", "-s -w", "-o", tmp, "."], {
    cwd: toolsDir,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, CGO_ENABLED: "0" },
  });
  if (r.status !== 0) {
    fs.rmSync(tmp, { force: true });
    throw new Error(`go build of tools/sdk-gen failed (exit ${r.status ?? r.signal})`);
  }
  fs.renameSync(tmp, binary);
  log(`Built the SDK generator in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  const parent = path.dirname(path.dirname(binary));
  for (const other of fs.readdirSync(parent))
    if (other !== key) fs.rmSync(path.join(parent, other), { recursive: true, force: true });
  return binary;
}

/**
 * The language settings the SDKs are generated with, from package.json: each SDK carries the
 * package's version (respectSchemaVersion; without it Python's would be 0.0.0 and ask for plugin
 * v0.0.0), the Node SDK requires @pulumi/pulumi in our own peer range, and the Go SDK's import
 * path is under the repository. `meta.supportPack` makes the Go SDK its own module (sdk/go/go.mod).
 * Settings the schema gives itself win over these.
 */
function sdkSettings(pkg) {
  const repo = String(pkg.repository?.url ?? pkg.repository ?? "")
    .replace(/^git\+/, "")
    .replace(/\.git$/, "");
  const goRoot = repo.replace(/^https?:\/\//, "");
  if (!/^github\.com\/[^/]+\/[^/]+$/.test(goRoot))
    throw new Error(`package.json's repository.url (${repo}) is not a GitHub repository`);
  return {
    meta: { supportPack: true },
    language: {
      nodejs: {
        packageName: "@wacht/pulumi",
        respectSchemaVersion: true,
        dependencies: { "@pulumi/pulumi": pkg.peerDependencies["@pulumi/pulumi"] },
      },
      python: {
        packageName: "pulumi_wacht",
        respectSchemaVersion: true,
        pyproject: { enabled: true },
      },
      go: {
        importBasePath: `${goRoot}/sdk/go/wacht`,
        respectSchemaVersion: true,
        generateResourceContainerTypes: true,
      },
    },
  };
}

/** `base` with `over` laid on top: objects merge key by key, anything else in `over` wins. */
function merge(base, over) {
  if (!isObject(base) || !isObject(over)) return over === undefined ? base : over;
  const out = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = merge(base[key], value);
  return out;
}
const isObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * sdk/schema.json as the generator gets it: its version must be package.json's (the schema is
 * generated from the same package; a mismatch means it is stale), with sdkSettings beneath it.
 */
function effectiveSchema() {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  const schema = JSON.parse(fs.readFileSync(schemaPath, "utf8"));
  if (schema.version !== pkg.version)
    throw new Error(
      `sdk/schema.json has version ${schema.version}, package.json ${pkg.version}: run \`npm run gen:schema\``,
    );
  return merge(sdkSettings(pkg), schema);
}

/** Generates every language into `outDir/<language>` from sdk/schema.json. */
function generate(outDir, { log } = {}) {
  const generator = ensureGenerator({ log });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "wacht-schema-"));
  try {
    const input = path.join(work, "schema.json");
    fs.writeFileSync(input, JSON.stringify(effectiveSchema()));
    const r = spawnSync(
      generator,
      ["-schema", input, "-out", outDir, "-languages", LANGUAGES.join(",")],
      { encoding: "utf8" },
    );
    if (r.status !== 0)
      throw new Error(`SDK generation failed (exit ${r.status ?? r.signal}):\n${r.stderr}`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Every file under `dir`, as sorted paths relative to it. */
function listFiles(dir) {
  const out = [];
  const walk = (rel) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = path.join(rel, entry.name);
      if (entry.isDirectory()) walk(child);
      else out.push(child);
    }
  };
  if (fs.existsSync(dir)) walk("");
  return out.sort();
}

/**
 * The files that differ between the committed SDKs (under `sdkDir`, default sdk/) and a fresh
 * generation: { missing, extra, changed }, paths relative to `sdkDir`. Only the language folders
 * are compared (sdk/schema.json is the input, not an output).
 */
function staleFiles({ sdkDir = path.join(root, "sdk"), log } = {}) {
  const fresh = fs.mkdtempSync(path.join(os.tmpdir(), "wacht-sdk-"));
  try {
    generate(fresh, { log });
    const result = { missing: [], extra: [], changed: [] };
    for (const lang of LANGUAGES) {
      const committedDir = path.join(sdkDir, lang);
      const committed = new Set(listFiles(committedDir));
      for (const file of listFiles(path.join(fresh, lang))) {
        const rel = path.join(lang, file);
        if (!committed.delete(file)) result.missing.push(rel);
        else if (
          !fs
            .readFileSync(path.join(fresh, lang, file))
            .equals(fs.readFileSync(path.join(committedDir, file)))
        )
          result.changed.push(rel);
      }
      for (const file of committed) result.extra.push(path.join(lang, file));
    }
    return result;
  } finally {
    fs.rmSync(fresh, { recursive: true, force: true });
  }
}

module.exports = {
  LANGUAGES,
  ensureGenerator,
  generate,
  staleFiles,
  generatorPath,
  effectiveSchema,
};

if (require.main === module) {
  const command = process.argv[2] || "generate";
  try {
    if (command === "ensure") {
      console.log(ensureGenerator());
    } else if (command === "generate") {
      generate(path.join(root, "sdk"));
      console.log(`Generated ${LANGUAGES.map((l) => `sdk/${l}`).join(", ")} from sdk/schema.json`);
    } else if (command === "check") {
      const { missing, extra, changed } = staleFiles();
      const lines = [
        ...missing.map((f) => `  missing: sdk/${f}`),
        ...extra.map((f) => `  not generated: sdk/${f}`),
        ...changed.map((f) => `  differs: sdk/${f}`),
      ];
      if (lines.length > 0) {
        console.error(
          `The committed SDKs are stale; run \`npm run gen:sdk\`:\n${lines.join("\n")}`,
        );
        process.exitCode = 1;
      } else {
        console.log("The committed SDKs match sdk/schema.json");
      }
    } else {
      throw new Error(`unknown command "${command}" (generate | check | ensure)`);
    }
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  }
}
