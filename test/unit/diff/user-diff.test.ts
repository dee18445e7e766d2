// Table-driven tests of the pure diff (issue #4: diff is pure, compares metadata as JSON values,
// reports exactly the declared fields that differ, and replaces on a userId change).
import { diffUser, type DiffableState } from "../../../src/diff/user-diff";
import { UNKNOWN } from "../../../src/schema/user-fields";

const state: DiffableState = {
  userId: "100000000000000001",
  firstName: "Ada",
  lastName: "Lovelace",
  username: "ada",
  disabled: false,
  secondFactorPolicy: "optional",
  publicMetadata: { team: "infra", tags: ["a", "b"], nested: { x: 1, y: null } },
  privateMetadata: { token: "s3cr3t" },
  profilePictureUrl: "",
  profileImage: null,
  profileImageSha256: null,
  removeProfileImage: false,
  onDelete: "retain",
};
const base = { userId: "100000000000000001", onDelete: "retain" as const };

describe("diffUser", () => {
  it.each([
    ["identical declared fields", { firstName: "Ada", username: "ada" }, []],
    ["nothing declared", {}, []],
    ["a changed first name", { firstName: "Grace" }, ["firstName"]],
    [
      "whitespace is significant (the server does not trim)",
      { lastName: "Lovelace " },
      ["lastName"],
    ],
    ["a username on a user with none", { username: "ada2" }, ["username"]],
    ["disabled flipped", { disabled: true }, ["disabled"]],
    ["2FA policy changed", { secondFactorPolicy: "enforced" as const }, ["secondFactorPolicy"]],
    [
      "metadata with keys in another order is equal",
      { publicMetadata: { nested: { y: null, x: 1 }, tags: ["a", "b"], team: "infra" } },
      [],
    ],
    [
      "array order in metadata matters",
      { publicMetadata: { team: "infra", tags: ["b", "a"], nested: { x: 1, y: null } } },
      ["publicMetadata"],
    ],
    [
      "an added metadata key",
      { publicMetadata: { team: "infra", tags: ["a", "b"], nested: { x: 1, y: null }, z: 0 } },
      ["publicMetadata"],
    ],
    ["metadata replaced by a scalar", { privateMetadata: "plain" }, ["privateMetadata"]],
    ["metadata null vs {}", { privateMetadata: null }, ["privateMetadata"]],
    ["a preview unknown counts as a change", { firstName: UNKNOWN }, ["firstName"]],
    ["removeProfileImage with no image is a no-op", { removeProfileImage: true }, []],
    ["removeProfileImage=false is never a change", { removeProfileImage: false }, []],
  ])("%s", (_name, declared, expected) => {
    const result = diffUser(state, { ...base, ...declared });
    expect(result.changedFields).toEqual(expected);
    expect(result.replaces).toEqual([]);
    expect(result.changes).toBe(expected.length > 0);
  });

  it("replaces when userId changes, and when it is unknown at preview", () => {
    expect(diffUser(state, { ...base, userId: "100000000000000002" }).replaces).toEqual(["userId"]);
    expect(diffUser(state, { ...base, userId: UNKNOWN }).replaces).toEqual(["userId"]);
  });

  it("a username of null in state differs from any declared username", () => {
    expect(
      diffUser({ ...state, username: null }, { ...base, username: "ada" }).changedFields,
    ).toEqual(["username"]);
  });

  it("uploads an image that was never uploaded, and not again once its hash is in state", () => {
    const news = { ...base, profileImage: "a.png", profileImageSha256: "abc" };
    expect(diffUser(state, news).changedFields).toEqual(["profileImage"]);
    const uploaded = {
      ...state,
      profileImage: "a.png",
      profileImageSha256: "abc",
      profilePictureUrl: "https://cdn/x.png",
    };
    expect(diffUser(uploaded, news).changes).toBe(false);
    expect(diffUser(uploaded, { ...news, profileImageSha256: "def" }).changedFields).toEqual([
      "profileImage",
    ]);
  });

  it("re-uploads an image removed out of band (the URL is the only drift signal)", () => {
    const removed = {
      ...state,
      profileImage: "a.png",
      profileImageSha256: "abc",
      profilePictureUrl: "",
    };
    expect(
      diffUser(removed, { ...base, profileImage: "a.png", profileImageSha256: "abc" })
        .changedFields,
    ).toEqual(["profileImage"]);
  });

  it("removes an image that exists when removal is declared", () => {
    const withImage = { ...state, profilePictureUrl: "https://cdn/x.png" };
    expect(diffUser(withImage, { ...base, removeProfileImage: true }).changedFields).toEqual([
      "removeProfileImage",
    ]);
  });

  it("an onDelete change is a state-only change: no field to PATCH", () => {
    const result = diffUser(state, { ...base, onDelete: "delete" });
    expect(result).toMatchObject({
      changes: true,
      changedFields: [],
      changedSettings: ["onDelete"],
    });
  });

  it.each([
    ["disableAfter", "2027-01-01T00:00:00Z", "2027-06-30T00:00:00Z"],
    ["allowLockout", false, true],
    ["publicMetadataSchema", { type: "object" }, { type: "object", required: ["team"] }],
  ] as const)(
    "a changed %s is a state-only change (the plan shows it; no field to PATCH)",
    (key, recorded, declared) => {
      const olds = { ...state, [key]: recorded };
      expect(diffUser(olds, { ...base, [key]: recorded }).changes).toBe(false);
      expect(diffUser(olds, { ...base, [key]: declared })).toMatchObject({
        changes: true,
        changedFields: [],
        changedSettings: [key],
      });
      expect(diffUser(olds, { ...base, [key]: UNKNOWN }).changedSettings).toEqual([key]);
      // Undeclared now, declared before: the state must follow too.
      expect(diffUser(olds, base).changedSettings).toEqual([key]);
    },
  );

  it("a state that never recorded a declared setting (written by an older version) is no change", () => {
    expect(diffUser(state, { ...base, disableAfter: "2027-01-01T00:00:00Z" }).changes).toBe(false);
  });

  it("reports several fields at once, in a stable order", () => {
    const result = diffUser(state, { ...base, username: "x-ada", firstName: "A", disabled: true });
    expect(result.changedFields).toEqual(["firstName", "username", "disabled"]);
  });
});
