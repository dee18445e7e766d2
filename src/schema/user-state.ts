// The shapes the provider exchanges with the engine: resolved inputs (what `check` returns and
// the engine stores as inputs) and outputs (state). Plain JSON only: no `undefined` anywhere,
// since the engine's Struct encoding rejects it (docs/pulumi-engine.md §5). Never a password.
import type { z } from "zod";
import type { KeyListName, ProfileField, RecordedCreateField } from "./user-field-lists";
import type { USER_FIELDS } from "./user-field-table";
import type { ApiUserDetails } from "./wire";
import type { buildUserInputsSchema } from "./user-inputs";
import type { MetadataOwnership, OnConflictPolicy, OnDeletePolicy, UNKNOWN } from "./user-fields";

/** Values at preview: each top-level value may be the engine's unknown (docs/pulumi-engine.md §2). */
export type Previewable<T> = { [K in keyof T]: T[K] | typeof UNKNOWN };

/** How the resource found its user: a given id, adoption by a natural key, or creation. */
export type UserOrigin = "userId" | "adopt" | "create";

/** Adopt an existing user by exactly one natural key. */
export interface AdoptKey {
  email?: string;
  username?: string;
}

/** What the declaration schema (user-inputs.ts) yields for a valid declaration. */
type CheckedDeclaration = z.output<ReturnType<typeof buildUserInputsSchema>>;

/**
 * Inputs after `check` (what the engine stores and hands to create and update), inferred from
 * the declaration schema: absent = not managed. `password` never survives `check`: only a handle
 * to it, kept in the provider process's memory, does.
 */
export type UserInputs = Omit<CheckedDeclaration, "password" | "passwordVersion" | "onDelete"> & {
  /** Bump to set `password` again (a number is kept as its string). */
  passwordVersion?: string;
  /** sha256 (hex) of the image file's bytes, computed by `check`. */
  profileImageSha256?: string;
  /** A random handle to the password kept in the provider process's memory by `check`. */
  passwordHandle?: string;
  /** Always set by `check` (its default is beside delete). */
  onDelete: OnDeletePolicy;
};

/**
 * A declaration before `check` validated it: the schema's keys and `check`'s own, each of any
 * value (a preview unknown included). Only `check` reads one.
 */
export type RawDeclaration = {
  [
    K in
      | keyof z.input<ReturnType<typeof buildUserInputsSchema>>
      | "profileImageSha256"
      | "passwordHandle"
  ]?: unknown;
};

/** The checked inputs as a create or update receives them (the engine adds `__provider`). */
export type UserDeclaration = UserInputs & { __provider?: unknown };

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

/**
 * A segment the user is in: a targeting label, NOT a membership (roles live on organization and
 * workspace memberships: docs/wacht-memberships.md §1).
 */
export interface UserSegmentOutput {
  id: string;
  name: string;
  type: string;
}

/**
 * The scalar outputs: one per profile field of the field table, typed as the details field its
 * `read` column names (e.g. `username` is `string | null`, as in the details).
 */
export type ScalarOutputs = {
  [K in ProfileField]: ApiUserDetails[(typeof USER_FIELDS)[K]["read"]];
};

/** The create-only fields as declared (`null` when not), one per {@link RecordedCreateField}. */
export type RecordedCreateOutputs = {
  [K in RecordedCreateField]: Exclude<UserInputs[K], undefined> | null;
};

/** The state keys that hold the live user besides the profile fields (the server's half). */
export const LIVE_KEYS = [
  "userId",
  "profilePictureUrl",
  "primaryEmailAddress",
  "primaryPhoneNumber",
  "createdAt",
  "updatedAt",
  "hasPassword",
  "hasBackupCodes",
  "emailAddresses",
  "phoneNumbers",
  "segments",
] as const;

/** The user as the server holds it (last read, or presumed), in the state's names. */
export type LiveUser = ScalarOutputs & Pick<UserOutputs, (typeof LIVE_KEYS)[number]>;

/**
 * With `metadataOwnership: "keys"`, per metadata field of the table: the top-level keys this
 * resource manages, and those written by someone else (apps, admins), left alone.
 */
export type MetadataKeyLists = Record<KeyListName<"managed" | "external">, string[]>;

/** State of a `wacht.User`: the live user as last read, plus what the declaration said. */
export interface UserOutputs extends ScalarOutputs, RecordedCreateOutputs, MetadataKeyLists {
  userId: string;
  /** How the user was found: `userId`, `adopt` or `create`. */
  origin: UserOrigin;
  /** The adoption key, when `origin` is `adopt`. */
  adopt: AdoptKey | null;
  metadataOwnership: MetadataOwnership;
  /** `""` when the user has no image. */
  profilePictureUrl: string;
  /** The declared image path, or `null`. */
  profileImage: string | null;
  /** sha256 of the image this provider last uploaded, or `null`. */
  profileImageSha256: string | null;
  removeProfileImage: boolean;
  /** Declared values no request reads back, so a refresh keeps them in the inputs; or `null`. */
  allowLockout: boolean | null;
  disableAfter: string | null;
  publicMetadataSchema: Record<string, unknown> | null;
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
