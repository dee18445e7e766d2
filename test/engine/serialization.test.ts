// Serialization (issue #4): the `__provider` that a program constructing `wacht.User` stores in
// state, produced by the REAL closure serializer under setMocks (test/helpers/capture.ts). It must
// hold no credential (neither the stack config secret nor WACHT_API_KEY from the environment), not
// be marked secret, load the implementation by package name, capture no library, and stay small.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { captureOne, type CapturedResource } from "../helpers/capture";
import { USER_TYPE } from "../helpers/engine-host";
import { User } from "../../src";

// Not on withEngine (with-engine.ts): no host or emulator here, only captures with their own config and environment.
const CONFIG_KEY = "sk_CONFIGSECRET_0123456789abcdefghijABCDEFGHIJ_xyz";
const ENV_KEY = "sk_ENVSECRET_9876543210zyxwvutsrqZYXWVUTSRQ_abc";
const MAX_PROVIDER_BYTES = 8 * 1024;
const URN_PREFIX = "urn:pulumi:test::wacht-test::pulumi-nodejs:dynamic/wacht:User::";

/** The inputs the user declared: everything but the resource's own URN (src/resource/resource-urn.ts), which is checked, then left out. */
function declared(resource: CapturedResource): Record<string, unknown> {
  const { __resourceUrn, ...rest } = resource.inputs;
  expect(__resourceUrn).toBe(URN_PREFIX + resource.name);
  return rest;
}

describe("wacht.User serializes a small __provider with no key that loads the implementation by name", () => {
  let captured: CapturedResource;
  const savedEnv = process.env.WACHT_API_KEY;

  beforeAll(async () => {
    process.env.WACHT_API_KEY = ENV_KEY;
    captured = await captureOne(
      () =>
        new User("svc", {
          userId: "123456789012345678",
          firstName: "A",
          privateMetadata: { tier: "gold", nested: { flag: true } },
        }),
      {
        config: { "wacht:apiKey": CONFIG_KEY, "wacht:baseUrl": "http://127.0.0.1:9" },
        secretKeys: ["wacht:apiKey"],
      },
    );
    const bytes = Buffer.byteLength(captured.providerText, "utf8");
    console.log(`__provider size: ${bytes} bytes (limit ${MAX_PROVIDER_BYTES})`);
  });

  afterAll(() => {
    if (savedEnv === undefined) delete process.env.WACHT_API_KEY;
    else process.env.WACHT_API_KEY = savedEnv;
  });

  it("registers pulumi-nodejs:dynamic/wacht:User with only the declared inputs and its URN", () => {
    expect(captured.type).toBe(USER_TYPE);
    expect(captured.name).toBe("svc");
    // A field left out is not managed: it is not even sent. The URN is an internal input
    // (its key starts with "__", so the engine never displays or diffs it).
    expect(Object.keys(captured.inputs)).toContain("__resourceUrn");
    expect(declared(captured)).toEqual({
      userId: "123456789012345678",
      firstName: "A",
      privateMetadata: { tier: "gold", nested: { flag: true } },
    });
  });

  it("registers privateMetadata as a secret input (so the engine keeps it secret)", () => {
    expect(captured.secretInputs).toEqual(["privateMetadata"]);
  });

  it("holds no API key: neither the stack config secret nor WACHT_API_KEY", () => {
    expect(captured.providerText).not.toContain(CONFIG_KEY);
    expect(captured.providerText).not.toContain(ENV_KEY);
    expect(captured.providerText).not.toContain("CONFIGSECRET");
    expect(captured.providerText).not.toContain("ENVSECRET");
  });

  it("is not marked secret", () => {
    expect(captured.providerIsSecret).toBe(false);
  });

  it("loads the implementation by package name", () => {
    expect(captured.providerText).toContain("pulumi-wacht/provider-impl");
  });

  it("captures no library object (no zod, undici or form-data)", () => {
    expect(captured.providerText).not.toMatch(/require\(["']zod/);
    expect(captured.providerText).not.toMatch(/require\(["']undici/);
    expect(captured.providerText).not.toMatch(/require\(["']form-data/);
  });

  it(`is small (< ${MAX_PROVIDER_BYTES} bytes)`, () => {
    expect(Buffer.byteLength(captured.providerText, "utf8")).toBeLessThan(MAX_PROVIDER_BYTES);
  });

  it("is the same text for every User (one shared provider object)", async () => {
    const other = await captureOne(
      () => new User("other", { userId: "42", username: "someone", onDelete: "delete" }),
    );
    expect(other.providerText).toBe(captured.providerText);
    expect(declared(other)).toEqual({ userId: "42", username: "someone", onDelete: "delete" });
  });

  it("registers without the SDK's per-property stack traces, and restores Error.stackTraceLimit", async () => {
    const saved = Error.stackTraceLimit;
    const seen: Record<string, number | undefined> = {};
    // The options are read while the SDK registers the resource.
    const probe = (label: string): pulumi.CustomResourceOptions =>
      Object.defineProperty({}, "protect", {
        enumerable: true,
        get: () => {
          seen[label] = Error.stackTraceLimit;
          return undefined;
        },
      });
    try {
      Error.stackTraceLimit = 17;
      await captureOne(() => new User("traces", { userId: "7" }, probe("default")));
      expect(seen["default"]).toBe(0);
      expect(Error.stackTraceLimit).toBe(17);
      process.env.PULUMI_DEBUG_PROMISE_LEAKS = "1"; // the SDK's leak report wants its traces
      await captureOne(() => new User("traced", { userId: "7" }, probe("debug")));
      expect(seen["debug"]).toBe(17);
      expect(Error.stackTraceLimit).toBe(17);
    } finally {
      delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
      Error.stackTraceLimit = saved;
    }
  });

  it("sends a plain file path profileImage unchanged", async () => {
    const withPath = await captureOne(
      () => new User("imgpath", { userId: "42", profileImage: "assets/avatar.png" }),
    );
    expect(declared(withPath)).toEqual({ userId: "42", profileImage: "assets/avatar.png" });
  });

  it("sends a FileAsset profileImage as its file path (the state keeps a hash, not bytes)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wacht-ser-"));
    const file = path.join(dir, "avatar.png");
    fs.writeFileSync(file, Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    try {
      const withImage = await captureOne(
        () => new User("img", { userId: "42", profileImage: new pulumi.asset.FileAsset(file) }),
      );
      expect(declared(withImage)).toEqual({ userId: "42", profileImage: file });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
