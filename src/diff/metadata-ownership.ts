// Key-level metadata ownership (issue #5): with `metadataOwnership: "keys"` a resource manages
// only its declared top-level keys. Keys written by apps or admins survive (read-merge-write),
// and a key removed from the declaration is deleted. Wacht itself always replaces the whole
// value (docs/wacht-api.md §3), so the merge happens here, right before the PATCH. Pure.
import type { JsonObject, JsonValue } from "../schema/json";
import type { MetadataOwnership } from "../schema/user-fields";
import { jsonEqual } from "./json-equal";

function asObject(value: unknown): JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as JsonObject)
    : {};
}

/** Top-level keys of a declared metadata object (empty for non-objects). */
export function declaredKeys(declared: unknown): string[] {
  return Object.keys(asObject(declared)).sort();
}

/** Keys managed before but no longer declared: to be deleted from the stored value. */
export function removedKeys(declared: unknown, previouslyManaged: readonly string[]): string[] {
  const now = new Set(declaredKeys(declared));
  return previouslyManaged.filter((k) => !now.has(k)).sort();
}

/** True when the stored value `live` must change to satisfy `declared`. */
export function metadataDiffers(
  mode: MetadataOwnership,
  declared: unknown,
  live: unknown,
  previouslyManaged: readonly string[],
): boolean {
  if (mode === "replace") return !jsonEqual(declared, live ?? null);
  const liveObject = asObject(live);
  if (live === null || typeof live !== "object" || Array.isArray(live)) return true;
  const want = asObject(declared);
  for (const key of Object.keys(want)) {
    if (
      !Object.prototype.hasOwnProperty.call(liveObject, key) ||
      !jsonEqual(want[key], liveObject[key])
    ) {
      return true;
    }
  }
  return removedKeys(declared, previouslyManaged).some((k) =>
    Object.prototype.hasOwnProperty.call(liveObject, k),
  );
}

/** The value to send: the declaration (replace), or live ∪ declared − removed keys (keys). */
export function mergeMetadata(
  mode: MetadataOwnership,
  declared: JsonValue,
  live: unknown,
  previouslyManaged: readonly string[],
): JsonValue {
  if (mode === "replace") return declared;
  const merged: JsonObject = { ...asObject(live) };
  for (const key of removedKeys(declared, previouslyManaged)) delete merged[key];
  Object.assign(merged, asObject(declared));
  return merged;
}

/** Keys present in the stored value that this resource does not manage. */
export function externalKeys(live: unknown, managed: readonly string[]): string[] {
  const mine = new Set(managed);
  return Object.keys(asObject(live))
    .filter((k) => !mine.has(k))
    .sort();
}
