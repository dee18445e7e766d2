// Hostile and first-contact declarations through the REAL dynamic-provider host over gRPC: what
// must fail at preview (Check) with a failure that names the property or config key, what must
// never block the provider process, and what the warnings say happened.
import { execFileSync } from "node:child_process";
import { mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { REPO_ROOT, rpcError, withEngine } from "../helpers/with-engine";

jest.setTimeout(60_000);

const engine = withEngine({ name: "hardening", config: { "wacht:maxRetries": "0" } });
const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d4948445200000001000000010806000000" +
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082",
  "hex",
);
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "wacht-hardening-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("profileImage must be a regular file", () => {
  it("a FIFO fails at check at once, and the next check still answers", async () => {
    const fifo = path.join(dir, "pipe.png");
    execFileSync("mkfifo", [fifo]);
    const failures = await engine.failures({ userId: "1", profileImage: fifo });
    expect(failures).toEqual([
      {
        property: "profileImage",
        reason: expect.stringMatching(/is not a regular file \(a named pipe\)/),
      },
    ]);
    await engine.check({ userId: "1", firstName: "Next" });
  });

  it("/dev/zero is refused as a character device, not read without bound", async () => {
    const failures = await engine.failures({ userId: "1", profileImage: "/dev/zero" });
    expect(failures[0]?.reason).toMatch(/is not a regular file \(a character device\)/);
  });

  it("a file swapped for a FIFO between check and apply fails the apply instead of blocking", async () => {
    const id = engine.seed({ email: "swapped-image@example.com" });
    const file = path.join(dir, "swap.png");
    writeFileSync(file, PNG);
    const inputs = await engine.check({ userId: id, profileImage: file });
    const fifo = path.join(dir, "swap-fifo");
    execFileSync("mkfifo", [fifo]);
    renameSync(fifo, file);
    const err = await rpcError(engine.host.create(engine.urn(), inputs));
    expect(err.details).toMatch(/is not a regular file \(a named pipe\)/);
    expect(engine.writes("PATCH")).toHaveLength(0);
  });

  it("a missing file names its absolute path, the working directory and the errno in words", async () => {
    const failures = await engine.failures({ userId: "1", profileImage: "no-such-dir/avatar.png" });
    expect(failures).toHaveLength(1);
    expect(failures[0]?.reason).toContain(path.join(REPO_ROOT, "no-such-dir", "avatar.png"));
    expect(failures[0]?.reason).toContain(`working directory ${REPO_ROOT}`);
    expect(failures[0]?.reason).toMatch(/no such file or directory \(ENOENT\)/);
  });
});

describe("metadata schemas and values that cannot be used fail as check failures", () => {
  it.each([
    ["a $ref to itself", { $ref: "#" }],
    ["a $ref cycle through $defs", { $ref: "#/$defs/a", $defs: { a: { $ref: "#/$defs/a" } } }],
  ])("%s is a failure on publicMetadataSchema, not a crashed Check", async (_name, schema) => {
    const failures = await engine.failures({
      userId: "1",
      publicMetadata: { a: 1 },
      publicMetadataSchema: schema,
    });
    expect(failures).toEqual([
      { property: "publicMetadataSchema", reason: expect.stringMatching(/cannot use the schema/) },
    ]);
  });

  it("NaN and Infinity are named as not JSON values, with their path", async () => {
    const failures = await engine.failures({
      userId: "1",
      publicMetadata: { plan: { seats: Number.NaN } },
      privateMetadata: { limit: Infinity },
    });
    expect(failures).toEqual([
      {
        property: "publicMetadata.plan.seats",
        reason: expect.stringMatching(
          /publicMetadata\.plan\.seats holds NaN, which is not a JSON value/,
        ),
      },
      {
        property: "privateMetadata",
        reason: expect.stringMatching(/privateMetadata holds Infinity, which is not a JSON value/),
      },
    ]);
  });
});

describe("a declaration no request can carry fails at check", () => {
  it("a 3 MB firstName is refused by size, without echoing it", async () => {
    const failures = await engine.failures({ userId: "1", firstName: "F".repeat(3_000_000) });
    expect(failures).toEqual([
      {
        property: "firstName",
        reason: expect.stringMatching(
          /^firstName is 2\.86 MiB \(3,000,000 bytes\); .*1\.93 MiB \(2,031,616 bytes\)/,
        ),
      },
    ]);
    expect(JSON.stringify(failures)).not.toContain("FFFF");
  });

  it("public plus private metadata over the request limit is refused, each fitting alone", async () => {
    const half = { blob: "x".repeat(1_100_000) };
    const failures = await engine.failures({
      userId: "1",
      publicMetadata: half,
      privateMetadata: half,
    });
    expect(failures).toHaveLength(1);
    expect(failures[0]?.reason).toMatch(
      /^the update request would carry 2\.09 MiB \(2,200,022 bytes\)/,
    );
    expect(failures[0]?.reason).toMatch(
      /publicMetadata 1\.04 MiB \(1,100,011 bytes\).*privateMetadata 1\.04 MiB \(1,100,011 bytes\)/,
    );
  });

  it('password "" with skipPasswordCheck is refused: Wacht would set no password', async () => {
    const failures = await engine.failures({
      emailAddress: "empty-password@example.com",
      password: "",
      skipPasswordCheck: true,
    });
    expect(failures).toEqual([
      { property: "password", reason: expect.stringMatching(/password cannot be empty/) },
    ]);
  });
});

describe("provider config problems fail at preview, naming the config key", () => {
  it.each([
    ["wacht:baseUrl", { "wacht:baseUrl": "http://wacht.example.com" }, /plain http/],
    ["wacht:baseUrl", { "wacht:baseUrl": "not a url" }, /not a valid URL/],
    ["wacht:timeoutMs", { "wacht:timeoutMs": "0" }, /positive/],
    ["wacht:maxRetries", { "wacht:maxRetries": "many" }, /non-negative integer/],
  ])("%s %j", async (key, config, why) => {
    const host = await engine.startHost({ config: { "wacht:apiKey": engine.apiKey, ...config } });
    try {
      const err = await rpcError(
        host.check(engine.urn(), {}, { userId: "1", __provider: engine.provider }),
      );
      expect(err.details).toContain(key);
      expect(err.details).toMatch(why);
      expect(err.details).not.toContain(engine.apiKey);
    } finally {
      await host.close();
    }
  });
});

describe("what a retried create warns says what happened", () => {
  it("after a 500 that wrote nothing, the warning says the POST was sent again", async () => {
    engine.emu.faults.enqueue({
      kind: "status",
      status: 500,
      phase: "before",
      match: { method: "POST", path: "/users" },
    });
    const inputs = await engine.check({
      emailAddress: "resent@example.com",
      skipPasswordCheck: true,
    });
    const { id } = await engine.host.create(engine.urn(), inputs);
    expect(engine.writes("POST")).toHaveLength(2);
    const output = await engine.host.waitForOutput(/was sent again and created/);
    expect(output).toContain(`no user with that key existed afterwards`);
    expect(output).toContain(`created ${id}`);
    expect(output).not.toContain("found the user it created");
  });
});
