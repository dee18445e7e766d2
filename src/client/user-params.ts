// Call parameters of the users API, camelCase (the wire names are snake_case, see multipart.ts).
// Types only, derived from the user field table; values are checked where they are encoded
// (multipart.ts, users-api.ts).

import type { JsonValue } from "../schema/json";
import type { USER_FIELDS, UserFieldName } from "../schema/user-field-table";

/** The call value of a field row: the kind decides it (an enum row's values type it). */
type CallValue<R> = R extends { kind: "bool" }
  ? boolean
  : R extends { kind: "json" }
    ? JsonValue
    : R extends { kind: "image" }
      ? Uint8Array
      : R extends { values: readonly (infer V)[] }
        ? V
        : string;

type Table = typeof USER_FIELDS;

/**
 * Changes for PATCH /users/{id}: the update fields of the user field table (`firstName`,
 * `lastName`, `username`, `disabled` — `true` also deletes every sign-in —, `secondFactorPolicy`,
 * `publicMetadata`, `privateMetadata`, `profileImage` as PNG/JPEG/GIF/WEBP/ICO bytes,
 * `removeProfileImage`). Only the given fields are sent; each replaces the stored value (metadata
 * is replaced, never merged). Empty names are refused: the server ignores `""`, so a name cannot
 * be cleared (docs/wacht-api.md §3).
 */
export type UserUpdate = {
  [K in UserFieldName as Table[K]["update"] extends true ? K : never]?: CallValue<Table[K]>;
};

/**
 * Fields for POST /users: the create fields of the table (`firstName`, `lastName`,
 * `emailAddress`, `phoneNumber`, `username`, `password`, `skipPasswordCheck`) and the image.
 * Which are required depends on the deployment's auth settings.
 */
export type UserCreate = {
  [K in UserFieldName as Table[K]["create"] extends true ? K : never]?: CallValue<Table[K]>;
} & { profileImage?: Uint8Array };

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
