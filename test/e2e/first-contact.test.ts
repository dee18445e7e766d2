jest.setTimeout(300_000);

// First contact through the real CLI (docs/decisions/0015-first-contact.md), as a newcomer meets
// it: a `pulumi` binary alone on PATH, with no plugins beside it (a hard link to the cached build
// in an empty directory, so the engine looks beside it and finds nothing).
//   - `npm run pulumi-cli` says what it found and what it added;
//   - a run of a user's project through scripts/cli/pulumi-inline.js, with a user's environment
//     (no offline switches), works and reaches no host but loopback: every HTTP(S) request the
//     CLI makes goes to a recording proxy, which must see none;
//   - the preflight fails at once, with the launcher's own message, when the provider cannot start;
//   - the provider process ends within seconds of a SIGKILL of the CLI's process group (the CLI
//     starts plugins in a process group of their own: the kill does not reach them).
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type EmulatorHandle } from "../../src/emulator";
import { E2E_API_KEY, stage } from "./helpers/fixtures";
import { REPO_ROOT, requireCli } from "./helpers/project";
import { waitUntilGone } from "../helpers/processes";

const USER_ID = "310000000000000061";
const LAUNCHER = "pulumi-resource-pulumi-nodejs";

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function run(
  file: string,
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<Result> {
  return new Promise((resolve) => {
    execFile(file, args, { ...opts, timeout: 240_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** An HTTP proxy that records every request and CONNECT it gets, and refuses them all. */
async function recordingProxy(): Promise<{ url: string; seen: string[]; close(): Promise<void> }> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.writeHead(403).end();
  });
  server.on("connect", (req: http.IncomingMessage, socket: Socket) => {
    seen.push(`CONNECT ${req.url}`);
    socket.end("HTTP/1.1 403 Forbidden\r\n\r\n");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** An empty directory holding only `pulumi` (a hard link to the cached build, else a copy). */
function barePulumi(root: string): string {
  const dir = path.join(root, "bin");
  fs.mkdirSync(dir);
  const target = path.join(dir, "pulumi");
  const source = fs.realpathSync(requireCli().binary);
  try {
    fs.linkSync(source, target);
  } catch {
    fs.copyFileSync(source, target);
    fs.chmodSync(target, 0o755);
  }
  return dir;
}

/** A user's shell: no Wacht or Pulumi settings, no test hooks, `bin` first on PATH. */
function userEnv(bin: string, extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(WACHT_|PULUMI_|JEST_|HTTPS?_PROXY|NO_PROXY)/i.test(k) || k === "NODE_OPTIONS") continue;
    env[k] = v;
  }
  return {
    ...env,
    PATH: `${bin}${path.delimiter}${process.env["PATH"] ?? ""}`,
    NO_COLOR: "1",
    ...extra,
  };
}

describe("a pulumi binary alone on PATH, no plugins beside it", () => {
  let root: string;
  let bin: string;
  let emu: EmulatorHandle;
  beforeAll(async () => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "wacht-first-contact-")));
    bin = barePulumi(root);
    emu = await startEmulator({
      apiKey: E2E_API_KEY,
      seed: [{ id: USER_ID, email: "first-contact@example.com" }],
      rateLimitPerMinute: false,
    });
  });
  afterAll(async () => {
    await emu?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test("`npm run pulumi-cli` names the CLI it found and the launcher it added", async () => {
    const home = path.join(root, "home-ensure");
    const env = userEnv(bin, { PULUMI_HOME: home });
    const script = path.join(REPO_ROOT, "scripts", "cli", "pulumi-cli.js");
    const first = await run(process.execPath, [script, "ensure"], { cwd: REPO_ROOT, env });
    expect(first.code).toBe(0);
    expect(first.stdout.trim()).toBe(path.join(bin, "pulumi"));
    const added = path.join(
      home,
      "plugins",
      `resource-pulumi-nodejs-v${requireCli().version.slice(1)}`,
      LAUNCHER,
    );
    expect(first.stderr).toContain(`(PATH: ${path.join(bin, "pulumi")})`);
    expect(first.stderr).toContain(`Dynamic-provider launcher: ${added}`);
    expect(first.stderr).toMatch(
      /plugin cache of PULUMI_HOME \(none is beside the CLI\); added now/,
    );
    expect(fs.statSync(added).mode & 0o111).not.toBe(0);
    expect(fs.readdirSync(bin)).toEqual(["pulumi"]); // nothing added beside a CLI that is not ours
    const second = await run(process.execPath, [script, "ensure"], { cwd: REPO_ROOT, env });
    expect(second.stderr).toMatch(/already there/);
  });

  test("a user's project through pulumi-inline.js: up and preview work, nothing leaves loopback", async () => {
    const proxy = await recordingProxy();
    try {
      const project = path.join(root, "project");
      fs.mkdirSync(path.join(project, ".state"), { recursive: true });
      fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: first-contact\nruntime: nodejs\n");
      fs.writeFileSync(
        path.join(project, "index.js"),
        `const wacht = require("pulumi-wacht");\nnew wacht.User("first", { userId: "${USER_ID}", firstName: "First" });\n`,
      );
      fs.symlinkSync(
        path.join(REPO_ROOT, "node_modules"),
        path.join(project, "node_modules"),
        "dir",
      );
      // As a user's shell: a file backend and a passphrase, nothing else of Pulumi's switches.
      const env = userEnv(bin, {
        PULUMI_HOME: path.join(root, "home-user"),
        PULUMI_BACKEND_URL: `file://${path.join(project, ".state")}`,
        PULUMI_CONFIG_PASSPHRASE: "first-contact",
        WACHT_BASE_URL: emu.url,
        WACHT_API_KEY: E2E_API_KEY,
        HTTP_PROXY: proxy.url,
        HTTPS_PROXY: proxy.url,
      });
      const inline = path.join(REPO_ROOT, "scripts", "cli", "pulumi-inline.js");
      const pulumi = (...args: string[]) =>
        run(process.execPath, [inline, "--program", "index.js", "--", ...args], {
          cwd: project,
          env,
        });
      const show = (r: Result) => `${r.stdout}\n${r.stderr}`;

      expect((await pulumi("stack", "init", "dev", "--non-interactive")).code).toBe(0);
      const up = await pulumi("up", "--yes", "--non-interactive");
      if (up.code !== 0) throw new Error(show(up));
      expect(show(up)).not.toMatch(/from \$PATH|no resource plugin/);
      const preview = await pulumi("preview", "--non-interactive", "--expect-no-changes");
      if (preview.code !== 0) throw new Error(show(preview));
      expect(emu.users.get(USER_ID)?.user.first_name).toBe("First");
      expect(proxy.seen).toEqual([]);

      // The proxy does see what the CLI sends out: a plugin download goes to Pulumi's registry.
      const probe = await run(
        path.join(bin, "pulumi"),
        ["plugin", "install", "resource", "wacht-offline-probe", "1.0.0"],
        { cwd: project, env },
      );
      expect(probe.code).not.toBe(0);
      expect(proxy.seen.join("\n")).toMatch(/CONNECT api\.pulumi\.com:443/);
    } finally {
      await proxy.close();
    }
  });

  test("the preflight fails at once, with the launcher's message, when the provider cannot start", async () => {
    // A broken launcher beside the CLI, as a half-installed CLI might have.
    const brokenBin = path.join(root, "broken-bin");
    fs.mkdirSync(brokenBin);
    fs.linkSync(path.join(bin, "pulumi"), path.join(brokenBin, "pulumi"));
    fs.writeFileSync(
      path.join(brokenBin, LAUNCHER),
      "#!/bin/sh\necho 'broken launcher: cannot start the provider' >&2\nexit 1\n",
      { mode: 0o755 },
    );
    const env = userEnv(brokenBin, { PULUMI_HOME: path.join(root, "home-broken") });
    const r = await run(process.execPath, [path.join(REPO_ROOT, "scripts", "preflight.js")], {
      cwd: REPO_ROOT,
      env,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("broken launcher: cannot start the provider");
    expect(r.stderr).toContain(
      "Preflight failed: the e2e tests and the demo cannot run until this is fixed.",
    );
    expect(r.stderr).toContain(
      `\`pulumi up\` of one wacht.User through ${path.join(brokenBin, "pulumi")} failed`,
    );
  });
});

/** Pids of dynamic-provider processes whose working directory is `dir` (Linux /proc). */
function providersIn(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (cmdline.includes("dynamic-provider") && fs.readlinkSync(`/proc/${entry}/cwd`) === dir) {
        pids.push(Number(entry));
      }
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

describe("a killed CLI", () => {
  test("SIGKILL of the CLI's process group: the provider process ends by itself within seconds", async () => {
    const s = await stage({
      program: `
const wacht = require("pulumi-wacht");
for (let i = 0; i < 40; i++) {
  new wacht.User("killed-" + i, { emailAddress: "killed-" + i + "@example.com", skipPasswordCheck: true });
}
`,
    });
    try {
      const dir = fs.realpathSync(s.project.dir);
      const running = s.project.start(["up", "--yes", "--non-interactive", "--parallel", "2"]);
      const deadline = Date.now() + 120_000;
      while (!s.emulator.requests().some((e) => e.method === "POST")) {
        if (Date.now() > deadline) throw new Error(`no POST in 120 s:\n${running.output()}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      const providers = providersIn(dir);
      expect(providers).toHaveLength(1);
      process.kill(-running.child.pid!, "SIGKILL");
      await running.done;
      // Without the engine watch it runs on forever.
      await waitUntilGone(providers, 30_000, "the provider of the killed CLI");
    } finally {
      await s.close();
    }
  });
});
