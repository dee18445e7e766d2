jest.setTimeout(60_000);

// The plugin tarball `npm run build:plugin` writes into dist/plugin (38 MB) is for
// `pulumi plugin install --file`, not for the npm package: package.json's `files` leaves it out
// while keeping the rest of dist/ and the plugin launcher directory.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");

test("npm pack leaves dist/plugin out and keeps dist/ and plugin/", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wacht-packlist-"));
  try {
    fs.copyFileSync(path.join(ROOT, "package.json"), path.join(dir, "package.json"));
    for (const file of [
      "dist/index.js",
      "dist/native/main.js",
      "dist/plugin/pulumi-resource-wacht-v0.1.0-linux-amd64.tar.gz",
      "dist/plugin/pulumi-resource-wacht-v0.1.0-linux-amd64.tar.gz.stamp",
      "plugin/pulumi-resource-wacht",
    ]) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), "x");
    }
    const out = execFileSync("npm", ["pack", "--dry-run", "--ignore-scripts", "--json"], {
      cwd: dir,
      encoding: "utf8",
    });
    const files = (JSON.parse(out) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    expect(files.filter((f) => /^(dist|plugin)\//.test(f)).sort()).toEqual([
      "dist/index.js",
      "dist/native/main.js",
      "plugin/pulumi-resource-wacht",
    ]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
