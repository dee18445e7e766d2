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
