// Table-driven tests of `check` (issue #4): failures name the property and explain; what the
// server would silently ignore or reject fails at preview; preview unknowns pass.
import { checkUser } from "../../../src/provider/check-user";
import { UNKNOWN } from "../../../src/schema/user-fields";

const limits = { usernameMinLength: 3, usernameMaxLength: 30 };
const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");
const files: Record<string, Buffer> = {
  "ok.png": PNG,
  "x.svg": Buffer.from("<svg/>"),
  "empty.png": Buffer.alloc(0),
};
const read = (p: string): Buffer => {
  const f = files[p];
  if (f === undefined) throw Object.assign(new Error("nope"), { code: "ENOENT" });
  return f;
};
const valid = { userId: "100000000000000001" };
const run = (news: Record<string, unknown>) => checkUser(news, limits, { read });

describe("checkUser", () => {
  it("accepts a full valid declaration and fills the onDelete default", () => {
    const result = run({
      ...valid,
      firstName: "Ada",
      lastName: "Lovelace",
      username: "ada_l",
      disabled: false,
      secondFactorPolicy: "enforced",
      publicMetadata: { a: [1, 2, { b: null }] },
      privateMetadata: "text is valid JSON too",
      __provider: "exports.handler = ...",
    });
    expect(result.failures).toEqual([]);
    expect(result.inputs["onDelete"]).toBe("retain");
    expect("__provider" in result.inputs).toBe(false);
  });

  it.each([
    ["userId", { userId: undefined }, /declare userId/],
    ["userId", { userId: "../1" }, /decimal int64/],
    ["userId", { userId: "9223372036854775808" }, /decimal int64/],
    ["userId", { userId: 12 }, /userId/],
    ["firstName", { firstName: "" }, /cannot be empty.*cleared/],
    ["firstName", { firstName: "   " }, /whitespace/],
    ["lastName", { lastName: "" }, /lastName cannot be empty/],
    ["username", { username: "" }, /username cannot be empty/],
    ["username", { username: "ab" }, /at least 3/],
    ["username", { username: "x".repeat(31) }, /at most 30/],
    ["username", { username: "é" }, /at least 3 characters \(got 2 bytes\)/],
    ["disabled", { disabled: "true" }, /true or false/],
    ["secondFactorPolicy", { secondFactorPolicy: "required" }, /one of: none, optional, enforced/],
    ["onDelete", { onDelete: "destroy" }, /one of: retain, disable, delete/],
    ["profileImage", { profileImage: "missing.png" }, /cannot read.*ENOENT/],
    ["profileImage", { profileImage: "x.svg" }, /not a PNG, JPEG, GIF, WEBP or ICO/],
    ["profileImage", { profileImage: "empty.png" }, /empty/],
    [
      "removeProfileImage",
      { profileImage: "ok.png", removeProfileImage: true },
      /cannot both be set/,
    ],
    ["nickname", { nickname: "al" }, /unknown property "nickname"/],
  ])("rejects %s: %j", (property, declared, reason) => {
    const { failures } = run({ ...valid, ...declared });
    expect(failures).toEqual(
      expect.arrayContaining([{ property, reason: expect.stringMatching(reason) }]),
    );
  });

  it("accepts the username limits of the deployment", () => {
    expect(
      checkUser(
        { ...valid, username: "ab" },
        { usernameMinLength: 2, usernameMaxLength: 4 },
        { read },
      ).failures,
    ).toEqual([]);
  });

  it("adds the image's sha256 and ignores a declared one", () => {
    const { inputs, failures } = run({
      ...valid,
      profileImage: "ok.png",
      profileImageSha256: "forged",
    });
    expect(failures).toEqual([]);
    expect(inputs["profileImageSha256"]).toMatch(/^[0-9a-f]{64}$/);
    expect(inputs["profileImageSha256"]).not.toBe("forged");
  });

  it("turns a serialized FileAsset into its path", () => {
    const asset = {
      "4dabf18193072939515e22adb298388d": "c44067f5952c0a294b673a41bacd8c17",
      path: "ok.png",
    };
    const { inputs, failures } = run({ ...valid, profileImage: asset });
    expect(failures).toEqual([]);
    expect(inputs["profileImage"]).toBe("ok.png");
  });

  it("tolerates preview unknowns anywhere at the top level", () => {
    const news = {
      userId: UNKNOWN,
      firstName: UNKNOWN,
      username: UNKNOWN,
      publicMetadata: UNKNOWN,
      profileImage: UNKNOWN,
      secondFactorPolicy: UNKNOWN,
    };
    const { inputs, failures } = run(news);
    expect(failures).toEqual([]);
    expect(inputs["firstName"]).toBe(UNKNOWN);
  });
});

describe("checkUser: adopt, ownership, guard-rail and password declarations", () => {
  const stash: string[] = [];
  const withVault = (news: Record<string, unknown>) =>
    checkUser(news, limits, {
      read,
      stashPassword: (p) => (stash.push(p), `handle-${stash.length}`),
    });

  it("creates need a unique key, and default to onDelete delete", () => {
    expect(withVault({ firstName: "A" }).failures).toEqual([
      {
        property: "userId",
        reason: expect.stringMatching(/at least emailAddress, username or phoneNumber/),
      },
    ]);
    const { inputs, failures } = withVault({ emailAddress: "a@example.com" });
    expect(failures).toEqual([]);
    expect(inputs["onDelete"]).toBe("delete");
  });

  it("adopt takes exactly one key and excludes userId", () => {
    expect(
      withVault({ adopt: { email: "a@example.com", username: "abc" } }).failures[0]?.property,
    ).toBe("adopt");
    expect(withVault({ adopt: {} }).failures[0]?.property).toBe("adopt");
    expect(withVault({ adopt: { email: "a@example.com" }, userId: "1" }).failures).toEqual([
      { property: "adopt", reason: expect.stringMatching(/cannot both be set/) },
    ]);
    expect(withVault({ adopt: { username: "abc" } }).inputs["onDelete"]).toBe("retain");
  });

  it("create-only fields are refused on managed users; create rules apply on create", () => {
    expect(withVault({ userId: "1", emailAddress: "a@example.com" }).failures[0]?.property).toBe(
      "emailAddress",
    );
    expect(withVault({ emailAddress: "not-an-email" }).failures[0]).toMatchObject({
      property: "emailAddress",
    });
    expect(withVault({ phoneNumber: "abc" }).failures[0]).toMatchObject({
      property: "phoneNumber",
    });
    expect(withVault({ username: "bad name!" }).failures[0]).toMatchObject({
      property: "username",
      reason: expect.stringMatching(/letters, numbers, underscores, and hyphens/),
    });
  });

  it("the password never survives check: only a handle to it does", () => {
    const { inputs, failures } = withVault({
      emailAddress: "a@example.com",
      password: "Sup3r-secret!",
      passwordVersion: 3,
    });
    expect(failures).toEqual([]);
    expect(JSON.stringify(inputs)).not.toContain("Sup3r-secret!");
    expect(inputs["passwordHandle"]).toMatch(/^handle-/);
    expect(inputs["passwordVersion"]).toBe("3");
    expect(stash).toContain("Sup3r-secret!");
  });

  it("weak passwords fail with the missing rules, unless skipPasswordCheck", () => {
    const { inputs, failures } = withVault({ emailAddress: "a@example.com", password: "short" });
    expect(failures).toEqual([
      {
        property: "password",
        reason: expect.stringMatching(/at least 8 characters.*uppercase.*digit.*special/),
      },
    ]);
    expect(JSON.stringify(failures)).not.toContain('"short"');
    expect(inputs["passwordHandle"]).toBeUndefined();
    expect(
      withVault({ emailAddress: "a@example.com", password: "short", skipPasswordCheck: true })
        .failures,
    ).toEqual([]);
  });

  it("keys ownership needs object metadata", () => {
    expect(
      withVault({ userId: "1", metadataOwnership: "keys", publicMetadata: [1] }).failures[0]
        ?.property,
    ).toBe("publicMetadata");
  });

  it("enforces a metadata JSON Schema, naming the path", () => {
    const schema = {
      type: "object",
      properties: { role: { type: "string", enum: ["admin", "service"] } },
      required: ["role"],
    };
    expect(
      withVault({ userId: "1", publicMetadata: { role: "admin" }, publicMetadataSchema: schema })
        .failures,
    ).toEqual([]);
    expect(
      withVault({ userId: "1", publicMetadata: { role: "root" }, publicMetadataSchema: schema })
        .failures,
    ).toEqual([
      {
        property: "publicMetadata.role",
        reason: expect.stringMatching(/does not match its schema/),
      },
    ]);
  });
});

describe("checkUser: userId normalisation and preview unknowns", () => {
  it("normalises a userId with leading zeros to the server's form (no replace on every up)", () => {
    expect(checkUser({ userId: "000123" }, limits, { read }).inputs["userId"]).toBe("123");
  });

  it("treats preview unknowns as present for the create/adopt rules", () => {
    expect(checkUser({ emailAddress: UNKNOWN }, limits, { read }).failures).toEqual([]);
    expect(checkUser({ adopt: UNKNOWN }, limits, { read }).failures).toEqual([]);
    expect(checkUser({ username: UNKNOWN, firstName: "A" }, limits, { read }).failures).toEqual([]);
  });

  it("does not validate a metadata schema against a value that is still unknown inside", () => {
    const schema = { type: "object", properties: { n: { type: "number" } } };
    expect(
      checkUser(
        { userId: "1", publicMetadata: { n: UNKNOWN }, publicMetadataSchema: schema },
        limits,
        { read },
      ).failures,
    ).toEqual([]);
  });

  it("refuses enforced 2FA with allowLockout false on a user it would create", () => {
    expect(
      checkUser(
        { emailAddress: "a@example.com", secondFactorPolicy: "enforced", allowLockout: false },
        limits,
        { read },
      ).failures,
    ).toEqual([
      { property: "allowLockout", reason: expect.stringMatching(/new user has no second factor/) },
    ]);
  });
});

describe("checkUser: disableAfter (expiring accounts)", () => {
  const at = (now: string, news: Record<string, unknown>) =>
    checkUser({ ...valid, ...news }, limits, { read, now: Date.parse(now) });

  it.each([
    ["past: declared disabled", "2027-03-31T23:59:59Z", "2027-04-01T00:00:00Z", true],
    ["the instant itself counts as past", "2027-03-31T23:59:59Z", "2027-03-31T23:59:59Z", true],
    ["with an offset", "2027-03-31T18:00:00-05:00", "2027-03-31T23:00:01Z", true],
    ["future: left as declared", "2027-03-31T23:59:59Z", "2027-03-31T23:59:58Z", undefined],
  ])("%s", (_label, disableAfter, now, disabled) => {
    const r = at(now, { disableAfter });
    expect(r.failures).toEqual([]);
    expect(r.inputs["disabled"]).toBe(disabled);
    expect(r.inputs["disableAfter"]).toBe(disableAfter);
  });

  it("overrides an explicit disabled: false once expired, and keeps disabled: true before", () => {
    expect(
      at("2030-01-01T00:00:00Z", { disableAfter: "2029-01-01T00:00:00Z", disabled: false }).inputs[
        "disabled"
      ],
    ).toBe(true);
    expect(
      at("2028-01-01T00:00:00Z", { disableAfter: "2029-01-01T00:00:00Z", disabled: true }).inputs[
        "disabled"
      ],
    ).toBe(true);
  });

  it.each(["2027-03-31", "2027-03-31T23:59:59", "next friday", 1743465599])(
    "refuses %p, naming disableAfter and the form it needs",
    (disableAfter) => {
      const r = at("2026-01-01T00:00:00Z", { disableAfter });
      expect(r.failures).toEqual([
        {
          property: "disableAfter",
          reason: expect.stringContaining("ISO 8601 instant with a time zone"),
        },
      ]);
    },
  );

  it("leaves a preview unknown alone", () => {
    const r = at("2030-01-01T00:00:00Z", { disableAfter: UNKNOWN });
    expect(r.failures).toEqual([]);
    expect(r.inputs["disabled"]).toBeUndefined();
  });

  it("judges every user of a run at the same instant, read once per process", () => {
    jest.isolateModules(() => {
      const clock =
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require("../../../src/provider/run-clock") as typeof import("../../../src/provider/run-clock");
      const spy = jest.spyOn(Date, "now").mockReturnValueOnce(1000).mockReturnValueOnce(5000);
      expect(clock.runInstant()).toBe(1000);
      expect(clock.runInstant()).toBe(1000);
      expect(spy).toHaveBeenCalledTimes(1);
      spy.mockRestore();
    });
  });
});
