// Engine path: each lifecycle feature through the REAL dynamic-provider host over
// gRPC (cwd = repo root), against the emulator on 127.0.0.1:0, including the failure paths:
// duplicate-after-timeout, conflicting edit, ambiguous adopt, lockout refusal, typed metadata.
import { z } from "zod";
import { captureOne } from "../helpers/capture";
import type { EngineHost, Props } from "../helpers/engine-host";
import { editOutOfBand as dashboardEdit, seedUsers } from "../helpers/seed";
import { rpcError, withEngine } from "../helpers/with-engine";
import type { EmulatorHandle } from "../../src/emulator";
import { User } from "../../src";
import { byProperty } from "../helpers/check-failures";

jest.setTimeout(60_000);

const API_KEY = "sk_lifecycleFeatures_0123456789abcdefghijklmnopq";
const engine = withEngine({
  name: "features",
  apiKey: API_KEY,
  config: { "wacht:timeoutMs": "300", "wacht:maxRetries": "0" },
});
let emu: EmulatorHandle;
let host: EngineHost;
let provider: string;
beforeAll(() => {
  ({ emu, host, provider } = engine);
});

const urn = (): string => engine.urn();
const check = (decl: Props, u: string): Promise<Props> => engine.check(decl, u);
const writes = (method: string) => engine.writes(method);

const editOutOfBand = (id: string, fields: Record<string, string>): Promise<void> =>
  dashboardEdit(emu.url, API_KEY, id, fields);

describe("creating users: one POST, never a second one after a lost answer", () => {
  it("creates with POST + PATCH; the password is write-only (not in inputs, outputs or host output)", async () => {
    const u = urn();
    const inputs = await check(
      {
        emailAddress: "eng-svc@example.com",
        username: "eng-svc",
        password: "Sup3r-secret!",
        passwordVersion: "1",
        secondFactorPolicy: "none",
        publicMetadata: { kind: "service" },
      },
      u,
    );
    const created = await host.create(u, inputs);
    expect(writes("POST")).toHaveLength(1);
    // The request budget (issue #13): the provider process's one listing of the recent users
    // (its first create), the POST, and one PATCH whose answer is the read: no GET, no search.
    expect(emu.requests().map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /users",
      "POST /users",
      `PATCH /users/${created.id}`,
    ]);
    expect(created.properties).toMatchObject({
      origin: "create",
      onDelete: "delete",
      hasPassword: true,
      secondFactorPolicy: "none",
    });
    const seen = JSON.stringify([inputs, created.properties]) + host.output();
    expect(seen).not.toContain("Sup3r-secret!");
  });

  it("duplicate-after-timeout: a POST answered too late is found, not sent again", async () => {
    const u = urn();
    const inputs = await check(
      { emailAddress: "eng-slow@example.com", skipPasswordCheck: true },
      u,
    );
    emu.faults.enqueue({ kind: "delay", ms: 450, match: { method: "POST", path: "/users" } });
    const created = await host.create(u, inputs);
    expect(writes("POST")).toHaveLength(1);
    const matching = emu.users
      .list()
      .filter((d) => d.user.primary_email_address === "eng-slow@example.com");
    expect(matching.map((d) => d.user.id)).toEqual([created.id]);
    await host.waitForOutput(/failed ambiguously.*instead of creating a duplicate/);
  });

  it("a POST whose answer was lost (drop after the handler) is found, not sent again", async () => {
    const u = urn();
    const inputs = await check(
      { emailAddress: "eng-drop@example.com", skipPasswordCheck: true },
      u,
    );
    emu.faults.enqueue({ kind: "drop", phase: "after", match: { method: "POST", path: "/users" } });
    const created = await host.create(u, inputs);
    expect(writes("POST")).toHaveLength(1);
    expect(
      emu.users
        .list()
        .filter((d) => d.user.primary_email_address === "eng-drop@example.com")
        .map((d) => d.user.id),
    ).toEqual([created.id]);
  });
});

describe("the create budget through the host", () => {
  it("later creates of the process reuse its listing: POST + PATCH each, concurrently", async () => {
    const us = [urn(), urn(), urn()];
    const all = await Promise.all(
      us.map((u, i) =>
        check(
          {
            emailAddress: `eng-batch${i}@example.com`,
            skipPasswordCheck: true,
            publicMetadata: { i },
          },
          u,
        ),
      ),
    );
    emu.clearRequests();
    const created = await Promise.all(us.map((u, i) => host.create(u, all[i]!)));
    const kinds = emu.requests().map((r) => `${r.method} ${r.path.replace(/\/\d+$/, "/:id")}`);
    expect(kinds.sort()).toEqual([
      "PATCH /users/:id",
      "PATCH /users/:id",
      "PATCH /users/:id",
      "POST /users",
      "POST /users",
      "POST /users",
    ]);
    for (const [i, c] of created.entries())
      expect(c.properties).toMatchObject({ publicMetadata: { i } });
  });
});

describe("adopting by natural key", () => {
  it("adopts exactly one user, and fails clearly on none or several (ambiguous adopt)", async () => {
    const ada = engine.seed({
      email: "eng-ada@example.com",
      username: "eng-ada",
      first_name: "Ada",
    });
    const u = urn();
    const adopted = await host.create(
      u,
      await check({ adopt: { username: "eng-ada" }, firstName: "Ada L." }, u),
    );
    expect(adopted.id).toBe(ada);
    expect(adopted.properties).toMatchObject({
      origin: "adopt",
      onDelete: "retain",
      firstName: "Ada L.",
    });

    const none = await rpcError(
      host.create(urn(), await check({ adopt: { email: "eng-nobody@example.com" } }, urn())),
    );
    expect(none.details).toMatch(/no Wacht user has email "eng-nobody@example.com"/);

    seedUsers(emu, 2, () => ({ email: "eng-twin@example.com" }));
    const several = await rpcError(
      host.create(urn(), await check({ adopt: { email: "eng-twin@example.com" } }, urn())),
    );
    expect(several.details).toMatch(
      /2 Wacht users have email "eng-twin@example.com" \(\d+, \d+\): adopt needs exactly one/,
    );
  });
});

describe("key-level metadata ownership keeps the keys written by others", () => {
  it("keeps keys written by others, deletes removed keys, and exports the external keys", async () => {
    const id = engine.seed({ email: "eng-keys@example.com", public_metadata: { app: "kept" } });
    const u = urn();
    const created = await host.create(
      u,
      await check(
        { userId: id, metadataOwnership: "keys", publicMetadata: { role: "admin", tier: "gold" } },
        u,
      ),
    );
    expect(created.properties).toMatchObject({
      externalPublicMetadataKeys: ["app"],
      managedPublicMetadataKeys: ["role", "tier"],
    });
    const news = await check(
      { userId: id, metadataOwnership: "keys", publicMetadata: { role: "owner" } },
      u,
    );
    expect((await host.diff(id, u, created.properties, news)).changes).toBe("some");
    const updated = await host.update(id, u, created.properties, news);
    expect(emu.users.get(id)?.user.public_metadata).toEqual({ app: "kept", role: "owner" });
    expect(updated.properties).toMatchObject({
      managedPublicMetadataKeys: ["role"],
      externalPublicMetadataKeys: ["app"],
    });
  });
});

describe("the lost-update guard refuses to overwrite a conflicting edit", () => {
  it("a conflicting edit fails the update with a field-level report; onConflict overwrite opts out", async () => {
    const id = engine.seed({ email: "eng-conflict@example.com", first_name: "Ada" });
    const u = urn();
    const created = await host.create(u, await check({ userId: id, firstName: "Ada" }, u));
    await editOutOfBand(id, { first_name: "Colleague" });
    const news = await check({ userId: id, firstName: "Grace" }, u);
    const err = await rpcError(host.update(id, u, created.properties, news));
    expect(err.details).toMatch(
      /changed by someone else[\s\S]*firstName: was "Ada" at the last read, is now "Colleague", the declaration wants "Grace"/,
    );
    expect(writes("PATCH")).toHaveLength(1); // only the out-of-band edit
    const overwrite = await check({ userId: id, firstName: "Grace", onConflict: "overwrite" }, u);
    const updated = await host.update(id, u, created.properties, overwrite);
    expect(updated.properties).toMatchObject({ firstName: "Grace" });
  });
});

describe("side-effect warnings and guard rails", () => {
  it("warns before disabling and before enforcing 2FA; refuses a lockout with allowLockout false", async () => {
    const id = engine.seed({ email: "eng-guard@example.com" });
    const u = urn();
    const refused = await rpcError(
      host.create(
        u,
        await check({ userId: id, secondFactorPolicy: "enforced", allowLockout: false }, u),
      ),
    );
    expect(refused.details).toMatch(/no backup codes and no verified phone.*allowLockout is false/);
    expect(emu.users.get(id)?.user.second_factor_policy).toBe("optional");
    await host.create(
      u,
      await check({ userId: id, secondFactorPolicy: "enforced", disabled: true }, u),
    );
    await host.waitForOutput(/may lock the user out/);
    await host.waitForOutput(/revokes all of the user's sessions/);
  });

  it("warns about the cascade when onDelete delete deletes the user", async () => {
    const id = engine.seed({ email: "eng-cascade@example.com" });
    const u = urn();
    const created = await host.create(u, await check({ userId: id, onDelete: "delete" }, u));
    // Configured only through the environment: no Configure at all.
    const destroyer = await engine.startHost({
      env: { WACHT_API_KEY: API_KEY, WACHT_BASE_URL: emu.url },
      config: false,
    });
    try {
      await destroyer.delete(id, u, created.properties);
      await destroyer.waitForOutput(
        /deleting Wacht user \d+ for good.*email address\(es\).*passkeys/,
      );
    } finally {
      await destroyer.close();
    }
    expect(emu.users.get(id)).toBeUndefined();
  });
});

describe("typed metadata: a zod schema is enforced at check", () => {
  it("a zod schema on the resource is enforced by check, naming the property path", async () => {
    const Role = z.object({ role: z.enum(["admin", "service"]) });
    const captured = await captureOne(
      () =>
        new User<z.infer<typeof Role>>("typed", {
          userId: "1",
          publicMetadata: { role: "admin" },
          publicMetadataSchema: Role,
        }),
    );
    const schema = captured.inputs["publicMetadataSchema"];
    expect(schema).toMatchObject({ type: "object" });
    const u = urn();
    const good = await host.check(
      u,
      {},
      {
        userId: "1",
        publicMetadata: { role: "admin" },
        publicMetadataSchema: schema,
        __provider: provider,
      },
    );
    expect(good.failures).toEqual([]);
    const bad = await host.check(
      u,
      {},
      {
        userId: "1",
        publicMetadata: { role: "root" },
        publicMetadataSchema: schema,
        __provider: provider,
      },
    );
    expect(byProperty(bad.failures)).toEqual([
      {
        property: "publicMetadata.role",
        reason: expect.stringMatching(/does not match its schema/),
      },
    ]);
  });
});
