// Exact natural-key matching (issue #5): no substring or suffix surprises that could adopt or
// take over someone else's account.
import { matchesKey, sameAsPost } from "../../../src/provider/live/users-by-key";

const user = (over: Record<string, unknown>) =>
  ({
    id: "1",
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    first_name: "",
    last_name: "",
    username: "",
    profile_picture_url: "",
    primary_email_address: null,
    primary_phone_number: null,
    ...over,
  }) as Parameters<typeof matchesKey>[0];

describe("matchesKey", () => {
  it("emails match case-insensitively and exactly", () => {
    expect(
      matchesKey(user({ primary_email_address: "Ada@Example.com" }), { email: "ada@example.com" }),
    ).toBe(true);
    expect(
      matchesKey(user({ primary_email_address: "xada@example.com" }), { email: "ada@example.com" }),
    ).toBe(false);
  });

  it("usernames match exactly", () => {
    expect(matchesKey(user({ username: "ada" }), { username: "ada" })).toBe(true);
    expect(matchesKey(user({ username: "ada2" }), { username: "ada" })).toBe(false);
  });

  it.each([
    ["+15550100", "+15550100", true],
    ["+15550100", "+4915550100", false],
    ["100", "+15550100", false],
    ["5550100", "+15550100", true],
    ["+1 (555) 0100", "+15550100", true],
  ])("phone %s vs listed %s → %s", (declared, listed, expected) => {
    expect(matchesKey(user({ primary_phone_number: listed }), { phoneNumber: declared })).toBe(
      expected,
    );
  });
});

describe("sameAsPost", () => {
  it("is true only for the exact fields a POST would store", () => {
    const listed = user({
      first_name: "Svc",
      primary_email_address: "svc@example.com",
      username: "svc",
    });
    expect(
      sameAsPost(listed, { firstName: "Svc", emailAddress: "SVC@example.com", username: "svc" }),
    ).toBe(true);
    expect(
      sameAsPost(listed, { firstName: "Other", emailAddress: "svc@example.com", username: "svc" }),
    ).toBe(false);
    expect(sameAsPost(listed, { emailAddress: "svc@example.com" })).toBe(false);
  });
});
