// Multipart bodies parsed back field by field: only the given fields, wire names, booleans as
// true/false, canonical metadata JSON, the sniffed image type, and refusals before sending.

import {
  formatBytes,
  MAX_BODY_BYTES,
  MAX_IMAGE_BYTES,
  WachtValidationError,
} from "../../../src/client";
import { buildCreateForm, buildUpdateForm } from "../../../src/client/multipart";
import { GIF, ICO, JPEG, PNG, SVG, WEBP } from "./fixtures";
import { parseMultipart } from "./multipart-parse";

async function parts(built: { body: Buffer; headers: Record<string, string> }) {
  return parseMultipart(built.body, built.headers["content-type"]!);
}

describe("buildUpdateForm", () => {
  it("encodes every field with its wire name, in a fixed order", async () => {
    const built = buildUpdateForm({
      removeProfileImage: false,
      privateMetadata: { z: 1, a: [true, null] },
      publicMetadata: null,
      secondFactorPolicy: "enforced",
      disabled: true,
      username: " ada ",
      lastName: "Lovelace",
      firstName: "Ada  ",
    });
    expect(built.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    expect(await parts(built)).toEqual([
      { name: "first_name", value: "Ada  " },
      { name: "last_name", value: "Lovelace" },
      { name: "username", value: " ada " },
      { name: "disabled", value: "true" },
      { name: "second_factor_policy", value: "enforced" },
      { name: "public_metadata", value: "null" },
      { name: "private_metadata", value: '{"a":[true,null],"z":1}' },
      { name: "remove_profile_image", value: "false" },
    ]);
  });

  it("sends only the given fields", async () => {
    expect(await parts(buildUpdateForm({ disabled: false }))).toEqual([
      { name: "disabled", value: "false" },
    ]);
    expect(await parts(buildUpdateForm({ publicMetadata: {} }))).toEqual([
      { name: "public_metadata", value: "{}" },
    ]);
  });

  it("encodes an empty change set as a valid body with no parts", async () => {
    expect(await parts(buildUpdateForm({}))).toEqual([]);
  });

  it("sends UTF-8 text verbatim", async () => {
    expect(await parts(buildUpdateForm({ firstName: "Zoë 李 🎉" }))).toEqual([
      { name: "first_name", value: "Zoë 李 🎉" },
    ]);
  });

  it.each([
    ["png", PNG, "image/png", "profile.png"],
    ["jpeg", JPEG, "image/jpeg", "profile.jpg"],
    ["gif", GIF, "image/gif", "profile.gif"],
    ["webp", WEBP, "image/webp", "profile.webp"],
    ["ico", ICO, "image/x-icon", "profile.ico"],
  ])("sends a %s image with its real Content-Type", async (_n, bytes, mimeType, filename) => {
    const [part] = await parts(buildUpdateForm({ profileImage: new Uint8Array(bytes) }));
    expect(part).toEqual({ name: "profile_image", value: bytes, filename, mimeType });
  });

  it("produces identical bytes when the same built body is re-sent", () => {
    const built = buildUpdateForm({ firstName: "A", profileImage: PNG });
    expect(Buffer.isBuffer(built.body)).toBe(true);
    expect(built.body.includes(PNG)).toBe(true);
  });

  it.each([
    [{ firstName: "" }, "firstName"],
    [{ lastName: "" }, "lastName"],
    [{ username: "" }, "username"],
    [{ secondFactorPolicy: "" as never }, "secondFactorPolicy"],
    [{ disabled: "true" as never }, "disabled"],
    [{ publicMetadata: { a: undefined } as never }, "publicMetadata"],
    [{ privateMetadata: NaN }, "privateMetadata"],
    [{ profileImage: SVG }, "profileImage"],
    [{ profileImage: new Uint8Array(0) }, "profileImage"],
    [{ profileImage: "png" as never }, "profileImage"],
    [{ profileImage: PNG, removeProfileImage: true }, "profileImage"],
    [{ password: "x" } as never, "password"],
    [{ email_address: "a@b.c" } as never, "email_address"],
  ])("refuses %p before sending", (changes, field) => {
    let err: unknown;
    try {
      buildUpdateForm(changes);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(WachtValidationError);
    expect((err as WachtValidationError).field).toBe(field);
  });

  it("explains why an empty name is refused", () => {
    expect(() => buildUpdateForm({ firstName: "" })).toThrow(/Wacht ignores an empty value/);
  });

  it("refuses a body over the server's 2 MiB limit", () => {
    const big = Buffer.concat([PNG, Buffer.alloc(MAX_BODY_BYTES)]);
    expect(() => buildUpdateForm({ profileImage: big })).toThrow(
      /over the server's 2097152-byte \(2 MiB\) limit/,
    );
    // Issue 11 defect 7: sizes in human units with the exact count.
    expect(() => buildUpdateForm({ profileImage: big })).toThrow(
      /^request body is 2 MiB \(2,097,\d{3} bytes\), over the server's 2097152-byte \(2 MiB\) limit; the largest part is profile_image \(2 MiB \(2,097,167 bytes\)\)$/,
    );
    const justFits = Buffer.concat([PNG, Buffer.alloc(MAX_BODY_BYTES - PNG.length - 400)]);
    expect(buildUpdateForm({ profileImage: justFits }).body.length).toBeLessThanOrEqual(
      MAX_BODY_BYTES,
    );
  });
});

describe("buildCreateForm", () => {
  it('refuses an empty name like update and check do (Wacht takes "" as absent)', () => {
    expect(() => buildCreateForm({ emailAddress: "a@example.com", lastName: "" })).toThrow(
      /lastName must not be empty/,
    );
    expect(() => buildUpdateForm({ lastName: "" })).toThrow(/lastName must not be empty/);
  });

  it("encodes the create fields", async () => {
    expect(
      await parts(
        buildCreateForm({
          skipPasswordCheck: true,
          password: "Secr3t!pass",
          username: "ada",
          phoneNumber: "+15551234567",
          emailAddress: "ada@example.com",
          lastName: "Lovelace",
          firstName: "Ada",
          profileImage: GIF,
        }),
      ),
    ).toEqual([
      { name: "first_name", value: "Ada" },
      { name: "last_name", value: "Lovelace" },
      { name: "email_address", value: "ada@example.com" },
      { name: "phone_number", value: "+15551234567" },
      { name: "username", value: "ada" },
      { name: "password", value: "Secr3t!pass" },
      { name: "skip_password_check", value: "true" },
      { name: "profile_image", value: GIF, filename: "profile.gif", mimeType: "image/gif" },
    ]);
  });

  it("refuses unknown fields and bad types", () => {
    expect(() => buildCreateForm({ disabled: true } as never)).toThrow(WachtValidationError);
    expect(() => buildCreateForm({ skipPasswordCheck: "yes" } as never)).toThrow(
      WachtValidationError,
    );
    expect(() => buildCreateForm(null as never)).toThrow(WachtValidationError);
  });
});

describe("size limits", () => {
  it("formats sizes in human units with the exact count", () => {
    expect(formatBytes(512)).toBe("512 bytes");
    expect(formatBytes(64 * 1024)).toBe("64 KiB (65,536 bytes)");
    expect(formatBytes(MAX_BODY_BYTES)).toBe("2 MiB (2,097,152 bytes)");
    expect(formatBytes(MAX_BODY_BYTES + 1)).toBe("2 MiB (2,097,153 bytes)");
    expect(formatBytes(3 * 1024 * 1024 + 512 * 1024)).toBe("3.5 MiB (3,670,016 bytes)");
  });

  it("states the image limit actually applied: 2 MiB less 64 KiB", () => {
    expect(MAX_IMAGE_BYTES).toBe(2 * 1024 * 1024 - 64 * 1024);
    expect(formatBytes(MAX_IMAGE_BYTES)).toBe("1.93 MiB (2,031,616 bytes)");
  });
});

describe("the encoding is form-data's", () => {
  it("gives every body a boundary of form-data's shape that none of its values contains", async () => {
    const first = buildUpdateForm({ firstName: "x" }).headers["content-type"]!;
    const boundary = /^multipart\/form-data; boundary=(-{26}[0-9a-f]{24})$/.exec(first)![1]!;
    // A value may hold another body's boundary: each body has its own.
    const built = buildUpdateForm({ firstName: `a${boundary}b`, lastName: boundary });
    const used = /boundary=(.+)$/.exec(built.headers["content-type"]!)![1]!;
    expect(used).not.toBe(boundary);
    expect(await parts(built)).toEqual([
      { name: "first_name", value: `a${boundary}b` },
      { name: "last_name", value: boundary },
    ]);
  });

  it("writes each part as form-data does: a text part, then the image with its type", () => {
    const built = buildCreateForm({ firstName: "Zoë", profileImage: PNG });
    const b = /boundary=(.+)$/.exec(built.headers["content-type"]!)![1]!;
    const head =
      `--${b}\r\nContent-Disposition: form-data; name="first_name"\r\n\r\nZoë\r\n` +
      `--${b}\r\nContent-Disposition: form-data; name="profile_image"; filename="profile.png"\r\n` +
      `Content-Type: image/png\r\n\r\n`;
    expect(
      built.body.equals(Buffer.concat([Buffer.from(head), PNG, Buffer.from(`\r\n--${b}--\r\n`)])),
    ).toBe(true);
  });
});
