// Field-level diff of a `wacht.User` declaration against the last read state. Pure and
// synchronous: zero HTTP requests (issue #4). Only declared fields are compared, so a field left
// out of the declaration is never diffed; metadata is compared as JSON values; `userId` replaces.
import type { UserOutputs } from "../schema/user-state";
import { PROFILE_FIELDS, UNKNOWN, type ManagedField } from "../schema/user-fields";
import { jsonEqual } from "./json-equal";

/** The result of {@link diffUser}. */
export interface UserDiff {
  /** True when an update (or replacement) is needed. */
  changes: boolean;
  /** Properties whose change forces a replacement (only `userId`). */
  replaces: string[];
  /** Managed fields whose declared value differs from the state (these go into the PATCH). */
  changedFields: ManagedField[];
  /** Declaration-only properties that changed without touching the user (e.g. `onDelete`). */
  changedSettings: string[];
}

/** The part of the state the diff reads; older states may lack keys, so all are optional. */
export type DiffableState = Partial<UserOutputs>;

/**
 * Compares the declaration `news` (checked inputs) with `olds` (the state: outputs of the last
 * create, update or refresh). Values equal to the preview-unknown sentinel count as changed.
 */
export function diffUser(olds: DiffableState, news: Record<string, unknown>): UserDiff {
  const replaces: string[] = [];
  const changedFields: ManagedField[] = [];
  const changedSettings: string[] = [];

  if (news["userId"] === UNKNOWN || (olds.userId !== undefined && news["userId"] !== olds.userId)) {
    replaces.push("userId");
  }

  for (const field of PROFILE_FIELDS) {
    const declared = news[field];
    if (declared === undefined) continue;
    if (declared === UNKNOWN || !jsonEqual(declared, olds[field] ?? null))
      changedFields.push(field);
  }

  if (news["profileImage"] !== undefined) {
    const imageUnknown =
      news["profileImage"] === UNKNOWN || news["profileImageSha256"] === undefined;
    const neverUploaded = olds.profileImageSha256 !== news["profileImageSha256"];
    // Removed (or replaced by an image of another format) out of band: the URL is the only
    // drift signal, since re-uploads keep the same URL (wacht-api.md §3).
    const removedOutOfBand = (olds.profilePictureUrl ?? "") === "";
    if (imageUnknown || neverUploaded || removedOutOfBand) changedFields.push("profileImage");
  }

  if (news["removeProfileImage"] === UNKNOWN) {
    changedFields.push("removeProfileImage");
  } else if (news["removeProfileImage"] === true && (olds.profilePictureUrl ?? "") !== "") {
    changedFields.push("removeProfileImage");
  }

  const onDelete = news["onDelete"] ?? "retain";
  if (olds.onDelete !== undefined && onDelete !== olds.onDelete) changedSettings.push("onDelete");
  if (
    news["profileImage"] !== undefined &&
    news["profileImage"] !== (olds.profileImage ?? undefined)
  ) {
    // A new path to the same bytes changes no user, but the state should follow the declaration.
    if (!changedFields.includes("profileImage")) changedSettings.push("profileImage");
  }

  return {
    changes: replaces.length > 0 || changedFields.length > 0 || changedSettings.length > 0,
    replaces,
    changedFields,
    changedSettings,
  };
}
