// Contract tests for POST /users: docs/wacht-api.md §4 (both validation stages, defaults, the in-memory
// response) and checklist item §12.6.
import { startHarness, errorOf, form, imageForm, type Harness } from "./helpers";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.emu.close());
beforeEach(() => h.emu.reset());

const base = {
  first_name: "Ada",
  last_name: "Lovelace",
  email_address: "ada@example.com",
  password: "Str0ng!pass",
};
const without = (key: keyof typeof base): Record<string, string> =>
  Object.fromEntries(Object.entries(base).filter(([k]) => k !== key));
const create = (fields: Record<string, string> | FormData) =>
  h.call("POST", "/users", { body: fields instanceof FormData ? fields : form(fields) });

describe("§4 POST /users", () => {
  it("§4/§12.6 defaults: v1, optional 2FA, away, {} metadata, primary verified otp email", async () => {
    const res = await create(base);
    expect(res.status).toBe(200);
    const d = (await h.details(res.body.id)).body;
    expect(d).toMatchObject({
      schema_version: "v1",
      second_factor_policy: "optional",
      availability: "away",
      disabled: false,
      public_metadata: {},
      private_metadata: {},
      username: null,
      profile_picture_url: "",
      has_password: true,
      primary_email_address: "ada@example.com",
    });
    expect(d.email_addresses).toHaveLength(1);
    expect(d.email_addresses[0]).toMatchObject({
      email: "ada@example.com",
      is_primary: true,
      verified: true,
      verification_strategy: "otp",
    });
    expect(d.primary_email_address_id).toBe(d.email_addresses[0].id);
  });

  it('§4/§5 the response is UserWithIdentifiers: username null, profile_picture_url "" even with an image', async () => {
    const res = await create(imageForm("image/png", Object.entries(base)));
    expect(Object.keys(res.body).sort()).toEqual(
      [
        "id",
        "created_at",
        "updated_at",
        "first_name",
        "last_name",
        "username",
        "profile_picture_url",
        "primary_email_address",
        "primary_phone_number",
      ].sort(),
    );
    expect(res.body.username).toBeNull();
    expect(res.body.profile_picture_url).toBe("");
    expect((await h.details(res.body.id)).body.profile_picture_url).toMatch(/\/profile\.png$/);
  });

  it("§4 a JSON body is 400 `Bad request`", async () => {
    const res = await h.call("POST", "/users", { json: base });
    expect(errorOf(res)).toBe("Bad request");
  });

  it("§4 names are not trimmed; identifiers are trimmed and empty counts as absent", async () => {
    const res = await create({
      ...base,
      first_name: " Ada ",
      email_address: "  ada@example.com ",
      username: "  ada_l  ",
      phone_number: " ",
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      first_name: " Ada ",
      username: "ada_l",
      primary_email_address: "ada@example.com",
      primary_phone_number: null,
    });
  });

  it("§4 a phone becomes the primary, verified phone", async () => {
    const res = await create({ ...base, phone_number: "+14155550100" });
    expect(res.body.primary_phone_number).toBe("+14155550100");
    const d = (await h.details(res.body.id)).body;
    expect(d.phone_numbers[0]).toMatchObject({ phone_number: "+14155550100", verified: true });
    expect(d.primary_phone_number).toBe("+14155550100");
  });

  it("§4 first stage: `Email address is required` (email enabled+required by default)", async () => {
    const rest = without("email_address");
    expect(errorOf(await create(rest))).toBe("Email address is required");
    expect(errorOf(await create({ ...rest, email_address: "   " }))).toBe(
      "Email address is required",
    );
  });

  it("§4 first stage: password length, or `Password is required`", async () => {
    expect(errorOf(await create({ ...base, password: "Sh0rt!" }))).toBe(
      "Password must be at least 8 characters",
    );
    const rest = without("password");
    expect(errorOf(await create(rest))).toBe("Password is required");
  });

  it("§4 skip_password_check=true (exactly) skips the password checks", async () => {
    const rest = without("password");
    const ok = await create({ ...rest, skip_password_check: "true" });
    expect(ok.status).toBe(200);
    expect((await h.details(ok.body.id)).body.has_password).toBe(false);
    expect(errorOf(await create({ ...rest, skip_password_check: "True" }))).toBe(
      "Password is required",
    );
  });

  it("§4 first stage: names, phone and username when the settings require them", async () => {
    h.emu.authSettings.set({ firstName: { required: true }, lastName: { required: null } });
    expect(errorOf(await create({ ...base, first_name: "  " }))).toBe("First name is required");
    expect(errorOf(await create({ ...base, last_name: "" }))).toBe("Last name is required");
    h.emu.reset();
    h.emu.authSettings.set({ phoneNumber: { required: true }, username: { required: true } });
    expect(errorOf(await create(base))).toBe("Phone number is required");
    expect(errorOf(await create({ ...base, phone_number: "+14155550100" }))).toBe(
      "Username is required",
    );
  });

  it("§4 second stage: combined `Validation failed: field: msg, field: msg`", async () => {
    const res = await create({
      ...base,
      email_address: "not-an-email",
      username: "a b",
      password: "alllowercase",
    });
    expect(res.status).toBe(400);
    expect(errorOf(res)).toBe(
      "Validation failed: email_address: Invalid email format, username: Username can only contain letters, numbers, underscores, and hyphens, " +
        "password: Password must contain at least one uppercase letter, password: Password must contain at least one number, " +
        "password: Password must contain at least one special character",
    );
  });

  it("§4 second stage: phone format and username length", async () => {
    expect(errorOf(await create({ ...base, phone_number: "abc" }))).toBe(
      "Validation failed: phone_number: Invalid phone number format",
    );
    expect((await create({ ...base, phone_number: "+1 (415) 555-0100" })).status).toBe(200);
    expect(errorOf(await create({ ...base, username: "ab" }))).toBe(
      "Validation failed: username: Username must be at least 3 characters",
    );
  });

  it("§4 password rules follow the settings", async () => {
    h.emu.authSettings.set({
      password: {
        minLength: 4,
        requireSpecial: false,
        requireUppercase: false,
        requireNumber: false,
      },
    });
    expect((await create({ ...base, password: "abcd" })).status).toBe(200);
    h.emu.authSettings.set({ password: { enabled: false } });
    const rest = without("password");
    expect((await create(rest)).status).toBe(200);
  });

  it("§4 no duplicate check by default; 409 `Resource already exists` when uniqueEmails is on", async () => {
    expect((await create(base)).status).toBe(200);
    expect((await create(base)).status).toBe(200);
    const u = await startHarness({ uniqueEmails: true, uniqueUsernames: true });
    try {
      expect(
        (await u.call("POST", "/users", { body: form({ ...base, username: "ada_l" }) })).status,
      ).toBe(200);
      const dup = await u.call("POST", "/users", { body: form(base) });
      expect(dup.status).toBe(409);
      expect(errorOf(dup)).toBe("Resource already exists");
    } finally {
      await u.emu.close();
    }
  });

  it("§4 unsupported image type on create is 400", async () => {
    const res = await create(imageForm("image/svg+xml", Object.entries(base)));
    expect(errorOf(res)).toBe(
      "Unsupported image format. Supported formats: JPEG, PNG, GIF, WEBP, ICO",
    );
  });
});
