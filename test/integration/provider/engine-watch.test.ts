// The engine watch (src/provider/engine-watch.ts) in real processes: a provider-like process ends
// when its parent dies (the CLI killed) or when its stdin pipe closes, and runs on while neither
// happens. The same through the real CLI: test/e2e/first-contact.test.ts.
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { isDynamicProviderHost } from "../../../src/provider/engine-watch";
import { waitUntilGone } from "../../helpers/processes";

jest.setTimeout(60_000);

const REPO_ROOT = path.join(__dirname, "..", "..", "..");
const WATCH = path.join(REPO_ROOT, "src", "provider", "engine-watch.ts");

/** A process that starts the watch (checking its parent every 50 ms) and then only lives. */
const WATCHED = `
require(${JSON.stringify(WATCH)}).watchEngine({
  intervalMs: 50,
  onEngineGone: (reason) => { console.log("gone: " + reason); process.exit(3); },
});
console.log("watching " + process.pid);
setInterval(() => {}, 1000);
`;

function nodeArgs(script: string): string[] {
  return ["-r", "ts-node/register/transpile-only", "-e", script];
}

/** Resolves with the first line matching `pattern` on the child's stdout. */
function line(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = out.split("\n").find((l) => pattern.test(l));
      if (m) resolve(m);
    });
    child.on("exit", () => reject(new Error(`exited before ${pattern}: ${out}`)));
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.on("exit", (code) => resolve(code));
  });
}

describe("engine watch", () => {
  test("ends the process when its parent dies, with stdin not a pipe", async () => {
    // parent (killed like the CLI) → watched child, whose stdin is /dev/null.
    const parentScript = `
      const { spawn } = require("node:child_process");
      const c = spawn(process.execPath, ${JSON.stringify(nodeArgs(WATCHED))},
        { stdio: ["ignore", "inherit", "inherit"], cwd: ${JSON.stringify(process.cwd())} });
      setInterval(() => {}, 1000);
    `;
    const parent = spawn(process.execPath, ["-e", parentScript], {
      stdio: ["ignore", "pipe", "inherit"],
      detached: true,
    });
    const watching = await line(parent, /^watching \d+/);
    const pid = Number(watching.split(" ")[1]);
    process.kill(parent.pid!, "SIGKILL");
    await exited(parent);
    await waitUntilGone([pid], 20_000, "the watched process");
  });

  test("ends the process when its stdin pipe closes, its parent alive", async () => {
    const child = spawn(process.execPath, nodeArgs(WATCHED), {
      stdio: ["pipe", "pipe", "inherit"],
    });
    await line(child, /^watching/);
    const gone = line(child, /^gone:/);
    child.stdin.end();
    expect(await gone).toBe("gone: stdin closed");
    expect(await exited(child)).toBe(3);
  });

  test("lets the process run while its parent lives and its stdin stays open", async () => {
    const child = spawn(process.execPath, nodeArgs(WATCHED), {
      stdio: ["pipe", "pipe", "inherit"],
    });
    await line(child, /^watching/);
    // 20 parent checks: none of them may end it.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(child.exitCode).toBeNull();
    child.kill("SIGTERM");
    await exited(child);
  });
});

test("starting the watch leaves module resolution alone (symlinked node_modules, stdin a pipe)", async () => {
  // A project whose node_modules is a symlink, as the e2e projects have: every module must still
  // load by its real path, once (Node's realpathSync reads a stat buffer the watch must not touch).
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "wacht-watch-resolve-")));
  try {
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    const script = `
      const { createRequire } = require("node:module");
      const fromProject = createRequire(${JSON.stringify(path.join(dir, "index.js"))});
      fromProject("yaml");
      require(${JSON.stringify(WATCH)}).watchEngine();
      fromProject("jsonc-parser");
      const loaded = Object.keys(require.cache).filter((k) => k.startsWith(${JSON.stringify(dir)}));
      console.log("through the symlink: " + JSON.stringify(loaded));
      process.exit(0);
    `;
    const child = spawn(process.execPath, nodeArgs(script), { stdio: ["pipe", "pipe", "inherit"] });
    expect(await line(child, /^through the symlink:/)).toBe("through the symlink: []");
    await exited(child);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe("isDynamicProviderHost", () => {
  test.each([
    ["/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider", true],
    ["/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js", true],
    ["/p/node_modules/.pnpm/x/node_modules/@pulumi/pulumi/cmd/dynamic-provider", true],
    ["/p/node_modules/@pulumi/pulumi/cmd/run/index.js", false],
    ["/p/node_modules/jest-worker/build/processChild.js", false],
    ["/p/dynamic-provider", false],
    [undefined, false],
  ])("%s → %s", (script, expected) => {
    expect(isDynamicProviderHost(script)).toBe(expected);
  });
});
