// The shapes the provider exchanges with the engine: resolved inputs (what `check` returns and
// the engine stores as inputs) and outputs (state). Plain JSON only: no `undefined` anywhere,
// since the engine's Struct encoding rejects it (pulumi-dynamic.md §5). Never a password.
import type { JsonObject, JsonValue } from "./json";
import type {
  MetadataOwnership,
  OnConflictPolicy,
  OnDeletePolicy,
  SecondFactorPolicy,
} from "./user-fields";

/** How the resource found its user: a given id, adoption by a natural key, or creation. */
export type UserOrigin = "userId" | "adopt" | "create";

/** Adopt an existing user by exactly one natural key. */
export interface AdoptKey {
  email?: string;
  username?: string;
}

/** Inputs after `check`; absent = not managed. `password` never survives `check`. */
export interface UserInputs {
  userId?: string;
  adopt?: AdoptKey;
  /** Create-only: the new user's primary email address. */
  emailAddress?: string;
  /** Create-only: the new user's phone number. */
  phoneNumber?: string;
  firstName?: string;
  lastName?: string;
  username?: string;
  disabled?: boolean;
  secondFactorPolicy?: SecondFactorPolicy;
  publicMetadata?: JsonValue;
  privateMetadata?: JsonValue;
  publicMetadataSchema?: JsonObject;
  privateMetadataSchema?: JsonObject;
  metadataOwnership?: MetadataOwnership;
  /** Path of the image file, as declared (relative to the program directory). */
  profileImage?: string;
  /** sha256 (hex) of the image file's bytes, computed by `check`. */
  profileImageSha256?: string;
  removeProfileImage?: boolean;
  /** Bump to set `password` again. */
  passwordVersion?: string;
  skipPasswordCheck?: boolean;
  /** A random handle to the password kept in the provider process's memory by `check`. */
  passwordHandle?: string;
  onDelete: OnDeletePolicy;
  onConflict?: OnConflictPolicy;
  allowLockout?: boolean;
}

/** An email address of the user, as exported (volatile fields such as `verified_at` dropped). */
export interface UserEmailOutput {
  id: string;
  email: string;
  isPrimary: boolean;
  verified: boolean;
}

/** A phone number of the user, as exported. */
export interface UserPhoneOutput {
  id: string;
  phoneNumber: string;
  countryCode: string | null;
  isPrimary: boolean;
  verified: boolean;
}

/** A segment (organization, workspace or user) the user belongs to. */
export interface UserSegmentOutput {
  id: string;
  name: string;
  type: string;
}

/** State of a `wacht.User`: the live user as last read, plus what the declaration said. */
export interface UserOutputs {
  userId: string;
  /** How the user was found: `userId`, `adopt` or `create`. */
  origin: UserOrigin;
  /** The adoption key, when `origin` is `adopt`. */
  adopt: AdoptKey | null;
  firstName: string;
  lastName: string;
  /** `null` when the user has no username. */
  username: string | null;
  disabled: boolean;
  secondFactorPolicy: string;
  publicMetadata: JsonValue;
  privateMetadata: JsonValue;
  metadataOwnership: MetadataOwnership;
  /** With `metadataOwnership: "keys"`: the top-level keys this resource manages. */
  managedPublicMetadataKeys: string[];
  managedPrivateMetadataKeys: string[];
  /** With `metadataOwnership: "keys"`: keys written by someone else (apps, admins), left alone. */
  externalPublicMetadataKeys: string[];
  externalPrivateMetadataKeys: string[];
  /** `""` when the user has no image. */
  profilePictureUrl: string;
  /** The declared image path, or `null`. */
  profileImage: string | null;
  /** sha256 of the image this provider last uploaded, or `null`. */
  profileImageSha256: string | null;
  removeProfileImage: boolean;
  /** The declared password version (never the password), or `null`. */
  passwordVersion: string | null;
  onDelete: OnDeletePolicy;
  onConflict: OnConflictPolicy;
  /** The declared fields, so `read` can rebuild the inputs after a refresh. */
  managedFields: string[];
  primaryEmailAddress: string | null;
  primaryPhoneNumber: string | null;
  createdAt: string;
  updatedAt: string;
  hasPassword: boolean;
  hasBackupCodes: boolean;
  emailAddresses: UserEmailOutput[];
  phoneNumbers: UserPhoneOutput[];
  segments: UserSegmentOutput[];
}
