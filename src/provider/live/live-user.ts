// The live user (LiveUser, schema/user-state.ts): the half of a wacht.User's state that the server
// holds; the other half is what the declaration said (diff/declaration-state.ts). It comes from a
// read (`liveUser`), from the state itself (`liveFromState`: the state IS the user as of its
// `updatedAt`), or is presumed after a POST (`presumedUser`). Volatile values (`verified_at`) and social-connection tokens
// never reach it; lists are sorted because the server returns them in no set order.
import type { UserCreate } from "../../client/user-params";
import { fieldRow, PROFILE_FIELDS } from "../../schema/user-field-lists";
import {
  LIVE_KEYS,
  type LiveUser,
  type ScalarOutputs,
  type UserOutputs,
} from "../../schema/user-state";
import type { ApiUserDetails, ApiUserSummary } from "../../schema/wire";

/** The outputs named in the field table's `read` column, from the wire field it names. */
export function scalarOutputs(wire: Partial<Record<string, unknown>>): ScalarOutputs {
  const outs: Record<string, unknown> = {};
  for (const name of PROFILE_FIELDS) outs[name] = wire[fieldRow(name).read as string] ?? null;
  // Read from a validated wire shape (wire.ts), so each value has its output's type.
  return outs as ScalarOutputs;
}

const byString =
  <T>(key: (item: T) => string) =>
  (a: T, b: T): number =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

/** The live user of a details read (GET, or the answer of a PATCH). */
export function liveUser(details: ApiUserDetails): LiveUser {
  return {
    userId: details.id,
    ...scalarOutputs(details),
    profilePictureUrl: details.profile_picture_url,
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
 * The state's live half: the user as of the state's `updatedAt`. Undefined when the state does
 * not record every live key (a placeholder after a failure): only a read can tell then.
 */
export function liveFromState(state: Partial<UserOutputs>): LiveUser | undefined {
  const live: Record<string, unknown> = {};
  for (const key of [...LIVE_KEYS, ...PROFILE_FIELDS]) {
    if (state[key] === undefined) return undefined;
    live[key] = state[key];
  }
  return live as LiveUser;
}

/** What Wacht stores in every new row besides the POST's fields (docs/wacht-api.md §4). */
const NEW_ROW = {
  disabled: false,
  second_factor_policy: "optional",
  public_metadata: {},
  private_metadata: {},
};

/**
 * The user a POST of `fields` just created, as a read would show it, from the POST's answer and
 * the values Wacht gives every new row. Create plans its one PATCH against it; the state always
 * comes from a real answer (the PATCH's, or a GET), so a wrong presumption costs at most a field
 * sent needlessly or left to the next `up`'s diff.
 */
export function presumedUser(answer: ApiUserSummary, fields: UserCreate): LiveUser {
  const phone = answer.primary_phone_number ?? null;
  return {
    userId: answer.id,
    ...scalarOutputs({ ...answer, username: answer.username || null, ...NEW_ROW }),
    profilePictureUrl: "",
    primaryEmailAddress: answer.primary_email_address ?? null,
    primaryPhoneNumber: phone,
    createdAt: answer.created_at,
    updatedAt: answer.updated_at,
    hasPassword: typeof fields.password === "string" && fields.password.trim() !== "",
    hasBackupCodes: false,
    emailAddresses: [],
    // A phone given to POST is stored verified: it counts as a second factor (guard-rails.ts).
    phoneNumbers:
      phone === null
        ? []
        : [{ id: "0", phoneNumber: phone, countryCode: null, isPrimary: false, verified: true }],
    segments: [],
  };
}
