#!/usr/bin/env node
// `npm run build:plugin`: the native provider plugin as a self-contained executable, packed for
// `pulumi plugin install resource wacht <version> --file <tarball>`
// (docs/decisions/0014-sdk-generation-and-distribution.md).
//
//   1. esbuild bundles dist/native/main.js (run `npm run build` first) with every dependency into
//      one CommonJS file: a Node single-executable application runs exactly one script, whose
//      `require` reaches only Node's built-in modules;
//   2. Node turns the bundle into a SEA blob (with V8's code cache, for a faster start), and
//      postject injects it into a copy of the running `node` binary;
//   3. tar writes dist/plugin/pulumi-resource-wacht-v<version>-<os>-<arch>.tar.gz with the
//      executable `pulumi-resource-wacht` at its root (with LICENSE and the package.json it reads).
//
// Python, Go and YAML users then need no Node.js at all. The tarball is rebuilt only when dist/,
// the locked dependencies, the Node binary or the version changed (a stamp beside it says which).
//
//   node scripts/plugin/build-plugin.js       build (or reuse) the tarball; print its path
"use strict";
const { spawnSync } = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const root = path.resolve(__dirname, "..", "..");
const entry = path.join(root, "dist", "native", "main.js");
const outDir = path.join(root, "dist", "plugin");
const EXECUTABLE = "pulumi-resource-wacht";
// The fuse Node's SEA support looks for (https://nodejs.org/api/single-executable-applications.html).
const SEA_FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";

const GOOS = { linux: "linux", darwin: "darwin", win32: "windows" };
const GOARCH = { x64: "amd64", arm64: "arm64" };

const PACKAGE_NAME = "pulumi-wacht";

function packageVersion() {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  if (pkg.name !== PACKAGE_NAME) throw new Error(`package.json is not ${PACKAGE_NAME}'s`);
  return pkg.version;
}

/** The tarball's path for this platform: …-v<version>-<os>-<arch>.tar.gz (Pulumi's naming). */
function tarballPath(version = packageVersion()) {
  const goos = GOOS[process.platform];
  const goarch = GOARCH[process.arch];
  if (!goos || !goarch) throw new Error(`no plugin build for ${process.platform}-${process.arch}`);
  return path.join(outDir, `${EXECUTABLE}-v${version}-${goos}-${goarch}.tar.gz`);
}

/**
 * What a single executable cannot do at run time, done at build time in our own dist/ files:
 * - resolving a module from @pulumi/pulumi's directory (the server shares @pulumi/pulumi's copy
 *   of @grpc/grpc-js and google-protobuf with its generated stubs: `require(fromPulumi("X"))`,
 *   `require(require.resolve("X", { paths: [pulumiDir] }))`): resolved here, from the same
 *   directory, and required by path, so the bundle holds that very copy. A `require.resolve`
 *   left over in our code fails the build, naming the file;
 * - `__dirname`: our modules read package.json at `__dirname/../../package.json` (the plugin's
 *   version, the client's User-Agent). In the executable each module's `__dirname` is its dist/
 *   folder beside the executable (`<dir>/dist/native`), and the tarball ships that package.json.
 */
function buildTimeResolution() {
  const distDir = path.join(root, "dist");
  const pulumiPackageJson = require.resolve("@pulumi/pulumi/package.json", { paths: [root] });
  const pulumiDir = path.dirname(pulumiPackageJson);
  const fromPulumi = (_m, id) =>
    `require(${JSON.stringify(require.resolve(id, { paths: [pulumiDir] }))})`;
  return {
    name: "build-time-resolution",
    setup(build) {
      build.onLoad({ filter: /\.js$/ }, (args) => {
        if (!args.path.startsWith(distDir + path.sep)) return undefined;
        const dir = path.relative(root, path.dirname(args.path)).split(path.sep).join("/");
        const text = fs
          .readFileSync(args.path, "utf8")
          .replace(/require\(\s*fromPulumi\(\s*"([^"]+)"\s*\)\s*\)/g, fromPulumi)
          .replace(
            /require\(\s*require\.resolve\(\s*"([^"]+)",\s*\{\s*paths:\s*\[\s*pulumiDir\s*\]\s*\}\s*\)\s*\)/g,
            fromPulumi,
          )
          .replace(
            /require\.resolve\(\s*"@pulumi\/pulumi\/package\.json"\s*\)/g,
            JSON.stringify(pulumiPackageJson),
          )
          // the helper itself (`fromPulumi = (id) => require.resolve(id, …)`), now unused
          .replace(
            /require\.resolve\(\s*(\w+),\s*\{\s*paths:\s*\[\s*pulumiDir\s*\]\s*\}\s*\)/g,
            "$1",
          )
          .replace(/\b__dirname\b/g, `__besideExecutable(${JSON.stringify(dir)})`);
        const left = /require\.resolve\(/.exec(text);
        if (left)
          throw new Error(
            `${path.relative(root, args.path)}: a require.resolve() a single executable cannot ` +
              `run (line ${text.slice(0, left.index).split("\n").length})`,
          );
        return { contents: text, loader: "js" };
      });
    },
  };
}

const BANNER = `function __besideExecutable(dir) {
  const path = require("node:path");
  return path.join(path.dirname(process.execPath), ...dir.split("/"));
}`;

/** Bundles dist/native/main.js and its dependencies into `outfile` (CommonJS, Node 20). */
async function bundle(outfile) {
  const esbuild = require("esbuild");
  await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    // @pulumi/pulumi's automation API resolves node-gyp for `npm run` (never on the plugin's path).
    logLevel: "error",
    plugins: [buildTimeResolution()],
    banner: { js: BANNER },
  });
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", ...opts });
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(" ")} failed (exit ${r.status ?? r.signal}):\n${r.stderr}`);
  return r.stdout;
}

/**
 * What the tarball is built from: our dist/ (not dist/plugin), the locked dependencies, this
 * script, the Node binary and the version. A hex digest.
 */
function inputsDigest(version) {
  const hash = crypto.createHash("sha256");
  const add = (file) =>
    hash.update(path.relative(root, file)).update("\0").update(fs.readFileSync(file));
  const walk = (dir) => {
    for (const entry of fs
      .readdirSync(dir, { withFileTypes: true })
      .sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (full !== outDir) walk(full);
      } else add(full);
    }
  };
  walk(path.join(root, "dist"));
  add(path.join(root, "package-lock.json"));
  add(__filename);
  hash.update(`${process.execPath}\0${process.version}\0${fs.statSync(process.execPath).size}`);
  return hash.update(`\0${version}`).digest("hex");
}

/**
 * Builds the tarball unless the one in dist/plugin was built from the same inputs (inputsDigest,
 * recorded in a stamp beside it). Returns { tarball, rebuilt }.
 */
async function buildPlugin({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const version = packageVersion();
  const tarball = tarballPath(version);
  if (!fs.existsSync(entry))
    throw new Error(`${path.relative(root, entry)} is missing: run \`npm run build\` first`);
  const stamp = inputsDigest(version);
  const stampFile = `${tarball}.stamp`;
  if (fs.existsSync(tarball) && fs.existsSync(stampFile)) {
    if (fs.readFileSync(stampFile, "utf8") === stamp) return { tarball, rebuilt: false };
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "wacht-plugin-"));
  try {
    const bundled = path.join(work, "main.cjs");
    await bundle(bundled);
    if (!fs.readFileSync(process.execPath).includes(SEA_FUSE))
      throw new Error(
        `${process.execPath} (Node ${process.version}) cannot become a single executable ` +
          `application (no SEA fuse): build with an official Node.js binary, >= 20`,
      );
    const started = Date.now();
    const config = path.join(work, "sea-config.json");
    const blob = path.join(work, "sea-prep.blob");
    fs.writeFileSync(
      config,
      JSON.stringify({
        main: bundled,
        output: blob,
        disableExperimentalSEAWarning: true,
        useCodeCache: true,
      }),
    );
    run(process.execPath, ["--experimental-sea-config", config]);
    const pack = path.join(work, "pack");
    fs.mkdirSync(pack);
    const executable = path.join(pack, EXECUTABLE);
    fs.copyFileSync(process.execPath, executable);
    fs.chmodSync(executable, 0o755);
    // postject's CLI in a child process: its ELF parser prints harmless warnings, shown only when
    // the injection fails.
    run(process.execPath, [
      require.resolve("postject/dist/cli.js"),
      executable,
      "NODE_SEA_BLOB",
      blob,
      "--sentinel-fuse",
      SEA_FUSE,
    ]);
    fs.copyFileSync(path.join(root, "LICENSE"), path.join(pack, "LICENSE"));
    // What our modules read beside dist/ (see buildTimeResolution): the name and version.
    fs.writeFileSync(
      path.join(pack, "package.json"),
      `${JSON.stringify({ name: PACKAGE_NAME, version, license: "Apache-2.0" }, null, 2)}\n`,
    );
    fs.mkdirSync(outDir, { recursive: true });
    const tmp = `${tarball}.${process.pid}.tmp`;
    run("tar", ["-czf", tmp, "-C", pack, EXECUTABLE, "LICENSE", "package.json"]);
    fs.renameSync(tmp, tarball);
    fs.writeFileSync(stampFile, stamp);
    log(`Built ${path.relative(root, tarball)} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return { tarball, rebuilt: true };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

module.exports = { buildPlugin, tarballPath, EXECUTABLE };

if (require.main === module) {
  buildPlugin().then(
    ({ tarball }) => console.log(tarball),
    (err) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exitCode = 1;
    },
  );
}
