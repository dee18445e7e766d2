// The lost-update guard (issue #5). Right before a PATCH the provider reads the user again; if
// `updated_at` moved since the state was read AND a field about to be written changed, someone
// else edited it (Wacht has no ETag/If-Match, last writer wins). Pure: it compares snapshots.
import type { OnConflictPolicy } from "../schema/user-fields";
import type { UserOutputs } from "../schema/user-state";
import { fieldRow, type ManagedField } from "../schema/user-field-lists";
import { jsonEqual } from "./json-equal";
import { sameInstant } from "./timestamps";

/** What an update does on someone else's edit when `onConflict` is not declared (check sets it). */
export const DEFAULT_ON_CONFLICT: OnConflictPolicy = "fail";

/** One field that changed on the server since the last read. */
export interface FieldConflict {
  field: ManagedField;
  /** The value in state (what we last read). */
  stateValue: unknown;
  /** The value now on the server. */
  liveValue: unknown;
  /** What the declaration wants to write. */
  declaredValue: unknown;
}

type Snapshot = Pick<
  UserOutputs,
  "updatedAt" | "profilePictureUrl" | "publicMetadata" | "privateMetadata"
> &
  Partial<UserOutputs>;

function pickKeys(value: unknown, keys: readonly string[] | null): unknown {
  if (keys === null) return value;
  const obj = value !== null && typeof value === "object" && !Array.isArray(value) ? value : {};
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = (obj as Record<string, unknown>)[k] ?? null;
  return out;
}

/**
 * Fields in `fields` whose live value differs from the state's, when the user was updated since
 * the state was read. `metadataKeys` limits the metadata comparison to managed keys ("keys" mode).
 */
export function findConflicts(
  state: Snapshot,
  live: Snapshot,
  fields: readonly ManagedField[],
  declared: Record<string, unknown>,
  metadataKeys: Readonly<Record<string, readonly string[] | null>>,
): FieldConflict[] {
  // No read time in state (e.g. a placeholder after a failed create): nothing to compare with.
  if (!state.updatedAt || sameInstant(state.updatedAt, live.updatedAt)) return [];
  const conflicts: FieldConflict[] = [];
  for (const field of fields) {
    // The image is seen only through its URL.
    const image = field === "profileImage" || field === "removeProfileImage";
    const keys = metadataKeys[field] ?? null;
    const before = image ? state.profilePictureUrl : pickKeys(state[field] ?? null, keys);
    const now = image ? live.profilePictureUrl : pickKeys(live[field] ?? null, keys);
    if (!jsonEqual(before, now)) {
      conflicts.push({ field, stateValue: before, liveValue: now, declaredValue: declared[field] });
    }
  }
  return conflicts;
}

function show(value: unknown, secret: boolean): string {
  return secret ? "[secret]" : JSON.stringify(value);
}

/** The lost-update report: one line per field someone else changed (secret fields masked). */
export function conflictMessage(
  userId: string,
  stateUpdatedAt: string | undefined,
  liveUpdatedAt: string,
  conflicts: readonly FieldConflict[],
): string {
  const lines = conflicts.map((c) => {
    const secret = fieldRow(c.field).secret;
    return `  - ${c.field}: was ${show(c.stateValue, secret)} at the last read, is now ${show(c.liveValue, secret)}, the declaration wants ${show(c.declaredValue, secret)}`;
  });
  return [
    `Wacht user ${userId} was changed by someone else since it was last read ` +
      `(updated_at ${stateUpdatedAt ?? "?"} → ${liveUpdatedAt}); not overwriting:`,
    ...lines,
    `Run \`pulumi refresh\` to review the live values, update the declaration, or set onConflict: "overwrite".`,
  ].join("\n");
}
