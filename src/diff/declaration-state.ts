// A wacht.User's state: the live user and, beside it, what the declaration said (DeclarationState),
// read from checked inputs or from a state, with the defaults of the declaration-side policies.
// With provider/expand.ts (declaration → request) and provider/live/live-user.ts (wire → live
// user), the only place that maps declaration and state. Pure.
import type {
  AdoptKey,
  LiveUser,
  RecordedCreateOutputs,
  UserInputs,
  UserOrigin,
  UserOutputs,
} from "../schema/user-state";
import type { MetadataOwnership, OnConflictPolicy, OnDeletePolicy } from "../schema/user-fields";
import {
  RECORDED_CREATE_FIELDS,
  UPDATE_FIELDS,
  type RecordedCreateField,
} from "../schema/user-field-lists";
import { DEFAULT_ON_CONFLICT } from "./conflicts";
import { declaredKeys, externalKeys } from "./metadata-ownership";

/** Where a declaration (checked or not) says the user comes from: the one rule for it. */
export function originOf(news: { userId?: unknown; adopt?: unknown }): UserOrigin {
  if (news.userId !== undefined) return "userId";
  if (news.adopt !== undefined) return "adopt";
  return "create";
}

/**
 * The onDelete policy when the declaration names none (check fills it in): a user the resource
 * creates is its own, so deleting the resource deletes it; a user it was given (userId) or
 * adopted belongs to someone else first and is kept.
 */
export function defaultOnDelete(origin: UserOrigin): OnDeletePolicy {
  return origin === "create" ? "delete" : "retain";
}

/** The declaration-side values that the state keeps next to the live user. */
export interface DeclarationState extends RecordedCreateOutputs {
  origin: UserOrigin;
  adopt: AdoptKey | null;
  onDelete: OnDeletePolicy;
  onConflict: OnConflictPolicy;
  metadataOwnership: MetadataOwnership;
  managedPublicMetadataKeys: string[];
  managedPrivateMetadataKeys: string[];
  profileImage: string | null;
  profileImageSha256: string | null;
  /**
   * Declared values that no request reads back (create-only parts and check-only settings): kept
   * so a refresh's inputs still carry them (read.ts), or a plan after a refresh would show each as
   * newly added. `null` when not declared. The create-only fields too (RecordedCreateOutputs).
   */
  allowLockout: boolean | null;
  disableAfter: string | null;
  publicMetadataSchema: Record<string, unknown> | null;
  removeProfileImage: boolean;
  passwordVersion: string | null;
  managedFields: string[];
}

/** Reads the declaration-side values out of checked inputs. */
export function declarationOf(inputs: Partial<UserInputs>): DeclarationState {
  const origin = originOf(inputs);
  const keysMode = inputs.metadataOwnership === "keys";
  return {
    origin,
    adopt: origin === "adopt" ? (inputs.adopt ?? null) : null,
    onDelete: inputs.onDelete ?? defaultOnDelete(origin),
    onConflict: inputs.onConflict ?? DEFAULT_ON_CONFLICT,
    metadataOwnership: keysMode ? "keys" : "replace",
    managedPublicMetadataKeys: keysMode ? declaredKeys(inputs.publicMetadata) : [],
    managedPrivateMetadataKeys: keysMode ? declaredKeys(inputs.privateMetadata) : [],
    profileImage: inputs.profileImage ?? null,
    profileImageSha256: inputs.profileImageSha256 ?? null,
    ...recordedCreate(inputs),
    allowLockout: inputs.allowLockout ?? null,
    disableAfter: inputs.disableAfter ?? null,
    publicMetadataSchema: inputs.publicMetadataSchema ?? null,
    removeProfileImage: inputs.removeProfileImage === true,
    passwordVersion: inputs.passwordVersion !== undefined ? String(inputs.passwordVersion) : null,
    managedFields: UPDATE_FIELDS.filter((f) => inputs[f] !== undefined),
  };
}

/** The create-only fields as declared, `null` when not (from inputs, or from a state). */
function recordedCreate(
  from: Partial<Record<RecordedCreateField, string | boolean | null>>,
): RecordedCreateOutputs {
  const out: Record<string, string | boolean | null> = {};
  for (const field of RECORDED_CREATE_FIELDS) out[field] = from[field] ?? null;
  // Each value has its field's type (the inputs were checked; states were written from them).
  return out as RecordedCreateOutputs;
}

/** The declaration-side values kept in a state (for read and update without a declaration). */
export function declarationFromState(state: Partial<UserOutputs>): DeclarationState {
  return {
    origin: state.origin ?? "userId",
    adopt: state.adopt ?? null,
    onDelete: state.onDelete ?? defaultOnDelete(state.origin ?? "userId"),
    onConflict: state.onConflict ?? DEFAULT_ON_CONFLICT,
    metadataOwnership: state.metadataOwnership ?? "replace",
    managedPublicMetadataKeys: state.managedPublicMetadataKeys ?? [],
    managedPrivateMetadataKeys: state.managedPrivateMetadataKeys ?? [],
    profileImage: state.profileImage ?? null,
    profileImageSha256: state.profileImageSha256 ?? null,
    ...recordedCreate(state),
    allowLockout: state.allowLockout ?? null,
    disableAfter: state.disableAfter ?? null,
    publicMetadataSchema: state.publicMetadataSchema ?? null,
    removeProfileImage: state.removeProfileImage ?? false,
    passwordVersion: state.passwordVersion ?? null,
    managedFields: state.managedFields ?? [],
  };
}

/** The state of `live` under `declaration`. Every value is JSON; nothing is `undefined`. */
export function toOutputs(live: LiveUser, declaration: DeclarationState): UserOutputs {
  const keys = declaration.metadataOwnership === "keys";
  return {
    ...live,
    ...declaration,
    externalPublicMetadataKeys: keys
      ? externalKeys(live.publicMetadata, declaration.managedPublicMetadataKeys)
      : [],
    externalPrivateMetadataKeys: keys
      ? externalKeys(live.privateMetadata, declaration.managedPrivateMetadataKeys)
      : [],
  };
}

/**
 * The state of a user known only by id (created, but not readable right now): the id and the
 * declaration-side values, and NO live field, so nothing in it is wrong. The missing
 * `updatedAt` marks it: the next diff reports a change and the update reads the user first.
 */
export function placeholderOutputs(
  userId: string,
  declaration: DeclarationState,
): Partial<UserOutputs> {
  // DeclarationState is exactly the declaration-side part of UserOutputs.
  return { userId, ...declaration };
}
