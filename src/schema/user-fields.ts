// The declaration-side policies, the preview sentinel and the size limits. The fields, their
// enums (docs/wacht-api.md §9) and lists are in user-field-table.ts and user-field-lists.ts.
export { PROFILE_FIELDS, type ManagedField } from "./user-field-lists";

/** What `delete` does to the Wacht user when the resource is deleted or replaced. */
export const ON_DELETE_POLICIES = ["retain", "disable", "delete"] as const;
export type OnDeletePolicy = (typeof ON_DELETE_POLICIES)[number];

/** How declared metadata relates to the stored value (issue #5). */
export const METADATA_OWNERSHIP_MODES = ["replace", "keys"] as const;
export type MetadataOwnership = (typeof METADATA_OWNERSHIP_MODES)[number];

/** What an update does when someone else changed a field it is about to write. */
export const ON_CONFLICT_POLICIES = ["fail", "overwrite"] as const;
export type OnConflictPolicy = (typeof ON_CONFLICT_POLICIES)[number];

/** The sentinel the engine sends for values not known during preview (docs/pulumi-engine.md §2). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * True when the preview-unknown sentinel appears anywhere in `value` (iteratively, and one item
 * at a time: spreading a list of 150,000 ids into `push` overflows the call stack).
 */
export function hasUnknown(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === UNKNOWN) return true;
    if (v !== null && typeof v === "object") {
      for (const item of Array.isArray(v) ? (v as unknown[]) : Object.values(v)) stack.push(item);
    }
  }
  return false;
}

/** Deployment defaults for username length (docs/wacht-api.md §3). */
export const DEFAULT_USERNAME_MIN_LENGTH = 3;
export const DEFAULT_USERNAME_MAX_LENGTH = 30;

/** The server's multipart body limit (axum default, docs/wacht-api.md §1). */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

/** Room kept in every request for the multipart framing and the part headers. */
export const FRAMING_RESERVE_BYTES = 64 * 1024;

/**
 * What the parts of one request may add up to, and so what any one part (a name, a metadata
 * value as JSON, the image) may be: the body limit less the framing reserve (1.93 MiB).
 */
export const REQUEST_PARTS_LIMIT_BYTES = MAX_BODY_BYTES - FRAMING_RESERVE_BYTES;

const UNITS = ["bytes", "KiB", "MiB", "GiB"] as const;

/**
 * Human units with the exact count: `1.93 MiB (2,031,616 bytes)`, `512 bytes`. Two decimals at
 * most, trailing zeros dropped (`2 MiB (2,097,152 bytes)`), rounded down so that a size just over
 * a limit never prints as the limit itself.
 */
export function humanBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const exact = `${bytes.toLocaleString("en-US")} bytes`;
  if (unit === 0) return exact;
  return `${String(Math.floor(value * 100) / 100)} ${UNITS[unit]} (${exact})`;
}
