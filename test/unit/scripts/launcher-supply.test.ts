// scripts/cli/pulumi-cli.js supplyLauncher: where this project's dynamic-provider launcher goes
// for each kind of CLI, on files only (the real CLI's lookup of it: test/e2e/first-contact.test.ts).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

interface Supplied {
  launcher: string;
  where: string;
  added: boolean;
  ambient?: string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cliScript = require("../../../scripts/cli/pulumi-cli.js") as {
  supplyLauncher(cli: { binary: string }, env: NodeJS.ProcessEnv): Supplied;
  pinnedVersion(): string;
};

const LAUNCHER = "pulumi-resource-pulumi-nodejs";
const OURS = fs.readFileSync(path.join(__dirname, "..", "..", "..", "scripts", "cli", LAUNCHER));

let root: string;
beforeEach(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "wacht-launcher-")));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

/** A fake `pulumi` in a directory of its own, optionally with a launcher beside it. */
function cliIn(dir: string, besideLauncher?: string): { binary: string } {
  fs.mkdirSync(path.join(root, dir), { recursive: true });
  const binary = path.join(root, dir, "pulumi");
  fs.writeFileSync(binary, "#!/bin/sh\n", { mode: 0o755 });
  if (besideLauncher !== undefined) {
    fs.writeFileSync(path.join(root, dir, LAUNCHER), besideLauncher, { mode: 0o755 });
  }
  return { binary };
}

const cacheLauncher = (home: string) =>
  path.join(
    home,
    "plugins",
    `resource-pulumi-nodejs-v${cliScript.pinnedVersion().replace(/^v/, "")}`,
    LAUNCHER,
  );

test("a bare CLI: ours goes to the plugin cache of the run's PULUMI_HOME, once", () => {
  const cli = cliIn("bare");
  const env = { PULUMI_HOME: path.join(root, "home"), PATH: "" };
  const first = cliScript.supplyLauncher(cli, env);
  expect(first).toEqual({
    launcher: cacheLauncher(env.PULUMI_HOME),
    where: "this project's, in the plugin cache of PULUMI_HOME (none is beside the CLI)",
    added: true,
  });
  expect(fs.readFileSync(first.launcher).equals(OURS)).toBe(true);
  expect(fs.statSync(first.launcher).mode & 0o111).not.toBe(0);
  expect(fs.readdirSync(path.dirname(cli.binary))).toEqual(["pulumi"]);
  expect(cliScript.supplyLauncher(cli, env).added).toBe(false);
});

test("a CLI with its own launcher beside it: that one, nothing added", () => {
  const cli = cliIn("full", "#!/bin/sh\n# Pulumi's own\n");
  const env = { PULUMI_HOME: path.join(root, "home"), PATH: "" };
  expect(cliScript.supplyLauncher(cli, env)).toEqual({
    launcher: path.join(path.dirname(cli.binary), LAUNCHER),
    where: "the CLI's own, beside it",
    added: false,
  });
  expect(fs.existsSync(path.join(root, "home"))).toBe(false);
});

test("the cached build: ours beside it, replacing an outdated copy", () => {
  const cacheDir = path.join(root, "cache");
  const previous = process.env["PULUMI_WACHT_CACHE_DIR"];
  process.env["PULUMI_WACHT_CACHE_DIR"] = cacheDir;
  try {
    const cli = cliIn(path.join("cache", "pulumi-cli", cliScript.pinnedVersion()), "old\n");
    const supplied = cliScript.supplyLauncher(cli, { PATH: "" });
    expect(supplied).toMatchObject({ where: "this project's, beside the cached CLI", added: true });
    expect(fs.readFileSync(supplied.launcher).equals(OURS)).toBe(true);
  } finally {
    if (previous === undefined) delete process.env["PULUMI_WACHT_CACHE_DIR"];
    else process.env["PULUMI_WACHT_CACHE_DIR"] = previous;
  }
});

test("a launcher on PATH that the engine would prefer is named, unless ambient plugins are off", () => {
  const cli = cliIn("bare");
  const other = cliIn("elsewhere", "#!/bin/sh\n");
  const env = { PULUMI_HOME: path.join(root, "home"), PATH: path.dirname(other.binary) };
  expect(cliScript.supplyLauncher(cli, env).ambient).toBe(
    path.join(path.dirname(other.binary), LAUNCHER),
  );
  expect(
    cliScript.supplyLauncher(cli, { ...env, PULUMI_IGNORE_AMBIENT_PLUGINS: "true" }).ambient,
  ).toBeUndefined();
  // The CLI's own directory on PATH is no competitor: the engine does not warn about it.
  const full = cliIn("full", "#!/bin/sh\n");
  expect(
    cliScript.supplyLauncher(full, { ...env, PATH: path.dirname(full.binary) }).ambient,
  ).toBeUndefined();
});
