jest.setTimeout(300_000);

// A rotated API key through the real CLI (docs/configuration.md). The engine refreshes with the
// provider configuration recorded in state by the last `up`, so after
// `pulumi config set --secret wacht:apiKey NEW` a `pulumi refresh` or `up --refresh` still sends
// the OLD key; one plain `pulumi up` (or `pulumi refresh --run-program`) records the new one. A
// key passed by environment (WACHT_API_KEY, as the GitOps workflows do) is read by the provider
// process at call time, so rotating it needs nothing else. The default provider's state entry
// holds the whole stack config: each value in plaintext unless it was set with --secret.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type EmulatorHandle } from "../../src/emulator";
import { expectSuccess } from "./helpers/fixtures";
import { E2eProject } from "./helpers/project";

const USER_ID = "310000000000000021";
const OLD_KEY = "sk_test_rotation_OLD_0123456789abcdef0123456789ab";
const NEW_KEY = "sk_test_rotation_NEW_fedcba9876543210fedcba987654";

const program = `
const wacht = require("pulumi-wacht");
new wacht.User("rotated", { userId: "${USER_ID}", firstName: "Rota", lastName: "Ted" });
`;
const seed = [{ id: USER_ID, first_name: "r", last_name: "t", email: "rotated@example.com" }];

/** Restarts the emulator on the same port and users, accepting only `apiKey` (the rotation). */
async function rotate(emu: EmulatorHandle, stateFile: string, apiKey: string) {
  await emu.close();
  return startEmulator({ port: emu.port, apiKey, stateFile, rateLimitPerMinute: false });
}

describe("the API key in stack config: rotation, and where the engine stores it", () => {
  const cleanup: Array<() => Promise<void> | void> = [];
  afterAll(async () => {
    for (const f of cleanup.reverse()) await f();
  });

  async function setUp(): Promise<{ emu: EmulatorHandle; project: E2eProject; state: string }> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wacht-rotation-"));
    const state = path.join(dir, "emulator.json");
    const emu = await startEmulator({
      apiKey: OLD_KEY,
      seed,
      stateFile: state,
      rateLimitPerMinute: false,
    });
    const project = await E2eProject.create({ program });
    cleanup.push(
      () => project.remove(),
      () => fs.rmSync(dir, { recursive: true, force: true }),
    );
    await project.config("wacht:baseUrl", emu.url);
    return { emu, project, state };
  }

  /** A stack updated with the old key in stack config, then the key rotated there and on the server. */
  async function rotatedInStackConfig() {
    const { project, state, emu } = await setUp();
    let closed = false; // rotate() closes it
    cleanup.push(() => (closed ? undefined : emu.close()));
    await project.config("wacht:apiKey", OLD_KEY, true);
    expectSuccess(await project.run(["up", "--yes", "--non-interactive"]));
    closed = true;
    const rotated = await rotate(emu, state, NEW_KEY);
    cleanup.push(() => rotated.close());
    await project.config("wacht:apiKey", NEW_KEY, true);
    return project;
  }

  test("in stack config: refresh keeps the recorded key (401) until a plain up or refresh --run-program", async () => {
    const project = await rotatedInStackConfig();

    const refresh = await project.run(["refresh", "--yes", "--non-interactive"]);
    expect(refresh.code).not.toBe(0);
    expect(refresh.stdout).toMatch(/401/);
    expect(refresh.stdout).toMatch(/run `pulumi up` once without --refresh/);
    const upRefresh = await project.run(["up", "--refresh", "--yes", "--non-interactive"]);
    expect(upRefresh.code).not.toBe(0);
    expect(upRefresh.stdout).toMatch(/401/);

    expectSuccess(await project.run(["refresh", "--run-program", "--yes", "--non-interactive"]));
    expectSuccess(await project.run(["refresh", "--yes", "--non-interactive"]));
  });

  test("in stack config: one plain `pulumi up` records the new key", async () => {
    const project = await rotatedInStackConfig();
    expectSuccess(await project.run(["up", "--yes", "--non-interactive"]));
    expectSuccess(await project.run(["refresh", "--yes", "--non-interactive"]));
    expectSuccess(await project.run(["up", "--refresh", "--yes", "--non-interactive"]));
  });

  test("by environment (WACHT_API_KEY): refresh uses the new key at once", async () => {
    const { project, state, ...first } = await setUp();
    let emu = first.emu;
    cleanup.push(() => emu.close());
    expectSuccess(
      await project.run(["up", "--yes", "--non-interactive"], { env: { WACHT_API_KEY: OLD_KEY } }),
    );

    emu = await rotate(emu, state, NEW_KEY);
    cleanup.push(() => emu.close());
    const env = { WACHT_API_KEY: NEW_KEY };
    expectSuccess(await project.run(["refresh", "--yes", "--non-interactive"], { env }));
    expectSuccess(await project.run(["up", "--refresh", "--yes", "--non-interactive"], { env }));
    expect((await project.exportState()).text).not.toContain(NEW_KEY);
  });

  test("where the key is stored: the default provider's state entry, encrypted only with --secret", async () => {
    const { emu, project } = await setUp();
    cleanup.push(() => emu.close());
    await project.config("wacht:apiKey", OLD_KEY); // without --secret: the mistake to avoid
    // The engine copies the WHOLE stack config there, every namespace (docs/configuration.md).
    await project.config("other:note", "plain-note-e2e");
    await project.config("adminPassword", "Secret-Password-e2e-1!", true);
    expectSuccess(await project.run(["up", "--yes", "--non-interactive"]));
    const plain = await project.exportState();
    expect(plain.text).not.toContain("Secret-Password-e2e-1!");
    const defaultProvider = plain.deployment.resources.find(
      (r) => r.type === "pulumi:providers:pulumi-nodejs",
    )!;
    expect(defaultProvider.inputs).toMatchObject({
      "other:note": "plain-note-e2e",
      "wacht-e2e:adminPassword": { ciphertext: expect.any(String) },
      "wacht:baseUrl": emu.url,
    });
    const holders = plain.deployment.resources.filter((r) => JSON.stringify(r).includes(OLD_KEY));
    expect(holders.map((r) => r.type)).toEqual(["pulumi:providers:pulumi-nodejs"]);
    expect(holders[0]!.inputs).toMatchObject({ "wacht:apiKey": OLD_KEY });
    // Our own serialized provider holds no key.
    const user = plain.deployment.resources.find((r) => r.urn.endsWith("::rotated"))!;
    expect(JSON.stringify(user)).not.toContain(OLD_KEY);

    await project.config("wacht:apiKey", OLD_KEY, true);
    expectSuccess(await project.run(["up", "--yes", "--non-interactive"]));
    const secret = await project.exportState();
    expect(secret.text).not.toContain(OLD_KEY);
    const provider = secret.deployment.resources.find(
      (r) => r.type === "pulumi:providers:pulumi-nodejs",
    )!;
    expect(provider.inputs?.["wacht:apiKey"]).toMatchObject({
      "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
      ciphertext: expect.any(String),
    });
  });
});
