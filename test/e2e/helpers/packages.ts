// Packed versions of this package for the upgrade test: the tarball `npm pack` makes of the built
// repository, and a second one that differs in version and provider code, installed into a user's
// program folder as `npm install ./pulumi-wacht-X.tgz` would.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { run } from "../../helpers/packaging";
import { REPO_ROOT } from "./project";

/** A command as a user's shell runs it (packaging.ts's runner, with room for an npm install). */
function sh(cmd: string, args: string[], cwd: string): Promise<string> {
  return run(cmd, args, cwd, undefined, 240_000);
}

async function pack(dir: string, dest: string): Promise<string> {
  const out = await sh(
    "npm",
    ["pack", "--ignore-scripts", "--json", "--pack-destination", dest],
    dir,
  );
  return path.join(dest, (JSON.parse(out) as { filename: string }[])[0]!.filename);
}

export interface TwoVersions {
  dir: string;
  first: { version: string; tarball: string };
  second: { version: string; tarball: string };
}

/**
 * Packs the built repository (the first version), then a second version: the same files with
 * another version number (sent in every request's User-Agent) and an extra statement in the
 * provider implementation, so its code differs from the first's.
 */
export async function packTwoVersions(secondVersion: string): Promise<TwoVersions> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wacht-e2e-pack-"));
  const firstTarball = await pack(REPO_ROOT, dir);
  const firstVersion = (
    JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string }
  ).version;
  const unpacked = path.join(dir, "second");
  fs.mkdirSync(unpacked);
  await sh("tar", ["-xzf", firstTarball, "-C", unpacked], dir);
  const pkgDir = path.join(unpacked, "package");
  const pkgFile = path.join(pkgDir, "package.json");
  const pkg = JSON.parse(fs.readFileSync(pkgFile, "utf8")) as {
    version: string;
    exports: Record<string, { default: string }>;
  };
  pkg.version = secondVersion;
  fs.writeFileSync(pkgFile, JSON.stringify(pkg, null, 2));
  const impl = path.join(pkgDir, pkg.exports["./provider-impl"]!.default);
  fs.appendFileSync(impl, `\nexports.__upgradedTo = ${JSON.stringify(secondVersion)};\n`);
  const secondTarball = await pack(pkgDir, dir);
  return {
    dir,
    first: { version: firstVersion, tarball: firstTarball },
    second: { version: secondVersion, tarball: secondTarball },
  };
}

/** A user's program folder with @pulumi/pulumi and the given tarball installed. */
export async function programWith(tarball: string, pulumiVersion: string): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wacht-e2e-program-"));
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "wacht-upgrade-program", private: true, version: "0.0.0" }, null, 2),
  );
  await install(dir, [`@pulumi/pulumi@${pulumiVersion}`, tarball]);
  return dir;
}

/** `npm install <specs>` in a program folder (offline-first: the registry cache serves it). */
export async function install(dir: string, specs: string[]): Promise<void> {
  await sh("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", ...specs], dir);
}
