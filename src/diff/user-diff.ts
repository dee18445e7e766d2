// Field-level diff of a `wacht.User` declaration against the last read state. Pure and
// synchronous: zero HTTP requests (issue #4). Only declared fields are compared, so a field left
// out of the declaration is never diffed; metadata is compared as JSON values (whole value, or
// only the managed keys with `metadataOwnership: "keys"`); a change of identity replaces.
import type { Previewable, UserDeclaration, UserOrigin, UserOutputs } from "../schema/user-state";
import { PROFILE_FIELDS, UNKNOWN, type ManagedField } from "../schema/user-fields";
import { DEFAULT_ON_CONFLICT } from "./conflicts";
import { jsonEqual } from "./json-equal";
import { declaredKeys, metadataDiffers } from "./metadata-ownership";

/** State value of `passwordVersion` when setting the declared password failed: retried next time. */
export const PASSWORD_PENDING = "(password not set yet)";

/** The result of {@link diffUser}. */
export interface UserDiff {
  /** True when an update (or replacement) is needed. */
  changes: boolean;
  /** Properties whose change forces a replacement (`userId`, `adopt`, or a switch to creation). */
  replaces: string[];
  /** Managed fields whose declared value differs from the state (these go into the PATCH). */
  changedFields: ManagedField[];
  /** True when `passwordVersion` changed: the password is set again. */
  passwordChanged: boolean;
  /** Declaration-only properties that changed without touching the user (e.g. `onDelete`). */
  changedSettings: string[];
}

/** The part of the state the diff reads; older states may lack keys, so all are optional. */
export type DiffableState = Partial<UserOutputs>;

/**
 * The declaration as diff sees it: checked inputs whose values may be the preview unknown, and
 * whose keys may be missing (an older state's inputs, a declaration being written).
 */
export type DiffableDeclaration = Partial<Previewable<UserDeclaration>>;

/** Where a declaration (checked or not) says the user comes from: the one rule for it. */
export function originOf(news: { userId?: unknown; adopt?: unknown }): UserOrigin {
  if (news.userId !== undefined) return "userId";
  if (news.adopt !== undefined) return "adopt";
  return "create";
}

function identityReplaces(olds: DiffableState, news: DiffableDeclaration): string[] {
  if (olds.userId === undefined) return [];
  const oldOrigin = olds.origin ?? "userId";
  switch (originOf(news)) {
    case "userId":
      return news.userId === UNKNOWN || news.userId !== olds.userId ? ["userId"] : [];
    case "adopt":
      return oldOrigin !== "adopt" || !jsonEqual(olds.adopt ?? null, news.adopt) ? ["adopt"] : [];
    case "create":
      // Pinning nothing and declaring a new user where an existing one was managed: a new user.
      return oldOrigin === "create" ? [] : ["userId"];
  }
}

/**
 * Compares the declaration `news` (checked inputs) with `olds` (the state: outputs of the last
 * create, update or refresh). Values equal to the preview-unknown sentinel count as changed.
 */
export function diffUser(olds: DiffableState, news: DiffableDeclaration): UserDiff {
  const replaces = identityReplaces(olds, news);
  const changedFields: ManagedField[] = [];
  const changedSettings: string[] = [];
  const mode = news.metadataOwnership === "keys" ? "keys" : "replace";

  for (const field of PROFILE_FIELDS) {
    const declared = news[field];
    if (declared === undefined) continue;
    if (declared === UNKNOWN) {
      changedFields.push(field);
    } else if (field === "publicMetadata" || field === "privateMetadata") {
      const managed =
        (field === "publicMetadata"
          ? olds.managedPublicMetadataKeys
          : olds.managedPrivateMetadataKeys) ?? [];
      if (metadataDiffers(mode, declared, olds[field], managed)) changedFields.push(field);
    } else if (!jsonEqual(declared, olds[field] ?? null)) {
      changedFields.push(field);
    }
  }

  if (news.profileImage !== undefined) {
    const imageUnknown = news.profileImage === UNKNOWN || news["profileImageSha256"] === undefined;
    const notUploaded = olds.profileImageSha256 !== news["profileImageSha256"];
    // Removed (or replaced) out of band: the URL is the only drift signal, since a re-upload
    // keeps the same URL (docs/wacht-api.md §3).
    const removedOutOfBand = (olds.profilePictureUrl ?? "") === "";
    if (imageUnknown || notUploaded || removedOutOfBand) changedFields.push("profileImage");
  }

  if (news.removeProfileImage === UNKNOWN) {
    changedFields.push("removeProfileImage");
  } else if (news.removeProfileImage === true && (olds.profilePictureUrl ?? "") !== "") {
    changedFields.push("removeProfileImage");
  }

  const passwordVersion = news.passwordVersion;
  const passwordChanged =
    (passwordVersion !== undefined &&
      (passwordVersion === UNKNOWN || passwordVersion !== (olds.passwordVersion ?? null))) ||
    (olds.passwordVersion === PASSWORD_PENDING && news.passwordHandle !== undefined);

  // Ownership settings must reach state even when the values already match, or a later key
  // removal would never be applied (the removed keys are computed from the recorded ones).
  if ((news.metadataOwnership ?? "replace") !== (olds.metadataOwnership ?? "replace")) {
    changedSettings.push("metadataOwnership");
  }
  if (mode === "keys") {
    for (const [field, recorded] of [
      ["publicMetadata", olds.managedPublicMetadataKeys],
      ["privateMetadata", olds.managedPrivateMetadataKeys],
    ] as const) {
      if (
        news[field] !== undefined &&
        news[field] !== UNKNOWN &&
        !jsonEqual(declaredKeys(news[field]), [...(recorded ?? [])].sort())
      ) {
        changedSettings.push(`${field} keys`);
      }
    }
  }
  const onConflict = news.onConflict ?? DEFAULT_ON_CONFLICT;
  if (onConflict !== (olds.onConflict ?? DEFAULT_ON_CONFLICT) && olds.userId !== undefined) {
    changedSettings.push("onConflict");
  }

  // Declared settings no request sends (check judges them): a change updates the state only, with
  // no request, so the plan shows it (an expiry moved in a PR) and a refresh's inputs stay right.
  // A state written before the state recorded them (the key missing) is left as it is.
  for (const key of ["allowLockout", "disableAfter", "publicMetadataSchema"] as const) {
    const recorded = olds[key];
    if (recorded === undefined || olds.userId === undefined) continue;
    if (news[key] === UNKNOWN || !jsonEqual(news[key] ?? null, recorded)) {
      changedSettings.push(key);
    }
  }

  // A placeholder state (a created user that could not be read) is completed by an update.
  if (olds.userId !== undefined && olds.updatedAt === undefined && olds.origin !== undefined) {
    changedSettings.push("(unread state)");
  }

  // check always sets onDelete (its default is beside delete, provider/delete.ts).
  const onDelete = news.onDelete;
  if (olds.onDelete !== undefined && onDelete !== undefined && onDelete !== olds.onDelete) {
    changedSettings.push("onDelete");
  }
  if (
    news.profileImage !== undefined &&
    news.profileImage !== (olds.profileImage ?? undefined) &&
    !changedFields.includes("profileImage")
  ) {
    changedSettings.push("profileImage"); // same bytes at a new path: state follows the declaration
  }

  return {
    changes:
      replaces.length > 0 ||
      changedFields.length > 0 ||
      passwordChanged ||
      changedSettings.length > 0,
    replaces,
    changedFields,
    passwordChanged,
    changedSettings,
  };
}
