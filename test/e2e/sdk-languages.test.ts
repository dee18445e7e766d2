jest.setTimeout(1_500_000); // a cold machine builds the Go program and the venv once (cached)

// Python and Go users through the real CLI (#18 parts 5 and 6): the plugin tarball of
// `npm run build:plugin` installed with `pulumi plugin install resource wacht <version> --file`
// into a clean PULUMI_HOME (the projects name no plugin path; ambient plugins are ignored), then
// an Automation API inline program per language with the generated SDK (sdk/python pip-installed
// from a copy, sdk/go by a replace directive) against the emulator: up (a create, a plain invoke
// and an output invoke), a no-op preview, destroy. Both programs run at the same time on one
// emulator, each with its own stack.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type EmulatorHandle, type RequestLogEntry } from "../../src/emulator";
import {
  PACKAGE_VERSION,
  REPO_ROOT,
  goFlowBinary,
  installPlugin,
  pythonWithSdk,
  type InstalledPlugin,
} from "../sdk/helpers/language-flows";
import { byKind, E2E_API_KEY, writes } from "./helpers/fixtures";
import { requireCli } from "./helpers/project";

const SEED = {
  id: "320000000000000001",
  first_name: "Seeded",
  last_name: "Person",
  email: "seeded.person@example.com",
};

interface FlowResult {
  sdkVersion?: string;
  exposes?: string[];
  outputs: Record<string, unknown>;
  up: Record<string, number>;
  preview: Record<string, number>;
  destroy: Record<string, number>;
}

/** Runs a flow program; resolves with its JSON line, rejects with everything it printed. */
function runFlow(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<FlowResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: os.tmpdir(), env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const last = stdout.trim().split("\n").pop() ?? "";
      if (code === 0 && last.startsWith("{")) resolve(JSON.parse(last) as FlowResult);
      else reject(new Error(`${cmd} ${args.join(" ")} exited ${code}:\n${stdout}\n${stderr}`));
    });
  });
}

/** The requests that named one user (its id in the path), or created one with `email`. */
function aboutUser(entries: RequestLogEntry[], id: string): RequestLogEntry[] {
  return entries.filter((e) => e.path.split("?")[0]!.split("/").includes(id));
}

describe("Python and Go programs with the generated SDKs and the installed plugin", () => {
  let emulator: EmulatorHandle;
  let installed: InstalledPlugin;
  let scratch: string;
  let python: Promise<FlowResult>;
  let go: Promise<FlowResult>;

  beforeAll(async () => {
    const cli = requireCli();
    emulator = await startEmulator({
      apiKey: E2E_API_KEY,
      seed: [SEED],
      rateLimitPerMinute: false,
    });
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "wacht-e2e-languages-"));
    const base: NodeJS.ProcessEnv = { ...process.env };
    for (const k of Object.keys(base)) if (/^(PULUMI_|WACHT_)/.test(k)) delete base[k];
    delete base.NODE_OPTIONS;
    Object.assign(base, {
      PATH: `${path.dirname(cli.binary)}${path.delimiter}${process.env.PATH ?? ""}`,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_IGNORE_AMBIENT_PLUGINS: "true",
      PULUMI_CONFIG_PASSPHRASE: "e2e",
    });
    const [plugin, py, goBinary] = await Promise.all([
      installPlugin(cli.binary, base),
      pythonWithSdk(),
      goFlowBinary(),
    ]);
    installed = plugin;
    const flowEnv = (name: string): NodeJS.ProcessEnv => {
      const state = path.join(scratch, `state-${name}`);
      fs.mkdirSync(state);
      return {
        ...base,
        PULUMI_HOME: installed.home,
        FLOW_BACKEND: `file://${state}`,
        FLOW_API_KEY: E2E_API_KEY,
        FLOW_BASE_URL: emulator.url,
        FLOW_SEED_EMAIL: SEED.email,
      };
    };
    python = runFlow(py, [path.join(REPO_ROOT, "test", "sdk", "python", "flow.py")], flowEnv("py"));
    go = runFlow(goBinary, [], flowEnv("go"));
    // Both settle before the tests read them; a failure is reported by its own test.
    await Promise.allSettled([python, go]);
  });

  afterAll(async () => {
    await emulator?.close();
    if (installed) fs.rmSync(installed.home, { recursive: true, force: true });
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  test("pulumi plugin install --file puts the self-contained plugin into a clean PULUMI_HOME", () => {
    expect(path.basename(installed.tarball)).toBe(
      `pulumi-resource-wacht-v${PACKAGE_VERSION}-linux-amd64.tar.gz`,
    );
    const dir = path.join(installed.home, "plugins", `resource-wacht-v${PACKAGE_VERSION}`);
    expect(fs.readdirSync(dir).sort()).toEqual([
      "LICENSE",
      "package.json",
      "pulumi-resource-wacht",
    ]);
    expect(fs.statSync(path.join(dir, "pulumi-resource-wacht")).mode & 0o111).toBe(0o111);
  });

  for (const [language, flow, email, first] of [
    ["Python", () => python, "py.thon@example.com", "Py"],
    ["Go", () => go, "go.pher@example.com", "Go"],
  ] as const) {
    test(`${language}: up (create, invokes), a no-op preview, destroy`, async () => {
      const result = await flow();
      if (language === "Python") {
        expect(result.sdkVersion).toBe(PACKAGE_VERSION);
        expect(result.exposes).toEqual(["User", "get_user", "get_user_output"]);
      }
      const userId = String(result.outputs.userId);
      expect(userId).toMatch(/^\d+$/);
      expect(result.outputs).toEqual({
        userId,
        seedUserId: SEED.id,
        seedFirstName: SEED.first_name,
        lookedUpEmail: email,
        lookedUpFirstName: first,
      });
      // The stack and the user (the default provider is not counted).
      expect(result.up).toEqual({ create: 2 });
      expect(result.preview).toEqual({ same: 2 });
      expect(result.destroy).toEqual({ delete: 2 });

      // On the server: one create with the declared email (a POST, then the PATCH that sets what
      // the POST cannot, such as the metadata), and the delete of destroy (the default onDelete
      // for a user the resource created): the no-op preview wrote nothing.
      const created = emulator
        .requests()
        .filter((e) => e.method === "POST" && e.path === "/users")
        .filter((e) => JSON.stringify(e.json ?? e.multipart ?? "").includes(email));
      expect(created).toHaveLength(1);
      expect(byKind(writes(aboutUser(emulator.requests(), userId)))).toEqual({
        "PATCH /users/:id": 1,
        "DELETE /users/:id": 1,
      });
      expect(emulator.users.get(userId)).toBeUndefined();
    });
  }

  test("the plugin sends the package's version in its User-Agent (read beside the executable)", () => {
    const agents = new Set(emulator.requests().map((e) => e.userAgent));
    expect([...agents]).toEqual([expect.stringContaining(`pulumi-wacht/${PACKAGE_VERSION}`)]);
  });

  test("the seeded user was only read", () => {
    expect(writes(aboutUser(emulator.requests(), SEED.id))).toEqual([]);
    expect(emulator.users.get(SEED.id)?.user.first_name).toBe(SEED.first_name);
  });
});
