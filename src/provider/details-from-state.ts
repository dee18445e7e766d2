// The live user as a state describes it: the inverse of toOutputs (to-outputs.ts) for every wire
// field a state records. When delta refresh finds a user's `updated_at` unchanged in this run's
// listing, the user on the server IS the state, so an update right after that refresh can plan
// against this instead of a GET (recent-reads.ts). Wire fields no output records (availability,
// schema version, memberships, social connections, the sub-objects' timestamps) are neutral
// values: the planner and the guard rails never look at them. A state missing any recorded field
// (an older version's, or a placeholder after a failure) gives undefined: read the user instead.
import { fieldRow, PROFILE_FIELDS } from "../schema/user-field-lists";
import type { UserOutputs } from "../schema/user-state";
import type { ApiUserDetails } from "../schema/wire";

/** The details `state` was made from, or undefined when the state does not record them all. */
export function detailsFromState(state: Partial<UserOutputs>): ApiUserDetails | undefined {
  const {
    userId,
    createdAt,
    updatedAt,
    profilePictureUrl,
    primaryEmailAddress,
    primaryPhoneNumber,
    hasPassword,
    hasBackupCodes,
    emailAddresses,
    phoneNumbers,
    segments,
  } = state;
  if (
    userId === undefined ||
    createdAt === undefined ||
    updatedAt === undefined ||
    profilePictureUrl === undefined ||
    primaryEmailAddress === undefined ||
    primaryPhoneNumber === undefined ||
    hasPassword === undefined ||
    hasBackupCodes === undefined ||
    !Array.isArray(emailAddresses) ||
    !Array.isArray(phoneNumbers) ||
    !Array.isArray(segments)
  ) {
    return undefined;
  }
  const recorded = state as Record<string, unknown>;
  const scalars: Record<string, unknown> = {};
  for (const name of PROFILE_FIELDS) {
    if (!(name in recorded)) return undefined;
    scalars[fieldRow(name).read as string] = recorded[name];
  }
  const primaryEmail = emailAddresses.find((e) => e.isPrimary);
  const primaryPhone = phoneNumbers.find((p) => p.isPrimary);
  const base: Partial<ApiUserDetails> = {
    id: userId,
    created_at: createdAt,
    updated_at: updatedAt,
    profile_picture_url: profilePictureUrl,
    schema_version: "v1",
    availability: "away",
    last_password_reset_at: null,
    active_organization_membership_id: null,
    active_workspace_membership_id: null,
    deployment_id: "0",
    primary_email_address_id: primaryEmail?.id ?? null,
    primary_email_address: primaryEmailAddress,
    primary_phone_number_id: primaryPhone?.id ?? null,
    primary_phone_number: primaryPhoneNumber,
    email_addresses: emailAddresses.map((e) => ({
      id: e.id,
      created_at: createdAt,
      updated_at: createdAt,
      deployment_id: "0",
      user_id: userId,
      email: e.email,
      is_primary: e.isPrimary,
      verified: e.verified,
      verified_at: createdAt,
      verification_strategy: "otp",
    })),
    phone_numbers: phoneNumbers.map((p) => ({
      id: p.id,
      created_at: createdAt,
      updated_at: createdAt,
      user_id: userId,
      phone_number: p.phoneNumber,
      country_code: p.countryCode,
      verified: p.verified,
      verified_at: createdAt,
    })),
    social_connections: [],
    segments: segments.map((s) => ({
      id: s.id,
      created_at: null,
      updated_at: null,
      deployment_id: "0",
      name: s.name,
      type: s.type,
    })),
    has_password: hasPassword,
    has_backup_codes: hasBackupCodes,
  };
  // The scalars are the state's values of the table's `read` fields, typed as toOutputs wrote them.
  return { ...base, ...scalars } as ApiUserDetails;
}
