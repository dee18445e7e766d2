// Which managed fields a PATCH must send: the declared value differs from the user's (the state's
// last read, or the live user the update plans against). Only declared fields are compared, so a
// field left out of the declaration is never diffed. Pure.
import { keyList } from "../schema/user-field-lists";
import { PROFILE_FIELDS, UNKNOWN, type ManagedField } from "../schema/user-fields";
import type { Previewable, UserDeclaration, UserOutputs } from "../schema/user-state";
import { jsonEqual } from "./json-equal";
import { metadataDiffers } from "./metadata-ownership";

/** The part of a state the diff reads; older states may lack keys, so all are optional. */
export type DiffableState = Partial<UserOutputs>;

/**
 * The declaration as diff sees it: checked inputs whose values may be the preview unknown, and
 * whose keys may be missing (an older state's inputs, a declaration being written).
 */
export type DiffableDeclaration = Partial<Previewable<UserDeclaration>>;

/** Managed fields whose declared value differs from `user`'s; a preview unknown counts as changed. */
export function changedFields(user: DiffableState, news: DiffableDeclaration): ManagedField[] {
  const changed: ManagedField[] = [];
  const mode = news.metadataOwnership === "keys" ? "keys" : "replace";
  for (const field of PROFILE_FIELDS) {
    const declared = news[field];
    if (declared === undefined) continue;
    if (declared === UNKNOWN) {
      changed.push(field);
    } else if (field === "publicMetadata" || field === "privateMetadata") {
      const managed = user[keyList("managed", field)] ?? [];
      if (metadataDiffers(mode, declared, user[field], managed)) changed.push(field);
    } else if (!jsonEqual(declared, user[field] ?? null)) {
      changed.push(field);
    }
  }
  // The image is compared by the hash of what this provider uploaded, and by the URL: removed
  // (or replaced) out of band is the only drift a re-upload's unchanged URL shows (§3).
  const noImage = (user.profilePictureUrl ?? "") === "";
  if (
    news.profileImage !== undefined &&
    (news.profileImage === UNKNOWN ||
      news.profileImageSha256 === undefined ||
      user.profileImageSha256 !== news.profileImageSha256 ||
      noImage)
  ) {
    changed.push("profileImage");
  }
  if (news.removeProfileImage === UNKNOWN || (news.removeProfileImage === true && !noImage)) {
    changed.push("removeProfileImage");
  }
  return changed;
}
