// Contract tests for PATCH /users/{id}: docs/wacht-api.md §3 (every row of the part table, parsing
// details, validation, order, non-atomic image upload) and checklist items §12.2 and §12.3.
import {
  startHarness,
  errorOf,
  form,
  imageForm,
  rawMultipart,
  type Harness,
  type Res,
} from "./helpers";

let h: Harness;
let id: string;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.emu.close());
beforeEach(async () => {
  h.emu.reset();
  id = await h.createUser({ username: "ada_l" });
});

const detailsOf = async (): Promise<Res["body"]> => (await h.details(id)).body;

describe("§3 body and parts", () => {
  it("§3/§12.2 a JSON body is 400 `Bad request` (multipart required)", async () => {
    const res = await h.call("PATCH", `/users/${id}`, { json: { first_name: "X" } });
    expect(res.status).toBe(400);
    expect(errorOf(res)).toBe("Bad request");
  });

  it("§3 an urlencoded body is 400 `Bad request`", async () => {
    const res = await h.call("PATCH", `/users/${id}`, {
      body: "first_name=X",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(res.status).toBe(400);
    expect(errorOf(res)).toBe("Bad request");
  });

  it("§3 an empty multipart body is valid: 200 UserDetails, only updated_at moves", async () => {
    const before = await detailsOf();
    const res = await h.patch(id, form({}));
    expect(res.status).toBe(200);
    expect(res.body.first_name).toBe(before.first_name);
    expect(Date.parse(res.body.updated_at)).toBeGreaterThanOrEqual(Date.parse(before.updated_at));
    expect(res.body.updated_at).not.toBe(before.updated_at);
  });

  it("§3 updated_at strictly increases across back-to-back PATCHes", async () => {
    const stamps: string[] = [];
    for (let i = 0; i < 5; i++) stamps.push((await h.patch(id, form({}))).body.updated_at);
    const micros = stamps.map(
      (s) =>
        BigInt(Date.parse(s.slice(0, 19) + "Z")) * 1000n +
        BigInt((s.split(".")[1] ?? "0").replace("Z", "").padEnd(6, "0").slice(0, 6)),
    );
    for (let i = 1; i < micros.length; i++) expect(micros[i]! > micros[i - 1]!).toBe(true);
  });

  it("§3/§5 the response is the full UserDetails snapshot with every key", async () => {
    const res = await h.patch(id, form({ first_name: "Grace" }));
    expect(Object.keys(res.body).sort()).toEqual(
      [
        "id",
        "created_at",
        "updated_at",
        "first_name",
        "last_name",
        "username",
        "profile_picture_url",
        "schema_version",
        "disabled",
        "second_factor_policy",
        "availability",
        "last_password_reset_at",
        "active_organization_membership_id",
        "active_workspace_membership_id",
        "deployment_id",
        "public_metadata",
        "private_metadata",
        "primary_email_address_id",
        "primary_email_address",
        "primary_phone_number_id",
        "primary_phone_number",
        "email_addresses",
        "phone_numbers",
        "social_connections",
        "segments",
        "has_password",
        "has_backup_codes",
      ].sort(),
    );
    expect(res.body).toEqual(await detailsOf());
  });

  it("§3 unknown parts are silently ignored", async () => {
    const res = await h.patch(
      id,
      form({
        password: "x",
        email_address: "n@example.com",
        availability: "busy",
        unsafe_metadata: "{}",
      }),
    );
    expect(res.status).toBe(200);
    expect(res.body.availability).toBe("away");
    expect(res.body.primary_email_address).not.toBe("n@example.com");
  });

  it("§3 a part without a name is 400 `Multipart field name is missing`", async () => {
    const res = await h.patch(id, rawMultipart([{ data: "x" }]));
    expect(res.status).toBe(400);
    expect(errorOf(res)).toBe("Multipart field name is missing");
  });

  it.each(["first_name", "last_name", "username", "public_metadata", "disabled"])(
    "§3 non-UTF-8 text in %s is 400 `Multipart field '<name>' must be valid UTF-8 text`",
    async (name) => {
      const res = await h.patch(
        id,
        rawMultipart([{ name, data: Buffer.from([0x41, 0xff, 0xfe]) }]),
      );
      expect(res.status).toBe(400);
      expect(errorOf(res)).toBe(`Multipart field '${name}' must be valid UTF-8 text`);
    },
  );

  it("§3 a broken multipart stream is a 400", async () => {
    const res = await h.call("PATCH", `/users/${id}`, {
      body: Buffer.from(
        '--b\r\nContent-Disposition: form-data; name="first_name"\r\n\r\nunterminated',
      ),
      headers: { "content-type": "multipart/form-data; boundary=b" },
    });
    expect(res.status).toBe(400);
    expect(errorOf(res)).toMatch(/multipart/i);
  });

  it("§3 unknown user is 404 `Resource not found`", async () => {
    const res = await h.call("PATCH", "/users/1", { body: form({ first_name: "X" }) });
    expect(res.status).toBe(404);
    expect(errorOf(res)).toBe("Resource not found");
  });

  it("§3 order: validation (400) comes before the user lookup (404)", async () => {
    const res = await h.call("PATCH", "/users/1", {
      body: form({ second_factor_policy: "bogus" }),
    });
    expect(res.status).toBe(400);
  });
});

describe("§3 text fields", () => {
  it("§3 names and username are stored verbatim, not trimmed", async () => {
    const res = await h.patch(
      id,
      form({ first_name: "  Grace ", last_name: "Hopper\t", username: " ghx " }),
    );
    expect(res.body).toMatchObject({
      first_name: "  Grace ",
      last_name: "Hopper\t",
      username: " ghx ",
    });
  });

  it("§3/§12.2 an empty value is ignored (cannot clear)", async () => {
    const res = await h.patch(
      id,
      form({
        first_name: "",
        last_name: "",
        username: "",
        public_metadata: "",
        disabled: "",
        second_factor_policy: "",
      }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      first_name: "Ada",
      last_name: "Lovelace",
      username: "ada_l",
      disabled: false,
      second_factor_policy: "optional",
    });
  });

  it("§3 the last non-empty duplicate wins", async () => {
    const res = await h.patch(
      id,
      form([
        ["first_name", "One"],
        ["first_name", "Two"],
        ["first_name", ""],
      ]),
    );
    expect(res.body.first_name).toBe("Two");
  });

  it("§3 whitespace-only names are stored when names are not required (the default)", async () => {
    const res = await h.patch(id, form({ first_name: "   " }));
    expect(res.status).toBe(200);
    expect(res.body.first_name).toBe("   ");
  });

  it("§3 whitespace-only names are rejected when the settings require names", async () => {
    h.emu.authSettings.set({ firstName: { required: true }, lastName: { required: null } });
    const first = await h.patch(id, form({ first_name: "  " }));
    expect(errorOf(first)).toBe("First name cannot be empty");
    const last = await h.patch(id, form({ last_name: " " }));
    expect(errorOf(last)).toBe("Last name cannot be empty");
  });

  it("§3 username length is the trimmed byte length against min 3 / max 30", async () => {
    expect(errorOf(await h.patch(id, form({ username: " ab " })))).toBe(
      "Username must be at least 3 characters",
    );
    expect(errorOf(await h.patch(id, form({ username: "x".repeat(31) })))).toBe(
      "Username must be at most 30 characters",
    );
    // 10 × "é" is 20 bytes: fine; 16 × "é" is 32 bytes: too long although 16 characters.
    expect((await h.patch(id, form({ username: "é".repeat(10) }))).status).toBe(200);
    expect(errorOf(await h.patch(id, form({ username: "é".repeat(16) })))).toBe(
      "Username must be at most 30 characters",
    );
  });

  it("§3 no charset check on update", async () => {
    const res = await h.patch(id, form({ username: "has space!" }));
    expect(res.status).toBe(200);
    expect(res.body.username).toBe("has space!");
  });

  it("§3 username rules follow the settings: required, custom lengths, disabled", async () => {
    h.emu.authSettings.set({ username: { required: true, minLength: 5 } });
    expect(errorOf(await h.patch(id, form({ username: "   " })))).toBe("Username cannot be empty");
    expect(errorOf(await h.patch(id, form({ username: "abcd" })))).toBe(
      "Username must be at least 5 characters",
    );
    h.emu.authSettings.set({ username: { enabled: false } });
    expect((await h.patch(id, form({ username: "a" }))).status).toBe(200);
  });

  it("§3 no uniqueness check on usernames by default", async () => {
    const other = await h.createUser({ username: "taken" });
    expect(other).not.toBe(id);
    expect((await h.patch(id, form({ username: "taken" }))).status).toBe(200);
  });
});

describe("§3 metadata", () => {
  it("§3/§12.2 metadata is replaced, not merged", async () => {
    await h.patch(id, form({ public_metadata: '{"a":1,"b":2}' }));
    const res = await h.patch(id, form({ public_metadata: '{"c":3}' }));
    expect(res.body.public_metadata).toEqual({ c: 3 });
  });

  it.each([
    ["[1,2]", [1, 2]],
    ['"text"', "text"],
    ["42", 42],
    ["null", null],
    ["true", true],
  ])("§3 any valid JSON value replaces: %s", async (raw, value) => {
    const res = await h.patch(id, form({ private_metadata: raw }));
    expect(res.body.private_metadata).toEqual(value);
  });

  it("§3/§12.2 invalid metadata JSON is silently ignored", async () => {
    await h.patch(id, form({ public_metadata: '{"keep":true}' }));
    const res = await h.patch(
      id,
      form({ public_metadata: "{not json", first_name: "Still applied" }),
    );
    expect(res.status).toBe(200);
    expect(res.body.public_metadata).toEqual({ keep: true });
    expect(res.body.first_name).toBe("Still applied");
  });

  it("§3 whitespace-only metadata is ignored", async () => {
    await h.patch(id, form({ public_metadata: '{"keep":1}' }));
    expect((await h.patch(id, form({ public_metadata: "  \n " }))).body.public_metadata).toEqual({
      keep: 1,
    });
  });
});

describe("§3 flags", () => {
  it("§3/§12.2 disabled accepts exactly `true`/`false`; anything else is ignored", async () => {
    expect((await h.patch(id, form({ disabled: "true" }))).body.disabled).toBe(true);
    for (const v of ["1", "True", "yes", "FALSE", "0"]) {
      const res = await h.patch(id, form({ disabled: v }));
      expect(res.status).toBe(200);
      expect(res.body.disabled).toBe(true);
    }
    expect((await h.patch(id, form({ disabled: "false" }))).body.disabled).toBe(false);
  });

  it("§3 disabled=true deletes every sign-in of the user", async () => {
    h.emu.users.patch(id, { sign_ins: 3 });
    expect(h.emu.users.get(id)!.sign_ins).toBe(3);
    await h.patch(id, form({ disabled: "false" }));
    expect(h.emu.users.get(id)!.sign_ins).toBe(3);
    await h.patch(id, form({ disabled: "true" }));
    expect(h.emu.users.get(id)!.sign_ins).toBe(0);
  });

  it("§3/§12.2 second_factor_policy accepts none/optional/enforced", async () => {
    for (const p of ["none", "enforced", "optional"]) {
      expect((await h.patch(id, form({ second_factor_policy: p }))).body.second_factor_policy).toBe(
        p,
      );
    }
  });

  it.each(["Enforced", "disabled", "required", "NONE"])(
    "§3/§12.2 a bad second_factor_policy (%s) is 400 with the exact enum message",
    async (bad) => {
      const res = await h.patch(id, form({ second_factor_policy: bad, first_name: "Not applied" }));
      expect(res.status).toBe(400);
      expect(errorOf(res)).toBe("second_factor_policy must be one of: none, optional, enforced");
      expect((await detailsOf()).first_name).toBe("Ada");
    },
  );
});

describe("§3 profile image", () => {
  const url = (ext: string): string =>
    `https://cdn.wacht.services/deployments/${h.emu.deploymentId}/users/${id}/profile.${ext}`;

  it.each([
    ["image/jpeg", "jpg"],
    ["image/jpg", "jpg"],
    ["image/png", "png"],
    ["image/gif", "gif"],
    ["image/webp", "webp"],
    ["image/x-icon", "ico"],
    ["image/vnd.microsoft.icon", "ico"],
  ])("§3/§12.3 %s is stored as .%s at the stable CDN URL", async (type, ext) => {
    const res = await h.patch(id, imageForm(type));
    expect(res.status).toBe(200);
    expect(res.body.profile_picture_url).toBe(url(ext));
  });

  it.each(["image/svg+xml", "image/bmp", "image/avif", "image/tiff"])(
    "§3/§12.3 another image/* (%s) is 400 with the exact message",
    async (type) => {
      const res = await h.patch(id, imageForm(type));
      expect(res.status).toBe(400);
      expect(errorOf(res)).toBe(
        "Unsupported image format. Supported formats: JPEG, PNG, GIF, WEBP, ICO",
      );
    },
  );

  it.each(["application/octet-stream", "text/plain", "application/pdf"])(
    "§3/§12.3 a non-image Content-Type (%s) is silently ignored",
    async (type) => {
      const res = await h.patch(id, imageForm(type, [["first_name", "Applied"]]));
      expect(res.status).toBe(200);
      expect(res.body.profile_picture_url).toBe("");
      expect(res.body.first_name).toBe("Applied");
    },
  );

  it("§3 a file part without Content-Type is ignored", async () => {
    const res = await h.patch(
      id,
      rawMultipart([{ name: "profile_image", filename: "a.png", data: Buffer.from([1, 2, 3]) }]),
    );
    expect(res.status).toBe(200);
    expect(res.body.profile_picture_url).toBe("");
  });

  it("§3 empty image bytes are ignored", async () => {
    const res = await h.patch(id, imageForm("image/png", [], Buffer.alloc(0)));
    expect(res.status).toBe(200);
    expect(res.body.profile_picture_url).toBe("");
  });

  it("§3 re-uploading with the same extension gives the same URL (only the store sees the change)", async () => {
    const first = await h.patch(id, imageForm("image/png"));
    const second = await h.patch(id, imageForm("image/png", [], Buffer.from("other bytes")));
    expect(second.body.profile_picture_url).toBe(first.body.profile_picture_url);
    expect(h.emu.users.get(id)!.profile_image).toMatchObject({
      uploads: 2,
      contentType: "image/png",
      size: 11,
    });
  });

  it("§3 the Content-Type decides the extension, whatever the bytes or filename", async () => {
    const f = new FormData();
    f.append(
      "profile_image",
      new Blob([new Uint8Array([0x89, 0x50])], { type: "image/jpeg" }),
      "really.png",
    );
    expect((await h.patch(id, f)).body.profile_picture_url).toBe(url("jpg"));
  });

  it("§3/§12.3 removal wins over an upload in the same request", async () => {
    await h.patch(id, imageForm("image/png"));
    const res = await h.patch(id, imageForm("image/gif", [["remove_profile_image", "true"]]));
    expect(res.body.profile_picture_url).toBe("");
  });

  it("§3/§12.2 remove_profile_image removes only on the exact `true`", async () => {
    await h.patch(id, imageForm("image/png"));
    for (const v of ["True", "1", "yes", "false"]) {
      expect((await h.patch(id, form({ remove_profile_image: v }))).body.profile_picture_url).toBe(
        url("png"),
      );
    }
    expect(
      (await h.patch(id, form({ remove_profile_image: "true" }))).body.profile_picture_url,
    ).toBe("");
  });

  it("§3 a later remove_profile_image duplicate overrides an earlier one", async () => {
    await h.patch(id, imageForm("image/png"));
    const kept = await h.patch(
      id,
      form([
        ["remove_profile_image", "true"],
        ["remove_profile_image", "false"],
      ]),
    );
    expect(kept.body.profile_picture_url).toBe(url("png"));
    const removed = await h.patch(
      id,
      form([
        ["remove_profile_image", "no"],
        ["remove_profile_image", "true"],
      ]),
    );
    expect(removed.body.profile_picture_url).toBe("");
  });

  it("§3 not atomic: an image upload failure is 500 but the field changes stay applied", async () => {
    h.emu.faults.enqueue({ kind: "imageUploadFailure" });
    const res = await h.patch(id, imageForm("image/png", [["first_name", "Applied anyway"]]));
    expect(res.status).toBe(500);
    expect(errorOf(res)).toBe("Something went wrong");
    const after = await detailsOf();
    expect(after.first_name).toBe("Applied anyway");
    expect(after.profile_picture_url).toBe("");
    // The fault is consumed only by a request that actually uploads.
    expect(h.emu.faults.state().queue).toEqual([]);
  });

  it("§3 an imageUploadFailure fault waits for a request that uploads", async () => {
    h.emu.faults.enqueue({ kind: "imageUploadFailure" });
    expect((await h.patch(id, form({ first_name: "No image" }))).status).toBe(200);
    expect(h.emu.faults.state().queue).toHaveLength(1);
  });
});
