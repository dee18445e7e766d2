// Pure logic of issue #5: key-level metadata ownership (merge, removed and external keys), the
// lost-update guard's conflict detection, and µs timestamp comparison (docs/wacht-api.md §1).
import { findConflicts } from "../../../src/diff/conflicts";
import {
  externalKeys,
  mergeMetadata,
  metadataDiffers,
  removedKeys,
} from "../../../src/diff/metadata-ownership";
import { sameInstant, toMicros } from "../../../src/diff/timestamps";
import { diffUser } from "../../../src/diff/user-diff";

describe("metadata ownership", () => {
  const live = { role: "admin", app: { x: 1 }, legacy: true };
  it.each([
    ["replace: equal values", "replace", { role: "admin", app: { x: 1 }, legacy: true }, [], false],
    ["replace: a missing key differs", "replace", { role: "admin" }, [], true],
    ["keys: only declared keys compared", "keys", { role: "admin" }, [], false],
    ["keys: declared key differs", "keys", { role: "owner" }, [], true],
    [
      "keys: removed managed key still present",
      "keys",
      { role: "admin" },
      ["role", "legacy"],
      true,
    ],
    ["keys: removed managed key already gone", "keys", { role: "admin" }, ["role", "gone"], false],
  ] as const)("%s", (_n, mode, declared, previous, expected) => {
    expect(metadataDiffers(mode, declared, live, previous)).toBe(expected);
  });

  it("keys mode treats a non-object live value as different", () => {
    expect(metadataDiffers("keys", { a: 1 }, "text", [])).toBe(true);
    expect(metadataDiffers("keys", { a: 1 }, null, [])).toBe(true);
  });

  it("merges: others' keys kept, removed keys deleted, declared keys set", () => {
    expect(mergeMetadata("keys", { role: "owner" }, live, ["role", "legacy"])).toEqual({
      role: "owner",
      app: { x: 1 },
    });
    expect(mergeMetadata("replace", { role: "owner" }, live, [])).toEqual({ role: "owner" });
    expect(removedKeys({ a: 1 }, ["a", "b", "c"])).toEqual(["b", "c"]);
    expect(externalKeys(live, ["role"])).toEqual(["app", "legacy"]);
  });

  it("diffUser uses the managed keys of the state in keys mode", () => {
    const state = {
      userId: "1",
      publicMetadata: live,
      metadataOwnership: "keys" as const,
      managedPublicMetadataKeys: ["role"],
    };
    expect(
      diffUser(state, { userId: "1", metadataOwnership: "keys", publicMetadata: { role: "admin" } })
        .changes,
    ).toBe(false);
    expect(
      diffUser(state, { userId: "1", metadataOwnership: "keys", publicMetadata: {} }).changedFields,
    ).toEqual(["publicMetadata"]); // "role" is no longer declared: it is deleted
    expect(
      diffUser(
        { ...state, managedPublicMetadataKeys: ["role", "legacy"] },
        { userId: "1", metadataOwnership: "keys", publicMetadata: { role: "admin" } },
      ).changedFields,
    ).toEqual(["publicMetadata"]);
  });
});

describe("ownership settings reach state even when values match", () => {
  it("switching replace → keys, and a new set of managed keys, are changes (else removals are lost)", () => {
    const state = {
      userId: "1",
      publicMetadata: { a: 1, b: 2 },
      metadataOwnership: "replace" as const,
      managedPublicMetadataKeys: [],
    };
    const switched = diffUser(state, {
      userId: "1",
      metadataOwnership: "keys",
      publicMetadata: { a: 1, b: 2 },
    });
    expect(switched).toMatchObject({ changes: true, changedFields: [] });
    expect(switched.changedSettings).toEqual(
      expect.arrayContaining(["metadataOwnership", "publicMetadata keys"]),
    );
    const recorded = {
      ...state,
      metadataOwnership: "keys" as const,
      managedPublicMetadataKeys: ["a", "b"],
    };
    expect(
      diffUser(recorded, { userId: "1", metadataOwnership: "keys", publicMetadata: { a: 1 } })
        .changedFields,
    ).toEqual(["publicMetadata"]);
  });
});

describe("timestamps compare at µs precision", () => {
  it("compares instants at µs precision whatever the fraction digits", () => {
    expect(toMicros("2026-06-20T10:11:12.123456789Z")).toBe("2026-06-20T10:11:12.123456Z");
    expect(toMicros("2026-06-20T10:11:12Z")).toBe("2026-06-20T10:11:12.000000Z");
    expect(sameInstant("2026-06-20T10:11:12.123Z", "2026-06-20T10:11:12.123000Z")).toBe(true);
    expect(sameInstant("2026-06-20T10:11:12.123001Z", "2026-06-20T10:11:12.123Z")).toBe(false);
  });
});

describe("findConflicts", () => {
  const state = {
    updatedAt: "2026-06-20T10:00:00.000001Z",
    profilePictureUrl: "",
    firstName: "Ada",
    lastName: "L",
    publicMetadata: { role: "a", app: 1 },
    privateMetadata: {},
  };
  const none = { publicMetadata: null, privateMetadata: null };

  it("no conflict when updated_at did not move", () => {
    expect(findConflicts(state, { ...state, firstName: "X" }, ["firstName"], {}, none)).toEqual([]);
  });

  it("reports only written fields that changed", () => {
    const live = { ...state, updatedAt: "2026-06-20T10:00:01Z", firstName: "Eve", lastName: "Z" };
    expect(findConflicts(state, live, ["firstName"], { firstName: "Grace" }, none)).toEqual([
      { field: "firstName", stateValue: "Ada", liveValue: "Eve", declaredValue: "Grace" },
    ]);
    expect(findConflicts(state, live, ["disabled"], {}, none)).toEqual([]);
  });

  it("in keys mode only managed metadata keys count", () => {
    const live = {
      ...state,
      updatedAt: "2026-06-20T10:00:01Z",
      publicMetadata: { role: "a", app: 2 },
    };
    expect(
      findConflicts(
        state,
        live,
        ["publicMetadata"],
        {},
        { publicMetadata: ["role"], privateMetadata: null },
      ),
    ).toEqual([]);
    expect(findConflicts(state, live, ["publicMetadata"], {}, none)).toHaveLength(1);
  });
});
