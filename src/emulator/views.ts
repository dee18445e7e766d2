// The JSON shapes of docs/wacht-api.md §5, rendered from stored users: `UserDetails` (every key always
// present, username null when "", verified_at never null, social tokens included),
// `UserWithIdentifiers` for list items (username "" when unset, phone = country_code||phone) and
// for the create response (built "in memory": 9 fractional digits, profile_picture_url "").
import type { z } from "zod";
import type { ApiUserSummarySchema } from "../schema/wire";
import { formatTimestamp, type EpochMicros } from "./clock";
import type { StoredEmail, StoredPhone, StoredUser } from "./model";

/** `UserWithIdentifiers` (§5): list items and the POST /users response. */
export type UserWithIdentifiersJson = Required<z.input<typeof ApiUserSummarySchema>>;

const ts = (micros: EpochMicros): string => formatTimestamp(micros);

/** Renders one email; a NULL `verified_at` becomes the current time, as on the real server. */
export function emailView(user: StoredUser, e: StoredEmail, now: EpochMicros) {
  return {
    id: e.id,
    created_at: ts(e.createdAt),
    updated_at: ts(e.updatedAt),
    deployment_id: user.deploymentId,
    user_id: user.id,
    email: e.email,
    is_primary: e.isPrimary,
    verified: e.verified,
    verified_at: ts(e.verifiedAt ?? now),
    verification_strategy: e.verificationStrategy,
  };
}

/** Renders one phone; a NULL `verified_at` becomes the current time. */
export function phoneView(user: StoredUser, p: StoredPhone, now: EpochMicros) {
  return {
    id: p.id,
    created_at: ts(p.createdAt),
    updated_at: ts(p.updatedAt),
    user_id: user.id,
    phone_number: p.phoneNumber,
    country_code: p.countryCode,
    verified: p.verified,
    verified_at: ts(p.verifiedAt ?? now),
  };
}

/** The address of the user's primary email, as the list, search and member answers show it. */
export function primaryEmail(user: StoredUser): string | null {
  return user.emails.find((e) => e.id === user.primaryEmailAddressId)?.email ?? null;
}

export function primaryPhone(user: StoredUser): StoredPhone | undefined {
  return user.phones.find((p) => p.id === user.primaryPhoneNumberId);
}

/** The full `UserDetails` snapshot. `now` substitutes NULL `verified_at` values. */
export function detailsView(user: StoredUser, now: EpochMicros) {
  return {
    id: user.id,
    created_at: ts(user.createdAt),
    updated_at: ts(user.updatedAt),
    first_name: user.firstName,
    last_name: user.lastName,
    username: user.username === "" ? null : user.username,
    profile_picture_url: user.profilePictureUrl,
    schema_version: user.schemaVersion,
    disabled: user.disabled,
    second_factor_policy: user.secondFactorPolicy,
    availability: user.availability,
    last_password_reset_at: user.lastPasswordResetAt === null ? null : ts(user.lastPasswordResetAt),
    active_organization_membership_id: null,
    active_workspace_membership_id: null,
    deployment_id: user.deploymentId,
    public_metadata: user.publicMetadata,
    private_metadata: user.privateMetadata,
    primary_email_address_id: user.primaryEmailAddressId,
    primary_email_address: primaryEmail(user),
    primary_phone_number_id: user.primaryPhoneNumberId,
    primary_phone_number: primaryPhone(user)?.phoneNumber ?? null,
    email_addresses: user.emails.map((e) => emailView(user, e, now)),
    phone_numbers: user.phones.map((p) => phoneView(user, p, now)),
    social_connections: user.socialConnections.map((s) => ({
      id: s.id,
      created_at: ts(s.createdAt),
      updated_at: ts(s.updatedAt),
      user_id: user.id,
      user_email_address_id: s.userEmailAddressId,
      provider: s.provider,
      email_address: s.emailAddress,
      access_token: s.accessToken,
      refresh_token: s.refreshToken,
    })),
    segments: [] as never[],
    has_password: user.hasPassword,
    has_backup_codes: user.hasBackupCodes,
  };
}

/** A list item: username `""` when unset, phone `country_code || phone_number` (null if no cc). */
export function listItemView(user: StoredUser): UserWithIdentifiersJson {
  const phone = primaryPhone(user);
  return {
    id: user.id,
    created_at: ts(user.createdAt),
    updated_at: ts(user.updatedAt),
    first_name: user.firstName,
    last_name: user.lastName,
    username: user.username,
    profile_picture_url: user.profilePictureUrl,
    primary_email_address: primaryEmail(user),
    primary_phone_number:
      phone === undefined || phone.countryCode === null
        ? null
        : `${phone.countryCode}${phone.phoneNumber}`,
  };
}

/**
 * The POST /users response, built in memory from the request: ns-precision timestamps, username
 * null when none, `profile_picture_url` always `""`.
 */
export function createdView(
  user: StoredUser,
  extraNanos: number,
  phoneNumber: string | null,
): UserWithIdentifiersJson {
  return {
    ...listItemView(user),
    created_at: formatTimestamp(user.createdAt, extraNanos),
    updated_at: formatTimestamp(user.updatedAt, extraNanos),
    username: user.username === "" ? null : user.username,
    profile_picture_url: "",
    primary_phone_number: phoneNumber,
  };
}

export type UserEmailAddressJson = ReturnType<typeof emailView>;
export type UserPhoneNumberJson = ReturnType<typeof phoneView>;
/** `UserDetails` (§5), the body of GET /users/{id}/details and PATCH /users/{id}. */
export type UserDetailsJson = ReturnType<typeof detailsView>;
/** A social connection as the details route returns it, tokens decrypted (§5). */
export type SocialConnectionJson = UserDetailsJson["social_connections"][number];
