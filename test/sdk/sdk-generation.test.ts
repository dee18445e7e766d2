jest.setTimeout(120_000);

// The committed SDKs (sdk/python, sdk/go, sdk/nodejs) are exactly what `npm run gen:sdk` makes of
// the committed sdk/schema.json, and carry the package's version
// (docs/decisions/0014-sdk-generation-and-distribution.md). No network: the generator binary is
// cached by `npm test`'s pretest (scripts/sdk/gen-sdk.js ensure).
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const gen = require(path.join(ROOT, "scripts", "sdk", "gen-sdk.js")) as {
  staleFiles(opts?: { sdkDir?: string; log?: (line: string) => void }): {
    missing: string[];
    extra: string[];
    changed: string[];
  };
  effectiveSchema(): { version: string };
};

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  version: string;
  peerDependencies: Record<string, string>;
};
const readJson = (...p: string[]): Record<string, unknown> =>
  JSON.parse(fs.readFileSync(path.join(ROOT, "sdk", ...p), "utf8")) as Record<string, unknown>;
const quiet = { log: () => undefined };

test("the committed SDKs are what gen:sdk makes of sdk/schema.json", () => {
  expect(gen.staleFiles(quiet)).toEqual({ missing: [], extra: [], changed: [] });
});

test("a stale SDK is reported file by file: changed, missing and not generated", () => {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), "wacht-sdk-stale-"));
  try {
    fs.cpSync(path.join(ROOT, "sdk"), copy, { recursive: true });
    fs.appendFileSync(path.join(copy, "python", "pulumi_wacht", "user.py"), "\n# edited\n");
    fs.rmSync(path.join(copy, "go", "wacht", "getUser.go"));
    fs.writeFileSync(path.join(copy, "nodejs", "leftover.ts"), "export {};\n");
    expect(gen.staleFiles({ ...quiet, sdkDir: copy })).toEqual({
      missing: [path.join("go", "wacht", "getUser.go")],
      extra: [path.join("nodejs", "leftover.ts")],
      changed: [path.join("python", "pulumi_wacht", "user.py")],
    });
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
});

test("every SDK is stamped with package.json's version and asks for that plugin version", () => {
  expect(gen.effectiveSchema().version).toBe(pkg.version);
  const plugin = { resource: true, name: "wacht", version: pkg.version };
  expect(readJson("python", "pulumi_wacht", "pulumi-plugin.json")).toEqual(plugin);
  expect(readJson("go", "wacht", "pulumi-plugin.json")).toEqual(plugin);
  const node = readJson("nodejs", "package.json");
  expect(node).toMatchObject({ name: "@wacht/pulumi", version: pkg.version, pulumi: plugin });
  const pyproject = fs.readFileSync(path.join(ROOT, "sdk", "python", "pyproject.toml"), "utf8");
  expect(pyproject).toMatch(/^\s*name = "pulumi_wacht"$/m);
  expect(pyproject).toMatch(
    new RegExp(`^\\s*version = "${pkg.version.replace(/\./g, "\\.")}"$`, "m"),
  );
});

test("the Node SDK requires @pulumi/pulumi in our own peer range", () => {
  const node = readJson("nodejs", "package.json") as { dependencies: Record<string, string> };
  expect(node.dependencies["@pulumi/pulumi"]).toBe(pkg.peerDependencies["@pulumi/pulumi"]);
});

test("the Node SDK compiles against the @pulumi/pulumi we test with (its own tsconfig)", () => {
  const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
  const project = path.join(ROOT, "sdk", "nodejs", "tsconfig.json");
  const r = spawnSync(process.execPath, [tsc, "-p", project, "--noEmit"], { encoding: "utf8" });
  expect(r.stdout + r.stderr).toBe("");
  expect(r.status).toBe(0);
});
