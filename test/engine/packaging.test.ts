// Packaging (issue #4): `npm pack` the built repo, install the tarball into a scratch program in
// os.tmpdir() exactly as a user would (test/helpers/packaging.ts), serialize `wacht.User` there with
// plain `node`, then drive the real dynamic-provider host with cwd = the scratch dir through
// Configure → Check → Create → Diff → Delete against the emulator. Proves the package resolves by
// name outside the repo (no absolute repo paths in __provider, all runtime deps declared).
import * as fs from "node:fs";
import * as path from "node:path";
import {
  captureUserInScratch,
  packAndInstall,
  REPO_ROOT,
  runNodeScript,
  type ScratchInstall,
} from "../helpers/packaging";
import { userUrn, type EngineHost } from "../helpers/engine-host";
import type { CapturedResource } from "../helpers/capture";
import { withEngine } from "../helpers/with-engine";
import type { EmulatorHandle } from "../../src/emulator";

jest.setTimeout(180_000);

const API_KEY = "sk_packagingTestKey_abcdefghijklmnopqrstuvwxyz0123";

describe("packaging: the installed tarball in a scratch program", () => {
  // Only the emulator: the provider is serialized in the scratch program and its hosts run there.
  const engine = withEngine({ name: "packed", apiKey: API_KEY, host: false });
  let install: ScratchInstall;
  let captured: CapturedResource;
  let emu: EmulatorHandle;
  let host: EngineHost;

  beforeAll(async () => {
    const t0 = Date.now();
    install = await packAndInstall();
    console.log(
      `packaging: pack ${install.packMs} ms, install ${install.installMs} ms` +
        `${install.reused ? " (reused identical install)" : ""}, total ${Date.now() - t0} ms, dir ${install.dir}`,
    );
    emu = engine.emu;
  });

  it("is installed outside the repo, with the bin and the public entry points", async () => {
    expect(path.relative(REPO_ROOT, install.dir).startsWith("..")).toBe(true);
    expect(fs.existsSync(path.join(install.dir, "node_modules", ".bin", "wacht-emulator"))).toBe(
      true,
    );
    // A real copy, not a link back into the repo.
    expect(
      fs.lstatSync(path.join(install.dir, "node_modules", "pulumi-wacht")).isSymbolicLink(),
    ).toBe(false);
    const out = await runNodeScript(
      install.dir,
      `const w = require("pulumi-wacht");
       const e = require("pulumi-wacht/emulator");
       const impl = require("pulumi-wacht/provider-impl");
       console.log(JSON.stringify({
         User: typeof w.User, WachtClient: typeof w.WachtClient, startEmulator: typeof e.startEmulator,
         impl: Object.keys(impl).length > 0, resolved: require.resolve("pulumi-wacht"),
       }));`,
    );
    const seen = JSON.parse(out) as Record<string, unknown>;
    expect(seen).toMatchObject({
      User: "function",
      WachtClient: "function",
      startEmulator: "function",
      impl: true,
    });
    expect(String(seen.resolved).startsWith(fs.realpathSync(install.dir))).toBe(true);
  });

  it("points no stack trace at a file it does not ship (every source map resolves)", () => {
    const pkg = path.join(install.dir, "node_modules", "pulumi-wacht");
    const jsFiles = (fs.readdirSync(pkg, { recursive: true }) as string[]).filter((f) =>
      f.endsWith(".js"),
    );
    expect(jsFiles.length).toBeGreaterThan(50);
    const unresolved: string[] = [];
    for (const rel of jsFiles) {
      const file = path.join(pkg, rel);
      const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(fs.readFileSync(file, "utf8"))?.[1];
      if (url === undefined) continue;
      const mapFile = path.resolve(path.dirname(file), url);
      if (!fs.existsSync(mapFile)) {
        unresolved.push(`${rel} → ${url} (no such map)`);
        continue;
      }
      const map = JSON.parse(fs.readFileSync(mapFile, "utf8")) as {
        sources: string[];
        sourcesContent?: (string | null)[];
      };
      map.sources.forEach((source, i) => {
        const shipped = fs.existsSync(path.resolve(path.dirname(mapFile), source));
        if (!shipped && typeof map.sourcesContent?.[i] !== "string") {
          unresolved.push(`${rel} → ${source}`);
        }
      });
    }
    expect(unresolved).toEqual([]);
  });

  it("serializes __provider there: by package name, no repo paths, no key, not secret", async () => {
    const userId = engine.seed({ first_name: "Packed", last_name: "User", email: "p@example.com" });
    captured = await captureUserInScratch(
      install.dir,
      "packed",
      { userId, firstName: "FromTarball", onDelete: "delete" },
      {
        config: { "wacht:apiKey": API_KEY, "wacht:baseUrl": emu.url },
        secretKeys: ["wacht:apiKey"],
        env: { WACHT_API_KEY: "sk_ENV_should_not_be_captured_0123456789abcdefghij" },
      },
    );
    console.log(`packaging: __provider ${Buffer.byteLength(captured.providerText)} bytes`);
    expect(captured.type).toBe("pulumi-nodejs:dynamic/wacht:User");
    // Installed under node_modules, the shim module is written as a reference, not as code
    // (ADR 0003): each User's inputs and outputs hold these few bytes.
    expect(captured.providerText).toContain(`require("pulumi-wacht/dist/provider/shim.js")`);
    expect(Buffer.byteLength(captured.providerText)).toBeLessThan(400);
    expect(captured.providerText).not.toContain(REPO_ROOT);
    expect(captured.providerText).not.toContain(install.dir);
    expect(captured.providerText).not.toContain(API_KEY);
    expect(captured.providerText).not.toContain("should_not_be_captured");
    expect(captured.providerIsSecret).toBe(false);
  });

  it("drives the host from the scratch dir: Configure → Check → Create → Diff → Delete", async () => {
    host = await engine.startHost({ cwd: install.dir, config: false });
    await expect(
      host.configure({ "wacht:apiKey": API_KEY, "wacht:baseUrl": emu.url }),
    ).resolves.toEqual({
      acceptSecrets: false,
      supportsPreview: false,
    });
    const urn = userUrn("packed");
    const news = { ...captured.inputs, __provider: captured.providerText };
    const checked = await host.check(urn, {}, news);
    expect(checked.failures).toEqual([]);
    const userId = String(captured.inputs.userId);

    emu.clearRequests();
    const created = await host.create(urn, checked.inputs);
    expect(created.id).toBe(userId);
    expect(created.properties).toMatchObject({
      userId,
      firstName: "FromTarball",
      lastName: "User",
    });
    expect(emu.requests().filter((r) => r.method === "PATCH")).toHaveLength(1);

    const diff = await host.diff(userId, urn, created.properties, checked.inputs);
    expect(diff.changes).toBe("none");

    // A fresh process for the destroy run, as `pulumi destroy` would be.
    await host.close();
    host = await engine.startHost({ cwd: install.dir });
    await host.delete(userId, urn, created.properties);
    expect(emu.users.get(userId)).toBeUndefined();
  });
});
