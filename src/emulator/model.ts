// The emulator's stored records: what a row set of the real database holds for one user, in a
// JSON-friendly form (µs timestamps as numbers, ids as decimal strings) so the whole store can be
// written to a state file and read back unchanged.
import type { JsonValue } from "../schema/json";
import type { SecondFactorPolicy } from "../schema/user-field-table";
import type { EpochMicros } from "./clock";

/** A row of `user_email_addresses`. */
export interface StoredEmail {
  id: string;
  createdAt: EpochMicros;
  updatedAt: EpochMicros;
  email: string;
  isPrimary: boolean;
  verified: boolean;
  /** `null` is rendered as "now" on every read (§5). */
  verifiedAt: EpochMicros | null;
  verificationStrategy: string;
}

/** A row of `user_phone_numbers`. `countryCode: null` makes the list's phone concat null (§5). */
export interface StoredPhone {
  id: string;
  createdAt: EpochMicros;
  updatedAt: EpochMicros;
  phoneNumber: string;
  countryCode: string | null;
  verified: boolean;
  verifiedAt: EpochMicros | null;
}

/** A social connection; its tokens are returned decrypted by the details route (§5). */
export interface StoredSocialConnection {
  id: string;
  createdAt: EpochMicros;
  updatedAt: EpochMicros;
  userEmailAddressId: string | null;
  provider: string;
  emailAddress: string;
  accessToken: string;
  refreshToken: string;
}

/** Bookkeeping of the last uploaded profile image, for tests (the URL alone is stable). */
export interface StoredImage {
  contentType: string;
  size: number;
  sha256: string;
  uploads: number;
}

/** One user with everything the details route and the control routes show. */
export interface StoredUser {
  id: string;
  deploymentId: string;
  createdAt: EpochMicros;
  updatedAt: EpochMicros;
  firstName: string;
  lastName: string;
  /** `""` when the user has none. */
  username: string;
  profilePictureUrl: string;
  schemaVersion: "v1" | "v2";
  disabled: boolean;
  secondFactorPolicy: SecondFactorPolicy;
  availability: string;
  lastPasswordResetAt: EpochMicros | null;
  publicMetadata: JsonValue;
  privateMetadata: JsonValue;
  primaryEmailAddressId: string | null;
  primaryPhoneNumberId: string | null;
  emails: StoredEmail[];
  phones: StoredPhone[];
  socialConnections: StoredSocialConnection[];
  hasPassword: boolean;
  hasBackupCodes: boolean;
  /** Number of TOTP authenticators (second factors). */
  authenticators: number;
  /** Number of sign-ins; `disabled=true` deletes them all (§3). */
  signIns: number;
  image: StoredImage | null;
  /** The search-index text the list route currently sees (`null`: not indexed yet, §6). */
  searchText: string | null;
  /** A newer index text that becomes visible at `visibleAtMs` (search-index lag). */
  pendingSearch: { text: string; visibleAtMs: number } | null;
}
