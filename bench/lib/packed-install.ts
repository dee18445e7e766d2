// A user's node_modules for the benches that run the real CLI: this package as `npm pack` makes it
// (so the serializer sees it under node_modules, as it does in a user's program, and writes the
// `__provider` a user's state holds), beside symlinks to this repository's other dependencies
// (the same @pulumi/pulumi, zod, undici …, with no registry access).
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const REPO_ROOT = path.resolve(__dirname, "..", "..");

export interface PackedModules {
  /** The folder holding `node_modules` (pass it as E2eProject's `nodeModulesFrom`). */
  dir: string;
  /** The tarball installed. */
  tarball: string;
  remove(): void;
}

/**
 * Packs the built repository (dist/ must be current), or takes the given tarball (another
 * version, for a before/after in one run), and lays out a node_modules around it.
 */
export function packedModules(given?: string): PackedModules {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wacht-floor-modules-"));
  let tarball: string;
  if (given === undefined) {
    const out = execFileSync(
      "npm",
      ["pack", "--ignore-scripts", "--json", "--pack-destination", dir],
      { cwd: REPO_ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
    );
    tarball = path.join(dir, (JSON.parse(out) as { filename: string }[])[0]!.filename);
  } else {
    tarball = path.resolve(given);
  }
  const modules = path.join(dir, "node_modules");
  const pkg = path.join(modules, "pulumi-wacht");
  fs.mkdirSync(pkg, { recursive: true });
  execFileSync("tar", ["-xzf", tarball, "-C", pkg, "--strip-components=1"]);
  const repoModules = path.join(REPO_ROOT, "node_modules");
  for (const entry of fs.readdirSync(repoModules)) {
    if (entry === "pulumi-wacht" || entry === ".bin" || entry.startsWith(".")) continue;
    fs.symlinkSync(path.join(repoModules, entry), path.join(modules, entry), "dir");
  }
  return {
    dir,
    tarball: path.basename(tarball),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Adds the generated Node.js SDK (sdk/nodejs, `@wacht/pulumi`) to a node_modules made by
 * packedModules, built as its own postinstall script builds it (`tsc` into bin/, package.json
 * copied beside), so a program can `require("@wacht/pulumi")`; it resolves `@pulumi/pulumi` from
 * the same node_modules as the program. Returns the plugin directory of the packed package
 * (`plugin/pulumi-resource-wacht`, which runs the package's dist/native/main.js), for a
 * project's `plugins.providers` path.
 */
export function addNodeSdk(modules: PackedModules): string {
  const sdk = path.join(REPO_ROOT, "sdk", "nodejs");
  const pkg = path.join(modules.dir, "node_modules", "@wacht", "pulumi");
  fs.mkdirSync(pkg, { recursive: true });
  for (const entry of fs.readdirSync(sdk)) {
    if (entry === "node_modules" || entry === "bin") continue;
    fs.cpSync(path.join(sdk, entry), path.join(pkg, entry), { recursive: true });
  }
  const tsc = path.join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
  // The SDK's own compiler options; @pulumi/pulumi and @types/node resolve from node_modules.
  execFileSync(process.execPath, [tsc, "-p", pkg], { cwd: pkg, stdio: ["ignore", "pipe", "pipe"] });
  fs.copyFileSync(path.join(pkg, "package.json"), path.join(pkg, "bin", "package.json"));
  return path.join(modules.dir, "node_modules", "pulumi-wacht", "plugin");
}
