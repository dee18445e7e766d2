// flatten: a wacht.User's state from a UserDetails snapshot (docs/wacht-api.md §5) and the declaration.
// With expand (expand.ts) the only place that maps wire and declaration; the scalar outputs come
// from the field table's `read` column.
// Volatile values (verified_at, which the server sets to "now" when NULL) and social-connection
// tokens never reach state; lists are sorted because the server returns them in no set order.
import type { ApiUserDetails } from "../schema/wire";
import type {
  AdoptKey,
  RecordedCreateOutputs,
  ScalarOutputs,
  UserInputs,
  UserOrigin,
  UserOutputs,
} from "../schema/user-state";
import type { MetadataOwnership, OnConflictPolicy, OnDeletePolicy } from "../schema/user-fields";
import {
  fieldRow,
  PROFILE_FIELDS,
  RECORDED_CREATE_FIELDS,
  UPDATE_FIELDS,
  type RecordedCreateField,
} from "../schema/user-field-lists";
import { declaredKeys, externalKeys } from "../diff/metadata-ownership";
import { DEFAULT_ON_CONFLICT } from "../diff/conflicts";
import { originOf } from "../diff/user-diff";
import { defaultOnDelete } from "./delete";

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

const byString =
  <T>(key: (item: T) => string) =>
  (a: T, b: T): number =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

/** The outputs named in the field table's `read` column, from the wire field it names. */
export function scalarOutputs(details: ApiUserDetails): ScalarOutputs {
  const wire = details as unknown as Record<string, unknown>;
  const outs: Record<string, unknown> = {};
  for (const name of PROFILE_FIELDS) outs[name] = wire[fieldRow(name).read as string] ?? null;
  // ApiUserDetails is validated by the client (wire.ts), so each value has its output's type.
  return outs as ScalarOutputs;
}

/** The state for `details` under `declaration`. Every value is JSON; nothing is `undefined`. */
export function toOutputs(details: ApiUserDetails, declaration: DeclarationState): UserOutputs {
  return {
    userId: details.id,
    origin: declaration.origin,
    adopt: declaration.adopt,
    ...scalarOutputs(details),
    metadataOwnership: declaration.metadataOwnership,
    managedPublicMetadataKeys: [...declaration.managedPublicMetadataKeys],
    managedPrivateMetadataKeys: [...declaration.managedPrivateMetadataKeys],
    externalPublicMetadataKeys:
      declaration.metadataOwnership === "keys"
        ? externalKeys(details.public_metadata, declaration.managedPublicMetadataKeys)
        : [],
    externalPrivateMetadataKeys:
      declaration.metadataOwnership === "keys"
        ? externalKeys(details.private_metadata, declaration.managedPrivateMetadataKeys)
        : [],
    profilePictureUrl: details.profile_picture_url,
    profileImage: declaration.profileImage,
    profileImageSha256: declaration.profileImageSha256,
    removeProfileImage: declaration.removeProfileImage,
    ...recordedCreate(declaration),
    allowLockout: declaration.allowLockout,
    disableAfter: declaration.disableAfter,
    publicMetadataSchema: declaration.publicMetadataSchema,
    passwordVersion: declaration.passwordVersion,
    onDelete: declaration.onDelete,
    onConflict: declaration.onConflict,
    managedFields: [...declaration.managedFields],
    primaryEmailAddress: details.primary_email_address ?? null,
    primaryPhoneNumber: details.primary_phone_number ?? null,
    createdAt: details.created_at,
    updatedAt: details.updated_at,
    hasPassword: details.has_password,
    hasBackupCodes: details.has_backup_codes,
    emailAddresses: details.email_addresses
      .map((e) => ({
        id: e.id,
        email: e.email,
        isPrimary: e.id === details.primary_email_address_id || e.is_primary,
        verified: e.verified,
      }))
      .sort(byString((e) => e.email)),
    phoneNumbers: details.phone_numbers
      .map((p) => ({
        id: p.id,
        phoneNumber: p.phone_number,
        countryCode: p.country_code ?? null,
        isPrimary: p.id === details.primary_phone_number_id,
        verified: p.verified,
      }))
      .sort(byString((p) => `${p.countryCode ?? ""}${p.phoneNumber}`)),
    segments: details.segments
      .map((s) => ({ id: s.id, name: s.name, type: s.type }))
      .sort(byString((s) => s.id)),
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
