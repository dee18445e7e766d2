// The shapes the provider exchanges with the engine: resolved inputs (what `check` returns and
// the engine stores as inputs) and outputs (state). Plain JSON only: no `undefined` anywhere,
// since the engine's Struct encoding rejects it (pulumi-dynamic.md §5).
import type { JsonValue } from "./json";
import type { OnDeletePolicy, SecondFactorPolicy } from "./user-fields";

/** Inputs after `check`: every key optional except `userId`; absent = not managed. */
export interface UserInputs {
  userId: string;
  firstName?: string;
  lastName?: string;
  username?: string;
  disabled?: boolean;
  secondFactorPolicy?: SecondFactorPolicy;
  publicMetadata?: JsonValue;
  privateMetadata?: JsonValue;
  /** Path of the image file, as declared (relative to the program directory). */
  profileImage?: string;
  /** sha256 (hex) of the image file's bytes, computed by `check`. */
  profileImageSha256?: string;
  removeProfileImage?: boolean;
  onDelete: OnDeletePolicy;
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
  firstName: string;
  lastName: string;
  /** `null` when the user has no username. */
  username: string | null;
  disabled: boolean;
  secondFactorPolicy: string;
  publicMetadata: JsonValue;
  privateMetadata: JsonValue;
  /** `""` when the user has no image. */
  profilePictureUrl: string;
  /** The declared image path, or `null`. */
  profileImage: string | null;
  /** sha256 of the image this provider last uploaded, or `null`. */
  profileImageSha256: string | null;
  removeProfileImage: boolean;
  onDelete: OnDeletePolicy;
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
