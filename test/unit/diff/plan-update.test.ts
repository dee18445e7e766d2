// The update planner, table-driven: (state, live, declaration) → patch, conflicts, refusal,
// warnings and the state to keep on failure; and when the password is set. Pure: no emulator, no file, no clock.
import { passwordChanged, PASSWORD_PENDING } from "../../../src/diff/user-diff";
import { liveUser } from "../../../src/provider/live/live-user";
import { planUpdate } from "../../../src/diff/plan-update";
import { toOutputs, declarationOf } from "../../../src/diff/declaration-state";
import type { LiveUser, UserDeclaration, UserOutputs } from "../../../src/schema/user-state";
import type { ApiUserDetails } from "../../../src/schema/wire";
import { userDetails } from "../client/fixtures";

const ID = "123456789012345678";
const READ_AT = "2026-06-20T10:11:12.123456Z";
const LATER = "2026-06-21T08:00:00.000001Z";

/** A live user (seed builder): the client fixture with overrides, as a read gives it. */
const live = (overrides: Record<string, unknown> = {}): LiveUser =>
  liveUser(userDetails(overrides) as unknown as ApiUserDetails);

/** The state recorded when `decl` last read `details`. */
const stateOf = (decl: UserDeclaration, details = live()): UserOutputs =>
  toOutputs(details, declarationOf(decl));

const decl = (fields: Partial<UserDeclaration>): UserDeclaration => ({
  userId: ID,
  onDelete: "retain",
  ...fields,
});

describe("what the PATCH sends", () => {
  it.each<[string, Partial<UserDeclaration>, Record<string, unknown>, string[]]>([
    ["nothing when the live user already matches", { firstName: "Ada" }, {}, []],
    ["a changed name", { firstName: "Grace" }, {}, ["firstName"]],
    ["only declared fields", { lastName: "Hopper" }, { first_name: "Someone" }, ["lastName"]],
    [
      "a field someone else already set to the declared value is not sent",
      { firstName: "Grace", disabled: true },
      { first_name: "Grace" },
      ["disabled"],
    ],
    ["metadata compared as JSON", { publicMetadata: { team: "core" } }, {}, []],
    [
      "removing the image when there is one",
      { removeProfileImage: true },
      { profile_picture_url: "https://cdn/x.png" },
      ["removeProfileImage"],
    ],
  ])("%s", (_name, fields, liveOverrides, patch) => {
    const news = decl(fields);
    const plan = planUpdate(stateOf(news), live(liveOverrides), news);
    expect(plan.patch).toEqual(patch);
  });
});

describe("the lost-update guard", () => {
  it.each<[string, Partial<UserDeclaration>, Record<string, unknown>, string[]]>([
    ["no conflict when the user was not updated since the read", { firstName: "Grace" }, {}, []],
    [
      "a field about to be written that someone else changed",
      { firstName: "Grace" },
      { first_name: "Other", updated_at: LATER },
      ["firstName"],
    ],
    [
      "someone else's change to a field not declared is no conflict",
      { firstName: "Grace" },
      { last_name: "Other", updated_at: LATER },
      [],
    ],
    [
      "onConflict overwrite reports none",
      { firstName: "Grace", onConflict: "overwrite" },
      { first_name: "Other", updated_at: LATER },
      [],
    ],
  ])("%s", (_name, fields, liveOverrides, conflicts) => {
    const news = decl(fields);
    const state = stateOf(decl({ firstName: "Ada" }));
    expect(state.updatedAt).toBe(READ_AT);
    const plan = planUpdate(state, live(liveOverrides), news);
    expect(plan.conflicts.map((c) => c.field)).toEqual(conflicts);
  });
});

describe("guard rails and warnings", () => {
  it.each<[string, Partial<UserDeclaration>, Record<string, unknown>, RegExp | null, RegExp[]]>([
    [
      "enforcing 2FA without a second factor warns",
      { secondFactorPolicy: "enforced" },
      {},
      null,
      [/may lock the user out.*allowLockout: false/],
    ],
    [
      "with allowLockout false it is refused",
      { secondFactorPolicy: "enforced", allowLockout: false },
      {},
      /refusing because allowLockout is false/,
      [],
    ],
    [
      "a user with backup codes is not at risk",
      { secondFactorPolicy: "enforced" },
      { has_backup_codes: true },
      null,
      [],
    ],
    [
      "disabling warns about sessions",
      { disabled: true },
      {},
      null,
      [/revokes all of the user's sessions/],
    ],
    ["nothing to send: no warning", { disabled: false }, {}, null, []],
  ])("%s", (_name, fields, liveOverrides, refusal, warnings) => {
    const news = decl(fields);
    const plan = planUpdate(stateOf(news), live(liveOverrides), news);
    if (refusal === null) expect(plan.refusal).toBeNull();
    else expect(plan.refusal).toMatch(refusal);
    expect(plan.warnings).toHaveLength(warnings.length);
    warnings.forEach((w, i) => expect(plan.warnings[i]).toMatch(w));
  });
});

describe("the password and the state kept on failure", () => {
  it.each<[string, string | null, string | undefined, boolean, boolean]>([
    ["a new passwordVersion sets the password", "1", "2", true, true],
    ["the same version does not", "1", "1", true, false],
    ["a pending password is set with the handle", PASSWORD_PENDING, "1", true, true],
    ["no version declared: nothing", null, undefined, false, false],
  ])("%s", (_name, recorded, declared, handle, expected) => {
    const news = decl({
      firstName: "Ada",
      ...(declared !== undefined ? { passwordVersion: declared } : {}),
      ...(handle ? { passwordHandle: "h" } : {}),
    });
    const state = { ...stateOf(news), passwordVersion: recorded };
    expect(passwordChanged(state, news)).toBe(expected);
  });

  it("keeps the recorded password version and image hash, and the union of managed keys", () => {
    const before = decl({ metadataOwnership: "keys", publicMetadata: { team: "core", old: 1 } });
    const state = {
      ...stateOf(before),
      passwordVersion: "1",
      profileImageSha256: "abc",
    };
    const news = decl({
      metadataOwnership: "keys",
      publicMetadata: { team: "ops" },
      passwordVersion: "2",
      profileImage: "new.png",
      profileImageSha256: "def",
    });
    const plan = planUpdate(
      state,
      live({ public_metadata: { team: "core", old: 1, app: true } }),
      news,
    );
    expect(plan.stateOnFailure).toMatchObject({
      passwordVersion: "1",
      profileImageSha256: "abc",
      managedPublicMetadataKeys: ["old", "team"],
    });
    expect(plan.declaration).toMatchObject({ passwordVersion: "2", profileImageSha256: "def" });
    // keys mode: others' keys survive, a key no longer declared is deleted
    expect(plan.merged).toEqual({ publicMetadata: { team: "ops", app: true } });
  });
});
