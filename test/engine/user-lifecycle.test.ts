// Engine path (issue #4): the REAL dynamic-provider host (cwd = repo root, so the serialized shim's
// `require("pulumi-wacht/provider-impl")` resolves through the self link) driven over gRPC like
// the engine, against the emulator on 127.0.0.1:0. Configure → Check → Create (adopt) → Diff →
// drift → Read → Diff → Update → replace → gone → API errors → onDelete policies; plus a host
// without any key, and a host configured only through the environment. The request log of the
// emulator proves which HTTP requests each step made.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { RpcError, UNKNOWN, userUrn, type EngineHost, type Props } from "../helpers/engine-host";
import { aUser, deleteOutOfBand, editOutOfBand } from "../helpers/seed";
import { withEngine } from "../helpers/with-engine";
import type { EmulatorHandle, RequestLogEntry, SeedUser } from "../../src/emulator";
import { byProperty } from "../helpers/check-failures";

jest.setTimeout(60_000);

const API_KEY = "sk_" + "engineTestKey_0123456789abcdefghijklmnopqrstu".slice(0, 43);
/** A 1×1 PNG. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);

// The emulator's request log is cleared by the Check/Create describe itself: the keyless host's
// "made no request" looks at every request its describe's tests made.
const engine = withEngine({
  name: "lifecycle",
  apiKey: API_KEY,
  config: { "aws:region": "eu-west-1" }, // the engine sends the whole stack config
  clearEach: false,
});
let emu: EmulatorHandle;
let provider: string;
let tmp: string;

/** The multipart part names (sorted) and values of one logged request. */
function parts(entry: RequestLogEntry): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of entry.multipart ?? []) {
    out[p.name ?? "?"] =
      "value" in p ? p.value : `<file ${"contentType" in p ? p.contentType : "?"}>`;
  }
  return out;
}

function requests(method?: string): RequestLogEntry[] {
  return emu.requests().filter((r) => method === undefined || r.method === method);
}

/** Seeds a fresh user (unique username and email, private plan "free") and returns its id. */
function seedUser(fields: SeedUser = {}): string {
  return engine.seed(aUser({ private_metadata: { plan: "free" }, ...fields }));
}

const patchOutOfBand = (id: string, fields: Record<string, string>): Promise<void> =>
  editOutOfBand(emu.url, API_KEY, id, fields);
const deleteUser = (id: string): Promise<void> => deleteOutOfBand(emu.url, API_KEY, id);

/** Check (olds = {} on create, as the engine does) + Create; asserts Check passed. */
async function checkAndCreate(
  host: EngineHost,
  name: string,
  decl: Props,
): Promise<{ id: string; inputs: Props; outs: Props }> {
  const urn = userUrn(name);
  const checked = await host.check(urn, {}, { ...decl, __provider: provider });
  expect(checked.failures).toEqual([]);
  const created = await host.create(urn, checked.inputs);
  return { id: created.id, inputs: checked.inputs, outs: created.properties };
}

beforeAll(() => {
  ({ emu, provider } = engine);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "wacht-engine-"));
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("wacht.User through the real dynamic-provider host", () => {
  let host: EngineHost;

  beforeAll(() => {
    host = engine.host;
    expect(engine.configured).toEqual({ acceptSecrets: false, supportsPreview: false });
  });

  beforeEach(() => emu.clearRequests());

  describe("Check accepts a good declaration without a request and names a bad property", () => {
    const urn = userUrn("check");

    it("accepts a good declaration, makes no request, and keeps only declared fields", async () => {
      const res = await host.check(
        urn,
        {},
        {
          userId: "123456789012345678",
          firstName: "Ada",
          lastName: "Lovelace",
          username: "ada_l",
          disabled: false,
          secondFactorPolicy: "enforced",
          publicMetadata: { a: [1, 2, { b: null }] },
          privateMetadata: "just a string",
          __provider: provider,
        },
      );
      expect(res.failures).toEqual([]);
      expect(res.inputs).toMatchObject({
        userId: "123456789012345678",
        firstName: "Ada",
        lastName: "Lovelace",
        username: "ada_l",
        disabled: false,
        secondFactorPolicy: "enforced",
        publicMetadata: { a: [1, 2, { b: null }] },
        privateMetadata: "just a string",
        __provider: provider,
      });
      expect(res.inputs).not.toHaveProperty("removeProfileImage");
      expect(res.inputs).not.toHaveProperty("profileImage");
      expect(requests()).toEqual([]);
    });

    it.each([
      ["an empty firstName", { firstName: "" }, "firstName", /empty/i],
      ["an empty lastName", { lastName: "" }, "lastName", /empty/i],
      ["an empty username", { username: "" }, "username", /empty/i],
      ["a 2-character username", { username: "ab" }, "username", /3/],
      ["a 31-character username", { username: "u".repeat(31) }, "username", /30/],
      [
        "an invalid secondFactorPolicy",
        { secondFactorPolicy: "sometimes" },
        "secondFactorPolicy",
        /none.*optional.*enforced/,
      ],
      ["an invalid onDelete", { onDelete: "explode" }, "onDelete", /retain/],
      ["a non-boolean disabled", { disabled: "yes" }, "disabled", /true|false|boolean/i],
    ])("rejects %s, naming the property", async (_label, bad, property, reason) => {
      const res = await host.check(urn, {}, { userId: "42", ...bad, __provider: provider });
      expect(res.failures).toHaveLength(1);
      expect(byProperty(res.failures)[0]!.property).toBe(property);
      expect(res.failures[0]!.reason).toMatch(reason);
    });

    it("rejects a profileImage that is not a supported image", async () => {
      const notImage = path.join(tmp, "notes.txt");
      fs.writeFileSync(notImage, "definitely not an image\n");
      const res = await host.check(
        urn,
        {},
        { userId: "42", profileImage: notImage, __provider: provider },
      );
      expect(res.failures).toHaveLength(1);
      expect(byProperty(res.failures)[0]!.property).toBe("profileImage");
      expect(res.failures[0]!.reason).toMatch(/PNG|JPEG|image/);
    });

    it("rejects a missing userId", async () => {
      const res = await host.check(urn, {}, { firstName: "A", __provider: provider });
      expect(byProperty(res.failures).map((f) => f.property)).toContain("userId");
    });

    it("tolerates preview unknowns", async () => {
      const res = await host.check(
        urn,
        {},
        {
          userId: UNKNOWN,
          firstName: UNKNOWN,
          username: UNKNOWN,
          secondFactorPolicy: UNKNOWN,
          privateMetadata: UNKNOWN,
          profileImage: UNKNOWN,
          __provider: provider,
        },
      );
      expect(res.failures).toEqual([]);
    });

    it("keeps the image's sha256 in the inputs, not its bytes", async () => {
      const png = path.join(tmp, "avatar.png");
      fs.writeFileSync(png, PNG);
      const res = await host.check(
        urn,
        {},
        { userId: "42", profileImage: png, __provider: provider },
      );
      expect(res.failures).toEqual([]);
      expect(res.inputs.profileImageSha256).toBe(createHash("sha256").update(PNG).digest("hex"));
      expect(JSON.stringify(res.inputs)).not.toContain(PNG.toString("base64"));
    });
  });

  describe("Create adopting an existing user, Diff, drift, Update", () => {
    let id: string;
    let inputs: Props;
    let outs: Props;
    let createLog: RequestLogEntry[];
    const urn = userUrn("adopt");

    beforeAll(async () => {
      id = seedUser({ first_name: "Old", last_name: "Keep" });
      emu.users.patch(id, {
        add_social_connections: [
          {
            provider: "google_oauth",
            email_address: "x@example.com",
            access_token: "ya29.SOCIAL_ACCESS_TOKEN",
            refresh_token: "1//SOCIAL_REFRESH_TOKEN",
          },
        ],
      });
      emu.clearRequests();
      ({ inputs, outs } = await checkAndCreate(host, "adopt", {
        userId: id,
        firstName: "A", // differs
        lastName: "Keep", // same
        privateMetadata: { tier: "gold" }, // differs
      }));
      createLog = requests();
    });

    it("reads the user, then PATCHes only the declared fields that differ, and nothing else", () => {
      const log = createLog;
      expect(log.map((r) => `${r.method} ${r.path}`)).toEqual([
        `GET /users/${id}/details`,
        `PATCH /users/${id}`,
      ]);
      const patch = parts(log[1]!);
      expect(Object.keys(patch).sort()).toEqual(["first_name", "private_metadata"]);
      expect(patch.first_name).toBe("A");
      expect(JSON.parse(patch.private_metadata!)).toEqual({ tier: "gold" });
      expect(emu.users.get(id)!.user).toMatchObject({
        first_name: "A",
        last_name: "Keep",
        private_metadata: { tier: "gold" },
      });
    });

    it("returns the id and the full outputs built from the PATCH response", () => {
      expect(outs).toMatchObject({
        userId: id,
        firstName: "A",
        lastName: "Keep",
        privateMetadata: { tier: "gold" },
        primaryEmailAddress: expect.stringMatching(/@example\.com$/),
        primaryPhoneNumber: null,
        profilePictureUrl: expect.any(String),
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        hasPassword: expect.any(Boolean),
        hasBackupCodes: expect.any(Boolean),
        emailAddresses: expect.any(Array),
        phoneNumbers: [],
        segments: expect.any(Array),
        username: expect.any(String),
        disabled: false,
        secondFactorPolicy: "optional",
        publicMetadata: {},
        __provider: provider,
      });
      const stored = emu.users.get(id)!.user;
      expect(outs.updatedAt).toBe(stored.updated_at);
    });

    it("never puts social-connection tokens in the outputs", () => {
      const text = JSON.stringify(outs);
      expect(text).not.toContain("SOCIAL_ACCESS_TOKEN");
      expect(text).not.toContain("SOCIAL_REFRESH_TOKEN");
    });

    it("Diff with the same declaration is a no-op and makes no request", async () => {
      const res = await host.diff(id, urn, outs, inputs);
      expect(res).toEqual({ changes: "none", replaces: [], deleteBeforeReplace: false });
      // metadata is compared as JSON: key order does not matter
      const reordered = await host.diff(
        id,
        urn,
        { ...outs, privateMetadata: { b: 2, a: 1 } },
        {
          ...inputs,
          privateMetadata: { a: 1, b: 2 },
        },
      );
      expect(reordered.changes).toBe("none");
      expect(requests()).toEqual([]);
    });

    it("Diff reports a changed declared field, and a userId change replaces", async () => {
      const changed = await host.diff(id, urn, outs, { ...inputs, lastName: "New" });
      expect(changed).toEqual({ changes: "some", replaces: [], deleteBeforeReplace: false });
      const replaced = await host.diff(id, urn, outs, { ...inputs, userId: "987654321" });
      expect(replaced.changes).toBe("some");
      expect(replaced.replaces).toEqual(["userId"]);
      const unknown = await host.diff(id, urn, outs, { ...inputs, firstName: UNKNOWN });
      expect(unknown.changes).toBe("some");
      expect(requests()).toEqual([]);
    });

    it("drift: Read returns the live value and inputs, Diff says some, Update PATCHes only the drifted field", async () => {
      await patchOutOfBand(id, { first_name: "Drifted", username: "renamed_elsewhere" });
      emu.clearRequests();

      const read = await host.read(id, urn, outs, inputs);
      expect(read.id).toBe(id);
      expect(read.properties).toMatchObject({
        firstName: "Drifted",
        username: "renamed_elsewhere",
      });
      expect(read.inputs).toBeDefined();
      expect(read.inputs).toMatchObject({ userId: id, firstName: "Drifted", lastName: "Keep" });
      // username is not declared: not managed, so it does not enter the inputs
      expect(read.inputs).not.toHaveProperty("username");
      // The first read of the provider process lists the deployment (delta refresh, issue #13:
      // no waiting for other reads); the user's updated_at moved, so its details are read.
      expect(requests().map((r) => `${r.method} ${r.path}`)).toEqual([
        "GET /users",
        `GET /users/${id}/details`,
      ]);

      emu.clearRequests();
      const diff = await host.diff(id, urn, read.properties, inputs);
      expect(diff).toEqual({ changes: "some", replaces: [], deleteBeforeReplace: false });
      expect(requests()).toEqual([]);

      const updated = await host.update(id, urn, read.properties, inputs);
      // One PATCH carrying only the drifted field, and no GET: the lost-update guard uses this
      // process's read of a moment ago (live/live-users.ts).
      expect(requests().map((r) => `${r.method} ${r.path}`)).toEqual([`PATCH /users/${id}`]);
      const writes = requests().filter((r) => r.method !== "GET");
      expect(writes.map((r) => `${r.method} ${r.path}`)).toEqual([`PATCH /users/${id}`]);
      expect(parts(writes[0]!)).toEqual({ first_name: "A" });
      expect(updated.properties).toMatchObject({
        userId: id,
        firstName: "A",
        lastName: "Keep",
        username: "renamed_elsewhere", // unmanaged: left as the server has it
        privateMetadata: { tier: "gold" },
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        __provider: provider,
      });
      expect(emu.users.get(id)!.user.first_name).toBe("A");
      expect(emu.users.get(id)!.user.username).toBe("renamed_elsewhere");
      outs = updated.properties;
    });

    it("drift in an undeclared field is never diffed", async () => {
      await patchOutOfBand(id, { last_name: "Keep", username: "again_elsewhere" });
      const read = await host.read(id, urn, outs, inputs);
      const diff = await host.diff(id, urn, read.properties, inputs);
      expect(diff.changes).toBe("none");
    });
  });

  it("Create where nothing differs makes no PATCH", async () => {
    const id = seedUser({ first_name: "Same", private_metadata: { k: [1, 2] } });
    emu.clearRequests();
    const { outs } = await checkAndCreate(host, "same", {
      userId: id,
      firstName: "Same",
      privateMetadata: { k: [1, 2] },
    });
    expect(requests().map((r) => `${r.method} ${r.path}`)).toEqual([`GET /users/${id}/details`]);
    expect(outs).toMatchObject({ userId: id, firstName: "Same", privateMetadata: { k: [1, 2] } });
  });

  it("Create uploads a declared image; the state keeps its sha256, not its bytes", async () => {
    const png = path.join(tmp, "face.png");
    fs.writeFileSync(png, PNG);
    const id = seedUser();
    emu.clearRequests();
    const { outs } = await checkAndCreate(host, "img", { userId: id, profileImage: png });
    const patch = requests("PATCH");
    expect(patch).toHaveLength(1);
    expect(parts(patch[0]!)).toEqual({ profile_image: "<file image/png>" });
    expect(outs.profileImageSha256).toBe(createHash("sha256").update(PNG).digest("hex"));
    expect(outs.profilePictureUrl).toMatch(/profile\.png$/);
    expect(JSON.stringify(outs)).not.toContain(PNG.toString("base64"));
  });

  it("a user deleted out of band is gone on Read, with a warning naming the user", async () => {
    const id = seedUser();
    const { inputs, outs } = await checkAndCreate(host, "vanishing", {
      userId: id,
      firstName: "V",
    });
    await deleteUser(id);
    const read = await host.read(id, userUrn("vanishing"), outs, inputs);
    expect(read.id).toBe("");
    // pulumi.log.warn without an engine attached prints "warning: …" to the host's output,
    // which the engine shows as a diagnostic of the dynamic provider.
    await host.waitForOutput(new RegExp(`warning: .*${id}`));
  });

  it("an API error arrives with status, method, path and the server's message", async () => {
    const id = seedUser();
    const urn = userUrn("erroring");
    const { inputs, outs } = await checkAndCreate(host, "erroring", { userId: id, firstName: "E" });
    await deleteUser(id);
    const err = await host
      .update(id, urn, outs, { ...inputs, firstName: "F" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcError);
    // "<status> <METHOD> <path>: <server message>" of the request that failed
    expect((err as RpcError).details).toMatch(
      new RegExp(`404 (PATCH|GET) /users/${id}(/details)?: Resource not found`),
    );
  });

  // `pulumi destroy` is its own run, so Delete is driven by a fresh host process (a provider that
  // created a resource in the same process may treat a Delete of that user as part of a replace).
  describe("Delete applies onDelete (in a separate destroy run)", () => {
    let destroyHost: EngineHost;
    beforeAll(async () => {
      destroyHost = await engine.startHost();
    });

    it("retain (the default): no request, the user is unchanged", async () => {
      const id = seedUser();
      const { outs } = await checkAndCreate(host, "retained", { userId: id, firstName: "R" });
      expect(outs.onDelete ?? "retain").toBe("retain");
      const before = emu.users.get(id)!.user;
      emu.clearRequests();
      await destroyHost.delete(id, userUrn("retained"), outs);
      expect(requests()).toEqual([]);
      expect(emu.users.get(id)!.user).toEqual(before);
    });

    it("disable: PATCH disabled=true, the user is disabled", async () => {
      const id = seedUser();
      const { outs } = await checkAndCreate(host, "disabled", { userId: id, onDelete: "disable" });
      emu.clearRequests();
      await destroyHost.delete(id, userUrn("disabled"), outs);
      const log = requests();
      expect(log.map((r) => `${r.method} ${r.path}`)).toEqual([`PATCH /users/${id}`]);
      expect(parts(log[0]!)).toEqual({ disabled: "true" });
      expect(emu.users.get(id)!.user.disabled).toBe(true);
    });

    it("delete: DELETE, the user is gone; deleting again succeeds (404 = already gone)", async () => {
      const id = seedUser();
      const urn = userUrn("deleted");
      const { outs } = await checkAndCreate(host, "deleted", { userId: id, onDelete: "delete" });
      emu.clearRequests();
      await destroyHost.delete(id, urn, outs);
      // The delete warning names the user's real memberships, read only when a delete is planned.
      // This deployment has no organization: the run's one look at GET /organizations (made by
      // this process's first delete) stands for the user's two membership reads.
      expect(requests().map((r) => `${r.method} ${r.path}`)).toEqual([
        `GET /organizations`,
        `DELETE /users/${id}`,
      ]);
      expect(emu.users.get(id)).toBeUndefined();
      emu.clearRequests();
      await expect(destroyHost.delete(id, urn, outs)).resolves.toBeUndefined();
      expect(requests().map((r) => `${r.method} ${r.path}`)).toEqual([`DELETE /users/${id}`]);
    });
  });
});

describe("a host without any API key", () => {
  let host: EngineHost;
  const urn = userUrn("keyless");
  let outs: Props;

  beforeAll(async () => {
    host = await engine.startHost({ config: { "wacht:baseUrl": emu.url } });
    outs = { userId: "42", firstName: "A", onDelete: "delete", __provider: provider };
  });

  const expectKeyError = (e: unknown): void => {
    expect(e).toBeInstanceOf(RpcError);
    expect((e as RpcError).details).toContain("wacht:apiKey");
    expect((e as RpcError).details).toContain("WACHT_API_KEY");
  };

  it("Create fails naming wacht:apiKey and WACHT_API_KEY", async () => {
    expectKeyError(
      await host
        .create(urn, { userId: "42", firstName: "A", __provider: provider })
        .catch((e: unknown) => e),
    );
  });

  it("Read fails naming wacht:apiKey and WACHT_API_KEY", async () => {
    expectKeyError(await host.read("42", urn, outs, { userId: "42" }).catch((e: unknown) => e));
  });

  it("Update and Delete fail the same way", async () => {
    expectKeyError(
      await host
        .update("42", urn, outs, { userId: "42", firstName: "B", __provider: provider })
        .catch((e: unknown) => e),
    );
    expectKeyError(await host.delete("42", urn, outs).catch((e: unknown) => e));
  });

  it("Check and Diff fail the same way (every method names the key)", async () => {
    expectKeyError(
      await host.check(urn, {}, { userId: "42", __provider: provider }).catch((e: unknown) => e),
    );
    expectKeyError(
      await host
        .diff("42", urn, outs, { userId: "42", firstName: "B", __provider: provider })
        .catch((e: unknown) => e),
    );
  });

  it("made no request", () => {
    expect(emu.requests().filter((r) => r.path.includes("/42"))).toEqual([]);
  });
});

describe("a host configured only through the environment", () => {
  let host: EngineHost;

  beforeAll(async () => {
    // No wacht:apiKey / wacht:baseUrl in the stack config; retries off for the fault test.
    host = await engine.startHost({
      env: { WACHT_API_KEY: API_KEY, WACHT_BASE_URL: emu.url },
      config: { "wacht:maxRetries": "0" },
    });
  });

  it("uses WACHT_API_KEY and WACHT_BASE_URL", async () => {
    const id = seedUser({ first_name: "Env" });
    const { outs, inputs } = await checkAndCreate(host, "env", {
      userId: id,
      firstName: "FromEnv",
    });
    expect(outs).toMatchObject({ userId: id, firstName: "FromEnv" });
    const read = await host.read(id, userUrn("env"), outs, inputs);
    expect(read.properties).toMatchObject({ firstName: "FromEnv" });
  });

  it("a server error (injected 500 on PATCH) arrives with status and message", async () => {
    const id = seedUser();
    const urn = userUrn("fault");
    const { inputs, outs } = await checkAndCreate(host, "fault", { userId: id, firstName: "F1" });
    emu.faults.enqueue({
      kind: "status",
      status: 500,
      match: { method: "PATCH", path: `/users/${id}` },
    });
    const err = await host
      .update(id, urn, outs, { ...inputs, firstName: "F2" })
      .catch((e: unknown) => e);
    emu.faults.clear();
    expect(err).toBeInstanceOf(RpcError);
    expect((err as RpcError).details).toContain(`500 PATCH /users/${id}`);
    expect((err as RpcError).details).toContain("Something went wrong");
  });
});
