// Call parameters of the users API, camelCase (the wire names are snake_case, see multipart.ts).
// Types only; values are checked where they are encoded (multipart.ts, users-api.ts).

import type { JsonValue } from "../schema/json";
import type { SecondFactorPolicy } from "../schema/wire";

/**
 * Changes for PATCH /users/{id}. Only the given fields are sent; each replaces the stored value
 * (metadata is replaced, never merged). Empty first/last/user names are refused: the server ignores
 * `""`, so a name cannot be cleared (docs/wacht-api.md §3).
 */
export interface UserUpdate {
  firstName?: string;
  lastName?: string;
  username?: string;
  /** `true` also deletes every sign-in (session) of the user. */
  disabled?: boolean;
  secondFactorPolicy?: SecondFactorPolicy;
  publicMetadata?: JsonValue;
  privateMetadata?: JsonValue;
  /** PNG, JPEG, GIF, WEBP or ICO bytes; the real Content-Type is sniffed from them. */
  profileImage?: Uint8Array;
  /** `true` removes the profile image (cannot be combined with profileImage). */
  removeProfileImage?: boolean;
}

/** Fields for POST /users. Which are required depends on the deployment's auth settings. */
export interface UserCreate {
  firstName?: string;
  lastName?: string;
  emailAddress?: string;
  phoneNumber?: string;
  username?: string;
  password?: string;
  skipPasswordCheck?: boolean;
  profileImage?: Uint8Array;
}

/** GET /users sort keys. */
export type UserSortKey = "created_at" | "username" | "email" | "phone_number";

/** Query of GET /users (one page). */
export interface ListUsersParams {
  /** Page size; the server default is 10 and it has no maximum. */
  limit?: number;
  offset?: number;
  sortKey?: UserSortKey;
  sortOrder?: "asc" | "desc";
  /** Case-insensitive substring; the search index is updated asynchronously by the server. */
  search?: string;
}

/** Parameters of listAll(): the list filters plus a page size. */
export interface ListAllUsersParams extends Omit<ListUsersParams, "limit" | "offset"> {
  /** @default 100 */
  pageSize?: number;
}

/** Options of setPassword(). */
export interface SetPasswordOptions {
  /** Skip the deployment's password rules. @default false */
  skipPasswordCheck?: boolean;
}
