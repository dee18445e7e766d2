// Each wacht.User provider method against the emulator over real HTTP on 127.0.0.1 (issue #4),
// plus the lifecycle features of issue #5. Requests are counted from the emulator's log, so
// "only the fields that differ" and "no request" are proven on the wire.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type EmulatorHandle } from "../../../src/emulator";
import { checkUser } from "../../../src/provider/check-user";
import { PasswordVault } from "../../../src/provider/password-vault";
import { captureWarnings } from "../../helpers/warnings";
import {
  type TestProvider,
  asEngineSees,
  calls,
  configuredProvider,
  multipartFields,
} from "../../helpers/provider";
import { editOutOfBand as dashboardEdit, nthId, seedUsers } from "../../helpers/seed";

const KEY = "sk_test_provider_key_0000000000000000000000000000";
const ADA = "300000000000000001";
const BOB = "300000000000000002";
const seed = [
  {
    id: ADA,
    first_name: "Ada",
    last_name: "Lovelace",
    username: "ada",
    email: "ada@example.com",
    public_metadata: { team: "infra" },
    private_metadata: { vault: "kv/ada" },
  },
  {
    id: BOB,
    first_name: "Bob",
    last_name: "Builder",
    username: "bob",
    email: "bob@example.com",
    has_backup_codes: false,
  },
];

let emulator: EmulatorHandle;
let provider: TestProvider;
const limits = { usernameMinLength: 3, usernameMaxLength: 30 };

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, apiKey: KEY, seed });
  provider = await configuredProvider(emulator.url, KEY, {
    "wacht:timeoutMs": "400",
    "wacht:maxRetries": "1",
  });
});
afterAll(async () => emulator.close());
beforeEach(() => emulator.reset());

/** Runs check then returns the inputs, failing the test on any failure. */
async function checked(
  news: Record<string, unknown>,
  on: TestProvider = provider,
): Promise<Record<string, unknown>> {
  const result = await on.check({}, news);
  expect(result.failures ?? []).toEqual([]);
  return result.inputs as Record<string, unknown>;
}

/** Simulates a dashboard edit: a PATCH straight to the API, not through the provider. */
const editOutOfBand = (id: string, fields: Record<string, string>): Promise<void> =>
  dashboardEdit(emulator.url, KEY, id, fields);

describe("create adopts a user by userId, PATCHing only the declared fields that differ", () => {
  it("reads the user and PATCHes only the declared fields that differ, once", async () => {
    const inputs = await checked({
      userId: ADA,
      firstName: "Ada",
      lastName: "King",
      secondFactorPolicy: "enforced",
    });
    emulator.clearRequests();
    const warnings = captureWarnings();
    const { id, outs } = await provider.create(inputs);
    expect(warnings.done()).toEqual([
      expect.stringMatching(/enforcing a second factor on Wacht user .* may lock the user out/),
    ]);
    expect(id).toBe(ADA);
    expect(calls(emulator)).toEqual([`GET /users/${ADA}/details`, `PATCH /users/${ADA}`]);
    expect(multipartFields(emulator)).toEqual([
      { last_name: "King", second_factor_policy: "enforced" },
    ]);
    expect(outs).toMatchObject({
      userId: ADA,
      firstName: "Ada",
      lastName: "King",
      secondFactorPolicy: "enforced",
      primaryEmailAddress: "ada@example.com",
      origin: "userId",
      onDelete: "retain",
    });
    expect(JSON.stringify(outs)).not.toContain("undefined");
    for (const value of Object.values(outs as object)) expect(value).not.toBeUndefined();
  });

  it("makes no PATCH when nothing differs", async () => {
    const inputs = await checked({
      userId: ADA,
      firstName: "Ada",
      publicMetadata: { team: "infra" },
    });
    emulator.clearRequests();
    await provider.create(inputs);
    expect(calls(emulator)).toEqual([`GET /users/${ADA}/details`]);
  });

  it("fails clearly for a user that does not exist", async () => {
    const inputs = await checked({ userId: "399999999999999999", firstName: "X" });
    await expect(provider.create(inputs)).rejects.toThrow(
      /Wacht user 399999999999999999 \(userId\) does not exist.*404 GET \/users\/399999999999999999\/details: Resource not found/,
    );
  });
});

describe("read returns the live user after drift, and gone after an out-of-band delete", () => {
  it("returns the live values and matching inputs after a dashboard edit (drift)", async () => {
    const { outs } = await provider.create(await checked({ userId: ADA, firstName: "Ada" }));
    await editOutOfBand(ADA, { first_name: "Eve" });
    const result = await provider.read(ADA, outs);
    expect(result.id).toBe(ADA);
    expect(result.props).toMatchObject({ firstName: "Eve" });
    expect(result.inputs).toMatchObject({ userId: ADA, firstName: "Eve" });
  });

  it("reports a user deleted out of band as gone (empty id)", async () => {
    const { outs } = await provider.create(await checked({ userId: BOB }));
    await fetch(`${emulator.url}/users/${BOB}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${KEY}` },
    });
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    const result = await provider.read(BOB, outs);
    expect(result.id).toBe("");
    expect(warn.mock.calls.flat().join("\n")).toContain(`Wacht user ${BOB} no longer exists`);
    warn.mockRestore();
  });
});

describe("diff makes no request; update writes only the drift and guards against lost updates", () => {
  it("diff makes no request; update PATCHes only the drifted field", async () => {
    const news = await checked({ userId: ADA, firstName: "Ada", lastName: "Lovelace" });
    const { outs } = await provider.create(news);
    await editOutOfBand(ADA, { first_name: "Eve" });
    const refreshed = (await provider.read(ADA, outs)).props as Record<string, unknown>;
    emulator.clearRequests();
    const diff = await provider.diff(ADA, refreshed, news);
    expect(diff).toMatchObject({ changes: true, replaces: [] });
    expect(calls(emulator)).toEqual([]);
    const updated = await provider.update(ADA, refreshed, news);
    expect(multipartFields(emulator)).toEqual([{ first_name: "Ada" }]);
    expect(updated.outs).toMatchObject({ firstName: "Ada", lastName: "Lovelace" });
    expect((await provider.diff(ADA, updated.outs as Record<string, unknown>, news)).changes).toBe(
      false,
    );
  });

  it("refuses to overwrite a field someone else changed since the last read (lost-update guard)", async () => {
    const { outs } = await provider.create(await checked({ userId: ADA, firstName: "Ada" }));
    await editOutOfBand(ADA, { first_name: "Colleague" });
    const news = await checked({ userId: ADA, firstName: "Grace" });
    await expect(provider.update(ADA, outs, news)).rejects.toThrow(
      /changed by someone else[\s\S]*firstName: was "Ada" at the last read, is now "Colleague", the declaration wants "Grace"[\s\S]*onConflict: "overwrite"/,
    );
    expect(emulator.users.get(ADA)?.user.first_name).toBe("Colleague");
    const overwrite = await checked({ userId: ADA, firstName: "Grace", onConflict: "overwrite" });
    const updated = await provider.update(ADA, outs, overwrite);
    expect(updated.outs).toMatchObject({ firstName: "Grace" });
  });

  it("does not report a conflict when someone else changed only fields this update does not write", async () => {
    const { outs } = await provider.create(await checked({ userId: ADA, firstName: "Ada" }));
    await editOutOfBand(ADA, { last_name: "Byron" });
    const updated = await provider.update(
      ADA,
      outs,
      await checked({ userId: ADA, firstName: "Grace" }),
    );
    expect(updated.outs).toMatchObject({ firstName: "Grace", lastName: "Byron" });
  });

  it("surfaces an API error with its status and server message", async () => {
    const { outs } = await provider.create(await checked({ userId: ADA, firstName: "Ada" }));
    emulator.faults.enqueue({ kind: "status", status: 500, match: { method: "PATCH" }, count: 5 });
    await expect(
      provider.update(ADA, outs, await checked({ userId: ADA, firstName: "Grace" })),
    ).rejects.toThrow(
      /updating Wacht user 300000000000000001 \(firstName\) failed: 500 PATCH \/users\/300000000000000001: Something went wrong/,
    );
  });
});

describe("delete applies onDelete: retain, disable or delete", () => {
  it("retain makes no request; disable PATCHes disabled=true; delete DELETEs, and 404 means done", async () => {
    const retained = await provider.create(await checked({ userId: ADA, onDelete: "retain" }));
    emulator.clearRequests();
    await provider.delete(ADA, retained.outs);
    expect(calls(emulator)).toEqual([]);

    const disabled = await provider.create(await checked({ userId: ADA, onDelete: "disable" }));
    emulator.clearRequests();
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    const destroyer = await configuredProvider(emulator.url, KEY);
    await destroyer.delete(ADA, disabled.outs);
    expect(multipartFields(emulator)).toEqual([{ disabled: "true" }]);
    expect(emulator.users.get(ADA)?.user.disabled).toBe(true);

    const deleted = await provider.create(await checked({ userId: BOB, onDelete: "delete" }));
    await destroyer.delete(BOB, deleted.outs);
    expect(emulator.users.get(BOB)).toBeUndefined();
    await expect(destroyer.delete(BOB, deleted.outs)).resolves.toBeUndefined();
    expect(warn.mock.calls.flat().join("\n")).toMatch(
      /deleting Wacht user 300000000000000002 for good/,
    );
    warn.mockRestore();
  });
});

describe("a missing API key is named by every method; the environment is the fallback", () => {
  it("every method names wacht:apiKey and WACHT_API_KEY", async () => {
    const saved = process.env["WACHT_API_KEY"];
    delete process.env["WACHT_API_KEY"];
    try {
      const bare = asEngineSees();
      const pattern = /wacht:apiKey.*WACHT_API_KEY/;
      await expect(bare.check({}, { userId: ADA })).rejects.toThrow(pattern);
      await expect(bare.diff(ADA, {}, { userId: ADA })).rejects.toThrow(pattern);
      await expect(bare.create({ userId: ADA })).rejects.toThrow(pattern);
      await expect(bare.read(ADA, { userId: ADA })).rejects.toThrow(pattern);
      await expect(
        bare.update(ADA, { userId: ADA }, { userId: ADA, firstName: "x" }),
      ).rejects.toThrow(pattern);
      await expect(bare.delete(ADA, { userId: ADA })).rejects.toThrow(pattern);
    } finally {
      if (saved !== undefined) process.env["WACHT_API_KEY"] = saved;
    }
  });

  it("falls back to WACHT_API_KEY and WACHT_BASE_URL at call time", async () => {
    const bare = asEngineSees();
    process.env["WACHT_API_KEY"] = KEY;
    process.env["WACHT_BASE_URL"] = emulator.url;
    try {
      const { outs } = await bare.create(checkUser({ userId: ADA }, limits).inputs);
      expect(outs).toMatchObject({ userId: ADA });
    } finally {
      delete process.env["WACHT_API_KEY"];
      delete process.env["WACHT_BASE_URL"];
    }
  });
});

describe("creating users: without duplicates, recovering from ambiguous failures", () => {
  it("creates with POST, PATCHes what POST does not take, and never stores the password", async () => {
    const run = await configuredProvider(emulator.url, KEY); // a new `pulumi up` process
    const news = await checked(
      {
        emailAddress: "svc-ci@example.com",
        username: "svc-ci",
        firstName: "CI",
        lastName: "Bot",
        password: "Sup3r-secret!",
        passwordVersion: 1,
        disabled: false,
        secondFactorPolicy: "none",
        publicMetadata: { kind: "service" },
      },
      run,
    );
    expect(JSON.stringify(news)).not.toContain("Sup3r-secret!");
    emulator.clearRequests();
    const { id, outs } = await run.create(news);
    expect(calls(emulator)).toEqual([
      // The process's one listing of the users created in the last hour: a user with this key
      // left by an earlier run that got no answer is taken over (shared by all its creates).
      "GET /users",
      "POST /users",
      `PATCH /users/${id}`, // its answer is the read: no GET of the details
    ]);
    expect(multipartFields(emulator)).toEqual([
      { second_factor_policy: "none", public_metadata: '{"kind":"service"}' },
    ]);
    expect(outs).toMatchObject({
      origin: "create",
      onDelete: "delete",
      passwordVersion: "1",
      hasPassword: true,
      primaryEmailAddress: "svc-ci@example.com",
    });
    expect(JSON.stringify(outs)).not.toContain("Sup3r-secret!");
    expect(JSON.stringify(emulator.requests())).not.toContain("Sup3r-secret!");
  });

  it("sets the password again only when passwordVersion changes", async () => {
    const first = await checked({
      emailAddress: "pw@example.com",
      password: "Sup3r-secret!",
      passwordVersion: "a",
    });
    const { id, outs } = await provider.create(first);
    emulator.clearRequests();
    const same = await checked({
      emailAddress: "pw@example.com",
      password: "Other-s3cret!",
      passwordVersion: "a",
    });
    expect((await provider.diff(id, outs, same)).changes).toBe(false);
    const bumped = await checked({
      emailAddress: "pw@example.com",
      password: "Other-s3cret!",
      passwordVersion: "b",
    });
    expect((await provider.diff(id, outs, bumped)).changes).toBe(true);
    const updated = await provider.update(id, outs, bumped);
    expect(calls(emulator)).toEqual([`PATCH /users/${id}/password`]);
    expect(updated.outs).toMatchObject({ passwordVersion: "b" });
  });

  it("a password whose PATCH fails after the fields were written is recorded as still to set", async () => {
    const refusePassword = () =>
      emulator.faults.enqueue({
        kind: "status",
        status: 500,
        count: 5,
        match: { method: "PATCH", path: `/users/${BOB}/password` },
      });
    const failure = (err: unknown) =>
      err as { message: string; id?: string; properties?: Record<string, unknown> };
    refusePassword();
    const given = await checked({ userId: BOB, firstName: "Bobby", password: "Sup3r-secret!" });
    const created = failure(await provider.create(given).catch((e: unknown) => e));
    expect(created.message).toMatch(/^setting the password of Wacht user \d+ failed: /);
    expect(created.id).toBe(BOB);
    expect(created.properties).toMatchObject({
      firstName: "Bobby",
      passwordVersion: "(password not set yet)",
    });

    emulator.faults.clear();
    const made = await provider.create(
      await checked({ userId: BOB, password: "Sup3r-secret!", passwordVersion: "a" }),
    );
    refusePassword();
    const bumped = await checked({
      userId: BOB,
      firstName: "Robert",
      password: "Other-s3cret!",
      passwordVersion: "b",
    });
    const updated = failure(await provider.update(BOB, made.outs, bumped).catch((e: unknown) => e));
    expect(updated.message).toMatch(/^setting the password of Wacht user \d+ failed: /);
    expect(updated.properties).toMatchObject({ firstName: "Robert", passwordVersion: "a" });
  });

  it("a POST that created the user but lost its answer is not repeated: the user is found instead", async () => {
    emulator.faults.enqueue({
      kind: "drop",
      phase: "after",
      match: { method: "POST", path: "/users" },
    });
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    const { id } = await provider.create(
      await checked({
        emailAddress: "dup@example.com",
        username: "dup-user",
        skipPasswordCheck: true,
      }),
    );
    const posts = emulator.requests().filter((r) => r.method === "POST");
    expect(posts).toHaveLength(1);
    expect(emulator.users.list().filter((u) => u.user.username === "dup-user")).toHaveLength(1);
    expect(emulator.users.list().find((u) => u.user.username === "dup-user")?.user.id).toBe(id);
    expect(warn.mock.calls.flat().join("\n")).toMatch(
      /failed ambiguously.*found the user it created/,
    );
    warn.mockRestore();
  });

  it("a POST that timed out is looked up (not blindly retried) even when search lags", async () => {
    const lagging = await startEmulator({ port: 0, apiKey: KEY, searchIndexLagMs: 60_000 });
    try {
      const p = await configuredProvider(lagging.url, KEY, {
        "wacht:timeoutMs": "300",
        "wacht:maxRetries": "0",
      });
      lagging.faults.enqueue({ kind: "delay", ms: 450, match: { method: "POST", path: "/users" } });
      const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
      const inputs = checkUser(
        { emailAddress: "slow@example.com", skipPasswordCheck: true },
        limits,
      ).inputs;
      const { id } = await p.create(inputs);
      warn.mockRestore();
      expect(lagging.requests().filter((r) => r.method === "POST")).toHaveLength(1);
      expect(lagging.users.list().map((u) => u.user.id)).toEqual([id]);
    } finally {
      await lagging.close();
    }
  });

  it("a POST refused before the handler ran (500 before) is sent again: still one user", async () => {
    emulator.faults.enqueue({
      kind: "status",
      status: 500,
      phase: "before",
      match: { method: "POST", path: "/users" },
    });
    const warnings = captureWarnings();
    const { id } = await provider.create(
      await checked({
        username: "retry-me",
        emailAddress: "retry-me@example.com",
        skipPasswordCheck: true,
      }),
    );
    expect(warnings.done()).toEqual([
      expect.stringMatching(/no user with that key existed afterwards.*sent again and created/),
    ]);
    expect(emulator.requests().filter((r) => r.method === "POST")).toHaveLength(2);
    expect(
      emulator.users
        .list()
        .filter((u) => u.user.username === "retry-me")
        .map((u) => u.user.id),
    ).toEqual([id]);
  });
});

describe("adopting by natural key", () => {
  it("adopts exactly one user by email or username", async () => {
    const byEmail = await provider.create(
      await checked({ adopt: { email: "ADA@example.com" }, firstName: "Ada" }),
    );
    expect(byEmail.id).toBe(ADA);
    expect(byEmail.outs).toMatchObject({
      origin: "adopt",
      adopt: { email: "ADA@example.com" },
      onDelete: "retain",
    });
    const byUsername = await provider.create(await checked({ adopt: { username: "bob" } }));
    expect(byUsername.id).toBe(BOB);
  });

  it("fails clearly when no user or several users match", async () => {
    await expect(
      provider.create(await checked({ adopt: { email: "nobody@example.com" } })),
    ).rejects.toThrow(/no Wacht user has email "nobody@example.com"/);
    emulator.users.seed([
      { username: "twin", email: "twin@example.com" },
      { username: "twin2", email: "twin@example.com" },
    ]);
    await expect(
      provider.create(await checked({ adopt: { email: "twin@example.com" } })),
    ).rejects.toThrow(
      /2 Wacht users have email "twin@example.com" \(\d+, \d+\): adopt needs exactly one/,
    );
  });
});

describe("key-level metadata ownership", () => {
  it("keeps keys written by others, deletes keys removed from the declaration, and shows external keys", async () => {
    const v1 = await checked({
      userId: ADA,
      metadataOwnership: "keys",
      publicMetadata: { role: "admin", tier: "gold" },
    });
    const { outs } = await provider.create(v1);
    expect(emulator.users.get(ADA)?.user.public_metadata).toEqual({
      team: "infra",
      role: "admin",
      tier: "gold",
    });
    expect(outs).toMatchObject({
      externalPublicMetadataKeys: ["team"],
      managedPublicMetadataKeys: ["role", "tier"],
    });

    await editOutOfBand(ADA, {
      public_metadata: JSON.stringify({
        team: "infra",
        role: "admin",
        tier: "gold",
        app: "written-by-app",
      }),
    });
    const refreshed = (await provider.read(ADA, outs)).props as Record<string, unknown>;
    const v2 = await checked({
      userId: ADA,
      metadataOwnership: "keys",
      publicMetadata: { role: "owner" },
    });
    expect((await provider.diff(ADA, refreshed, v2)).changes).toBe(true);
    const updated = await provider.update(ADA, refreshed, v2);
    expect(emulator.users.get(ADA)?.user.public_metadata).toEqual({
      team: "infra",
      role: "owner",
      app: "written-by-app",
    });
    expect(updated.outs).toMatchObject({
      externalPublicMetadataKeys: ["app", "team"],
      managedPublicMetadataKeys: ["role"],
    });
    expect((await provider.diff(ADA, updated.outs as Record<string, unknown>, v2)).changes).toBe(
      false,
    );
  });
});

describe("key-level metadata ownership: keys named like Object's own properties", () => {
  it("a refresh copies only the live user's own keys, never an inherited value", async () => {
    const v1 = await checked({
      userId: ADA,
      metadataOwnership: "keys",
      publicMetadata: { constructor: "c", toString: "t", own: "o" },
    });
    const { outs } = await provider.create(v1);
    // Someone removes "constructor" and "toString" from the user.
    await editOutOfBand(ADA, { public_metadata: JSON.stringify({ team: "infra", own: "o" }) });
    const read = await provider.read(ADA, outs);
    const inputs = read.inputs?.["publicMetadata"] as Record<string, unknown>;
    expect(Object.getPrototypeOf(inputs)).toBe(Object.prototype);
    expect(Object.entries(inputs)).toEqual([["own", "o"]]);
  });
});

describe("guard rails: lockout refusal and side-effect warnings", () => {
  it("warns that disabling revokes sessions, and refuses a 2FA lockout with allowLockout: false", async () => {
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    await provider.create(await checked({ userId: ADA, disabled: true }));
    expect(warn.mock.calls.flat().join("\n")).toMatch(/revokes all of the user's sessions/);
    await expect(
      provider.create(
        await checked({ userId: BOB, secondFactorPolicy: "enforced", allowLockout: false }),
      ),
    ).rejects.toThrow(/no backup codes and no verified phone.*allowLockout is false/);
    expect(emulator.users.get(BOB)?.user.second_factor_policy).toBe("optional");
    await provider.create(await checked({ userId: BOB, secondFactorPolicy: "enforced" }));
    expect(warn.mock.calls.flat().join("\n")).toMatch(/may lock the user out/);
    warn.mockRestore();
  });
});

describe("a profile image is uploaded once, with its real type", () => {
  it("uploads the declared image once with its real type and does not re-upload the same bytes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wacht-img-"));
    const file = join(dir, "avatar.png");
    writeFileSync(file, Buffer.from("89504e470d0a1a0a0000000d4948445200000001", "hex"));
    const news = await checked({ userId: ADA, profileImage: file });
    emulator.clearRequests();
    const { outs } = await provider.create(news);
    expect(multipartFields(emulator)).toEqual([{ profile_image: "<file image/png>" }]);
    expect(outs).toMatchObject({
      profilePictureUrl: expect.stringMatching(/\/users\/300000000000000001\/profile\.png$/),
      profileImageSha256: news["profileImageSha256"],
    });
    expect((await provider.diff(ADA, outs, news)).changes).toBe(false);
  });
});

describe("delta refresh: one listing instead of a read per user", () => {
  it("refreshing many users lists them once and GETs only the users that changed; drift is still caught", async () => {
    const many = seedUsers(emulator, 30, (i) => ({
      id: nthId(320000000000000000n, i),
      first_name: `User${i}`,
      email: `user${i}@example.com`,
    })).map((d) => d.user);
    const states = await Promise.all(
      many.map(
        async (u) =>
          (await provider.create(await checked({ userId: u.id, firstName: u.first_name }))).outs,
      ),
    );
    const drifted = [many[3]!.id, many[17]!.id, many[29]!.id];
    for (const id of drifted) await editOutOfBand(id, { first_name: "Changed" });
    emulator.clearRequests();
    const refresher = await configuredProvider(emulator.url, KEY); // a new `pulumi refresh` process
    const results = await Promise.all(states.map((s) => refresher.read(String(s["userId"]), s)));
    const log = calls(emulator);
    expect(log.filter((c) => c.startsWith("GET /users?") || c === "GET /users")).toHaveLength(1);
    expect(log.filter((c) => c.endsWith("/details")).sort()).toEqual(
      drifted.map((id) => `GET /users/${id}/details`).sort(),
    );
    for (const [i, r] of results.entries()) {
      expect(r.props).toMatchObject({
        firstName: drifted.includes(many[i]!.id) ? "Changed" : many[i]!.first_name,
      });
    }
    expect(refresher.refreshStats().listCalls).toBe(1);
  });

  it("the first read lists (no waiting for others): one request for a small deployment, reads one at a time", async () => {
    const { outs } = await provider.create(await checked({ userId: ADA }));
    const bob = (await provider.create(await checked({ userId: BOB }))).outs;
    emulator.clearRequests();
    const refresher = await configuredProvider(emulator.url, KEY);
    await refresher.read(ADA, outs); // --parallel 1: each read alone
    await refresher.read(BOB, bob);
    expect(calls(emulator)).toEqual(["GET /users"]);
    expect(refresher.refreshStats().listCalls).toBe(1);
  });

  it("a state an older version wrote (without the keys this version records) refreshes with no undefined anywhere", async () => {
    const { outs } = await provider.create(
      await checked({ userId: ADA, firstName: "Ada", onConflict: "fail" }),
    );
    // What 0.1.0 wrote: none of the declared-only keys, no passwordHandle marker.
    const old: Record<string, unknown> = { ...outs };
    for (const k of [
      "emailAddress",
      "phoneNumber",
      "skipPasswordCheck",
      "allowLockout",
      "disableAfter",
      "publicMetadataSchema",
    ]) {
      delete old[k];
    }
    const undefinedPaths = (v: unknown, path: string): string[] =>
      v === undefined
        ? [path]
        : v !== null && typeof v === "object"
          ? Object.entries(v).flatMap(([k, x]) => undefinedPaths(x, `${path}.${k}`))
          : [];
    for (const extra of [{}, { "wacht:deltaRefresh": "false" }] as Record<string, string>[]) {
      emulator.clearRequests();
      const refresher = await configuredProvider(emulator.url, KEY, extra); // the upgraded CLI's run
      const read = await refresher.read(ADA, old);
      // The engine's Struct encoding rejects undefined: the whole refresh would fail.
      expect(undefinedPaths(read, "read")).toEqual([]);
      expect(read.props).toMatchObject({ userId: ADA, firstName: "Ada", allowLockout: null });
      expect(read.inputs).toMatchObject({ userId: ADA, firstName: "Ada", onConflict: "fail" });
    }
  });

  it("a deployment larger than wacht:deltaRefreshThreshold pages is read user by user", async () => {
    const { outs } = await provider.create(await checked({ userId: ADA }));
    emulator.clearRequests();
    // Two users, pages of 500: one page is needed; a threshold of 0 pages lists nothing.
    const refresher = await configuredProvider(emulator.url, KEY, {
      "wacht:deltaRefreshThreshold": "0",
    });
    await refresher.read(ADA, outs);
    expect(calls(emulator)).toEqual([`GET /users/${ADA}/details`]);
  });
});

describe("partial failure: the state records what a non-atomic PATCH did", () => {
  it("an image upload failing after the field update leaves state matching the server; the next update retries only the image", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wacht-img-"));
    const file = join(dir, "avatar.gif");
    writeFileSync(file, Buffer.from("GIF89a\x01\x00\x01\x00\x00\x00\x00", "latin1"));
    const { outs } = await provider.create(await checked({ userId: ADA, firstName: "Ada" }));
    const news = await checked({
      userId: ADA,
      firstName: "Grace",
      profileImage: file,
      __provider: "provider-text",
    });
    emulator.faults.enqueue({ kind: "imageUploadFailure", match: { method: "PATCH" }, count: 10 });
    let failure: unknown;
    try {
      await provider.update(ADA, outs, { ...news, __provider: "provider-text" });
    } catch (err) {
      failure = err;
    }
    expect(failure).toMatchObject({
      id: ADA,
      message: expect.stringMatching(
        /500 PATCH \/users\/300000000000000001: Something went wrong[\s\S]*retries what is missing/,
      ),
      properties: { firstName: "Grace", profileImageSha256: null, __provider: "provider-text" },
    });
    expect(emulator.users.get(ADA)?.user.first_name).toBe("Grace");
    const partialState = (failure as { properties: Record<string, unknown> }).properties;
    emulator.faults.clear();
    emulator.clearRequests();
    const retried = await provider.update(ADA, partialState, news);
    expect(multipartFields(emulator)).toEqual([{ profile_image: "<file image/gif>" }]);
    expect(retried.outs).toMatchObject({
      firstName: "Grace",
      profileImageSha256: news["profileImageSha256"],
    });
  });

  it("a created user whose follow-up PATCH fails is still recorded (the next up does not create it again)", async () => {
    emulator.faults.enqueue({ kind: "status", status: 503, match: { method: "PATCH" }, count: 10 });
    let failure: unknown;
    const warnings = captureWarnings();
    try {
      await provider.create({
        ...(await checked({
          emailAddress: "half@example.com",
          skipPasswordCheck: true,
          disabled: true,
        })),
        __provider: "p",
      });
    } catch (err) {
      failure = err;
    }
    expect(warnings.done()).toEqual([
      expect.stringMatching(/disabling Wacht user \d+ revokes all of the user's sessions/),
    ]);
    expect(failure).toMatchObject({
      id: expect.stringMatching(/^\d+$/),
      properties: { origin: "create", disabled: false, __provider: "p" },
    });
    expect(
      emulator.users.list().filter((u) => u.user.primary_email_address === "half@example.com"),
    ).toHaveLength(1);
  });
});

describe("lost-update guard and our own lost answers", () => {
  it("a PATCH of ours whose answer was lost is not mistaken for someone else's edit", async () => {
    const { outs } = await provider.create(await checked({ userId: ADA, firstName: "Ada" }));
    const news = await checked({ userId: ADA, firstName: "Grace", lastName: "Hopper" });
    // The PATCH is applied, then the connection drops (twice: the client's retry too).
    emulator.faults.enqueue({ kind: "drop", phase: "after", match: { method: "PATCH" }, count: 2 });
    await expect(provider.update(ADA, outs, news)).rejects.toThrow();
    emulator.faults.clear();
    // The engine kept the old state (or a partial one); the next up must converge, not conflict.
    const retried = await provider.update(ADA, outs, news);
    expect(retried.outs).toMatchObject({ firstName: "Grace", lastName: "Hopper" });
  });
});

describe("creates across runs: a retry never makes a duplicate", () => {
  /** A POST /users sent outside this provider (an earlier run's, or a person's sign-up). */
  async function postUser(fields: Record<string, string>): Promise<void> {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    await fetch(`${emulator.url}/users`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}` },
      body: form,
    });
  }

  it("a user left behind by a failed earlier run is taken over, not created again", async () => {
    const run = await configuredProvider(emulator.url, KEY); // this run's provider process
    const news = await checked(
      { emailAddress: "left@example.com", skipPasswordCheck: true, firstName: "Left" },
      run,
    );
    // An earlier run's POST created the user, then the run died before recording it.
    await postUser({
      email_address: "left@example.com",
      first_name: "Left", // exactly what this declaration's POST sends
      skip_password_check: "true",
    });
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    const { id } = await run.create(news);
    warn.mockRestore();
    const matching = emulator.users
      .list()
      .filter((u) => u.user.primary_email_address === "left@example.com");
    expect(matching.map((u) => u.user.id)).toEqual([id]);
    expect(matching[0]?.user.first_name).toBe("Left");
  });

  it("a taken-over user is recorded when its password can no longer be looked up", async () => {
    const run = await configuredProvider(emulator.url, KEY);
    const news = await checked(
      { emailAddress: "left-pw@example.com", firstName: "Left", password: "Sup3r-secret!" },
      run,
    );
    // An earlier run's POST created the user, then the run died before recording it.
    await postUser({
      email_address: "left-pw@example.com",
      first_name: "Left",
      password: "Sup3r-secret!",
    });
    // The same user declared again with another password (its check lands during this create):
    // the create's first lookup finds the password, every later one finds it ambiguous.
    const realFind = PasswordVault.prototype.find;
    let lookups = 0;
    jest.spyOn(PasswordVault.prototype, "find").mockImplementation(function (
      this: PasswordVault,
      declaration,
    ) {
      return ++lookups === 1 ? realFind.call(this, declaration) : { ambiguous: true };
    });
    const warnings = captureWarnings();
    const err = (await run.create(news).catch((e: unknown) => e)) as {
      message: string;
      id?: string;
      properties?: Record<string, unknown>;
    };
    warnings.done();
    jest.restoreAllMocks();
    const [taken] = emulator.users
      .list()
      .filter((u) => u.user.primary_email_address === "left-pw@example.com");
    expect(err.message).toMatch(/two resources declare this same user with different passwords/);
    expect(err.id).toBe(taken?.user.id); // recorded: the next `up` does not take it over again
    expect(err.properties).toMatchObject({ passwordVersion: "(password not set yet)" });
    expect(lookups).toBe(2); // the POST's lookup, then the one for the password to set
    expect(warnings.messages).toEqual([
      expect.stringContaining("probably by an earlier run that failed before recording it"),
    ]);
  });

  it("never takes over someone else's account with the same email: fails and points at adopt", async () => {
    // A person signed up with this email minutes ago (different fields than the declaration).
    await postUser({
      email_address: "alice@example.com",
      first_name: "Alice",
      skip_password_check: "true",
    });
    const run = await configuredProvider(emulator.url, KEY); // this run's provider process
    const news = await checked(
      { emailAddress: "alice@example.com", firstName: "Svc", skipPasswordCheck: true },
      run,
    );
    await expect(run.create(news)).rejects.toThrow(
      /already exists .* not created by this resource.*adopt: \{ email \}/,
    );
    const alice = emulator.users
      .list()
      .filter((u) => u.user.primary_email_address === "alice@example.com");
    expect(alice.map((u) => u.user.first_name)).toEqual(["Alice"]);
  });

  it("a created user that cannot be read after a failure is still recorded by id", async () => {
    const news = {
      ...(await checked({ emailAddress: "unreadable@example.com", skipPasswordCheck: true })),
      __provider: "p",
    };
    emulator.faults.enqueue({
      kind: "status",
      status: 503,
      match: { method: "GET", pathRegex: "/details$" },
      count: 20,
    });
    let failure: unknown;
    try {
      await provider.create(news);
    } catch (err) {
      failure = err;
    }
    emulator.faults.clear();
    expect(failure).toMatchObject({
      id: expect.stringMatching(/^\d+$/),
      properties: { origin: "create", __provider: "p" },
    });
    const state = (failure as { properties: Record<string, unknown> }).properties;
    // Nothing unread is recorded, so nothing in the state is wrong.
    expect(Object.keys(state)).not.toEqual(expect.arrayContaining(["firstName"]));
    expect(state["updatedAt"]).toBeUndefined();
    // The next up completes it with an update (not a second create).
    expect((await provider.diff(String(state["userId"]), state, news)).replaces).toEqual([]);
    const done = await provider.update(String(state["userId"]), state, news);
    expect(done.outs).toMatchObject({ primaryEmailAddress: "unreadable@example.com" });
    expect(
      emulator.users
        .list()
        .filter((u) => u.user.primary_email_address === "unreadable@example.com"),
    ).toHaveLength(1);
  });
});

describe("no-answer creates, keys ownership after failures, private schema", () => {
  it("an immediate re-run after a POST that got no answer takes the user over even while search lags", async () => {
    const lagging = await startEmulator({ port: 0, apiKey: KEY, searchIndexLagMs: 60_000 });
    try {
      const p = await configuredProvider(lagging.url, KEY, {
        "wacht:timeoutMs": "200",
        "wacht:maxRetries": "0",
      });
      const decl = { emailAddress: "rerun@example.com", firstName: "Re", skipPasswordCheck: true };
      lagging.faults.enqueue({ kind: "delay", ms: 700, match: { method: "POST", path: "/users" } });
      await expect(p.create(checkUser(decl, limits).inputs)).rejects.toThrow(
        /got no answer.*not sending the POST again/,
      );
      await new Promise((r) => setTimeout(r, 600)); // the first POST lands
      const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
      const { id } = await p.create(checkUser(decl, limits).inputs); // the re-run
      warn.mockRestore();
      expect(lagging.users.list().map((u) => u.user.id)).toEqual([id]);
      expect(lagging.requests().filter((r) => r.method === "POST")).toHaveLength(1);
    } finally {
      await lagging.close();
    }
  });

  it("a 502 from a gateway on POST is not followed by a second POST in the same run", async () => {
    emulator.faults.enqueue({
      kind: "status",
      status: 502,
      phase: "after",
      match: { method: "POST", path: "/users" },
    });
    const p = await configuredProvider(emulator.url, KEY, {
      "wacht:timeoutMs": "200",
      "wacht:maxRetries": "0",
    });
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    const { id } = await p.create(
      await checked({ emailAddress: "gw@example.com", skipPasswordCheck: true }),
    );
    warn.mockRestore();
    expect(emulator.requests().filter((r) => r.method === "POST")).toHaveLength(1);
    expect(
      emulator.users
        .list()
        .filter((u) => u.user.primary_email_address === "gw@example.com")
        .map((u) => u.user.id),
    ).toEqual([id]);
  });

  it("a key removed from the declaration is still deleted after a failed PATCH", async () => {
    const v1 = await checked({
      userId: ADA,
      metadataOwnership: "keys",
      publicMetadata: { a: 1, b: 2 },
    });
    const { outs } = await provider.create(v1);
    const v2 = await checked({ userId: ADA, metadataOwnership: "keys", publicMetadata: { a: 1 } });
    emulator.faults.enqueue({ kind: "status", status: 503, match: { method: "PATCH" }, count: 10 });
    let failure: unknown;
    try {
      await provider.update(ADA, outs, { ...v2, __provider: "p" });
    } catch (err) {
      failure = err;
    }
    emulator.faults.clear();
    const kept = (failure as { properties: Record<string, unknown> }).properties;
    expect(kept["managedPublicMetadataKeys"]).toEqual(["a", "b"]);
    expect((await provider.diff(ADA, kept, v2)).changes).toBe(true);
    await provider.update(ADA, kept, v2);
    expect(emulator.users.get(ADA)?.user.public_metadata).toEqual({ team: "infra", a: 1 });
  });

  it("external keys are right after an update that PATCHes nothing", async () => {
    await editOutOfBand(ADA, { public_metadata: JSON.stringify({ a: 1, ext: 1 }) });
    const { outs } = await provider.create(
      await checked({ userId: ADA, publicMetadata: { a: 1, ext: 1 } }),
    );
    const keys = await checked({
      userId: ADA,
      metadataOwnership: "keys",
      publicMetadata: { a: 1 },
    });
    emulator.clearRequests();
    const updated = await provider.update(ADA, outs, keys);
    expect(updated.outs).toMatchObject({
      managedPublicMetadataKeys: ["a"],
      externalPublicMetadataKeys: ["ext"],
    });
  });

  it("a private metadata schema failure names no private key or allowed value", async () => {
    const schema = {
      type: "object",
      properties: { apiToken_for_acme: { enum: ["platinum-hidden", "basic"] } },
    };
    const { failures } = checkUser(
      { userId: ADA, privateMetadata: { apiToken_for_acme: "x" }, privateMetadataSchema: schema },
      limits,
    );
    expect(failures).toEqual([
      { property: "privateMetadata", reason: expect.stringMatching(/withheld/) },
    ]);
    expect(JSON.stringify(failures)).not.toMatch(/acme|platinum/);
  });
});
