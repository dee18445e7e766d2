// Self-test of the engine harness (test/helpers/engine-host.ts, capture.ts) against a throwaway
// fixture provider (fixtures/echo-provider.ts), so the harness is proven independently of the
// Wacht provider: real serializer → real dynamic-provider host → every RPC the engine uses.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { captureOne, captureRegistration, type CapturedResource } from "../helpers/capture";
import { RpcError, startHost, UNKNOWN, type EngineHost } from "../helpers/engine-host";
import { Echo, makeLeakyEcho } from "./fixtures/echo-provider";

// Not on withEngine (with-engine.ts): this file proves startHost and capture themselves, which the fixture is built on.
const repoRoot = path.resolve(__dirname, "..", "..");
const urn = "urn:pulumi:test::wacht-test::pulumi-nodejs:dynamic/fixture:Echo::e1";

describe("capture (setMocks) returns the registration and the serialized provider", () => {
  let echo: CapturedResource;

  beforeAll(async () => {
    echo = await captureOne(
      () => new Echo("e1", { name: "alpha", key: "k1", secretNote: pulumi.secret("psst") }),
    );
  });

  it("captures type, name, inputs and the serialized provider", () => {
    expect(echo.type).toBe("pulumi-nodejs:dynamic/fixture:Echo");
    expect(echo.name).toBe("e1");
    expect(echo.inputs).toEqual({ name: "alpha", key: "k1", secretNote: "psst" });
    expect(echo.inputs).not.toHaveProperty("__provider");
    expect(echo.secretInputs).toEqual(["secretNote"]);
    expect(echo.providerText).toContain("exports.handler");
    expect(echo.providerIsSecret).toBe(false);
  });

  it("can capture again in the same file and sees a captured secret Output as secret", async () => {
    const Leaky = makeLeakyEcho(pulumi.secret("hunter2"));
    const all = await captureRegistration(() => [
      new Leaky("l1"),
      new Echo("e2", { name: "beta" }),
    ]);
    const byName = new Map(all.map((r) => [r.name, r]));
    expect([...byName.keys()].sort()).toEqual(["e2", "l1"]);
    expect(byName.get("l1")!.providerIsSecret).toBe(true);
    expect(byName.get("l1")!.providerText).toContain("hunter2");
    expect(byName.get("e2")!.providerIsSecret).toBe(false);
    expect(byName.get("e2")!.providerText).toBe(echo.providerText);
  });
});

describe("the real dynamic-provider host answers every RPC over gRPC and surfaces provider errors", () => {
  let host: EngineHost;
  let provider: string;

  beforeAll(async () => {
    provider = (await captureOne(() => new Echo("e1", { name: "x" }))).providerText;
    host = await startHost({ cwd: repoRoot });
  });
  afterAll(async () => {
    await host?.close();
  });

  it("reports plugin info and answers Configure like the engine expects", async () => {
    expect((await host.getPluginInfo()).version).toBe(
      (require("@pulumi/pulumi/package.json") as { version: string }).version, // eslint-disable-line @typescript-eslint/no-require-imports
    );
    await expect(
      host.configure({ "wacht:apiKey": "sk_test_12345", "wacht:baseUrl": "http://x" }),
    ).resolves.toEqual({ acceptSecrets: false, supportsPreview: false });
  });

  it("drives Check / Create / Diff / Read / Update / Delete", async () => {
    const bad = await host.check(urn, {}, { name: "", __provider: provider });
    expect(bad.failures).toEqual([{ property: "name", reason: "name must be a non-empty string" }]);
    const unknown = await host.check(urn, {}, { name: UNKNOWN, __provider: provider });
    expect(unknown.failures).toEqual([]);

    const { inputs } = await host.check(
      urn,
      {},
      { name: "a", key: "k", extra: undefined, __provider: provider },
    );
    expect(inputs).toEqual({ name: "a", key: "k", __provider: provider });

    const created = await host.create(urn, inputs);
    expect(created.id).toBe("echo-a");
    // The secret-wrapped key was unwrapped by the host and reached configure().
    expect(created.properties).toEqual({ ...inputs, keyLength: "sk_test_12345".length });

    const outs = created.properties;
    expect(await host.diff("echo-a", urn, outs, inputs)).toEqual({
      changes: "none",
      replaces: [],
      deleteBeforeReplace: false,
    });
    expect((await host.diff("echo-a", urn, outs, { ...inputs, name: "b" })).changes).toBe("some");
    expect((await host.diff("echo-a", urn, outs, { ...inputs, key: "k2" })).replaces).toEqual([
      "key",
    ]);

    const read = await host.read("echo-a", urn, outs, inputs);
    expect(read.id).toBe("echo-a");
    expect(read.properties).toMatchObject({ readBack: true, __provider: provider });
    expect(read.inputs).toEqual({ name: "a", __provider: provider });

    const gone = await host.read("echo-a", urn, { ...outs, gone: true }, inputs);
    expect(gone.id).toBe("");
    await host.waitForOutput("echo echo-a is gone");

    const updated = await host.update("echo-a", urn, outs, { ...inputs, name: "c" });
    expect(updated.properties).toMatchObject({ name: "c", updated: true, __provider: provider });

    await host.delete("echo-a", urn, updated.properties);
    await host.waitForOutput("deleting echo-a");
  });

  it("surfaces provider errors as RpcError with code and message", async () => {
    const err = await host
      .create(urn, { name: "z", fail: true, __provider: provider })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcError);
    expect(err).toMatchObject({ code: 2, details: "refused to create z" });
  });
});
