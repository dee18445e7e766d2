// Contract tests for the password, email and phone sub-routes and the JSON-body rejections:
// docs/wacht-api.md §7 and §8 (415/422).
import { startHarness, errorOf, type Harness } from "./helpers";

let h: Harness;
let id: string;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.emu.close());
beforeEach(async () => {
  h.emu.reset();
  id = await h.createUser({ email_address: "main@example.com" });
});

describe("§7 password", () => {
  it("§7 PATCH password: 200 {} and has_password", async () => {
    await h.call("DELETE", `/users/${id}/password`);
    expect((await h.details(id)).body.has_password).toBe(false);
    const res = await h.call("PATCH", `/users/${id}/password`, {
      json: { new_password: "N3w!passw0rd" },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    expect((await h.details(id)).body.has_password).toBe(true);
  });

  it("§7 PATCH password applies the rules unless skipped: `Validation failed: password: …`", async () => {
    const res = await h.call("PATCH", `/users/${id}/password`, {
      json: { new_password: "weakpass" },
    });
    expect(res.status).toBe(400);
    expect(errorOf(res)).toBe(
      "Validation failed: password: Password must contain at least one uppercase letter, password: Password must contain at least one number, password: Password must contain at least one special character",
    );
    const skipped = await h.call("PATCH", `/users/${id}/password`, {
      json: { new_password: "weak", skip_password_check: true },
    });
    expect(skipped.status).toBe(200);
  });

  it("§7 PATCH password has no existence check: an unknown user gets 200 {}", async () => {
    const res = await h.call("PATCH", "/users/77/password", {
      json: { new_password: "N3w!passw0rd" },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
  });

  it("§7 DELETE password of an unknown user is 404 `user not found`", async () => {
    const res = await h.call("DELETE", "/users/77/password");
    expect(res.status).toBe(404);
    expect(errorOf(res)).toBe("user not found");
  });

  it("§7/§8 415 `Request failed` without a JSON Content-Type", async () => {
    const res = await h.call("PATCH", `/users/${id}/password`, {
      body: JSON.stringify({ new_password: "N3w!passw0rd" }),
      headers: { "content-type": "text/plain" },
    });
    expect(res.status).toBe(415);
    expect(errorOf(res)).toBe("Request failed");
  });

  it("§7/§8 422 `Invalid request payload` for a missing field or a wrong type", async () => {
    for (const json of [
      {},
      { new_password: 5 },
      { new_password: "N3w!passw0rd", skip_password_check: "yes" },
    ]) {
      const res = await h.call("PATCH", `/users/${id}/password`, { json });
      expect(res.status).toBe(422);
      expect(errorOf(res)).toBe("Invalid request payload");
    }
  });

  it("§7 malformed JSON is 400", async () => {
    const res = await h.call("PATCH", `/users/${id}/password`, {
      body: "{oops",
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(400);
    expect(errorOf(res)).toBe("Bad request");
  });
});

describe("§7 emails", () => {
  it("§7 POST emails: no format check, verified_at set even when unverified, strategy otp", async () => {
    const res = await h.call("POST", `/users/${id}/emails`, { json: { email: "not an email" } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      email: "not an email",
      verified: false,
      is_primary: false,
      verification_strategy: "otp",
      user_id: id,
    });
    expect(typeof res.body.verified_at).toBe("string");
    expect(typeof res.body.id).toBe("string");
  });

  it("§7 POST emails with is_primary moves the primary and clears the other flags", async () => {
    const res = await h.call("POST", `/users/${id}/emails`, {
      json: { email: "new@example.com", verified: true, is_primary: true },
    });
    const d = (await h.details(id)).body;
    expect(d.primary_email_address).toBe("new@example.com");
    expect(
      d.email_addresses
        .filter((e: { is_primary: boolean }) => e.is_primary)
        .map((e: { id: string }) => e.id),
    ).toEqual([res.body.id]);
  });

  it("§7 PATCH emails: COALESCE; is_primary:true moves the pointer but not the flags (server bug)", async () => {
    const added = await h.call("POST", `/users/${id}/emails`, { json: { email: "b@example.com" } });
    const eid = added.body.id;
    const res = await h.call("PATCH", `/users/${id}/emails/${eid}`, {
      json: { verified: true, is_primary: true },
    });
    expect(res.body).toMatchObject({ email: "b@example.com", verified: true, is_primary: false });
    const d = (await h.details(id)).body;
    expect(d.primary_email_address_id).toBe(eid);
    expect(
      d.email_addresses.find((e: { email: string }) => e.email === "main@example.com").is_primary,
    ).toBe(true);
  });

  it("§7 PATCH of an unknown email is 404 `Email not found`", async () => {
    const res = await h.call("PATCH", `/users/${id}/emails/5`, { json: { verified: true } });
    expect(res.status).toBe(404);
    expect(errorOf(res)).toBe("Email not found");
  });

  it("§7 DELETE emails has no existence check: always 200 {}", async () => {
    const res = await h.call("DELETE", `/users/${id}/emails/5`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
  });

  it("§7 make-primary: 404 `email not found`, 400 when unverified, else 200 {}", async () => {
    expect(errorOf(await h.call("POST", `/users/${id}/emails/5/make-primary`))).toBe(
      "email not found",
    );
    const added = await h.call("POST", `/users/${id}/emails`, { json: { email: "c@example.com" } });
    const unverified = await h.call("POST", `/users/${id}/emails/${added.body.id}/make-primary`);
    expect(unverified.status).toBe(400);
    expect(errorOf(unverified)).toBe("email must be verified before it can be marked primary");
    await h.call("PATCH", `/users/${id}/emails/${added.body.id}`, { json: { verified: true } });
    const ok = await h.call("POST", `/users/${id}/emails/${added.body.id}/make-primary`);
    expect(ok.body).toEqual({});
    expect((await h.details(id)).body.primary_email_address).toBe("c@example.com");
  });
});

describe("§7 phones", () => {
  it("§7 POST phones: country_code is required (422), unverified phones get verified_at = now", async () => {
    const missing = await h.call("POST", `/users/${id}/phones`, {
      json: { phone_number: "5550100" },
    });
    expect(missing.status).toBe(422);
    expect(errorOf(missing)).toBe("Invalid request payload");
    const res = await h.call("POST", `/users/${id}/phones`, {
      json: { phone_number: "5550100", country_code: "+1" },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      phone_number: "5550100",
      country_code: "+1",
      verified: false,
      user_id: id,
    });
    const later = (await h.details(id)).body.phone_numbers[0].verified_at;
    expect(Date.parse(later)).toBeGreaterThanOrEqual(Date.parse(res.body.verified_at));
  });

  it("§7 a JSON body without application/json is 415 `Request failed`", async () => {
    const res = await h.call("POST", `/users/${id}/phones`, {
      body: JSON.stringify({ phone_number: "1", country_code: "+1" }),
    });
    expect(res.status).toBe(415);
    expect(errorOf(res)).toBe("Request failed");
  });

  it("§7 PATCH of an unknown phone is 404 `Phone number not found`; DELETE is always 200 {}", async () => {
    expect(errorOf(await h.call("PATCH", `/users/${id}/phones/9`, { json: {} }))).toBe(
      "Phone number not found",
    );
    expect((await h.call("DELETE", `/users/${id}/phones/9`)).body).toEqual({});
  });

  it("§7 phone make-primary: `phone not found`, must be verified, then primary", async () => {
    expect(errorOf(await h.call("POST", `/users/${id}/phones/9/make-primary`))).toBe(
      "phone not found",
    );
    const added = await h.call("POST", `/users/${id}/phones`, {
      json: { phone_number: "5550100", country_code: "+44" },
    });
    expect(errorOf(await h.call("POST", `/users/${id}/phones/${added.body.id}/make-primary`))).toBe(
      "phone must be verified before it can be marked primary",
    );
    await h.call("PATCH", `/users/${id}/phones/${added.body.id}`, { json: { verified: true } });
    expect((await h.call("POST", `/users/${id}/phones/${added.body.id}/make-primary`)).status).toBe(
      200,
    );
    const list = await h.call("GET", "/users");
    expect(list.body.data[0].primary_phone_number).toBe("+445550100");
  });

  it("§8 adding an email or phone to an unknown user is 404 `Related resource not found`", async () => {
    expect(
      errorOf(await h.call("POST", "/users/5/emails", { json: { email: "x@example.com" } })),
    ).toBe("Related resource not found");
  });
});

describe("§5 social connections", () => {
  it("§5 tokens are returned decrypted in details; deleting the linked email drops the connection", async () => {
    h.emu.users.patch(id, {
      add_social_connections: [
        { provider: "github_oauth", email_address: "main@example.com", access_token: "gho_secret" },
      ],
    });
    const d = (await h.details(id)).body;
    expect(d.social_connections[0]).toMatchObject({
      provider: "github_oauth",
      access_token: "gho_secret",
      refresh_token: "",
    });
    const listed = await h.call("GET", `/users/${id}/social-connections`);
    expect(listed.body).toMatchObject({ has_more: false, data: [{ provider: "github_oauth" }] });
    await h.call("DELETE", `/users/${id}/emails/${d.primary_email_address_id}`);
    expect((await h.details(id)).body.social_connections).toEqual([]);
  });
});
